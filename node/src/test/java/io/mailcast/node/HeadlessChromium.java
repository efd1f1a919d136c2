package io.mailcast.node;

import org.bson.Document;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the DevTools protocol with the JDK's WebSocket: enough to open a page, run a
 * line of script in it (a click, a read) and wait for the next page to load. Test fixture; one page per instance.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final WebSocket socket;
    private final BlockingQueue<Document> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<Document> events = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** Whether {@code chromium} is on the PATH. */
    static boolean installed() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "chromium")));
    }

    static HeadlessChromium start(Path profile) throws Exception {
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            return new HeadlessChromium(process, pageSocket(profile));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private HeadlessChromium(Process process, URI page) {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(page, new Listener()).join();
    }

    /** Chromium writes its DevTools port to the profile once it listens; the blank page is the one to drive. */
    private static URI pageSocket(Path profile) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().strip());
        String targets = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<Document> pages = Document.parse("{\"targets\": " + targets + "}").getList("targets", Document.class);
        return pages.stream().filter(t -> "page".equals(t.getString("type")) && "about:blank".equals(t.getString("url")))
                .map(t -> URI.create(t.getString("webSocketDebuggerUrl"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no blank page among " + targets));
    }

    /** Opens {@code url} and waits until it has loaded. */
    void open(String url) throws Exception {
        call("Page.enable", new Document());
        events.clear();
        call("Page.navigate", new Document("url", url));
        awaitEvent("Page.loadEventFired");
    }

    /** Clicks the element and waits for the page it leads to (a form submission). */
    void clickAndAwaitLoad(String cssSelector) throws Exception {
        events.clear();
        evaluate("document.querySelector('" + cssSelector + "').click()");
        awaitEvent("Page.loadEventFired");
    }

    /** The value of a JavaScript expression in the page. */
    Object evaluate(String expression) throws Exception {
        Document reply = call("Runtime.evaluate", new Document("expression", expression).append("returnByValue", true));
        return reply.get("result", Document.class).get("result", Document.class).get("value");
    }

    private Document call(String method, Document params) throws Exception {
        int id = ids.incrementAndGet();
        socket.sendText(new Document("id", id).append("method", method).append("params", params).toJson(), true).join();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Document reply = next(replies, deadline, method);
            if (Integer.valueOf(id).equals(reply.getInteger("id"))) {
                if (reply.containsKey("error")) {
                    throw new IllegalStateException(method + " failed: " + reply.toJson());
                }
                return reply;
            }
        }
    }

    private void awaitEvent(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!method.equals(next(events, deadline, method).getString("method"))) {
            // other events are not needed
        }
    }

    private static Document next(BlockingQueue<Document> queue, long deadline, String waitingFor)
            throws InterruptedException {
        Document message = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (message == null) {
            throw new IllegalStateException("no answer from chromium for " + waitingFor + " within " + TIMEOUT);
        }
        return message;
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Collects a message's frames and queues it: a reply (it has an id) or an event. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Document message = Document.parse(partial.toString());
                (message.containsKey("id") ? replies : events).add(message);
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
