package io.mailcast.lab.deploy;

import io.mailcast.coordinator.CoordinatorCommand;
import io.mailcast.node.NodeCommand;
import io.mailcast.sender.smtp.SmtpConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Static checks of the deployment files at the repository top: {@code k8s/*.yaml}, {@code docker-compose.yml},
 * {@code Dockerfile} and {@code examples/}. They catch the mistakes that only show up on a real cluster:
 * selectors that miss the pods, probes on the wrong port, a grace period shorter than the drain, an environment
 * variable the node does not read, a real password committed by accident.
 */
class DeploymentManifestsTest {

    private static final String NAMESPACE = "mailcast";
    private static final String NODE_STATEFULSET = "mailcast-node";
    private static final String HEADLESS_SERVICE = "mailcast-hz";
    private static final Set<String> PLACEHOLDERS = Set.of("<replace-me>");
    private static final Pattern MAILCAST_ENV = Pattern.compile("\\bMAILCAST_[A-Z0-9_]+\\b");
    private static final Pattern MAX_WAIT = Pattern.compile("-Dhazelcast\\.graceful\\.shutdown\\.max\\.wait=(\\d+)");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|credential).*");
    private static final Pattern INTERPOLATION = Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?}$");

    private static Path root;
    private static Map<Path, List<Map<String, Object>>> k8sDocs;
    private static List<Map<String, Object>> k8sObjects;
    private static Map<String, Object> compose;

    /**
     * Every MAILCAST_* name the programs read: the environment defaults of the node's and the coordinator's options
     * (their picocli specs), plus the few read directly (secrets, logging, launchers).
     */
    static Set<String> knownEnvNames() {
        Set<String> names = new TreeSet<>(Set.of(
                SmtpConfig.PASSWORD_ENV, "MAILCAST_UNSUBSCRIBE_SECRET",
                "MAILCAST_LOG_FORMAT", "MAILCAST_LOG_LEVEL", "MAILCAST_JAVA_OPTS"));
        collectEnvDefaults(new picocli.CommandLine(new NodeCommand()), names);
        collectEnvDefaults(new picocli.CommandLine(new CoordinatorCommand()), names);
        return names;
    }

    private static void collectEnvDefaults(picocli.CommandLine command, Set<String> names) {
        Pattern env = Pattern.compile("\\$\\{env:(MAILCAST_[A-Z0-9_]+)");
        for (var option : command.getCommandSpec().options()) {
            // The annotation's text, before picocli resolves ${env:...} against this process's environment.
            if (option.userObject() instanceof Field field && field.isAnnotationPresent(picocli.CommandLine.Option.class)) {
                String raw = field.getAnnotation(picocli.CommandLine.Option.class).defaultValue();
                env.matcher(raw).results().forEach(m -> names.add(m.group(1)));
            }
        }
        command.getSubcommands().values().forEach(sub -> collectEnvDefaults(sub, names));
    }

    @Test
    void knownEnvNamesComeFromTheOptions() {
        assertTrue(knownEnvNames().containsAll(Set.of("MAILCAST_MONGO_URI", "MAILCAST_MONGO_URI_FILE",
                "MAILCAST_SHUTDOWN_GRACE_SECONDS", "MAILCAST_K8S_SERVICE_DNS", "MAILCAST_CONNECT_TIMEOUT_SECONDS")),
                knownEnvNames().toString());
    }

    @BeforeAll
    static void load() throws IOException {
        root = findRepositoryRoot();
        k8sDocs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(root.resolve("k8s"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                k8sDocs.put(file, loadAll(file));
            }
        }
        k8sObjects = k8sDocs.entrySet().stream()
                .filter(e -> !isKustomization(e.getKey()))
                .flatMap(e -> e.getValue().stream())
                .toList();
        List<Map<String, Object>> composeDocs = loadAll(root.resolve("docker-compose.yml"));
        assertEquals(1, composeDocs.size(), "docker-compose.yml holds one document");
        compose = composeDocs.getFirst();
    }

    // ------------------------------------------------------------------ Kubernetes

    @Test
    void everyObjectHasApiVersionKindNameAndTheMailcastNamespace() {
        assertFalse(k8sObjects.isEmpty(), "no objects under k8s/");
        for (Map<String, Object> o : k8sObjects) {
            String where = describe(o);
            assertTrue(str(o, "apiVersion").isPresent(), where + ": apiVersion");
            assertTrue(str(o, "kind").isPresent(), where + ": kind");
            assertTrue(str(o, "metadata", "name").filter(s -> !s.isBlank()).isPresent(), where + ": metadata.name");
            if (kind(o).equals("Namespace")) {
                assertEquals(NAMESPACE, name(o), "the Namespace");
            } else {
                assertEquals(Optional.of(NAMESPACE), str(o, "metadata", "namespace"), where + ": metadata.namespace");
            }
        }
        assertEquals(1, objects("Namespace").size(), "one Namespace");
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> o : k8sObjects) {
            assertTrue(ids.add(kind(o) + "/" + name(o)), "duplicate object " + describe(o));
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheExampleSecret() {
        Path kustomization = root.resolve("k8s/kustomization.yaml");
        Map<String, Object> k = k8sDocs.get(kustomization).getFirst();
        assertEquals(NAMESPACE, k.get("namespace"));
        Set<String> listed = new TreeSet<>(strings(k.get("resources")));
        Set<String> expected = k8sDocs.keySet().stream()
                .map(p -> p.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml") && !f.equals("secret.example.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, listed, "kustomization.yaml resources (secret.example.yaml must stay out of it)");
    }

    @Test
    void configMapValuesAndEnvValuesAreStrings() {
        for (Map<String, Object> cm : objects("ConfigMap")) {
            map(cm.get("data")).forEach((key, value) ->
                    assertTrue(value instanceof String, describe(cm) + " data." + key + " must be a string (quote it)"));
        }
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> c : containers(workload)) {
                for (Map<String, Object> env : maps(c.get("env"))) {
                    if (env.containsKey("value")) {
                        assertTrue(env.get("value") instanceof String, describe(workload) + " env " + env.get("name") + " must be a string");
                    }
                }
            }
        }
    }

    @Test
    void selectorsOfStatefulSetServicesAndPdbMatchThePodLabels() {
        Map<String, Object> sts = object("StatefulSet", NODE_STATEFULSET);
        Map<String, String> podLabels = stringMap(at(sts, "spec", "template", "metadata", "labels"));
        Map<String, String> selector = stringMap(at(sts, "spec", "selector", "matchLabels"));
        assertFalse(selector.isEmpty(), "StatefulSet selector");
        assertSubset(selector, podLabels, "StatefulSet selector vs its pod template labels");
        assertEquals(HEADLESS_SERVICE, at(sts, "spec", "serviceName"), "StatefulSet serviceName");
        assertEquals(3, at(sts, "spec", "replicas"), "replicas");

        Map<String, Object> headless = object("Service", HEADLESS_SERVICE);
        assertEquals("None", at(headless, "spec", "clusterIP"), "headless Service clusterIP");
        assertEquals(Boolean.TRUE, at(headless, "spec", "publishNotReadyAddresses"), "publishNotReadyAddresses");
        assertSubset(stringMap(at(headless, "spec", "selector")), podLabels, "headless Service selector");

        for (Map<String, Object> svc : objects("Service")) {
            Map<String, String> svcSelector = stringMap(at(svc, "spec", "selector"));
            if (svcSelector.equals(selector)) {
                assertSubset(svcSelector, podLabels, describe(svc) + " selector");
            }
        }

        List<Map<String, Object>> pdbs = objects("PodDisruptionBudget");
        assertEquals(1, pdbs.size(), "one PodDisruptionBudget");
        Map<String, Object> pdb = pdbs.getFirst();
        assertSubset(stringMap(at(pdb, "spec", "selector", "matchLabels")), podLabels, "PDB selector");
        Object maxUnavailable = at(pdb, "spec", "maxUnavailable");
        Object minAvailable = at(pdb, "spec", "minAvailable");
        assertTrue(Objects.equals(maxUnavailable, 1) || (minAvailable instanceof Integer m && m >= 2 && m < 3),
                "PDB allows exactly one node down: maxUnavailable 1 or minAvailable 2");

        for (Map<String, Object> hpa : objects("HorizontalPodAutoscaler")) {
            assertEquals("StatefulSet", at(hpa, "spec", "scaleTargetRef", "kind"));
            assertEquals(NODE_STATEFULSET, at(hpa, "spec", "scaleTargetRef", "name"));
            assertTrue(((Number) at(hpa, "spec", "minReplicas")).intValue() >= 3, "HPA minReplicas >= 3");
        }

        // Every other workload's selector matches its own pods (and never the nodes' pods by accident).
        for (Map<String, Object> w : workloads()) {
            Object matchLabels = at(w, "spec", "selector", "matchLabels");
            if (matchLabels != null) {
                assertSubset(stringMap(matchLabels), stringMap(at(w, "spec", "template", "metadata", "labels")), describe(w) + " selector");
            }
        }
    }

    @Test
    void nodeContainerExposesHazelcastAndHttpAndTheServicesTargetThem() {
        Map<String, Object> node = nodeContainer();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> p : maps(node.get("ports"))) {
            ports.put((String) p.get("name"), (Integer) p.get("containerPort"));
        }
        assertEquals(5701, ports.get("hazelcast"), "container port hazelcast");
        assertEquals(8080, ports.get("http"), "container port http");

        Map<String, Object> headless = object("Service", HEADLESS_SERVICE);
        Map<String, Object> hzPort = maps(at(headless, "spec", "ports")).stream()
                .filter(p -> "hazelcast".equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("headless Service has no port named hazelcast"));
        assertEquals(5701, hzPort.get("port"));
        assertTargets(hzPort.get("targetPort"), "hazelcast", ports);

        for (Map<String, Object> svc : objects("Service")) {
            if (!stringMap(at(svc, "spec", "selector")).equals(stringMap(at(object("StatefulSet", NODE_STATEFULSET), "spec", "selector", "matchLabels")))) {
                continue;
            }
            for (Map<String, Object> p : maps(at(svc, "spec", "ports"))) {
                Object target = p.getOrDefault("targetPort", p.get("port"));
                assertTrue(ports.containsKey(String.valueOf(target)) || ports.containsValue(target),
                        describe(svc) + " targets port " + target + " which the node container does not expose");
            }
        }

        Map<String, String> config = nodeConfig();
        if (config.containsKey("MAILCAST_PORT")) {
            assertEquals("5701", config.get("MAILCAST_PORT"));
        }
        if (config.containsKey("MAILCAST_HTTP_PORT")) {
            assertEquals("8080", config.get("MAILCAST_HTTP_PORT"));
        }
    }

    @Test
    void networkPolicyAdmitsHazelcastOnlyFromMailcastPodsAndKeepsHttpOpen() {
        Map<String, String> nodeLabels = stringMap(at(object("StatefulSet", NODE_STATEFULSET), "spec", "template", "metadata", "labels"));
        List<Map<String, Object>> policies = objects("NetworkPolicy").stream()
                .filter(p -> labelsMatch(stringMap(at(p, "spec", "podSelector", "matchLabels")), nodeLabels))
                .toList();
        assertEquals(1, policies.size(), "one NetworkPolicy selects the node pods");
        Map<String, Object> policy = policies.getFirst();
        assertTrue(strings(at(policy, "spec", "policyTypes")).contains("Ingress"), "the policy restricts ingress");

        // Pods allowed to speak Hazelcast: the nodes, Management Center and the coordinator Job (a client).
        List<Map<String, String>> mailcastPods = new ArrayList<>();
        mailcastPods.add(nodeLabels);
        mailcastPods.add(stringMap(at(object("Deployment", "management-center"), "spec", "template", "metadata", "labels")));
        objects("Job").forEach(j -> mailcastPods.add(stringMap(at(j, "spec", "template", "metadata", "labels"))));

        boolean nodesAdmitted = false;
        boolean managementCenterAdmitted = false;
        boolean httpOpen = false;
        for (Map<String, Object> rule : maps(at(policy, "spec", "ingress"))) {
            Set<Object> ports = maps(rule.get("ports")).stream().map(p -> p.get("port")).collect(Collectors.toSet());
            assertFalse(ports.isEmpty(), "an ingress rule without ports would open 5701 too: " + rule);
            List<Map<String, Object>> from = maps(rule.get("from"));
            if (ports.contains(5701) || ports.contains("hazelcast")) {
                assertFalse(from.isEmpty(), "5701 is admitted from everywhere: " + rule);
                for (Map<String, Object> peer : from) {
                    assertEquals(Set.of("podSelector"), peer.keySet(), "5701 peers are pods of this namespace only: " + peer);
                    Map<String, String> selector = stringMap(at(peer, "podSelector", "matchLabels"));
                    assertTrue(mailcastPods.stream().anyMatch(labels -> labelsMatch(selector, labels)),
                            "5701 peer " + selector + " selects none of the Mailcast pods " + mailcastPods);
                    nodesAdmitted |= labelsMatch(selector, nodeLabels);
                    managementCenterAdmitted |= labelsMatch(selector, mailcastPods.get(1));
                }
            }
            if (ports.contains(8080) || ports.contains("http")) {
                assertFalse(ports.contains(5701) || ports.contains("hazelcast"), "8080 and 5701 share a rule: " + rule);
                httpOpen |= from.isEmpty();
            }
        }
        assertTrue(nodesAdmitted, "the nodes reach each other on 5701");
        assertTrue(managementCenterAdmitted, "Management Center reaches the nodes on 5701");
        assertTrue(httpOpen, "8080 (health, metrics) stays reachable");
    }

    @Test
    void probesUseTheHealthEndpointsOnTheHttpPort() {
        Map<String, Object> node = nodeContainer();
        assertHttpProbe(node, "readinessProbe", "/health/ready");
        assertHttpProbe(node, "livenessProbe", "/health/live");
        if (node.containsKey("startupProbe")) {
            assertHttpProbe(node, "startupProbe", "/health/live");
        }
    }

    @Test
    void terminationGraceCoversTheDrainAndTheHazelcastLeave() {
        Map<String, String> config = nodeConfig();
        int grace = Integer.parseInt(Objects.requireNonNull(config.get("MAILCAST_SHUTDOWN_GRACE_SECONDS"),
                "MAILCAST_SHUTDOWN_GRACE_SECONDS missing from the node's ConfigMap"));
        Map<String, Object> sts = object("StatefulSet", NODE_STATEFULSET);
        int termination = ((Number) at(sts, "spec", "template", "spec", "terminationGracePeriodSeconds")).intValue();
        assertTrue(termination > grace, "terminationGracePeriodSeconds " + termination + " must exceed the drain " + grace);

        String javaOptions = envValue(nodeContainer(), "JAVA_TOOL_OPTIONS")
                .orElseThrow(() -> new AssertionError("the node container sets no JAVA_TOOL_OPTIONS"));
        assertTrue(javaOptions.contains("-Dhazelcast.shutdownhook.policy=GRACEFUL"), "JAVA_TOOL_OPTIONS: " + javaOptions);
        Matcher maxWait = MAX_WAIT.matcher(javaOptions);
        assertTrue(maxWait.find(), "JAVA_TOOL_OPTIONS sets hazelcast.graceful.shutdown.max.wait: " + javaOptions);
        int leave = Integer.parseInt(maxWait.group(1));
        assertTrue(termination > grace + leave,
                "terminationGracePeriodSeconds " + termination + " must exceed drain " + grace + " + Hazelcast leave " + leave);

        assertEquals(Optional.of("mailcast-hz.mailcast.svc.cluster.local"), envValue(nodeContainer(), "MAILCAST_K8S_SERVICE_DNS"));
    }

    @Test
    void podsRunAsNonRoot() {
        for (Map<String, Object> w : workloads()) {
            Map<String, Object> podSecurity = map(at(w, "spec", "template", "spec", "securityContext"));
            assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"), describe(w) + " runAsNonRoot");
            for (Map<String, Object> c : containers(w)) {
                assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), describe(w) + " allowPrivilegeEscalation");
            }
        }
        Map<String, Object> sts = object("StatefulSet", NODE_STATEFULSET);
        assertEquals(10001, at(sts, "spec", "template", "spec", "securityContext", "runAsUser"), "the node runs as the image's uid");
        Map<String, Object> resources = map(nodeContainer().get("resources"));
        assertTrue(resources.containsKey("requests") && resources.containsKey("limits"), "node resources");
    }

    @Test
    void workloadsReferenceExistingConfigMapsSecretKeysAndServices() {
        Set<String> configMaps = objects("ConfigMap").stream().map(DeploymentManifestsTest::name).collect(Collectors.toSet());
        Map<String, Object> secret = object("Secret", "mailcast-secrets");
        Set<String> secretKeys = new TreeSet<>();
        secretKeys.addAll(map(secret.get("stringData")).keySet());
        secretKeys.addAll(map(secret.get("data")).keySet());
        for (Map<String, Object> w : workloads()) {
            for (Map<String, Object> c : containers(w)) {
                for (Map<String, Object> from : maps(c.get("envFrom"))) {
                    str(from, "configMapRef", "name").ifPresent(n -> assertTrue(configMaps.contains(n), describe(w) + " envFrom ConfigMap " + n));
                    str(from, "secretRef", "name").ifPresent(n -> assertEquals("mailcast-secrets", n, describe(w) + " envFrom Secret"));
                }
                for (Map<String, Object> env : maps(c.get("env"))) {
                    str(env, "valueFrom", "configMapKeyRef", "name").ifPresent(n -> {
                        assertTrue(configMaps.contains(n), describe(w) + " configMapKeyRef " + n);
                        String key = str(env, "valueFrom", "configMapKeyRef", "key").orElseThrow();
                        assertTrue(map(at(object("ConfigMap", n), "data")).containsKey(key), describe(w) + " configMapKeyRef key " + key);
                    });
                    str(env, "valueFrom", "secretKeyRef", "key").ifPresent(k -> assertTrue(secretKeys.contains(k), describe(w) + " secretKeyRef key " + k));
                }
            }
            for (Map<String, Object> v : maps(at(w, "spec", "template", "spec", "volumes"))) {
                str(v, "configMap", "name").ifPresent(n -> assertTrue(configMaps.contains(n), describe(w) + " volume ConfigMap " + n));
                str(v, "secret", "secretName").ifPresent(n -> {
                    assertEquals("mailcast-secrets", n);
                    for (Map<String, Object> item : maps(at(v, "secret", "items"))) {
                        assertTrue(secretKeys.contains((String) item.get("key")), describe(w) + " secret item " + item.get("key"));
                    }
                });
            }
        }
        // The file-based secrets point into the mounted Secret.
        Map<String, Object> node = nodeContainer();
        for (String fileVar : List.of("MAILCAST_MONGO_URI_FILE", "MAILCAST_SMTP_PASSWORD_FILE")) {
            envValue(node, fileVar).ifPresent(path -> assertTrue(maps(node.get("volumeMounts")).stream()
                    .anyMatch(m -> path.startsWith(m.get("mountPath") + "/")), fileVar + " " + path + " is not under a volume mount"));
        }
        boolean nodeHasMongo = envValue(node, "MAILCAST_MONGO_URI_FILE").isPresent() || envValue(node, "MAILCAST_MONGO_URI").isPresent()
                || maps(node.get("env")).stream().anyMatch(e -> "MAILCAST_MONGO_URI".equals(e.get("name")));
        assertTrue(nodeHasMongo, "the node gets a Mongo URI from the Secret");

        String members = managementCenterEnv().get("MC_DEFAULT_CLUSTER_MEMBERS");
        assertNotNull(members, "Management Center MC_DEFAULT_CLUSTER_MEMBERS");
        assertTrue(members.startsWith(HEADLESS_SERVICE + ":5701") || members.startsWith(HEADLESS_SERVICE + "." + NAMESPACE),
                "Management Center points at the headless Service: " + members);
    }

    @Test
    void submitJobMountsTheExampleTemplates() throws IOException {
        Map<String, Object> job = objects("Job").stream().findFirst().orElseThrow(() -> new AssertionError("no Job"));
        Map<String, Object> c = containers(job).getFirst();
        List<String> args = strings(c.get("args"));
        assertEquals("submit", args.getFirst(), "the Job runs submit");
        Map<String, String> templates = stringMap(at(object("ConfigMap", "mailcast-templates"), "data"));
        for (String option : List.of("--text-template", "--html-template")) {
            String path = args.get(args.indexOf(option) + 1);
            String file = Path.of(path).getFileName().toString();
            assertTrue(templates.containsKey(file), option + " " + path + " is not in the templates ConfigMap");
            assertEquals(Files.readString(root.resolve("examples").resolve(file)), templates.get(file),
                    "k8s/job-submit.yaml template " + file + " differs from examples/" + file);
        }
        for (String option : List.of("--subject", "--from", "--chunk-size", "--id")) {
            assertTrue(args.contains(option), "submit " + option);
        }
        assertTrue(strings(c.get("command")).contains("-XX:+ExitOnOutOfMemoryError"), "the Job's java exits on OutOfMemoryError");
        assertTrue(envValue(c, "MAILCAST_MEMBERS").orElse("").contains("." + HEADLESS_SERVICE + "." + NAMESPACE + ".svc"),
                "the Job's members are the StatefulSet pods behind " + HEADLESS_SERVICE);
    }

    @Test
    void theExampleSecretHoldsOnlyPlaceholders() {
        List<Map<String, Object>> secrets = objects("Secret");
        assertFalse(secrets.isEmpty(), "secret.example.yaml");
        for (Map<String, Object> secret : secrets) {
            Map<String, String> values = new LinkedHashMap<>(stringMap(secret.get("stringData")));
            map(secret.get("data")).forEach((k, v) ->
                    values.put(k, new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)));
            assertFalse(values.isEmpty(), describe(secret) + " is empty");
            values.forEach((key, value) -> {
                Optional<String> uriPassword = uriPassword(value);
                if (uriPassword.isPresent()) {
                    assertPlaceholder(uriPassword.get(), describe(secret) + " " + key + " (password in the URI)");
                } else if (SECRET_KEY.matcher(key).matches()) {
                    assertPlaceholder(value, describe(secret) + " " + key);
                }
            });
        }
        // No other manifest carries a credential in clear.
        for (Map<String, Object> o : k8sObjects) {
            if (kind(o).equals("Secret")) {
                continue;
            }
            walk(o, (key, value) -> uriPassword(value).ifPresent(p -> fail(describe(o) + ": a URI with a password in " + key)));
            Map<String, String> literals = new LinkedHashMap<>();
            if (kind(o).equals("ConfigMap")) {
                literals.putAll(stringMap(o.get("data")));
            }
            if (workloads().contains(o)) {
                for (Map<String, Object> c : containers(o)) {
                    for (Map<String, Object> env : maps(c.get("env"))) {
                        if (env.get("value") != null) {
                            literals.put(String.valueOf(env.get("name")), String.valueOf(env.get("value")));
                        }
                    }
                }
            }
            literals.forEach((key, value) -> assertFalse(SECRET_KEY.matcher(key).matches() && !key.endsWith("_FILE"),
                    describe(o) + ": " + key + " is a literal secret; use a secretKeyRef or a mounted file"));
        }
    }

    @Test
    void kustomizeBuildsWhenKubectlIsInstalled() throws Exception {
        Optional<List<String>> kubectl = onPath("kubectl").map(k -> List.of(k, "kustomize", "k8s"));
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on PATH");
        Result r = run(kubectl.get(), Map.of(), Set.of());
        assertEquals(0, r.exit(), "kubectl kustomize k8s:\n" + r.output());
        List<Map<String, Object>> built = loadAll(r.output());
        assertEquals(k8sObjects.size() - objects("Secret").size(), built.size(), "objects built by kustomize");
    }

    // ------------------------------------------------------------------ every file

    @Test
    void everyMailcastEnvNameIsOneTheProgramsRead() throws IOException {
        List<Path> files = new ArrayList<>(k8sDocs.keySet());
        files.add(root.resolve("docker-compose.yml"));
        files.add(root.resolve("Dockerfile"));
        Set<String> unknown = new TreeSet<>();
        for (Path file : files) {
            Matcher m = MAILCAST_ENV.matcher(Files.readString(file));
            while (m.find()) {
                if (!knownEnvNames().contains(m.group())) {
                    unknown.add(root.relativize(file) + ": " + m.group());
                }
            }
        }
        assertEquals(Set.of(), unknown, "MAILCAST_* names that neither the node nor the coordinator reads");
    }

    @Test
    void dockerfileBuildsBothJarsAndRunsTheNodeAsNonRoot() throws IOException {
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("FROM eclipse-temurin:25-jdk AS build"), "build stage");
        assertTrue(dockerfile.contains("FROM eclipse-temurin:25-jre AS runtime"), "runtime stage");
        assertTrue(dockerfile.contains("./mvnw -B -q -DskipTests package"), "maven build");
        assertTrue(dockerfile.contains("USER 10001"), "non-root user");
        assertTrue(Pattern.compile("(?m)^EXPOSE 5701 8080$").matcher(dockerfile).find(), "EXPOSE 5701 8080");
        assertTrue(dockerfile.contains("/opt/mailcast/mailcast-node.jar") && dockerfile.contains("/opt/mailcast/mailcast-coordinator.jar"), "both jars");
        assertTrue(dockerfile.contains("-Dhazelcast.shutdownhook.policy=GRACEFUL"), "graceful Hazelcast shutdown");
        // The last stage is the default target: the node.
        List<String> stages = Pattern.compile("(?m)^FROM .* AS (\\S+)$").matcher(dockerfile).results().map(r -> r.group(1)).toList();
        assertEquals("node", stages.getLast(), "the default (last) stage");
        assertTrue(stages.contains("coordinator"), "a coordinator target");
        List<String> entrypoints = Pattern.compile("(?m)^ENTRYPOINT (.*)$").matcher(dockerfile).results().map(r -> r.group(1)).toList();
        assertEquals(2, entrypoints.size(), "node and coordinator entry points: " + entrypoints);
        for (String entrypoint : entrypoints) {
            assertTrue(entrypoint.contains("\"-XX:+ExitOnOutOfMemoryError\""), "ENTRYPOINT exits on OutOfMemoryError: " + entrypoint);
            assertTrue(entrypoint.contains("\"-XX:MaxRAMPercentage=75\""), "ENTRYPOINT sizes the heap by the container: " + entrypoint);
        }
        assertTrue(Files.exists(root.resolve(".dockerignore")), ".dockerignore");
    }

    // ------------------------------------------------------------------ docker compose

    @Test
    void composeNodesPointAtMongoAtEachOtherAndAtMailpit() {
        Map<String, Object> services = map(compose.get("services"));
        for (String s : List.of("mongo", "node1", "node2", "node3", "mailpit", "management-center", "coordinator")) {
            assertTrue(services.containsKey(s), "compose service " + s);
        }
        Set<String> allMembers = Set.of("node1:5701", "node2:5701", "node3:5701");
        for (String nodeName : List.of("node1", "node2", "node3")) {
            Map<String, Object> svc = map(services.get(nodeName));
            Map<String, String> env = composeEnv(svc);
            assertEquals(allMembers, Set.of(env.get("MAILCAST_MEMBERS").split(",")), nodeName + " MAILCAST_MEMBERS");
            assertEquals(nodeName + ":5701", env.get("MAILCAST_PUBLIC_ADDRESS"), nodeName + " MAILCAST_PUBLIC_ADDRESS");
            assertEquals("mongo", mongoHost(env.get("MAILCAST_MONGO_URI")), nodeName + " MAILCAST_MONGO_URI host");
            assertEquals("smtp", env.get("MAILCAST_SENDER"));
            assertEquals("mailpit", env.get("MAILCAST_SMTP_HOST"));
            assertEquals("1025", env.get("MAILCAST_SMTP_PORT"));

            String healthcheck = strings(at(svc, "healthcheck", "test")).toString();
            assertTrue(healthcheck.contains("/health/ready") && healthcheck.contains(":8080/"), nodeName + " healthcheck " + healthcheck);
            assertTrue(map(svc.get("depends_on")).containsKey("mongo"), nodeName + " depends on mongo");

            int grace = Integer.parseInt(env.get("MAILCAST_SHUTDOWN_GRACE_SECONDS"));
            Matcher maxWait = MAX_WAIT.matcher(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
            int leave = maxWait.find() ? Integer.parseInt(maxWait.group(1)) : 0;
            Duration stop = composeDuration(String.valueOf(svc.get("stop_grace_period")));
            assertTrue(stop.toSeconds() > grace + leave,
                    nodeName + " stop_grace_period " + stop + " must exceed drain " + grace + " + Hazelcast leave " + leave);
            assertEquals("node", at(svc, "build", "target"), nodeName + " build target");
        }

        Map<String, String> mc = composeEnv(map(services.get("management-center")));
        assertEquals(composeEnv(map(services.get("node1"))).get("MAILCAST_CLUSTER_NAME"), mc.get("MC_DEFAULT_CLUSTER"));
        assertEquals(allMembers, Set.of(mc.get("MC_DEFAULT_CLUSTER_MEMBERS").split(",")), "Management Center members");
        assertEquals("hazelcast/management-center:5.10", map(services.get("management-center")).get("image"));

        Map<String, Object> mongo = map(services.get("mongo"));
        assertTrue(strings(at(mongo, "healthcheck", "test")).toString().contains("ping"), "mongo healthcheck pings");

        // Hazelcast has no authentication: its port stays on the Compose network.
        services.forEach((name, svc) -> strings(map(svc).get("ports")).forEach(port ->
                assertFalse(port.matches("(.*:)?5701(/tcp)?"), name + " publishes the Hazelcast port on the host: " + port)));
    }

    @Test
    void composeCoordinatorIsAToolSubmittingTheExampleTemplates() {
        Map<String, Object> coordinator = map(map(compose.get("services")).get("coordinator"));
        assertEquals(List.of("tools"), strings(coordinator.get("profiles")));
        List<String> command = strings(coordinator.get("command"));
        assertEquals("submit", command.getFirst());
        String mount = strings(coordinator.get("volumes")).stream().filter(v -> v.startsWith("./examples:")).findFirst()
                .orElseThrow(() -> new AssertionError("coordinator mounts ./examples"));
        String target = mount.split(":")[1];
        for (String option : List.of("--text-template", "--html-template")) {
            String path = command.get(command.indexOf(option) + 1);
            assertTrue(path.startsWith(target + "/"), option + " " + path + " is not under " + target);
            assertTrue(Files.isRegularFile(root.resolve("examples").resolve(path.substring(target.length() + 1))), "examples file for " + path);
        }
        Map<String, String> env = composeEnv(coordinator);
        assertEquals("mongo", mongoHost(env.get("MAILCAST_MONGO_URI")));
        assertTrue(env.get("MAILCAST_MEMBERS").contains("node1:5701"));
    }

    @Test
    void composeHasNoLiteralSecrets() {
        Map<String, Object> services = map(compose.get("services"));
        services.forEach((name, svc) -> composeEnv(map(svc)).forEach((key, value) -> {
            Optional<String> uriPassword = uriPassword(value);
            if (uriPassword.isPresent()) {
                assertTrue(INTERPOLATION.matcher(uriPassword.get()).matches(),
                        name + " " + key + ": the password in the URI must come from ${...}, not " + uriPassword.get());
            }
            if (SECRET_KEY.matcher(key).matches() && !key.endsWith("_FILE")) {
                assertTrue(INTERPOLATION.matcher(value).matches(), name + " " + key + " must be ${...}, not a literal");
            }
        }));
        String mongoPassword = composeEnv(map(services.get("mongo"))).get("MONGO_INITDB_ROOT_PASSWORD");
        assertTrue(mongoPassword != null && mongoPassword.contains(":?"), "MONGO_INITDB_ROOT_PASSWORD is required (${VAR:?message})");
    }

    @Test
    void dockerComposeConfigAcceptsTheFileWhenComposeIsInstalled() throws Exception {
        Optional<List<String>> compose = composeCommand();
        Assumptions.assumeTrue(compose.isPresent(), "neither docker-compose nor `docker compose` is on PATH");
        List<String> config = new ArrayList<>(compose.get());
        config.addAll(List.of("-f", root.resolve("docker-compose.yml").toString(), "config", "-q"));

        Result ok = run(config, Map.of("MONGO_ROOT_PASSWORD", "only-for-the-config-check"), Set.of());
        assertEquals(0, ok.exit(), String.join(" ", config) + ":\n" + ok.output());

        Result missing = run(config, Map.of(), Set.of("MONGO_ROOT_PASSWORD", "MONGO_ROOT_USER"));
        assertNotEquals(0, missing.exit(), "compose must refuse to start without MONGO_ROOT_PASSWORD");
        assertTrue(missing.output().contains("MONGO_ROOT_PASSWORD"), missing.output());
    }

    // ------------------------------------------------------------------ helpers

    private static Path findRepositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("k8s/kustomization.yaml")) && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no k8s/kustomization.yaml above " + Path.of("").toAbsolutePath());
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static List<Map<String, Object>> loadAll(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return toMaps(yaml().loadAll(in), file.toString());
        }
    }

    private static List<Map<String, Object>> loadAll(String text) {
        return toMaps(yaml().loadAll(text), "text");
    }

    private static List<Map<String, Object>> toMaps(Iterable<Object> docs, String where) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : docs) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?>)) {
                throw new AssertionError(where + ": a document that is not a mapping: " + doc);
            }
            out.add(map(doc));
        }
        return out;
    }

    private static boolean isKustomization(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(o));
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        return out;
    }

    private static Object at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    private static Optional<String> str(Object node, String... path) {
        return Optional.ofNullable(at(node, path)).map(String::valueOf);
    }

    private static String kind(Map<String, Object> o) {
        return String.valueOf(o.get("kind"));
    }

    private static String name(Map<String, Object> o) {
        return String.valueOf(at(o, "metadata", "name"));
    }

    private static String describe(Map<String, Object> o) {
        return o.get("kind") + "/" + at(o, "metadata", "name");
    }

    private static List<Map<String, Object>> objects(String kind) {
        return k8sObjects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> object(String kind, String name) {
        return objects(kind).stream().filter(o -> name.equals(name(o))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " under k8s/"));
    }

    private static List<Map<String, Object>> workloads() {
        return k8sObjects.stream()
                .filter(o -> Set.of("StatefulSet", "Deployment", "Job", "DaemonSet").contains(kind(o)))
                .toList();
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return maps(at(workload, "spec", "template", "spec", "containers"));
    }

    private static Map<String, Object> nodeContainer() {
        List<Map<String, Object>> containers = containers(object("StatefulSet", NODE_STATEFULSET));
        assertEquals(1, containers.size(), "one container in the node pod");
        return containers.getFirst();
    }

    /** The node's settings: its ConfigMaps (envFrom) overlaid with its literal env values. */
    private static Map<String, String> nodeConfig() {
        Map<String, Object> node = nodeContainer();
        Map<String, String> config = new LinkedHashMap<>();
        for (Map<String, Object> from : maps(node.get("envFrom"))) {
            str(from, "configMapRef", "name").ifPresent(n -> config.putAll(stringMap(at(object("ConfigMap", n), "data"))));
        }
        for (Map<String, Object> env : maps(node.get("env"))) {
            if (env.get("value") != null) {
                config.put((String) env.get("name"), String.valueOf(env.get("value")));
            }
        }
        return config;
    }

    private static Optional<String> envValue(Map<String, Object> container, String name) {
        return maps(container.get("env")).stream()
                .filter(e -> name.equals(e.get("name")) && e.get("value") != null)
                .map(e -> String.valueOf(e.get("value")))
                .findFirst();
    }

    private static Map<String, String> managementCenterEnv() {
        Map<String, Object> mc = containers(object("Deployment", "management-center")).getFirst();
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : maps(mc.get("env"))) {
            env.put((String) e.get("name"), e.get("value") == null ? null : String.valueOf(e.get("value")));
        }
        return env;
    }

    /** Whether a label selector (its matchLabels) selects a pod with these labels. */
    private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static void assertSubset(Map<String, String> selector, Map<String, String> labels, String what) {
        assertFalse(selector.isEmpty(), what + ": empty selector");
        selector.forEach((k, v) -> assertEquals(v, labels.get(k), what + ": label " + k + " (pod labels " + labels + ")"));
    }

    private static void assertTargets(Object target, String portName, Map<String, Integer> ports) {
        assertTrue(portName.equals(target) || Objects.equals(ports.get(portName), target),
                "targetPort " + target + " is not the container port " + portName);
    }

    private static void assertHttpProbe(Map<String, Object> container, String probe, String path) {
        Object get = at(container, probe, "httpGet");
        assertNotNull(get, probe + " is an httpGet probe");
        assertEquals(path, at(get, "path"), probe + " path");
        Object port = at(get, "port");
        assertTrue("http".equals(port) || Objects.equals(8080, port), probe + " port " + port + " is not the http port");
    }

    private static void assertPlaceholder(String value, String what) {
        assertTrue(PLACEHOLDERS.stream().anyMatch(value::equals),
                what + " must be a placeholder " + PLACEHOLDERS + ", found something else (a real secret?)");
    }

    /** The password part of a URI with user information, if the value is such a URI. */
    private static Optional<String> uriPassword(String value) {
        Matcher m = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://([^/@\\s]*)@").matcher(value.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        String userInfo = m.group(1);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(userInfo.substring(colon + 1));
    }

    private static String mongoHost(String uri) {
        assertNotNull(uri, "a Mongo URI");
        String withoutPassword = uri.replaceAll("\\$\\{[^}]*}", "x");
        return URI.create(withoutPassword).getHost();
    }

    private static Map<String, String> composeEnv(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?>) {
            map(env).forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object entry : list) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    private static Duration composeDuration(String value) {
        Matcher m = Pattern.compile("^(?:(\\d+)m)?(?:(\\d+)s)?$").matcher(value.strip());
        assertTrue(m.matches() && (m.group(1) != null || m.group(2) != null), "a compose duration like 45s or 1m30s: " + value);
        long minutes = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return Duration.ofSeconds(minutes * 60 + seconds);
    }

    private interface Visitor {
        void visit(String key, String value);
    }

    private static void walk(Object node, Visitor visitor) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof String s) {
                    visitor.visit(String.valueOf(k), s);
                } else {
                    walk(v, visitor);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(e -> walk(e, visitor));
        }
    }

    private static Optional<String> onPath(String program) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> composeCommand() throws Exception {
        Optional<String> legacy = onPath("docker-compose");
        if (legacy.isPresent()) {
            return Optional.of(List.of(legacy.get()));
        }
        Optional<String> docker = onPath("docker");
        if (docker.isPresent() && run(List.of(docker.get(), "compose", "version"), Map.of(), Set.of()).exit() == 0) {
            return Optional.of(List.of(docker.get(), "compose"));
        }
        return Optional.empty();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Map<String, String> extraEnv, Set<String> removeEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeAll(removeEnv);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
