package io.mailcast.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message to send, as the send API takes it. Every recipient in {@code to} and {@code cc} gets a copy addressed to
 * them alone; the server checks everything and refuses with the field at fault ({@link MailcastException#field()}).
 *
 * @param replyTo  {@code null} for none
 * @param text     plain-text body; {@code text} or {@code html} or both, unless a template gives them
 * @param template a template stored with {@code coordinator template put}, rendered with {@code data}; {@code null}
 *                 for a message with its own subject and bodies
 */
public record Email(String from, List<String> to, List<String> cc, String replyTo, String subject, String text,
                    String html, Map<String, String> headers, List<String> tags, String template,
                    Map<String, Object> data) {

    public Email {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        tags = tags == null ? List.of() : List.copyOf(tags);
        data = data == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(data)); // JSON null values allowed
    }

    /** A plain-text message to one recipient. */
    public static Email text(String from, String to, String subject, String text) {
        return new Email(from, List.of(to), List.of(), null, subject, text, null, Map.of(), List.of(), null, null);
    }

    /** A message to one recipient whose subject and bodies the named template renders with {@code data}. */
    public static Email fromTemplate(String from, String to, String template, Map<String, Object> data) {
        return new Email(from, List.of(to), List.of(), null, null, null, null, Map.of(), List.of(), template, data);
    }

    public Email withHtml(String html) {
        return new Email(from, to, cc, replyTo, subject, text, html, headers, tags, template, data);
    }

    public Email withTags(String... tags) {
        return new Email(from, to, cc, replyTo, subject, text, html, headers, List.of(tags), template, data);
    }
}
