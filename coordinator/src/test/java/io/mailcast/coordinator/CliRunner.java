package io.mailcast.coordinator;

import io.mailcast.cli.CapturedRun;

/** Runs the coordinator CLI in-process and captures what a user would see. */
public final class CliRunner {

    private CliRunner() {
    }

    public static CapturedRun run(String... args) {
        return CapturedRun.of(new CoordinatorCommand(), args);
    }
}
