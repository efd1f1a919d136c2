package io.mailcast.bounce;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BounceSignerTest {

    private static final byte[] SECRET = "0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8);
    private final BounceSigner signer = new BounceSigner(SECRET);

    @Test
    void aSignedTokenVerifiesToItsContent() {
        BounceToken token = new BounceToken("spring-sale", "42");
        String text = signer.sign(token);

        assertThat(signer.verify(text)).contains(token);
        assertThat(text).matches("[A-Za-z0-9_-]+");
        // Fits a local part of at most 64 characters with "bounces+" in front for ordinary ids.
        assertThat(VerpAddresses.LOCAL_PREFIX.length() + text.length()).isLessThanOrEqualTo(64);
    }

    @Test
    void anyChangedCharacterFailsTheCheck() {
        String text = signer.sign(new BounceToken("spring-sale", "42"));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String changed = text.substring(0, i) + (c == 'A' ? 'B' : 'A') + text.substring(i + 1);
            assertThat(signer.verify(changed)).as("changed at %d", i).isEmpty();
        }
    }

    @Test
    void anotherSecretsTokenIsRefused() {
        String text = new BounceSigner("another-secret-of-16+".getBytes(StandardCharsets.UTF_8))
                .sign(new BounceToken("spring-sale", "42"));
        assertThat(signer.verify(text)).isEmpty();
    }

    @Test
    void garbageWrongLengthsAndUnsubscribeTokensAreRefusedWithoutThrowing() {
        assertThat(signer.verify(null)).isEmpty();
        assertThat(signer.verify("")).isEmpty();
        assertThat(signer.verify("not base64 !")).isEmpty();
        assertThat(signer.verify("AAAA")).isEmpty();
        assertThat(signer.verify("A".repeat(BounceSigner.MAX_TOKEN_CHARS + 1))).isEmpty();
        assertThat(signer.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]))).isEmpty();
        String unsubscribe = new io.mailcast.suppression.UnsubscribeSigner(SECRET)
                .sign(new io.mailcast.suppression.UnsubscribeToken("spring-sale", "42", "a@example.com"));
        assertThat(signer.verify(unsubscribe)).isEmpty();
    }

    @Test
    void aShortSecretIsRefusedWithAHint() {
        assertThatThrownBy(() -> new BounceSigner(new byte[8])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 bytes").hasMessageContaining("openssl rand");
    }
}
