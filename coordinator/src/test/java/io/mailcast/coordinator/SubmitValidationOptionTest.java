package io.mailcast.coordinator;

import io.mailcast.validation.ValidationRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code submit --require-validation [--confirmed-fields]} becomes the campaign's rule; without it there is none. */
class SubmitValidationOptionTest {

    private static SubmitCommand parsed(Path template, String... extra) {
        SubmitCommand submit = new SubmitCommand();
        List<String> args = new ArrayList<>(List.of("--subject", "S", "--from", "a@example.com",
                "--text-template", template.toString()));
        args.addAll(List.of(extra));
        new CommandLine(submit).parseArgs(args.toArray(String[]::new));
        return submit;
    }

    @Test
    void theRuleIsTakenFromTheOptions(@TempDir Path dir) throws Exception {
        Path t = Files.writeString(dir.resolve("t.mustache"), "Hi");
        assertThat(parsed(t).draft(Clock.systemUTC()).validation()).isNull();
        assertThat(parsed(t, "--require-validation").draft(Clock.systemUTC()).validation())
                .isEqualTo(ValidationRequirement.CONFIRMED_OR_VALID);
        assertThat(parsed(t, "--require-validation", "--confirmed-fields", "confirmed, optin").draft(Clock.systemUTC())
                .validation().confirmedFields()).containsExactly("confirmed", "optin");
        assertThatThrownBy(() -> parsed(t, "--require-validation", "--confirmed-fields", "$where").draft(Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confirmation field");
    }
}
