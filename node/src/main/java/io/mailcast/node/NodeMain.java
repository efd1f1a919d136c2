package io.mailcast.node;

import io.mailcast.cli.Cli;

/** Entry point of {@code bin/node}. */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(new NodeCommand(), args));
    }
}
