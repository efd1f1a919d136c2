package io.mailcast.suppression;

import io.mailcast.sender.AddressValidator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Links to the nodes' one-click unsubscribe endpoint ({@value #PATH} under the public URL), each with a signed token,
 * and the headers that carry them: List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058), which mailbox
 * providers show as an "Unsubscribe" button.
 */
public final class SignedUnsubscribeLinks implements UnsubscribeLinks {

    public static final String PATH = "/unsubscribe";
    public static final String TOKEN_PARAMETER = "t";
    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    // Legal in a mailbox but would need escaping in a mailto: URL; nobody uses them for an unsubscribe mailbox.
    private static final String URL_SPECIALS = "?%&#\",<>";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final String endpoint;
    private final String mailto;
    private final UnsubscribeSigner signer;

    /**
     * @param publicUrl where the nodes' HTTP port is reached from outside, such as {@code https://mail.example.com};
     *                  https, except on a loopback host (for trying it out locally)
     * @param mailto    address for mail-based unsubscribe as well, {@code null} for none
     */
    public SignedUnsubscribeLinks(String publicUrl, String mailto, UnsubscribeSigner signer) {
        this.endpoint = checkedPublicUrl(publicUrl) + PATH;
        this.mailto = mailto == null ? null : checkedMailto(mailto);
        this.signer = signer;
    }

    public UnsubscribeSigner signer() {
        return signer;
    }

    @Override
    public UnsubscribeLink forRecipient(String campaignId, String subscriberKey, String address) {
        String token = signer.sign(new UnsubscribeToken(campaignId, subscriberKey, address));
        String url = endpoint + "?" + TOKEN_PARAMETER + "=" + token;
        StringBuilder list = new StringBuilder("<").append(url).append('>');
        if (mailto != null) {
            list.append(", <mailto:").append(mailto).append("?subject=unsubscribe-").append(token).append('>');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIST_UNSUBSCRIBE, list.toString());
        headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        return new UnsubscribeLink(url, headers);
    }

    private static String checkedPublicUrl(String publicUrl) {
        if (publicUrl == null || publicUrl.isBlank()) {
            throw new IllegalArgumentException("the public URL is missing, e.g. https://mail.example.com");
        }
        URI uri;
        try {
            uri = new URI(publicUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the public URL is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the public URL has no host: " + publicUrl);
        }
        // RFC 8058 requires https; plain http is only for a node tried out on this machine.
        boolean loopback = LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException("the public URL must use https (one-click unsubscribe, RFC 8058, "
                    + "requires it; http only on localhost), got " + publicUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the public URL must have no ?query or #fragment: " + publicUrl);
        }
        // The URI parser rejects spaces and angle brackets; a comma would split the header entry for some readers.
        if (publicUrl.contains(",")) {
            throw new IllegalArgumentException("the public URL must not contain a comma: " + publicUrl);
        }
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    private static String checkedMailto(String mailto) {
        var problem = AddressValidator.problem(mailto);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("the unsubscribe mailto address is invalid: " + problem.get());
        }
        if (mailto.chars().anyMatch(c -> URL_SPECIALS.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("the unsubscribe mailto address '" + mailto
                    + "' must be a plain address without any of " + URL_SPECIALS);
        }
        return AddressValidator.asciiForm(mailto);
    }
}
