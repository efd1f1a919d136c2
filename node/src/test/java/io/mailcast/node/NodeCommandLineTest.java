package io.mailcast.node;

import io.mailcast.cli.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A node started wrong says so in one line and exits 2, before it joins a cluster or touches MongoDB. */
class NodeCommandLineTest {

    private record Run(int code, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var outBytes = new ByteArrayOutputStream();
        var errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Cli.execute(new NodeCommand(), args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void withoutASenderTheNodeDoesNotStart() {
        // With the variable set this would start a node, which is not what is tested here.
        assumeTrue(System.getenv("MAILCAST_SENDER") == null, "MAILCAST_SENDER is set in this environment");

        Run r = run("--mongo-uri", "mongodb://127.0.0.1:1/mailcast", "--http-port", "0");

        assertThat(r.code()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).isEqualTo("error: no sender chosen: give --sender smtp, relays or simulated (or set "
                + "MAILCAST_SENDER); simulated sends nothing and records everyone as SENT" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void versionAndCompletionNeitherStartANode() {
        Run version = run("--version");
        Run completion = run("completion");

        assertThat(version.code()).isEqualTo(Cli.OK);
        assertThat(version.out()).startsWith("Mailcast node ").contains("(git revision ");
        assertThat(completion.code()).isEqualTo(Cli.OK);
        assertThat(completion.out()).contains("complete -F _complete_node").contains("--relays-file");
    }

    @Test
    void anUnknownOptionOrSenderIsOneLinePointingAtHelp() {
        Run bogus = run("--bogus");
        Run typo = run("--sender", "smpt");

        assertThat(bogus.code()).isEqualTo(Cli.USAGE);
        assertThat(bogus.err()).isEqualTo("error: Unknown option: '--bogus'; see 'node --help'" + System.lineSeparator());
        assertThat(typo.code()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).isEqualTo("error: Invalid value for option '--sender': expected one of [simulated, smtp, "
                + "relays] (case-sensitive) but was 'smpt'; see 'node --help'" + System.lineSeparator());
    }

    @Test
    void helpStillPrintsTheUsage() {
        Run help = run("--help");

        assertThat(help.code()).isEqualTo(Cli.OK);
        assertThat(help.out()).startsWith("Usage: node").contains("--sender");
    }
}
