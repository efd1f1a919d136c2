package io.mailcast.node;

import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayEndpoint;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpEndpoint;
import io.mailcast.sender.smtp.TlsMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelaysFileTest {

    @TempDir
    Path dir;

    @Test
    void readsSmtpAndSimulatedRelaysWithPasswordsFromEnvAndFile() throws Exception {
        Files.writeString(dir.resolve("backup.secret"), "file-secret\n");
        Path file = dir.resolve("relays.json");
        Files.writeString(file, """
                { "coolDownSeconds": 120, "failuresBeforeDown": 3,
                  "relays": [
                    { "name": "primary", "host": "smtp.example.com", "port": 587, "tls": "starttls",
                      "user": "mailer", "passwordEnv": "PRIMARY_PW", "weight": 3, "rate": 50,
                      "perHour": 1000, "perDay": 20000, "pool": 6 },
                    { "name": "backup", "host": "10.0.0.7", "port": 465, "user": "b", "passwordFile": "backup.secret" },
                    { "name": "sim", "simulated": true, "latencyMs": 20, "failureRate": 0.5, "rate": 2.5 } ] }
                """);
        RelaySet set = RelaysFile.load(file, Map.of("PRIMARY_PW", "env-secret"));

        assertThat(set.names()).containsExactly("primary", "backup", "sim");
        assertThat(set.policy().coolDown()).isEqualTo(Duration.ofSeconds(120));
        assertThat(set.policy().failuresBeforeDown()).isEqualTo(3);
        RelayConfig primary = set.get("primary");
        assertThat(primary.weight()).isEqualTo(3);
        assertThat(primary.messagesPerSecond()).isEqualTo(50);
        assertThat(primary.perHour()).isEqualTo(1000);
        assertThat(primary.perDay()).isEqualTo(20000);
        SmtpConfig smtp = ((SmtpEndpoint) primary.endpoint()).config();
        assertThat(smtp.name()).isEqualTo("primary");
        assertThat(smtp.tls()).isEqualTo(TlsMode.STARTTLS);
        assertThat(smtp.password()).isEqualTo("env-secret");
        assertThat(smtp.poolSize()).isEqualTo(6);
        SmtpConfig backup = ((SmtpEndpoint) set.get("backup").endpoint()).config();
        assertThat(backup.tls()).as("port 465 means implicit TLS").isEqualTo(TlsMode.TLS);
        assertThat(backup.password()).isEqualTo("file-secret");
        assertThat(set.get("sim").endpoint()).isEqualTo(new RelayEndpoint.Simulated(Duration.ofMillis(20), 0.5));
        assertThat(set.describe()).doesNotContain("env-secret", "file-secret");
    }

    @Test
    void rejectsAnInlinePasswordWithAClearMessage() {
        assertThatThrownBy(() -> parse("""
                { "relays": [ { "name": "p", "host": "h", "user": "u", "password": "hunter2" } ] }"""))
                .hasMessage("relays file relays.json: relay 'p': an inline \"password\" is not allowed, it would sit in "
                        + "plain text in the file; use \"passwordEnv\": \"VARIABLE\" or \"passwordFile\": \"/run/secrets/...\" instead")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsMistakesNamingTheRelay() {
        assertThatThrownBy(() -> parse("{ \"relays\": [ { \"name\": \"p\", \"host\": \"h\", \"rte\": 5 } ] }"))
                .hasMessageContaining("relay 'p': unknown key \"rte\"");
        assertThatThrownBy(() -> parse("{ \"relays\": [ { \"name\": \"p\", \"host\": \"h\", \"user\": \"u\", \"passwordEnv\": \"NOPE\" } ] }"))
                .hasMessageContaining("relay 'p': the environment variable NOPE (its \"passwordEnv\") is not set");
        assertThatThrownBy(() -> parse("{ \"relays\": [ { \"name\": \"p\", \"host\": \"h\", \"weight\": 0 } ] }"))
                .hasMessageContaining("relay 'p': weight must be at least 1");
        assertThatThrownBy(() -> parse("{ \"relays\": [ { \"name\": \"p\", \"host\": \"h\" }, { \"name\": \"p\", \"simulated\": true } ] }"))
                .hasMessageContaining("relay name 'p' is used twice");
        assertThatThrownBy(() -> parse("{ \"relays\": [ { \"name\": \"p\" } ] }"))
                .hasMessageContaining("relay 'p': \"host\" is missing");
        assertThatThrownBy(() -> parse("{ \"relays\": [] }")).hasMessageContaining("\"relays\" must be a non-empty list");
        assertThatThrownBy(() -> parse("{ relays: [")).hasMessageStartingWith("the relays file relays.json is not valid JSON");
    }

    private static RelaySet parse(String json) {
        return RelaysFile.parse(json, Path.of("relays.json"), Map.of());
    }
}
