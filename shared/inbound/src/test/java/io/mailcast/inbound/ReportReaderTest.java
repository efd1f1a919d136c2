package io.mailcast.inbound;

import io.mailcast.bounce.BounceKind;
import io.mailcast.bounce.BounceReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportReaderTest {

    private static Optional<BounceReport> read(String message) {
        return ReportReader.read(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPostfixDsnIsAHardBounceWithItsDiagnostic() {
        assertThat(read(Reports.dsn("bounces+x@bounce.example.com", "failed", "5.1.1", "550 5.1.1 User unknown")))
                .contains(new BounceReport(BounceKind.HARD, "5.1.1", "smtp; 550 5.1.1 User unknown"));
    }

    @Test
    void anOutlookStyleDsnWithATwoDigitDetailAndSeveralRecipientsReadsTheFailedOne() {
        Optional<BounceReport> report = read("""
                From: postmaster@outlook.com
                To: bounces+x@bounce.example.com
                Subject: Undeliverable: Spring sale
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type="delivery-status"; boundary="_000_"

                --_000_
                Content-Type: text/plain; charset="us-ascii"

                Delivery has failed to these recipients or groups.

                --_000_
                Content-Type: message/delivery-status

                Reporting-MTA: dns;AM0PR01MB0001.eurprd01.prod.outlook.com
                Received-From-MTA: dns;relay.example.com

                Final-Recipient: rfc822;bob@outlook.com
                Action: delivered
                Status: 2.0.0

                Final-Recipient: rfc822;ann@outlook.com
                Action: failed
                Status: 5.1.10
                Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

                --_000_--
                """);

        assertThat(report).map(BounceReport::status).contains("5.1.10");
        assertThat(report).map(BounceReport::diagnostic).hasValueSatisfying(d -> assertThat(d).contains("RecipientNotFound"));
    }

    @Test
    void aGlobalDsnCountsToo() {
        assertThat(read("""
                From: mailer-daemon@googlemail.com
                To: bounces+x@bounce.example.com
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="g"

                --g
                Content-Type: message/global-delivery-status

                Reporting-MTA: dns; googlemail.com

                Final-Recipient: rfc822; ann@gmail.com
                Action: failed
                Status: 4.2.2
                Diagnostic-Code: smtp; 452-4.2.2 The recipient's inbox is out of storage space.

                --g--
                """)).map(BounceReport::kind).contains(BounceKind.SOFT);
    }

    @Test
    void complaintsAndNotSpamReports() {
        assertThat(read(Reports.arf("bounces+x@bounce.example.com", "abuse"))).map(BounceReport::kind)
                .contains(BounceKind.COMPLAINT);
        assertThat(read(Reports.arf("bounces+x@bounce.example.com", "not-spam"))).isEmpty();
    }

    @Test
    void anythingElseReportsNothing() {
        assertThat(read(Reports.autoReply("bounces+x@bounce.example.com"))).isEmpty();
        assertThat(read("Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: text/plain\n\nhi\n--m--\n")).isEmpty();
        assertThat(read("Content-Type: multipart/report; report-type=delivery-status\n\nno boundary at all")).isEmpty();
        assertThat(read("Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\n"
                + "Content-Type: message/delivery-status\n\n\u0000\u0001garbage: \n--b--\n")).isEmpty();
        assertThat(ReportReader.read(new byte[] {0, (byte) 0xff, 13, 10, 13, 10})).isEmpty();
        assertThat(ReportReader.read(new byte[0])).isEmpty();
    }
}
