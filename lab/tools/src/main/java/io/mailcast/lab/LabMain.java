package io.mailcast.lab;

import io.mailcast.cli.Cli;
import io.mailcast.cli.CompletionCommand;
import io.mailcast.cli.VersionInfo;
import io.mailcast.lab.chaos.ChaosCommand;
import io.mailcast.lab.chaos.CountingSmtpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bin/lab} (and {@code bin/coordinator demo|bench|chaos|populate|embedded-mongo}): tooling beside the product. */
@Command(name = "lab", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = VersionInfo.class,
        description = "Mailcast lab: the demo, the benchmark, the chaos test and test data, on an embedded MongoDB.",
        subcommands = {DemoCommand.class, BenchCommand.class, ChaosCommand.class, PopulateCommand.class,
                EmbeddedMongoCommand.class, Karma8DayCommand.class, CountingSmtpCommand.class, CompletionCommand.class, HelpCommand.class},
        footer = "%nExit codes: 0 ok, 1 failure, 2 bad input, 3 MongoDB unreachable, 4 cluster unreachable.")
public final class LabMain implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new LabMain(), args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
