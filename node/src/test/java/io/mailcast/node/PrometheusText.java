package io.mailcast.node;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Parses Prometheus text with the Prometheus project's own Python parser (Debian's python3-prometheus-client), so a
 * test sees the exposition the way a Prometheus client would; a malformed line fails the parse, and the test.
 */
final class PrometheusText {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = """
            import math, sys
            def number(v):
                return "NaN" if math.isnan(v) else "Infinity" if v == math.inf else "-Infinity" if v == -math.inf else repr(v)
            from prometheus_client.parser import text_string_to_metric_families
            for f in text_string_to_metric_families(sys.stdin.read()):
                for s in f.samples:
                    labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                    print("\\t".join([f.name, f.type, s.name, labels, number(float(s.value))]))
            """;

    record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /** Skips the calling test where the parser is not installed (CI installs it). */
    static void assumeParserInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import prometheus_client.parser").start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-prometheus-client is not installed (apt-get install python3-prometheus-client)");
    }

    static List<Sample> parse(String exposition) throws IOException, InterruptedException {
        Process python = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).redirectErrorStream(false).start();
        try (OutputStream in = python.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the exposition: " + err);
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            Map<String, String> labels = new TreeMap<>();
            for (String pair : f[3].isEmpty() ? new String[0] : f[3].split(",")) {
                labels.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            samples.add(new Sample(f[0], f[1], f[2], labels, Double.parseDouble(f[4])));
        }
        return samples;
    }

    /** The one sample of this name whose labels include {@code labels}. */
    static Optional<Double> value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Double> found = samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).map(Sample::value).toList();
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels);
        }
        return found.stream().findFirst();
    }

    static String typeOf(List<Sample> samples, String family) {
        return samples.stream().filter(s -> s.family().equals(family)).map(Sample::type).findFirst()
                .orElseThrow(() -> new AssertionError("no family " + family));
    }
}
