package io.mailcast.node;

import io.mailcast.cli.Cli;

/** Entry point of {@code bin/node}. */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        // The node's own log setup, also when it runs from the coordinator's jar (whose logback.xml is for the CLI).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mailcast-node-logback.xml");
        }
        System.exit(Cli.execute(new NodeCommand(), args));
    }
}
