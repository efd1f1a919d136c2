package io.mailcast.cli;

import com.hazelcast.core.HazelcastException;
import io.mailcast.render.TemplateException;
import io.mailcast.store.StoreUnavailableException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Runs a picocli command with Mailcast's exit codes: user errors print one line naming what is wrong and how to fix it,
 * never a stack trace.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int STORE_UNAVAILABLE = 3;
    public static final int CLUSTER_UNAVAILABLE = 4;
    public static final int NOT_FOUND = 5;

    private Cli() {
    }

    public static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        inheritVersion(cli, cli.getCommandSpec().versionProvider());
        cli.setParameterExceptionHandler(Cli::handleParameters);
        cli.setExecutionExceptionHandler(Cli::handle);
        return cli.execute(args);
    }

    /** Every subcommand's {@code --version} prints what the program's does, instead of nothing. */
    private static void inheritVersion(CommandLine cli, CommandLine.IVersionProvider provider) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null && sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(provider);
            }
            inheritVersion(sub, provider);
        }
    }

    /** A wrong flag or a missing value: the usage is where {@code --help} is, not dozens of lines after the error. */
    private static int handleParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        String message = e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        err.println(cli.getColorScheme().errorText("error: " + message + "; see '"
                + cli.getCommandSpec().qualifiedName() + " --help'"));
        err.flush();
        return USAGE;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        int code;
        String message;
        if (e instanceof NotFoundException) {
            code = NOT_FOUND;
            message = e.getMessage();
        } else if (e instanceof IllegalArgumentException || e instanceof TemplateException) {
            code = USAGE;
            message = e.getMessage();
        } else if (e instanceof StoreUnavailableException) {
            code = STORE_UNAVAILABLE;
            message = e.getMessage();
        } else if (e instanceof HazelcastException || e instanceof IllegalStateException && mentionsCluster(e)) {
            code = CLUSTER_UNAVAILABLE;
            message = "no Mailcast cluster reachable (" + firstLine(e.getMessage())
                    + "); start nodes with bin/node, or check --members / --cluster-name";
        } else {
            code = FAILED;
            message = e.toString();
        }
        err.println(cli.getColorScheme().errorText("error: " + message));
        err.flush();
        return code;
    }

    private static boolean mentionsCluster(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("cluster") || m.contains("Unable to connect");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no answer";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A campaign or other named thing that does not exist; exit code {@value #NOT_FOUND}. */
    public static final class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }
}
