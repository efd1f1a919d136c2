package io.mailcast.lab.chaos;

import io.mailcast.lab.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of a chaos run: one embedded MongoDB (restartable on the same port and data directory) and the node
 * processes, each logging to its own file. Every process started is remembered, so {@link #close()} and the JVM
 * shutdown hook can end all of them, and nothing else.
 */
final class ChaosProcesses implements AutoCloseable {

    /** One node process; {@code slot} numbers them in start order and fixes the member port (and its namespace). */
    record Node(int slot, String host, int port, Process process, Path log) {
        String name() {
            return "node-" + slot;
        }

        String address() {
            return host + ":" + port;
        }
    }

    record NodeSpec(String clusterName, int basePort, String mongoUri, List<String> nodeArgs, String heap) {
    }

    private final Path logDir;
    private final ChaosNetwork network;
    private final String classpath = System.getProperty("java.class.path");
    private final List<Process> everything = new CopyOnWriteArrayList<>();
    private final List<Node> alive = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::killAll, "chaos-cleanup");
    private NodeSpec nodeSpec;
    private int nextSlot = 1;
    private Process mongo;
    private int mongoPort;
    private Path mongoDataDir;

    /** @param network where the nodes run, each in its own namespace; null: all on loopback */
    ChaosProcesses(Path logDir, ChaosNetwork network) {
        this.logDir = logDir;
        this.network = network;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Where MongoDB listens and what the nodes reach this JVM by: loopback, or this JVM's address on the bridge. */
    String host() {
        return network == null ? "127.0.0.1" : network.hostAddress();
    }

    // ---- MongoDB ------------------------------------------------------------------------------------------------

    /** Starts {@code embedded-mongo} persisting to {@code dataDir}; waits until it accepts connections. */
    void startMongo(int port, Path dataDir, Duration timeout) throws InterruptedException {
        this.mongoPort = port;
        this.mongoDataDir = dataDir;
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx1g", "-XX:+UseSerialGC", "-cp", classpath,
                "io.mailcast.lab.LabMain", "embedded-mongo", "--host", host(),
                "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        mongo = launch(command, logDir.resolve("mongo.log"));
        awaitPort(host(), port, mongo, "embedded MongoDB", timeout);
    }

    /** SIGTERM (the server closes its H2 store cleanly), force after {@code grace}. @return the exit code */
    int stopMongo(Duration grace) throws InterruptedException {
        Process p = mongo;
        mongo = null;
        return stop(p, grace);
    }

    /** SIGKILL: H2 gets no chance to write what it still holds in memory. @return the exit code */
    int killMongo() throws InterruptedException {
        Process p = mongo;
        mongo = null;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue();
    }

    void restartMongo(Duration timeout) throws InterruptedException {
        startMongo(mongoPort, mongoDataDir, timeout);
    }

    boolean mongoAlive() {
        return mongo != null && mongo.isAlive();
    }

    // ---- Nodes --------------------------------------------------------------------------------------------------

    void nodeSpec(NodeSpec spec) {
        this.nodeSpec = spec;
    }

    /** Starts one more node; it joins through the nodes alive now. */
    Node startNode() {
        int slot = nextSlot++;
        int port = nodeSpec.basePort() + slot - 1;
        String host = network == null ? "127.0.0.1" : network.nodeAddress(slot);
        List<String> members = new ArrayList<>(alive.stream().map(Node::address).toList());
        members.add(host + ":" + port);
        List<String> command = new ArrayList<>(network == null ? List.of() : network.prefix(slot));
        command.addAll(List.of(ChildJvm.java(), "-Xmx" + nodeSpec.heap(), "-XX:+UseSerialGC"));
        command.addAll(ChildJvm.HAZELCAST_ACCESS);
        command.addAll(List.of("-cp", classpath, "io.mailcast.lab.LabNodeMain",
                "--cluster-name", nodeSpec.clusterName(), "--port", String.valueOf(port),
                "--members", String.join(",", members), "--mongo-uri", nodeSpec.mongoUri(), "--http-port", "0"));
        if (network != null) {
            command.addAll(List.of("--interface", host));
        }
        command.addAll(nodeSpec.nodeArgs());
        Path log = logDir.resolve("node-" + slot + ".log");
        Node node = new Node(slot, host, port, launch(command, log), log);
        alive.add(node);
        return node;
    }

    List<Node> alive() {
        alive.removeIf(n -> !n.process().isAlive());
        return List.copyOf(alive);
    }

    /** SIGKILL: no shutdown hook, no hand-back; sockets are closed by the kernel. */
    void kill(Node node) throws InterruptedException {
        alive.remove(node);
        node.process().destroyForcibly();
        node.process().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node's graceful stop. @return the exit code, or -1 when it had to be killed after {@code grace} */
    int terminate(Node node, Duration grace) throws InterruptedException {
        alive.remove(node);
        return stop(node.process(), grace);
    }

    /** A node that exited on its own (a crash the test did not cause), or null. */
    Node deadNode() {
        for (Node n : alive) {
            if (!n.process().isAlive()) {
                return n;
            }
        }
        return null;
    }

    Path logDir() {
        return logDir;
    }

    // ---- Cleanup ------------------------------------------------------------------------------------------------

    /** Graceful stop of all nodes (in parallel), then MongoDB; whatever does not stop in time is killed. */
    @Override
    public void close() {
        try {
            List<Node> nodes = List.copyOf(alive);
            alive.clear();
            nodes.forEach(n -> n.process().destroy());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (Node n : nodes) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!n.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    n.process().destroyForcibly();
                }
            }
            if (mongo != null) {
                stopMongo(Duration.ofSeconds(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    /** Last resort (also the shutdown hook): force-kill every process this run started that still lives. */
    private void killAll() {
        for (Process p : everything) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (Process p : everything) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process launch(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            everything.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(command.indexOf("-cp") + 2) + ": " + e.getMessage(), e);
        }
    }

    private static int stop(Process p, Duration grace) throws InterruptedException {
        if (p == null) {
            return 0;
        }
        p.destroy();
        if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return -1;
    }

    static void awaitPort(String host, int port, Process process, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException e) {
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException(what + " exited with " + process.exitValue() + " before listening on " + port);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " is not listening on " + port + " after " + timeout.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        }
    }
}
