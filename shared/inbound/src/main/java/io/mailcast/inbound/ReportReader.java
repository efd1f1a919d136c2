package io.mailcast.inbound;

import io.mailcast.bounce.BounceReport;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.dsn.DeliveryStatus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads what a message to the bounce address reports: a failed delivery from a DSN (RFC 3464, {@code
 * multipart/report; report-type=delivery-status}, parsed by Angus Mail's DSN support) or a complaint from an ARF report
 * (RFC 5965, {@code report-type=feedback-report}). Anything else, malformed MIME included, reports nothing.
 */
final class ReportReader {

    private static final Session SESSION = Session.getInstance(new Properties());

    private ReportReader() {
    }

    static Optional<BounceReport> read(byte[] message) {
        try {
            MimeMessage mime = new MimeMessage(SESSION, new ByteArrayInputStream(message));
            ContentType type = new ContentType(mime.getContentType());
            if (!type.match("multipart/report")) {
                return Optional.empty();
            }
            // Parsed as a plain multipart: the report's own parts are read below, whatever handlers are registered.
            MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(mime.getRawInputStream(), type.toString()));
            String reportType = String.valueOf(type.getParameter("report-type")).toLowerCase(Locale.ROOT);
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (reportType.equals("delivery-status") && (part.isMimeType("message/delivery-status")
                        || part.isMimeType("message/global-delivery-status"))) {
                    return deliveryStatus(part.getInputStream());
                }
                if (reportType.equals("feedback-report") && part.isMimeType("message/feedback-report")) {
                    return feedback(part.getInputStream());
                }
            }
            return Optional.empty();
        } catch (MessagingException | IOException | RuntimeException e) {
            // Hostile or broken MIME: not a report we can act on.
            return Optional.empty();
        }
    }

    /** The first recipient block that reports a failure; a DSN about several recipients names ours first. */
    private static Optional<BounceReport> deliveryStatus(InputStream in) throws MessagingException, IOException {
        DeliveryStatus status = new DeliveryStatus(in);
        for (int i = 0; i < status.getRecipientDSNCount(); i++) {
            InternetHeaders recipient = status.getRecipientDSN(i);
            Optional<BounceReport> report = BounceReport.ofDeliveryStatus(recipient.getHeader("Action", null),
                    recipient.getHeader("Status", null), recipient.getHeader("Diagnostic-Code", null));
            if (report.isPresent()) {
                return report;
            }
        }
        return Optional.empty();
    }

    private static Optional<BounceReport> feedback(InputStream in) throws MessagingException {
        InternetHeaders fields = new InternetHeaders(in);
        return BounceReport.ofFeedback(fields.getHeader("Feedback-Type", null), fields.getHeader("User-Agent", null));
    }
}
