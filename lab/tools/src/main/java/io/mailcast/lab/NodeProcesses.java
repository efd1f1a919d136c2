package io.mailcast.lab;

import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Real nodes as child JVMs on this machine (the demo and the benchmark): each its own process, talking TCP to the
 * others on loopback, logging to a file.
 */
final class NodeProcesses implements AutoCloseable {

    record Spec(int count, String clusterName, int basePort, int baseHttpPort, String mongoUri, List<String> nodeArgs,
                String heap, Path logDir) {
    }

    private final Spec spec;
    private final List<Process> processes = new ArrayList<>();

    private NodeProcesses(Spec spec) {
        this.spec = spec;
    }

    static NodeProcesses start(Spec spec) {
        NodeProcesses nodes = new NodeProcesses(spec);
        String members = String.join(",", IntStream.range(0, spec.count())
                .mapToObj(i -> "127.0.0.1:" + (spec.basePort() + i)).toList());
        try {
            for (int i = 0; i < spec.count(); i++) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx" + spec.heap()));
                String extra = System.getenv("MAILCAST_NODE_JVM_OPTS");
                if (extra != null && !extra.isBlank()) {
                    command.addAll(List.of(extra.strip().split("\\s+")));
                }
                command.addAll(ChildJvm.HAZELCAST_ACCESS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mailcast.lab.LabNodeMain",
                        "--cluster-name", spec.clusterName(), "--port", String.valueOf(spec.basePort() + i),
                        "--members", members, "--mongo-uri", spec.mongoUri(),
                        "--http-port", String.valueOf(spec.baseHttpPort() + i)));
                command.addAll(spec.nodeArgs());
                Path log = spec.logDir().resolve("node-" + (i + 1) + ".log");
                nodes.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
            }
        } catch (IOException e) {
            nodes.close();
            throw new UncheckedIOException("cannot start node processes: " + e.getMessage(), e);
        }
        return nodes;
    }

    /** Waits until the cluster, seen through {@code client}, has all nodes; fails if a node process died. */
    void awaitMembers(HazelcastInstance client, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.getCluster().getMembers().size() < spec.count()) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("node " + (i + 1) + " exited with " + processes.get(i).exitValue()
                            + "; see " + spec.logDir().resolve("node-" + (i + 1) + ".log"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster has " + client.getCluster().getMembers().size() + " of "
                        + spec.count() + " nodes after " + timeout.toSeconds() + " s; see logs in " + spec.logDir());
            }
            Thread.sleep(200);
        }
    }

    /** Heap in use on each node after a full GC, in bytes (jcmd GC.run, then the node's metrics). */
    List<Long> heapAfterGc() throws InterruptedException {
        List<Long> heaps = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < processes.size(); i++) {
            try {
                Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                new ProcessBuilder(jcmd.toString(), String.valueOf(processes.get(i).pid()), "GC.run")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (spec.baseHttpPort() + i) + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                // Micrometer's jvm_memory_used_bytes has one series per heap pool; their sum is the heap in use.
                heaps.add(metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).strip())).sum());
            } catch (IOException e) {
                heaps.add(-1L);
            }
        }
        return heaps;
    }

    /** SIGTERM (graceful stop) to all, then wait; force-kill whatever is left after 60 s. */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
