package io.mailcast.sender;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailboxAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", value = {
            "news@example.com | - | news@example.com",
            "  news@example.com  | - | news@example.com",
            "News <news@example.com> | News | news@example.com",
            "<news@example.com> | - | news@example.com",
            "`\"\" <news@example.com>` | - | news@example.com",
            "`\"News, Inc.\" <news@example.com>` | News, Inc. | news@example.com",
            "`\"Say \\\"hi\\\"\" <news@example.com>` | Say \"hi\" | news@example.com",
            "J. Smith <j@example.com> | J. Smith | j@example.com",
            "Zoë from Kraków <z@example.com> | Zoë from Kraków | z@example.com",
            "News < news@example.com > | News | news@example.com",
            "News <news@münchen.de> | News | news@münchen.de",
    })
    void acceptsOneMailboxWithOrWithoutADisplayName(String text, String name, String address) {
        MailboxAddress mailbox = MailboxAddress.parse("--from", text);

        assertThat(mailbox.displayName()).isEqualTo(name);
        assertThat(mailbox.address()).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not-an-address | missing @",
            "News <news@> | empty domain",
            "News <@example.com> | empty local part",
            "news@localhost | domain has no dot",
            "`News\r\nBcc: victim@example.com <news@example.com>` | contains a line break or control character",
            "`News <news@example.com>\r\n` | contains a line break or control character",
            "`News\u0085 <news@example.com>` | contains a line break or control character",
            "`News\t<news@example.com>` | contains a line break or control character",
            "`  ` | empty",
            "News <news@example.com | missing '>' after the address",
            "News news@example.com> | '>' without '<'",
            "News <news@example.com> extra | text after '>'",
            "`\"News <news@example.com>` | unterminated quoted display name",
            "`News, Inc <news@example.com>` | display name contains ','",
            "`News: Inc <news@example.com>` | display name contains ':'",
            "`News@Inc <news@example.com>` | display name contains '@'",
            "`Mixed \"Quoted, Part\" Name <news@example.com>` | display name is partly quoted",
            "`\"News\" Inc <news@example.com>` | display name has text after its closing quote",
            "news@example.com (News) | contains whitespace",
            "`a@example.com, b@example.com` | contains whitespace",
            "News <a@example.com>, Other <b@example.com> | text after '>'",
            "News <<news@example.com>> | text after '>'",
    })
    void refusesAnythingElseNamingTheProblem(String text, String problem) {
        assertThat(MailboxAddress.problem(text)).as(text).hasValueSatisfying(p -> assertThat(p).startsWith(problem));
    }

    @Test
    void theErrorNamesTheFieldAndHowToWriteAMailboxOnOneLine() {
        assertThatThrownBy(() -> MailboxAddress.parse("--reply-to", "help\r\nBcc: x@example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--reply-to is not a valid mailbox (contains a line break or control character); write it as "
                        + "news@example.com or \"News <news@example.com>\"");
        assertThatThrownBy(() -> MailboxAddress.parse("From", null)).hasMessageStartingWith("From is not a valid mailbox (empty)");
    }
}
