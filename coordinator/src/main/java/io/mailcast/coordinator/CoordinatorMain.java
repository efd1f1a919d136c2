package io.mailcast.coordinator;

import io.mailcast.cli.Cli;

/** Entry point of {@code bin/coordinator}. */
public final class CoordinatorMain {

    private CoordinatorMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new CoordinatorCommand(), args));
    }
}
