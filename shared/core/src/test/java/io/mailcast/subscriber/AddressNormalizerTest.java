package io.mailcast.subscriber;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AddressNormalizerTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "ann@example.com|ann@example.com",
            "  ann@Example.COM \t|ann@example.com",
            // RFC 5321: the local part may be case-sensitive, so it is kept as written.
            "Ann.Smith+news@EXAMPLE.com|Ann.Smith+news@example.com",
            // A quoted local part may hold @; the last one separates the domain.
            "\"a@B\"@Example.org|\"a@B\"@example.org",
            "Ünïcode@BÜCHER.example|Ünïcode@bücher.example",
            "no-at-sign |no-at-sign",
            "' '|''"})
    void stripsAndLowerCasesOnlyTheDomain(String raw, String normalised) {
        assertThat(AddressNormalizer.normalize(raw)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @CsvSource({"ann@example.com", "Ann@example.com", "\"a@B\"@example.org"})
    void isIdempotent(String address) {
        assertThat(AddressNormalizer.normalize(AddressNormalizer.normalize(address)))
                .isEqualTo(AddressNormalizer.normalize(address));
    }
}
