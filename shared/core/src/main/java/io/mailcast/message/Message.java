package io.mailcast.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One e-mail an application hands over through the send API, as written (before {@link MessageValidator} checks it).
 * Every recipient in {@code to} and {@code cc} gets a copy of their own, addressed to them alone.
 *
 * @param from    sender mailbox, {@code news@example.com} or {@code "News <news@example.com>"}
 * @param replyTo optional Reply-To mailbox, {@code null} when absent
 * @param text    plain-text body, {@code null} when the message has only HTML
 * @param html    HTML body, {@code null} when the message has only text
 * @param headers extra headers; names and values are checked by the validator
 * @param tags    labels the application attaches for its own reports
 */
public record Message(String from, List<String> to, List<String> cc, String replyTo, String subject, String text,
                      String html, Map<String, String> headers, List<String> tags) {

    public Message {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Every envelope recipient: {@code to} then {@code cc}. */
    public List<String> recipients() {
        List<String> all = new ArrayList<>(to.size() + cc.size());
        all.addAll(to);
        all.addAll(cc);
        return all;
    }
}
