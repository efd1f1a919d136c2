package io.mailcast.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.suppression.UnsubscribeSigner;
import io.mailcast.suppression.UnsubscribeToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code /unsubscribe?t=TOKEN}. A POST suppresses the token's address at once: the one-click request of RFC 8058 that
 * mailbox providers send (body {@code List-Unsubscribe=One-Click}), or the confirmation page's button, which posts the
 * same body. A GET only shows that page, because mail scanners follow every link in a message. Everything here comes
 * from outside: a bad token, a large body or a wrong method gets a short HTML page with a 4xx status, and changes nothing.
 */
final class UnsubscribeHandler implements HttpHandler {

    /** The one-click body is 26 bytes; a form adds little. Anything much larger is not an unsubscribe. */
    static final int MAX_BODY_BYTES = 1024;
    private static final int MAX_QUERY_CHARS = UnsubscribeSigner.MAX_TOKEN_CHARS + 16;
    private static final String TOKEN_PREFIX = SignedUnsubscribeLinks.TOKEN_PARAMETER + "=";
    private static final Logger log = LoggerFactory.getLogger(UnsubscribeHandler.class);

    private final UnsubscribeSigner signer;
    private final SuppressionList suppressions;
    /** Addresses this node put on the list through the link (a repeated click counts once). */
    final LongAdder unsubscribed = new LongAdder();
    private final CampaignStore campaigns;
    private final Clock clock;

    UnsubscribeHandler(UnsubscribeSigner signer, SuppressionList suppressions, CampaignStore campaigns, Clock clock) {
        this.signer = signer;
        this.suppressions = suppressions;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            respond(ex);
        } catch (RuntimeException e) {
            // The store is unreachable (or worse): say so plainly, never with a stack trace.
            log.warn("unsubscribe request failed: {}", e.toString());
            send(ex, 503, UnsubscribePage.problem("Please try again later",
                    "We could not record your request just now. Please use the link again in a few minutes."));
        } finally {
            ex.close();
        }
    }

    private void respond(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getRawPath().equals(SignedUnsubscribeLinks.PATH)) {
            send(ex, 404, UnsubscribePage.problem("Not found", "There is no page at this address."));
            return;
        }
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "GET, POST");
            send(ex, 405, UnsubscribePage.problem("Not allowed", "Open the link from the e-mail in a browser."));
            return;
        }
        Optional<UnsubscribeToken> token = token(ex.getRequestURI().getRawQuery());
        if (token.isEmpty()) {
            log.debug("unsubscribe refused: no valid token");
            send(ex, 400, UnsubscribePage.problem("Invalid link", "This unsubscribe link is not valid. It may have "
                    + "been cut off when it was copied: open it from the e-mail again."));
            return;
        }
        String address = AddressNormalizer.normalize(token.get().address());
        if (method.equals("GET")) {
            send(ex, 200, UnsubscribePage.confirm(address));
            return;
        }
        Optional<String> body = body(ex);
        if (body.isEmpty()) {
            send(ex, 413, UnsubscribePage.problem("Request too large", "This is not an unsubscribe request."));
            return;
        }
        if (!isOneClick(body.get())) {
            send(ex, 400, UnsubscribePage.problem("Invalid request", "This is not an unsubscribe request: open the "
                    + "link from the e-mail in a browser and press the button."));
            return;
        }
        int added = suppressions.addAll(List.of(new Suppression(address, SuppressionReason.UNSUBSCRIBED,
                token.get().campaignId(), clock.instant(), "one-click unsubscribe by subscriber " + token.get().subscriberKey())));
        if (added > 0) {
            // A repeated click (or a mail scanner's replay of the POST) counts once.
            campaigns.countUnsubscribe(token.get().campaignId());
            unsubscribed.increment();
        }
        log.debug("campaign={} unsubscribe recorded", token.get().campaignId());
        send(ex, 200, UnsubscribePage.done(address));
    }

    private Optional<UnsubscribeToken> token(String query) {
        if (query == null || query.length() > MAX_QUERY_CHARS) {
            return Optional.empty();
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith(TOKEN_PREFIX)) {
                return signer.verify(parameter.substring(TOKEN_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    /** The body as text, or empty when it is larger than {@link #MAX_BODY_BYTES} (announced or actual). */
    private static Optional<String> body(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /**
     * RFC 8058: the body holds {@code List-Unsubscribe=One-Click}, form-urlencoded (what providers and the page send)
     * or as a multipart/form-data field.
     */
    private static boolean isOneClick(String body) {
        if (body.contains("name=\"List-Unsubscribe\"") && body.contains("One-Click")) {
            return true;
        }
        for (String pair : body.strip().split("&")) {
            try {
                if (URLDecoder.decode(pair, StandardCharsets.UTF_8).equals(SignedUnsubscribeLinks.ONE_CLICK)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    private static void send(HttpExchange ex, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        var headers = ex.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        // The token is in the URL: keep it out of caches and out of the Referer of anything the page could load.
        headers.set("Cache-Control", "no-store");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
