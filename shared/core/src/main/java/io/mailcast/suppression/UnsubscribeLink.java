package io.mailcast.suppression;

import java.util.Map;
import java.util.Objects;

/**
 * One recipient's way out: the URL templates show as {@code {{unsubscribeUrl}}}, and the headers that carry it.
 *
 * @param url     the one-click URL, empty when the node has no public URL configured
 * @param headers List-Unsubscribe and List-Unsubscribe-Post, or none
 */
public record UnsubscribeLink(String url, Map<String, String> headers) {

    public static final UnsubscribeLink NONE = new UnsubscribeLink("", Map.of());

    public UnsubscribeLink {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
    }
}
