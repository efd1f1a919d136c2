package io.mailcast.client;

import java.util.List;
import java.util.Map;

/**
 * A message to send, as the send API takes it. Every recipient in {@code to} and {@code cc} gets a copy addressed to
 * them alone; the server checks everything and refuses with the field at fault ({@link MailcastException#field()}).
 *
 * @param replyTo {@code null} for none
 * @param text    plain-text body; {@code text} or {@code html} or both
 */
public record Email(String from, List<String> to, List<String> cc, String replyTo, String subject, String text,
                    String html, Map<String, String> headers, List<String> tags) {

    public Email {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A plain-text message to one recipient. */
    public static Email text(String from, String to, String subject, String text) {
        return new Email(from, List.of(to), List.of(), null, subject, text, null, Map.of(), List.of());
    }

    public Email withHtml(String html) {
        return new Email(from, to, cc, replyTo, subject, text, html, headers, tags);
    }

    public Email withTags(String... tags) {
        return new Email(from, to, cc, replyTo, subject, text, html, headers, List.of(tags));
    }
}
