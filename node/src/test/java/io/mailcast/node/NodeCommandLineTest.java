package io.mailcast.node;

import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.engine.ReactionPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A node started wrong says so in one line and exits 2, before it joins a cluster or touches MongoDB. */
class NodeCommandLineTest {

    private static CapturedRun run(String... args) {
        return CapturedRun.of(new NodeCommand(), args);
    }

    @Test
    void withoutASenderTheNodeDoesNotStart() {
        // With the variable set this would start a node, which is not what is tested here.
        assumeTrue(System.getenv("MAILCAST_SENDER") == null, "MAILCAST_SENDER is set in this environment");

        CapturedRun r = run("--mongo-uri", "mongodb://127.0.0.1:1/mailcast", "--http-port", "0");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).isEqualTo("error: no sender chosen: give --sender smtp, relays or simulated (or set "
                + "MAILCAST_SENDER); simulated sends nothing and records everyone as SENT" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void versionAndCompletionNeitherStartANode() {
        CapturedRun version = run("--version");
        CapturedRun completion = run("completion");

        assertThat(version.code()).isEqualTo(Cli.OK);
        assertThat(version.out()).startsWith("Mailcast node ").contains("(git revision ");
        assertThat(completion.code()).isEqualTo(Cli.OK);
        assertThat(completion.out()).contains("complete -F _complete_node").contains("--relays-file");
    }

    @Test
    void anUnknownOptionOrSenderIsOneLinePointingAtHelp() {
        CapturedRun bogus = run("--bogus");
        CapturedRun typo = run("--sender", "smpt");

        assertThat(bogus.code()).isEqualTo(Cli.USAGE);
        assertThat(bogus.err()).isEqualTo("error: Unknown option: '--bogus'; see 'node --help'" + System.lineSeparator());
        assertThat(typo.code()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).isEqualTo("error: Invalid value for option '--sender': expected one of [simulated, smtp, "
                + "relays] (case-sensitive) but was 'smpt'; see 'node --help'" + System.lineSeparator());
    }

    @Test
    void helpStillPrintsTheUsage() {
        CapturedRun help = run("--help");

        assertThat(help.code()).isEqualTo(Cli.OK);
        assertThat(help.out()).startsWith("Usage: node").contains("--sender");
    }

    @Test
    void aBounceDomainTurnsOnVerpSignedWithTheUnsubscribeSecret() {
        String secret = "a-secret-nobody-may-see-0123456789";
        NodeConfig config = config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--bounce-domain", "Bounce.Example.com",
                "--bounce-port", "2525", "--soft-bounce-limit", "2", "--soft-bounce-window-days", "3");

        assertThat(config.bounces().verp().domain()).isEqualTo("bounce.example.com");
        assertThat(config.bounces().listener().port()).isEqualTo(2525);
        assertThat(config.bounces().softPolicy()).isEqualTo(new SoftBouncePolicy(2, Duration.ofDays(3)));
        assertThat(config.describe()).contains("bounces=verp@bounce.example.com bounce-port=2525").doesNotContain(secret);
        assertThat(config(Map.of()).bounces()).as("off by default: bounces go to From").isNull();
        assertThat(config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--bounce-domain", "bounce.example.com")
                .bounces().listener()).as("VERP without a listener on this node").isNull();
        assertThatThrownBy(() -> config(Map.of(), "--bounce-domain", "bounce.example.com"))
                .hasMessageContaining("needs a secret").hasMessageContaining("MAILCAST_UNSUBSCRIBE_SECRET");
        assertThatThrownBy(() -> config(Map.of(), "--bounce-port", "2525")).hasMessageContaining("--bounce-port needs --bounce-domain");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--bounce-domain", "not a domain"))
                .hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--bounce-domain",
                "bounce.example.com", "--soft-bounce-limit", "0")).hasMessageContaining("--soft-bounce-limit must be at least 1");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--bounce-domain",
                "bounce.example.com", "--soft-bounce-window-days", "120"))
                .hasMessageContaining("--soft-bounce-window-days must be at most 90");
    }

    @Test
    void complaintAndHardBounceLimitsComeFromFlagsOrDefaults() {
        assertThat(config(Map.of()).reactionPolicy()).isEqualTo(ReactionPolicy.DEFAULT);
        assertThat(config(Map.of(), "--max-complaint-rate", "0.001", "--max-hard-bounce-rate", "0.02")
                .reactionPolicy()).isEqualTo(new ReactionPolicy(0.02, 0.001, ReactionPolicy.DEFAULT.minSample()));
        assertThatThrownBy(() -> config(Map.of(), "--max-complaint-rate", "3"))
                .hasMessage("--max-complaint-rate must be above 0 and at most 1, got 3.0");
    }

    @Test
    void smtpIsARelaySetOfOneWithTheLimitsOfItsFlags() {
        NodeConfig config = config(Map.of(), "--sender", "smtp", "--smtp-host", "relay.example.com", "--smtp-rate", "12.5",
                "--smtp-per-hour", "1000", "--smtp-per-day", "20000", "--smtp-cool-down-seconds", "45");

        assertThat(config.sender()).isInstanceOfSatisfying(SenderSettings.Smtp.class, smtp -> {
            assertThat(smtp.relaySet().relays()).singleElement().satisfies(r -> {
                assertThat(r.name()).isEqualTo("smtp");
                assertThat(r.messagesPerSecond()).isEqualTo(12.5);
                assertThat(r.perHour()).isEqualTo(1_000);
                assertThat(r.perDay()).isEqualTo(20_000);
            });
            assertThat(smtp.coolDown()).isEqualTo(Duration.ofSeconds(45));
        });
        assertThat(((SenderSettings.Smtp) config(Map.of(), "--sender", "smtp").sender()).coolDown())
                .isEqualTo(SenderSettings.Smtp.DEFAULT_COOL_DOWN);
        assertThatThrownBy(() -> config(Map.of(), "--sender", "smtp", "--smtp-rate", "0.001"))
                .hasMessageStartingWith("--smtp-rate: ").hasMessageContaining("between 0.01");
        assertThatThrownBy(() -> config(Map.of(), "--sender", "smtp", "--smtp-rate", "NaN"))
                .hasMessageStartingWith("--smtp-rate: ");
        assertThatThrownBy(() -> config(Map.of(), "--sender", "smtp", "--smtp-per-day", "-1"))
                .hasMessageContaining("--smtp-per-hour and --smtp-per-day must not be negative");
        assertThatThrownBy(() -> config(Map.of(), "--sender", "smtp", "--smtp-cool-down-seconds", "0"))
                .hasMessage("--smtp-cool-down-seconds must be at least 1, got 0");
    }

    @Test
    void aPublicUrlNeedsASecretAndHttpsAndTheSecretIsNeverShown() {
        String secret = "a-secret-nobody-may-see-0123456789";
        NodeConfig config = config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--public-url", "https://mail.example.com");

        assertThat(config.unsubscribeLinks().forRecipient("c", "1", "ann@example.com").url())
                .startsWith("https://mail.example.com/unsubscribe?t=");
        assertThat(config.describe()).contains("unsubscribe-links=on").doesNotContain(secret);
        assertThatThrownBy(() -> config(Map.of(), "--public-url", "https://mail.example.com"))
                .hasMessageContaining("needs a secret").hasMessageContaining("MAILCAST_UNSUBSCRIBE_SECRET");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", "short"), "--public-url", "https://mail.example.com"))
                .hasMessageContaining("at least 16 bytes, got 5");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--public-url", "http://mail.example.com"))
                .hasMessageContaining("must use https");
        assertThatThrownBy(() -> config(Map.of("MAILCAST_UNSUBSCRIBE_SECRET", secret), "--public-url",
                "https://mail.example.com", "--http-port", "0")).hasMessageContaining("--public-url needs --http-port");
        assertThat(config(Map.of()).unsubscribeLinks().forRecipient("c", "1", "ann@example.com").url()).isEmpty();
    }

    /**
     * The configuration a node would start with, from these flags (unset ones from the real environment) and
     * {@code env}; with the simulated sender unless the flags choose one.
     */
    @Test
    void validationJobsRunOnlyWithAValidatorAndItsLimits() {
        assertThat(config(Map.of()).validation()).as("off unless --validator is given").isNull();

        ValidationSettings v = config(Map.of(), "--validator", "simulated", "--validation-concurrency", "600",
                "--validation-cluster-concurrency", "1200", "--calls-per-day", "5000").validation();
        assertThat(v.nodeConcurrency()).isEqualTo(600);
        assertThat(v.clusterConcurrency()).isEqualTo(1200);
        assertThat(v.policy().limits().callsPerDay()).isEqualTo(5000);
        assertThat(config(Map.of(), "--validator", "simulated").validation().clusterConcurrency())
                .isEqualTo(Integer.MAX_VALUE);

        assertThatThrownBy(() -> config(Map.of(), "--validation-concurrency", "10"))
                .hasMessageContaining("need --validator simulated|http");
        assertThatThrownBy(() -> config(Map.of(), "--validator", "simulated", "--validation-concurrency", "0"))
                .hasMessageContaining("--validation-concurrency must be between 1 and 100000");
        assertThatThrownBy(() -> config(Map.of(), "--validator", "http"))
                .hasMessageContaining("--http-endpoint");
    }

    private static NodeConfig config(Map<String, String> env, String... args) {
        NodeCommand command = new NodeCommand();
        boolean senderGiven = java.util.Arrays.asList(args).contains("--sender");
        String[] all = new String[args.length + (senderGiven ? 0 : 2)];
        if (!senderGiven) {
            all[0] = "--sender";
            all[1] = "simulated";
        }
        System.arraycopy(args, 0, all, all.length - args.length, args.length);
        new CommandLine(command).parseArgs(all);
        return command.config(env);
    }
}
