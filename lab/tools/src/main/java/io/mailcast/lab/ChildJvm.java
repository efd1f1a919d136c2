package io.mailcast.lab;

import java.nio.file.Path;
import java.util.List;

/** How this tool starts other JVMs on its own class path (nodes for the demo, the bench and the chaos test). */
public final class ChildJvm {

    /** What the jar manifests grant with Add-Opens/Add-Exports, for a {@code -cp} launch. */
    public static final List<String> HAZELCAST_ACCESS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private ChildJvm() {
    }

    /** The java binary of the running JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
