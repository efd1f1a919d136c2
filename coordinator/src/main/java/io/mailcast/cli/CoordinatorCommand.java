package io.mailcast.cli;

import picocli.CommandLine.Command;

/** {@code bin/coordinator}: submit and steer campaigns, populate test data, run the demo and the benchmark. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Mailcast coordinator: submits campaigns to the cluster and reports on them.",
        subcommands = {
                SubmitCommand.class, StatusCommand.class, ListCommand.class,
                PauseCommand.class, ResumeCommand.class, CancelCommand.class, RetryFailedCommand.class, RelayCommand.class,
                PopulateCommand.class, EmbeddedMongoCommand.class, DemoCommand.class, BenchCommand.class,
                io.mailcast.chaos.ChaosCommand.class},
        footer = "%nExit codes: 0 ok, 1 failure, 2 bad input, 3 MongoDB unreachable, 4 cluster unreachable, 5 unknown campaign.")
public final class CoordinatorCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
