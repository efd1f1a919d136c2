package io.mailcast.lab.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The network of a chaos run with partition rounds: every node in its own network namespace, so one node's Hazelcast
 * traffic can be cut while the rest of its network (MongoDB, the SMTP receiver) still works - a split brain.
 *
 * <p>A hub namespace {@code mcchaos-<pid>-hub} holds a bridge; each node slot gets a namespace
 * {@code mcchaos-<pid>-n<slot>} with one veth leg on it and the address {@code <subnet>.<10 + slot>}. This JVM (the
 * MongoDB process, the counting SMTP receiver and the Hazelcast client) reaches them through one veth in the root
 * namespace, {@code mcc<pid>}, holding {@code <subnet>.1}: the only thing this class adds outside its namespaces.
 * A cut is an nftables table inside the node's own namespace. {@link #close()} (and a shutdown hook, for Ctrl-C)
 * deletes every namespace created here, which removes the veths, the bridge and the nft tables with them.
 */
final class ChaosNetwork implements AutoCloseable {

    private static final Pattern SUBNET = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");
    private static final String CUT_TABLE = "mcchaos_partition";
    private static final int FIRST_NODE_HOST = 10;
    private static final int LAST_NODE_HOST = 250;

    private final String tag = "mcchaos-" + ProcessHandle.current().pid();
    private final String hub = tag + "-hub";
    private final String hostVeth = "mcc" + ProcessHandle.current().pid();
    private final String subnet;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final Set<Integer> cut = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::deleteNamespaces, "chaos-network-cleanup");

    private ChaosNetwork(String subnet) {
        this.subnet = subnet;
    }

    /**
     * What keeps this machine from running partition rounds, as one line naming it and what to do; null when nothing.
     * Checks root, {@code ip netns} and {@code nft}, and that {@code subnet} is a free /24 here.
     */
    static String missingPrerequisite(String subnet) {
        if (!SUBNET.matcher(subnet).matches()) {
            return "--netns-subnet must be three octets like 10.232.0, got '" + subnet + "'";
        }
        Result id = run(List.of("id", "-u"));
        if (!id.ok() || !id.output().strip().equals("0")) {
            return "partition rounds need root for network namespaces (running as uid " + id.output().strip()
                    + "); run with sudo, or leave them out (e.g. --draw-from kill,term,pause,mongo,relaydrop,planning)";
        }
        if (!run(List.of("ip", "netns", "list")).ok()) {
            return "partition rounds need the 'ip' tool with network namespaces (iproute2); install it or leave them out";
        }
        if (!run(List.of("nft", "--version")).ok()) {
            return "partition rounds need 'nft' (nftables) to cut Hazelcast traffic; install it or leave them out";
        }
        Result addresses = run(List.of("ip", "-4", "-o", "addr", "show"));
        if (addresses.output().contains(" " + subnet + ".")) {
            return "--netns-subnet " + subnet + ".0/24 is already used on this machine; pick a free one";
        }
        return null;
    }

    /** Creates the hub namespace and the root namespace's veth; call {@link #missingPrerequisite} first. */
    static ChaosNetwork create(String subnet) {
        ChaosNetwork network = new ChaosNetwork(subnet);
        Runtime.getRuntime().addShutdownHook(network.hook);
        try {
            network.addNamespace(network.hub);
            network.ip("-n", network.hub, "link", "add", "br0", "type", "bridge");
            network.ip("-n", network.hub, "link", "set", "br0", "up");
            network.ip("link", "add", network.hostVeth, "type", "veth", "peer", "name", "host", "netns", network.hub);
            network.ip("-n", network.hub, "link", "set", "host", "master", "br0");
            network.ip("-n", network.hub, "link", "set", "host", "up");
            network.ip("addr", "add", network.hostAddress() + "/24", "dev", network.hostVeth);
            network.ip("link", "set", network.hostVeth, "up");
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** This JVM's address on the bridge: MongoDB and the SMTP receiver listen on it. */
    String hostAddress() {
        return subnet + ".1";
    }

    String nodeAddress(int slot) {
        if (FIRST_NODE_HOST + slot > LAST_NODE_HOST) {
            throw new IllegalArgumentException("node slot " + slot + " does not fit in " + subnet + ".0/24");
        }
        return subnet + "." + (FIRST_NODE_HOST + slot);
    }

    /** The command prefix that runs a program in the slot's namespace, which is created (and wired) on first use. */
    List<String> prefix(int slot) {
        String ns = namespace(slot);
        if (!namespaces.contains(ns)) {
            addNamespace(ns);
            String leg = "n" + slot;
            ip("-n", hub, "link", "add", leg, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", hub, "link", "set", leg, "master", "br0");
            ip("-n", hub, "link", "set", leg, "up");
            ip("-n", ns, "addr", "add", nodeAddress(slot) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
        return List.of("ip", "netns", "exec", ns);
    }

    /**
     * Drops, inside the slot's namespace, every TCP segment to or from the member ports {@code fromPort..toPort}:
     * the node loses the cluster (and the cluster loses it) while MongoDB and SMTP stay reachable.
     */
    void cutHazelcast(int slot, int fromPort, int toPort) {
        String ports = fromPort + "-" + toPort;
        String rules = "table inet " + CUT_TABLE + " {\n"
                + " chain in { type filter hook input priority 0; policy accept;"
                + " iifname \"eth0\" tcp dport " + ports + " drop; iifname \"eth0\" tcp sport " + ports + " drop; }\n"
                + " chain out { type filter hook output priority 0; policy accept;"
                + " oifname \"eth0\" tcp dport " + ports + " drop; oifname \"eth0\" tcp sport " + ports + " drop; }\n"
                + "}\n";
        Result r = run(List.of("ip", "netns", "exec", namespace(slot), "nft", "-f", "-"), rules);
        if (!r.ok()) {
            throw new IllegalStateException("nft could not cut " + namespace(slot) + ": " + r.output().strip());
        }
        cut.add(slot);
    }

    /** Removes the slot's cut; does nothing when there is none. */
    void heal(int slot) {
        if (cut.remove(slot)) {
            Result r = run(List.of("ip", "netns", "exec", namespace(slot), "nft", "delete", "table", "inet", CUT_TABLE));
            if (!r.ok()) {
                throw new IllegalStateException("nft could not heal " + namespace(slot) + ": " + r.output().strip());
            }
        }
    }

    /** Heals every cut; the processes must be stopped before (a namespace lives on while a process is in it). */
    @Override
    public void close() {
        try {
            List.copyOf(cut).forEach(this::heal);
        } catch (RuntimeException e) {
            // the namespaces go next, and the tables with them
        }
        deleteNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    /** Hub last: deleting it destroys the bridge and every veth leg on it, the root namespace's included. */
    private void deleteNamespaces() {
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String ns : reversed) {
            run(List.of("ip", "netns", "del", ns));
            namespaces.remove(ns);
        }
    }

    private String namespace(int slot) {
        return tag + "-n" + slot;
    }

    private void addNamespace(String ns) {
        if (run(List.of("ip", "netns", "list")).output().lines().anyMatch(l -> l.split(" ")[0].equals(ns))) {
            throw new IllegalStateException("network namespace " + ns + " already exists; not touching it");
        }
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output().strip());
        }
    }

    private record Result(boolean ok, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, null);
    }

    private static Result run(List<String> command, String input) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, String.join(" ", command) + " did not end within 30 s");
            }
            return new Result(p.exitValue() == 0, output);
        } catch (IOException e) {
            return new Result(false, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }
}
