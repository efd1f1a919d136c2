package io.mailcast.inbound;

/** Report messages as mail servers send them, after the RFC examples and real Postfix, Gmail and ARF samples. */
final class Reports {

    private Reports() {
    }

    /** A Postfix-style DSN (RFC 3464): one recipient block with Action, Status and Diagnostic-Code. */
    static String dsn(String verp, String action, String status, String diagnostic) {
        return """
                From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
                To: %1$s
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status;
                \tboundary="B0UND"

                This is a MIME-encapsulated message.

                --B0UND
                Content-Type: text/plain; charset=us-ascii

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients.

                --B0UND
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.org
                Arrival-Date: Mon, 1 Dec 2025 10:00:00 +0000

                Final-Recipient: rfc822; ann@example.org
                Original-Recipient: rfc822;ann@example.org
                Action: %2$s
                Status: %3$s
                Remote-MTA: dns; mail.example.org
                Diagnostic-Code: smtp; %4$s

                --B0UND
                Content-Type: text/rfc822-headers

                Return-Path: <%1$s>
                From: News <news@example.com>
                To: ann@example.org
                Subject: Spring sale

                --B0UND--
                """.formatted(verp, action, status, diagnostic);
    }

    /** An ARF report (RFC 5965 appendix B, as Yahoo and Outlook send them). */
    static String arf(String verp, String feedbackType) {
        return """
                From: <abuse@mail.example.net>
                Date: Thu, 8 Mar 2025 14:00:00 EDT
                Subject: FW: Spring sale
                To: <%1$s>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report;
                \tboundary="part1_13d.2e68ed54_boundary"

                --part1_13d.2e68ed54_boundary
                Content-Type: text/plain; charset="US-ASCII"
                Content-Transfer-Encoding: 7bit

                This is an email abuse report for an email message received from IP
                192.0.2.1 on Thu, 8 Mar 2025 14:00:00 EDT.

                --part1_13d.2e68ed54_boundary
                Content-Type: message/feedback-report

                Feedback-Type: %2$s
                User-Agent: SomeGenerator/1.0
                Version: 1

                --part1_13d.2e68ed54_boundary
                Content-Type: message/rfc822
                Content-Disposition: inline

                Return-Path: <%1$s>
                From: <news@example.com>
                To: <ann@example.org>
                Subject: Spring sale

                Buy now.
                --part1_13d.2e68ed54_boundary--
                """.formatted(verp, feedbackType);
    }

    /** A vacation auto-reply: not a report. */
    static String autoReply(String verp) {
        return """
                From: ann@example.org
                To: %s
                Subject: Out of office
                Auto-Submitted: auto-replied

                I am away until Monday.
                """.formatted(verp);
    }
}
