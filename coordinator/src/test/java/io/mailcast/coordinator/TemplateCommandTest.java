package io.mailcast.coordinator;

import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.message.ApiTemplate;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateCommandTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    @TempDir
    Path dir;

    @BeforeEach
    void emptyStore() {
        mongo.dropAll();
    }

    private static CapturedRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--mongo-uri";
        all[args.length + 1] = mongo.uri();
        return CliRunner.run(all);
    }

    @Test
    void putListShowAndRemoveATemplate() throws Exception {
        Path text = Files.writeString(dir.resolve("reset.txt"), "Hello {{name}}, reset here: {{url}}\n");
        Path html = Files.writeString(dir.resolve("reset.html"), "<p>Hello {{name}}</p>");

        CapturedRun put = run("template", "put", "password-reset", "--subject", "Reset for {{name}}",
                "--text-template", text.toString(), "--html-template", html.toString());
        assertThat(put.code()).as(put.err()).isEqualTo(Cli.OK);
        assertThat(put.out()).contains("stored template password-reset (text and HTML)");
        ApiTemplate stored = new MongoApiTemplateStore(mongo.connection()).find("password-reset").orElseThrow();
        assertThat(stored.render(Map.of("name", "Ann", "url", "https://x.example/r")).text())
                .isEqualTo("Hello Ann, reset here: https://x.example/r\n");

        assertThat(run("template", "list").out()).containsPattern("password-reset\\s+text\\+html\\s+\\S+\\s+Reset for \\{\\{name}}");
        assertThat(run("template", "show", "password-reset").out()).contains("subject: Reset for {{name}}", "<p>Hello {{name}}</p>");
        assertThat(run("template", "remove", "password-reset").code()).isEqualTo(Cli.OK);
        CapturedRun gone = run("template", "show", "password-reset");
        assertThat(gone.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(gone.err()).contains("no template named 'password-reset'");
    }

    @Test
    void aBrokenTemplateOrNameIsRefusedInOneLineAndNothingIsStored() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.txt"), "Hello {{#name}} unclosed");

        CapturedRun bad = run("template", "put", "reset", "--subject", "Hi", "--text-template", broken.toString());
        assertThat(bad.code()).isEqualTo(Cli.USAGE);
        assertThat(bad.err().lines()).hasSize(1);
        assertThat(bad.err()).contains("text body of template 'reset'");
        CapturedRun badName = run("template", "put", "Reset Mail", "--subject", "Hi", "--text-template",
                Files.writeString(dir.resolve("ok.txt"), "ok").toString());
        assertThat(badName.code()).isEqualTo(Cli.USAGE);
        assertThat(badName.err()).contains("template name 'Reset Mail' must be 1 to 64 lower-case letters");
        CapturedRun noBody = run("template", "put", "reset", "--subject", "Hi");
        assertThat(noBody.code()).isEqualTo(Cli.USAGE);
        assertThat(new MongoApiTemplateStore(mongo.connection()).list()).isEmpty();
    }
}
