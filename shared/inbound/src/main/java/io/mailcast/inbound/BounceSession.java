package io.mailcast.inbound;

import io.mailcast.bounce.BounceProcessor;
import io.mailcast.bounce.BounceReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One SMTP transaction on the bounce listener: recipients outside the bounce domain are refused, the message is read
 * up to the size limit and acted on per recipient. Whatever the content, the client gets an SMTP reply, never an
 * exception: unusable mail is accepted and dropped (refusing it would only bring it back as a bounce of a bounce), and
 * only a store failure asks the sender to retry later.
 */
final class BounceSession implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(BounceSession.class);

    private final BounceProcessor processor;
    private final int maxMessageBytes;
    private final List<String> recipients = new ArrayList<>(1);

    BounceSession(BounceProcessor processor, int maxMessageBytes) {
        this.processor = processor;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void from(String sender) {
        // Bounces come from the null sender "<>", complaints from anyone: every sender is taken.
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (recipient == null || !processor.verp().isBounceDomain(recipient)) {
            throw new RejectException(550, "5.7.1 relaying denied: this server takes mail for "
                    + processor.verp().domain() + " only");
        }
        recipients.add(recipient);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        byte[] message = data.readNBytes(maxMessageBytes + 1);
        if (message.length > maxMessageBytes) {
            // Read to the end (kept nowhere) so the connection can carry on with a clean refusal.
            data.transferTo(OutputStream.nullOutputStream());
            throw new RejectException(552, "5.3.4 message larger than " + maxMessageBytes + " bytes");
        }
        Optional<BounceReport> report = ReportReader.read(message);
        try {
            for (String recipient : recipients) {
                processor.process(recipient, report);
            }
        } catch (RuntimeException e) {
            log.warn("bounce listener cannot record a report, asked the sender to retry: {}", e.toString());
            throw new RejectException(451, "4.3.0 temporary failure, try again later");
        }
        return null;
    }

    @Override
    public void done() {
    }
}
