package io.mailcast.message;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageValidatorTest {

    private final MessageValidator validator = new MessageValidator(MessageLimits.DEFAULT);

    private static Message aMessage() {
        return new Message("Shop <shop@Example.com>", List.of("ann@example.org"), List.of("bob@example.org"),
                "help@example.com", "Your receipt", "Thanks", "<p>Thanks</p>", Map.of("X-Order", "42"), List.of("receipt"));
    }

    private static Message with(String from, List<String> to, List<String> cc, String subject, Map<String, String> headers,
                                List<String> tags) {
        return new Message(from, to, cc, null, subject, "text", null, headers, tags);
    }

    private void assertRefused(Message m, String field) {
        assertThatThrownBy(() -> validator.check(m)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aWellFormedMessagePassesAndItsSenderDomainIsLowerCase() {
        assertThatCode(() -> validator.check(aMessage())).doesNotThrowAnyException();
        assertThat(MessageValidator.senderDomain(aMessage())).isEqualTo("example.com");
    }

    @Test
    void lineBreaksAndControlCharactersAreRefusedWherever() {
        var to = List.of("ann@example.org");
        assertRefused(with("shop@example.com\r\nBcc: x@example.org", to, List.of(), "s", Map.of(), List.of()), "from");
        assertRefused(with("shop@example.com", List.of("ann@example.org\nRCPT TO:<x@example.org>"), List.of(), "s",
                Map.of(), List.of()), "to[0]");
        assertRefused(with("shop@example.com", to, List.of("x\r@example.org"), "s", Map.of(), List.of()), "cc[0]");
        assertRefused(with("shop@example.com", to, List.of(), "Hi\r\nBcc: x@example.org", Map.of(), List.of()), "subject");
        assertRefused(with("shop@example.com", to, List.of(), "Hi\u2028there", Map.of(), List.of()), "subject");
        assertRefused(with("shop@example.com", to, List.of(), "s", Map.of("X-A", "v\r\nBcc: x@example.org"), List.of()),
                "headers.X-A");
        assertRefused(with("shop@example.com", to, List.of(), "s", Map.of("X-A\r\nBcc", "v"), List.of()), "headers");
    }

    @Test
    void headersThatMailcastWritesOrThatAddRecipientsAreRefused() {
        var to = List.of("ann@example.org");
        for (String name : List.of("Bcc", "To", "cc", "From", "Subject", "Content-Type", "X-Mailcast-Campaign")) {
            assertRefused(with("shop@example.com", to, List.of(), "s", Map.of(name, "v"), List.of()), "headers." + name);
        }
    }

    @Test
    void recipientsAreBoundedAndDistinct() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("r" + i + "@example.org");
        }
        assertRefused(with("shop@example.com", many, List.of(), "s", Map.of(), List.of()), "to");
        assertRefused(with("shop@example.com", many.subList(0, 30), many.subList(30, 51), "s", Map.of(), List.of()), "cc");
        assertRefused(with("shop@example.com", List.of(), List.of(), "s", Map.of(), List.of()), "to");
        assertRefused(with("shop@example.com", List.of("a@example.org"), List.of("A@example.org"), "s", Map.of(),
                List.of()), "cc[0]");
    }

    @Test
    void sizesBodiesAndTagsAreChecked() {
        var to = List.of("ann@example.org");
        assertRefused(with("shop@example.com", to, List.of(), "x".repeat(999), Map.of(), List.of()), "subject");
        assertRefused(with("shop@example.com", to, List.of(), " ", Map.of(), List.of()), "subject");
        assertRefused(new Message("shop@example.com", to, null, null, "s", null, null, null, null), "text");
        assertRefused(new Message("shop@example.com", to, null, null, "s", "x".repeat(901 * 1024), null, null, null), "text");
        assertRefused(with("shop@example.com", to, List.of(), "s", Map.of(), List.of("has space")), "tags[0]");
        assertRefused(new Message(null, to, null, null, "s", "t", null, null, null), "from");
        assertRefused(new Message("shop@example.com", to, null, "not a mailbox", "s", "t", null, null, null), "replyTo");
    }
}
