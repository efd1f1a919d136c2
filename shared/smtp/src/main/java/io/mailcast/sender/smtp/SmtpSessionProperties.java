package io.mailcast.sender.smtp;

import java.time.Duration;
import java.util.Properties;

/** Jakarta Mail session properties for one relay. Credentials are not among them: they go to {@code connect}. */
final class SmtpSessionProperties {

    private SmtpSessionProperties() {
    }

    static Properties of(SmtpConfig config, RelaySockets sockets) {
        Properties props = new Properties();
        props.setProperty("mail.transport.protocol", "smtp");
        props.setProperty("mail.smtp.host", config.host());
        props.setProperty("mail.smtp.port", Integer.toString(config.port()));
        props.setProperty("mail.smtp.connectiontimeout", millis(config.connectTimeout()));
        props.setProperty("mail.smtp.timeout", millis(config.readTimeout()));
        // No mail.smtp.writetimeout: Angus would wrap the socket in a timer thread of its own, and message data
        // bypasses Angus' streams anyway; PipelinedSmtpTransport guards its writes with config.writeTimeout().
        props.setProperty("mail.smtp.auth", Boolean.toString(config.user() != null));
        boolean startTls = config.tls() == TlsMode.STARTTLS;
        props.setProperty("mail.smtp.starttls.enable", Boolean.toString(startTls));
        // Without "required" a relay (or an attacker in between) that hides STARTTLS would get the password in clear.
        props.setProperty("mail.smtp.starttls.required", Boolean.toString(startTls));
        props.setProperty("mail.smtp.ssl.enable", Boolean.toString(config.tls() == TlsMode.TLS));
        props.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        if (config.heloName() != null) {
            props.setProperty("mail.smtp.localhost", config.heloName());
        }
        props.put("mail.smtp.socketFactory", sockets.plain());
        props.put("mail.smtp.ssl.socketFactory", sockets.tls());
        // Closing need not wait for the QUIT reply of a slow relay.
        props.setProperty("mail.smtp.quitwait", "false");
        return props;
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
