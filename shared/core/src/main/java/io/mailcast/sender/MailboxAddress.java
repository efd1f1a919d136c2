package io.mailcast.sender;

import java.util.Optional;

/**
 * A sender mailbox as an operator writes it for From or Reply-To: {@code news@example.com} or
 * {@code News <news@example.com>} (RFC 5322 addr-spec or name-addr, one mailbox).
 *
 * <p>Stricter than Jakarta Mail's strict parser, so that whatever is accepted here the SMTP adapter writes: the address
 * must pass {@link AddressValidator}; the display name is atoms and quoted strings, with RFC 5322's specials
 * ({@code ( ) < > [ ] : ; @ \ , "}) only inside quotes, except the dot that names like "J. Smith" need. Comments, groups,
 * several mailboxes and text after the {@code >} are refused, and so is any line break or control character.
 *
 * @param displayName the name without its quotes, {@code null} when there is none
 * @param address     the address as written (international domains are converted when the message is written)
 */
public record MailboxAddress(String displayName, String address) {

    private static final String SPECIALS = "()<>[]:;@\\,\"";

    /**
     * @param field how the caller names the value in the message, e.g. {@code --from} or {@code From}
     * @throws IllegalArgumentException naming {@code field}, the problem, and how to write a mailbox
     */
    public static MailboxAddress parse(String field, String text) {
        Parsed parsed = parse(text);
        if (parsed.problem() != null) {
            // The value itself is not repeated: it may hold the very line break that makes it invalid.
            throw new IllegalArgumentException(field + " is not a valid mailbox (" + parsed.problem()
                    + "); write it as news@example.com or \"News <news@example.com>\"");
        }
        return parsed.mailbox();
    }

    /** A short reason why {@code text} is not one mailbox, or empty when it is. */
    public static Optional<String> problem(String text) {
        return Optional.ofNullable(parse(text).problem());
    }

    private record Parsed(MailboxAddress mailbox, String problem) {
        static Parsed bad(String problem) {
            return new Parsed(null, problem);
        }
    }

    private static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return Parsed.bad("empty");
        }
        if (text.codePoints().anyMatch(AddressValidator::isControlOrLineBreak)) {
            return Parsed.bad("contains a line break or control character");
        }
        String s = text.strip();
        int open = angleOpen(s);
        if (open == -2) {
            return Parsed.bad("unterminated quoted display name");
        }
        if (open < 0) {
            if (s.indexOf('>') >= 0) {
                return Parsed.bad("'>' without '<'");
            }
            return AddressValidator.problem(s).map(Parsed::bad).orElseGet(() -> new Parsed(new MailboxAddress(null, s), null));
        }
        int close = s.indexOf('>', open);
        if (close < 0) {
            return Parsed.bad("missing '>' after the address");
        }
        if (close != s.length() - 1) {
            return Parsed.bad("text after '>'");
        }
        String address = s.substring(open + 1, close).strip();
        Optional<String> addressProblem = AddressValidator.problem(address);
        if (addressProblem.isPresent()) {
            return Parsed.bad(addressProblem.get());
        }
        String phrase = s.substring(0, open).strip();
        String problem = phraseProblem(phrase);
        if (problem != null) {
            return Parsed.bad(problem);
        }
        String name = unquote(phrase);
        return new Parsed(new MailboxAddress(name.isBlank() ? null : name, address), null);
    }

    /** Index of the {@code <} that opens the address, -1 when there is none, -2 when a quote is left open. */
    private static int angleOpen(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                return i;
            }
        }
        return quoted ? -2 : -1;
    }

    /** Either one quoted string or unquoted words: a partly quoted name would not read back as written. */
    private static String phraseProblem(String phrase) {
        if (phrase.startsWith("\"")) {
            int close = 1;
            while (close < phrase.length() && phrase.charAt(close) != '"') {
                close += phrase.charAt(close) == '\\' ? 2 : 1;
            }
            return close >= phrase.length() - 1 ? null : "display name has text after its closing quote (quote the whole name)";
        }
        for (int i = 0; i < phrase.length(); i++) {
            char c = phrase.charAt(i);
            if (c == '"') {
                return "display name is partly quoted (quote the whole name)";
            }
            if (SPECIALS.indexOf(c) >= 0) {
                return "display name contains '" + c + "' (put the name in double quotes)";
            }
        }
        return null;
    }

    /** The name as a reader shows it: a quoted one without its quotes and backslash escapes. */
    private static String unquote(String phrase) {
        if (!phrase.startsWith("\"")) {
            return phrase;
        }
        StringBuilder name = new StringBuilder(phrase.length());
        for (int i = 1; i < phrase.length() - 1; i++) {
            char c = phrase.charAt(i);
            name.append(c == '\\' ? phrase.charAt(++i) : c);
        }
        return name.toString();
    }
}
