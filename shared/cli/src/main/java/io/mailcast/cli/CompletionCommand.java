package io.mailcast.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code completion}: prints a bash (and zsh, with bashcompinit) completion script for the command it is part of,
 * generated from the same picocli model that parses the arguments, so it never lists a flag that does not exist.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script for this command. Load it with",
                "  source <(bin/${ROOT-COMMAND-NAME} completion)",
                "or keep it: bin/${ROOT-COMMAND-NAME} completion > /etc/bash_completion.d/${ROOT-COMMAND-NAME}"})
public final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        CommandSpec root = spec.root();
        // Named after the program (bin/coordinator -> "coordinator"); bash falls back to the base name of a path.
        spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
        spec.commandLine().getOut().flush();
    }
}
