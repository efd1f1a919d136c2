package io.mailcast.lab;

import io.mailcast.cli.Cli;
import io.mailcast.node.NodeCommand;

/** A node as {@code bin/node} starts it, reading subscribers through the embedded server's fast path when it is one. */
public final class LabNodeMain {

    private LabNodeMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "mailcast-node-logback.xml");
        }
        System.exit(Cli.execute(new NodeCommand(EmbeddedSubscriberSource::over), args));
    }
}
