package io.mailcast.coordinator;

import io.mailcast.validation.ValidationRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

    @Test
    void waitModeNeedsADeadlineAndTheRule(@TempDir Path dir) throws Exception {
        Path t = Files.writeString(dir.resolve("t.mustache"), "Hi");
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);

        ValidationRequirement waits = parsed(t, "--require-validation", "--unverified", "wait", "--verdict-deadline",
                "PT6H").draft(clock).validation();
        assertThat(waits.unverified()).isEqualTo(ValidationRequirement.Unverified.WAIT);
        assertThat(waits.waitUntil()).isEqualTo(Instant.parse("2026-12-03T14:00:00Z"));
        assertThat(parsed(t, "--require-validation", "--unverified", "wait", "--verdict-deadline",
                "2026-12-07T08:00:00Z").draft(clock).validation().waitUntil()).isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
        assertThat(parsed(t, "--require-validation", "--unverified", "skip").draft(clock).validation())
                .isEqualTo(ValidationRequirement.CONFIRMED_OR_VALID);

        assertThatThrownBy(() -> parsed(t, "--require-validation", "--unverified", "wait").draft(clock))
                .hasMessageStartingWith("--unverified wait needs --verdict-deadline");
        assertThatThrownBy(() -> parsed(t, "--unverified", "wait", "--verdict-deadline", "PT1H").draft(clock))
                .hasMessageContaining("need --require-validation");
        assertThatThrownBy(() -> parsed(t, "--require-validation", "--verdict-deadline", "PT1H").draft(clock))
                .hasMessage("--verdict-deadline needs --unverified wait");
        assertThatThrownBy(() -> parsed(t, "--require-validation", "--unverified", "later").draft(clock))
                .hasMessage("--unverified must be skip or wait, got later");
        assertThatThrownBy(() -> parsed(t, "--require-validation", "--unverified", "wait", "--verdict-deadline",
                "tomorrow").draft(clock)).hasMessageStartingWith("--verdict-deadline must be an instant");
    }
}
