package io.mailcast.sender.smtp;

import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribeLinksTest {

    private static final byte[] SECRET = "0123456789abcdef-secret".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern HEADER = Pattern.compile(
            "<https://mail\\.example\\.com/u\\?c=(?<c>[^&]+)&s=(?<s>\\d+)&t=(?<t>[A-Za-z0-9_-]{43})>, "
                    + "<mailto:unsubscribe@example\\.com\\?subject=unsubscribe-(?<mt>[A-Za-z0-9_-]{43})>");

    private final UnsubscribeLinks links = new UnsubscribeLinks("https://mail.example.com/u", "unsubscribe@example.com", SECRET);

    @Test
    void producesOneClickHeadersWithAVerifiableToken() {
        Map<String, String> headers = links.headers("spring-sale", SubscriberId.of(42));

        assertThat(headers).containsEntry(UnsubscribeLinks.LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click");
        Matcher m = HEADER.matcher(headers.get(UnsubscribeLinks.LIST_UNSUBSCRIBE));
        assertThat(m.matches()).as(headers.get(UnsubscribeLinks.LIST_UNSUBSCRIBE)).isTrue();
        assertThat(m.group("c")).isEqualTo("spring-sale");
        assertThat(m.group("s")).isEqualTo("42");
        assertThat(m.group("mt")).isEqualTo(m.group("t"));
        assertThat(links.verify("spring-sale", SubscriberId.of(42), m.group("t"))).isTrue();
    }

    @Test
    void tokenIsBoundToCampaignSubscriberAndSecret() {
        String token = links.token("spring-sale", SubscriberId.of(42));

        assertThat(links.token("spring-sale", SubscriberId.of(42))).isEqualTo(token);
        assertThat(links.verify("spring-sale", SubscriberId.of(43), token)).isFalse();
        assertThat(links.verify("summer-sale", SubscriberId.of(42), token)).isFalse();
        assertThat(links.verify("spring-sale", SubscriberId.of(42), token.substring(1))).isFalse();
        assertThat(links.verify("spring-sale", SubscriberId.of(42), token.substring(0, 42) + (token.charAt(42) == 'A' ? 'B' : 'A'))).isFalse();
        assertThat(links.verify("spring-sale", SubscriberId.of(42), null)).isFalse();
        assertThat(links.verify("spring-sale", SubscriberId.of(42), "")).isFalse();
        UnsubscribeLinks otherSecret = new UnsubscribeLinks("https://mail.example.com/u", null, "another-secret-of-16+".getBytes());
        assertThat(otherSecret.verify("spring-sale", SubscriberId.of(42), token)).isFalse();
    }

    @Test
    void encodesCampaignIdAndKeepsAnExistingQuery() {
        UnsubscribeLinks withQuery = new UnsubscribeLinks("https://example.com/u?list=7", null, SECRET);

        String header = withQuery.headers("a b&c=d", SubscriberId.of(1)).get(UnsubscribeLinks.LIST_UNSUBSCRIBE);

        assertThat(header).startsWith("<https://example.com/u?list=7&c=a+b%26c%3Dd&s=1&t=").endsWith(">").doesNotContain("mailto");
    }

    @Test
    void secretIsCopiedNotShared() {
        byte[] secret = SECRET.clone();
        UnsubscribeLinks own = new UnsubscribeLinks("https://example.com/u", null, secret);
        String before = own.token("c", SubscriberId.of(1));

        secret[0] ^= 1;

        assertThat(own.token("c", SubscriberId.of(1))).isEqualTo(before);
    }

    @Test
    void rejectsWeakOrMissingConfiguration() {
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u", null, new byte[15]))
                .hasMessageContaining("at least 16 bytes, got 15");
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u", null, null))
                .hasMessageContaining("at least 16 bytes, got none");
        assertThatThrownBy(() -> new UnsubscribeLinks("http://example.com/u", null, SECRET)).hasMessageContaining("must use https");
        assertThatThrownBy(() -> new UnsubscribeLinks("https:///u", null, SECRET)).hasMessageContaining("no host");
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u#x", null, SECRET)).hasMessageContaining("fragment");
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u>", null, SECRET)).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> new UnsubscribeLinks(" ", null, SECRET)).hasMessageContaining("missing");
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u", "nope", SECRET))
                .hasMessageContaining("mailto address 'nope' is invalid: missing @");
        assertThatThrownBy(() -> new UnsubscribeLinks("https://example.com/u", "a?b@example.com", SECRET))
                .hasMessageContaining("plain address");
    }
}
