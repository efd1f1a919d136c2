package io.mailcast.sender.smtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpConfigTest {

    private static final SmtpConfig BASE = SmtpConfig.of("smtp.example.com", 587);

    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        assertThat(BASE.name()).isEqualTo("smtp");
        assertThat(BASE.tls()).isEqualTo(TlsMode.STARTTLS);
        assertThat(SmtpConfig.of("smtp.example.com", 465).tls()).isEqualTo(TlsMode.TLS);
        assertThat(BASE.user()).isNull();
        assertThat(BASE.poolSize()).isPositive();
        assertThat(BASE.withName("  ").name()).isEqualTo("smtp");
        assertThat(BASE.withHeloName(" ").heloName()).isNull();
    }

    @Test
    void rejectsUnusableValuesWithActionableMessages() {
        assertThatThrownBy(() -> SmtpConfig.of(" ", 25)).hasMessageContaining("SMTP host is missing");
        assertThatThrownBy(() -> SmtpConfig.of("smtp example.com", 25)).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> SmtpConfig.of("smtp.example.com", 0)).hasMessage("SMTP port must be between 1 and 65535, got 0");
        assertThatThrownBy(() -> SmtpConfig.of("smtp.example.com", 65536)).hasMessageContaining("got 65536");
        assertThatThrownBy(() -> BASE.withTls(null)).hasMessageContaining("NONE, STARTTLS or TLS");
        assertThatThrownBy(() -> BASE.withPoolSize(0)).hasMessageContaining("poolSize (connections per node) must be at least 1");
        assertThatThrownBy(() -> BASE.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout must be at least 1 ms");
        assertThatThrownBy(() -> BASE.withTimeouts(Duration.ofSeconds(1), Duration.ofNanos(10), Duration.ofSeconds(1)))
                .hasMessageContaining("readTimeout must be at least 1 ms");
        assertThatThrownBy(() -> BASE.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("writeTimeout");
        assertThatThrownBy(() -> BASE.withTimeouts(Duration.ofSeconds(1), Duration.ofDays(30), Duration.ofSeconds(1)))
                .hasMessageContaining("readTimeout must be at most");
        assertThatThrownBy(() -> BASE.withTimeouts(null, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout is missing");
        assertThatThrownBy(() -> BASE.withHeloName("my host")).hasMessageContaining("HELO name");
    }

    @Test
    void passwordAndUserGoTogether() {
        assertThatThrownBy(() -> BASE.withCredentials(null, "secret"))
                .hasMessageContaining("password was given without a user");
        assertThatThrownBy(() -> BASE.withCredentials("mailer", null))
                .hasMessageContaining("MAILCAST_SMTP_PASSWORD")
                .hasMessageContaining("password file");
        assertThat(BASE.withCredentials("mailer", "secret").user()).isEqualTo("mailer");
        assertThat(BASE.withCredentials(" ", null).user()).isNull();
    }

    @Test
    void toStringNeverShowsThePassword() {
        SmtpConfig config = BASE.withCredentials("mailer", "hunter2-secret");

        assertThat(config.toString()).doesNotContain("hunter2").contains("user=mailer").contains("password=******");
        assertThat(BASE.toString()).contains("password=<none>");
    }

    @Test
    void passwordComesFromEnvironment() {
        assertThat(SmtpConfig.passwordFrom(Map.of(SmtpConfig.PASSWORD_ENV, "from-env"), null)).hasValue("from-env");
    }

    @Test
    void passwordComesFromFileWithoutTrailingNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("smtp.pw"), "from file \r\n");

        assertThat(SmtpConfig.passwordFrom(Map.of(), file)).hasValue("from file ");
    }

    @Test
    void passwordSourcesAreCheckedClearly() throws IOException {
        Path file = Files.writeString(dir.resolve("smtp.pw"), "x");
        Path empty = Files.writeString(dir.resolve("empty.pw"), "\n");

        assertThat(SmtpConfig.passwordFrom(Map.of(), null)).isEmpty();
        assertThat(SmtpConfig.passwordFrom(Map.of(SmtpConfig.PASSWORD_ENV, ""), null)).isEmpty();
        assertThatThrownBy(() -> SmtpConfig.passwordFrom(Map.of(SmtpConfig.PASSWORD_ENV, "y"), file))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> SmtpConfig.passwordFrom(Map.of(), empty)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SmtpConfig.passwordFrom(Map.of(), dir.resolve("missing.pw")))
                .hasMessageContaining("cannot read the SMTP password file")
                .hasMessageContaining("missing.pw");
    }

    @Test
    void sessionPropertiesFollowTheTlsModeAndHoldNoPassword() {
        Properties startTls = SmtpSessionProperties.of(BASE.withCredentials("mailer", "secret").withHeloName("node1.example.com"), new RelaySockets());
        Properties implicitTls = SmtpSessionProperties.of(BASE.withTls(TlsMode.TLS), new RelaySockets());
        Properties plain = SmtpSessionProperties.of(BASE.withTls(TlsMode.NONE)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMillis(5500)), new RelaySockets());

        assertThat(startTls).containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.enable", "false")
                .containsEntry("mail.smtp.auth", "true")
                .containsEntry("mail.smtp.localhost", "node1.example.com");
        assertThat(startTls.values()).doesNotContain("secret");
        assertThat(implicitTls).containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.starttls.enable", "false")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                .containsEntry("mail.smtp.auth", "false");
        assertThat(plain).containsEntry("mail.smtp.connectiontimeout", "3000")
                .containsEntry("mail.smtp.timeout", "4000")
                .doesNotContainKey("mail.smtp.writetimeout") // enforced by PipelinedSmtpTransport, see SmtpSenderTest
                .containsEntry("mail.smtp.ssl.enable", "false")
                .containsEntry("mail.smtp.starttls.enable", "false");
    }
}
