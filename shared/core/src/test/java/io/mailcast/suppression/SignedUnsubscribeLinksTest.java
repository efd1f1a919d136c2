package io.mailcast.suppression;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedUnsubscribeLinksTest {

    private static final UnsubscribeSigner SIGNER =
            new UnsubscribeSigner("0123456789abcdef-secret".getBytes(StandardCharsets.US_ASCII));
    private static final Pattern HEADER = Pattern.compile(
            "<(?<url>https://mail\\.example\\.com/unsubscribe\\?t=(?<t>[A-Za-z0-9_-]+))>, "
                    + "<mailto:unsubscribe@example\\.com\\?subject=unsubscribe-(?<mt>[A-Za-z0-9_-]+)>");

    @Test
    void theUrlAndTheHeadersCarryOneVerifiableToken() {
        var links = new SignedUnsubscribeLinks("https://mail.example.com/", "unsubscribe@example.com", SIGNER);

        UnsubscribeLink link = links.forRecipient("spring-sale", "42", "ann@example.com");

        assertThat(link.headers()).containsEntry(SignedUnsubscribeLinks.LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click");
        Matcher m = HEADER.matcher(link.headers().get(SignedUnsubscribeLinks.LIST_UNSUBSCRIBE));
        assertThat(m.matches()).as(link.headers().get(SignedUnsubscribeLinks.LIST_UNSUBSCRIBE)).isTrue();
        assertThat(m.group("url")).isEqualTo(link.url());
        assertThat(m.group("mt")).isEqualTo(m.group("t"));
        assertThat(SIGNER.verify(m.group("t"))).contains(new UnsubscribeToken("spring-sale", "42", "ann@example.com"));
    }

    @Test
    void plainHttpOnlyOnThisMachine() {
        assertThat(new SignedUnsubscribeLinks("http://127.0.0.1:8080", null, SIGNER).forRecipient("c", "1", "a@example.com")
                .url()).startsWith("http://127.0.0.1:8080/unsubscribe?t=");
        assertThat(new SignedUnsubscribeLinks("http://localhost:8080/mail", null, SIGNER).forRecipient("c", "1", "a@example.com")
                .url()).startsWith("http://localhost:8080/mail/unsubscribe?t=");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("http://mail.example.com", null, SIGNER))
                .hasMessageContaining("must use https");
    }

    @Test
    void rejectsPublicUrlsAndMailtosThatCannotWork() {
        assertThatThrownBy(() -> new SignedUnsubscribeLinks(" ", null, SIGNER)).hasMessageContaining("missing");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https:///u", null, SIGNER)).hasMessageContaining("no host");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com/u#x", null, SIGNER)).hasMessageContaining("#fragment");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com/u?list=7", null, SIGNER)).hasMessageContaining("?query");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com/u>", null, SIGNER)).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com/a,b", null, SIGNER)).hasMessageContaining("comma");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com", "nope", SIGNER))
                .hasMessageContaining("mailto address is invalid: missing @");
        assertThatThrownBy(() -> new SignedUnsubscribeLinks("https://example.com", "a?b@example.com", SIGNER))
                .hasMessageContaining("plain address");
    }
}
