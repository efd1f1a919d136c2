package io.mailcast.lab;

import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "embedded-mongo", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Runs a MongoDB wire-compatible server (mongo-java-server) until Ctrl-C, so several nodes on one "
                + "machine can share it without Docker. In memory unless --data-dir is given.")
public final class EmbeddedMongoCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "27017", description = "Port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", description = "Persist to an H2 file in this directory")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedMongo mongo;
        try {
            mongo = EmbeddedMongo.start(host, port, dataDir);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof BindException || String.valueOf(e.getMessage()).contains("bind")) {
                throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "); pick another --port", e);
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mongo.close();
            stop.countDown();
        }));
        System.out.println("embedded MongoDB listening: " + mongo.uri() + (dataDir == null ? " (in memory)" : " (data in " + dataDir + ")"));
        stop.await();
        return Cli.OK;
    }
}
