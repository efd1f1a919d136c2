package io.mailcast.sender;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "alice@example.com",
            "a@b.co",
            "first.last+tag@sub.example.co.uk",
            "o'brien@example.ie",
            "x!#$%&'*+/=?^_`{|}~-y@example.com",
            "\"odd..but@quoted\"@example.com",
            "\"esc\\\"aped\"@example.com",
            "user@[192.0.2.1]",
            "user@[IPv6:2001:db8::1]",
            "user@xn--mnchen-3ya.de",
            "user@münchen.de",
            "user@a-b.example",
            "1234@example.com",
    })
    void acceptsValidAddresses(String address) {
        assertThat(AddressValidator.problem(address)).as(address).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "alice.example.com | missing @",
            "@example.com | empty local part",
            "alice@ | empty domain",
            "alice@localhost | domain has no dot",
            "alice@example.com. | domain starts or ends with a dot",
            "alice@.example.com | domain starts or ends with a dot",
            "alice@example..com | domain has consecutive dots",
            "alice@-example.com | domain label starts or ends with a hyphen",
            "alice@exa_mple.com | domain contains '_'",
            "alice@1.2.3.4 | top-level domain is numeric",
            "a@b@example.com | more than one @",
            ".alice@example.com | local part starts or ends with a dot",
            "al..ice@example.com | local part has consecutive dots",
            "al,ice@example.com | local part contains ','",
            "\"alice@example.com | unterminated quoted local part",
            "\"al\"ice\"@example.com | unescaped quote in local part",
            "zoë@example.com | non-ASCII local part",
            "alice@[300.1.1.1] | invalid address literal",
            "alice@[IPv6:zz::1] | invalid IPv6 address literal",
            "alice@[IPv6:fe80::1%eth0] | invalid IPv6 address literal",
            "alice@[192.0.2.1 | unterminated address literal",
    })
    void rejectsInvalidAddresses(String address, String reason) {
        assertThat(AddressValidator.problem(address)).as(address).hasValueSatisfying(p -> assertThat(p).startsWith(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "alice@example.com\r\nBcc: evil@x.com",
            "alice@example.com\nx",
            "alice\u0000@example.com",
            "alice@example.com\u0085",
            "alice@example.com\u2028",
            "alice@example.com\u2029",
            "alice\u007f@example.com",
    })
    void rejectsLineBreaksAndControlCharacters(String address) {
        assertThat(AddressValidator.problem(address)).hasValue("contains a line break or control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice @example.com", "alice@exa mple.com", "\"a b\"@example.com", "alice\u00a0@example.com",
            "alice\t@example.com "})
    void rejectsWhitespace(String address) {
        assertThat(AddressValidator.problem(address)).isPresent();
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThat(AddressValidator.problem(null)).hasValue("empty address");
        assertThat(AddressValidator.problem("")).hasValue("empty address");
    }

    @Test
    void enforcesLengthLimits() {
        String local64 = "a".repeat(64);
        assertThat(AddressValidator.problem(local64 + "@example.com")).isEmpty();
        assertThat(AddressValidator.problem(local64 + "a@example.com")).hasValue("local part longer than 64 characters");

        String label63 = "b".repeat(63);
        assertThat(AddressValidator.problem("a@" + label63 + ".com")).isEmpty();
        assertThat(AddressValidator.problem("a@" + label63 + "b.com")).hasValue("domain label longer than 63 characters");

        // 64 + 1 + 189 = 254 characters is the limit
        String domain189 = String.join(".", "c".repeat(63), "c".repeat(63), "c".repeat(57), "com");
        assertThat(AddressValidator.problem(local64 + "@" + domain189)).isEmpty();
        String domain190 = String.join(".", "c".repeat(63), "c".repeat(63), "c".repeat(58), "com");
        assertThat(AddressValidator.problem(local64 + "@" + domain190)).hasValue("address longer than 254 characters");
    }

    @Test
    void asciiFormConvertsInternationalDomainsToPunycode() {
        assertThat(AddressValidator.asciiForm("user@münchen.de")).isEqualTo("user@xn--mnchen-3ya.de");
        assertThat(AddressValidator.asciiForm("Alice@Example.com")).isEqualTo("Alice@Example.com");
        assertThatThrownBy(() -> AddressValidator.asciiForm("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing @");
    }
}
