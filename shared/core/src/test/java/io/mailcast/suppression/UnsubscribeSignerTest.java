package io.mailcast.suppression;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribeSignerTest {

    private static final byte[] SECRET = "0123456789abcdef-secret".getBytes(StandardCharsets.US_ASCII);
    private static final UnsubscribeToken TOKEN = new UnsubscribeToken("spring-sale", "42", "Ann@example.com");

    private final UnsubscribeSigner signer = new UnsubscribeSigner(SECRET);

    @Test
    void aSignedTokenIsUrlSafeAndVerifiesToWhatWasSigned() {
        String token = signer.sign(TOKEN);

        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(signer.sign(TOKEN)).isEqualTo(token);
        assertThat(signer.verify(token)).contains(TOKEN);
    }

    @Test
    void aTokenCannotBeTurnedAgainstAnotherAddressSubscriberOrCampaign() {
        for (UnsubscribeToken other : new UnsubscribeToken[]{
                new UnsubscribeToken("spring-sale", "42", "bob@example.com"),
                new UnsubscribeToken("spring-sale", "43", "Ann@example.com"),
                new UnsubscribeToken("summer-sale", "42", "Ann@example.com")}) {
            assertThat(signer.sign(other)).isNotEqualTo(signer.sign(TOKEN));
        }
        // Swap the address inside a genuine token, keeping its MAC: refused.
        byte[] genuine = Base64.getUrlDecoder().decode(signer.sign(TOKEN));
        byte[] forgedPayload = Base64.getUrlDecoder().decode(signer.sign(
                new UnsubscribeToken("spring-sale", "42", "Bob@example.com")));
        System.arraycopy(genuine, genuine.length - 32, forgedPayload, forgedPayload.length - 32, 32);
        assertThat(signer.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(forgedPayload))).isEmpty();
    }

    @Test
    void fieldsCannotBeShiftedIntoEachOther() {
        // Without length prefixes, "a:b" + "c" and "a" + "b:c" could sign the same bytes.
        assertThat(signer.sign(new UnsubscribeToken("c", "1x", "y@example.com")))
                .isNotEqualTo(signer.sign(new UnsubscribeToken("c1", "x", "y@example.com")));
    }

    @Test
    void refusesForgedTruncatedOversizedAndForeignTokens() {
        String token = signer.sign(TOKEN);
        char last = token.charAt(token.length() - 1);

        assertThat(signer.verify(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(signer.verify(token.substring(1))).isEmpty();
        assertThat(signer.verify(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        assertThat(signer.verify(token + "A")).isEmpty();
        assertThat(signer.verify("x".repeat(UnsubscribeSigner.MAX_TOKEN_CHARS + 1))).isEmpty();
        assertThat(signer.verify("not base64!")).isEmpty();
        assertThat(signer.verify("AAAA")).isEmpty();
        assertThat(signer.verify("")).isEmpty();
        assertThat(signer.verify(null)).isEmpty();
        assertThat(new UnsubscribeSigner("another-secret-of-16+".getBytes(StandardCharsets.US_ASCII)).verify(token)).isEmpty();
    }

    @Test
    void theSecretIsCopiedAndMustBeLongEnough() {
        byte[] secret = SECRET.clone();
        UnsubscribeSigner own = new UnsubscribeSigner(secret);
        String before = own.sign(TOKEN);
        secret[0] ^= 1;
        assertThat(own.sign(TOKEN)).isEqualTo(before);

        assertThatThrownBy(() -> new UnsubscribeSigner(new byte[15])).hasMessageContaining("at least 16 bytes, got 15");
        assertThatThrownBy(() -> new UnsubscribeSigner(null)).hasMessageContaining("at least 16 bytes, got none");
    }

    @Test
    void refusesToSignATokenTooLongForALink() {
        assertThatThrownBy(() -> signer.sign(new UnsubscribeToken("c", "k".repeat(1000), "a@example.com")))
                .hasMessageContaining("more than " + UnsubscribeSigner.MAX_TOKEN_CHARS);
    }
}
