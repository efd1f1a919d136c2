package io.mailcast.sender;

import java.net.IDN;
import java.net.Inet6Address;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntactic check of a recipient mailbox: the practical subset of RFC 5321/5322 that relays accept.
 *
 * <p>Accepted: {@code local@domain} where the local part is a dot-atom or a quoted string (no spaces, even when
 * quoted) of at most 64 characters, and the domain is either a host name with at least one dot and valid labels
 * or an address literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}); at most 254 characters overall.
 * No whitespace, line breaks or control characters anywhere.
 *
 * <p>Internationalisation: a non-ASCII <em>domain</em> is accepted and converted to its ASCII (punycode) form
 * with {@link #asciiForm}, which is what goes on the wire, so no SMTP extension is needed. A non-ASCII
 * <em>local part</em> is rejected: it can only be delivered with SMTPUTF8, which Mailcast does not negotiate.
 * Nothing here looks up DNS; a syntactically valid address may still bounce.
 */
public final class AddressValidator {

    private static final int MAX_ADDRESS = 254;
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_LABEL = 63;
    private static final String ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private AddressValidator() {
    }

    /** A short human-readable reason why {@code address} is not a valid mailbox, or empty when it is. */
    public static Optional<String> problem(String address) {
        return Optional.ofNullable(check(address).problem());
    }

    /**
     * The address as it goes into the SMTP envelope and the To header: international domains in punycode.
     *
     * @throws IllegalArgumentException when the address is not valid, with the {@link #problem} as message
     */
    public static String asciiForm(String address) {
        Checked checked = check(address);
        if (checked.problem() != null) {
            throw new IllegalArgumentException("invalid address: " + checked.problem());
        }
        return checked.ascii();
    }

    private record Checked(String ascii, String problem) {
        static Checked bad(String problem) {
            return new Checked(null, problem);
        }
    }

    private static Checked check(String address) {
        if (address == null || address.isEmpty()) {
            return Checked.bad("empty address");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (isControlOrLineBreak(c)) {
                return Checked.bad("contains a line break or control character");
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return Checked.bad("contains whitespace");
            }
        }
        // The last @ separates the domain: a quoted local part may itself contain @.
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Checked.bad("missing @");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty()) {
            return Checked.bad("empty local part");
        }
        if (domain.isEmpty()) {
            return Checked.bad("empty domain");
        }
        String localProblem = localPartProblem(local);
        if (localProblem != null) {
            return Checked.bad(localProblem);
        }
        Checked checkedDomain = domain.startsWith("[") ? checkLiteral(domain) : checkDomainName(domain);
        if (checkedDomain.problem() != null) {
            return checkedDomain;
        }
        String ascii = local + "@" + checkedDomain.ascii();
        if (ascii.length() > MAX_ADDRESS) {
            return Checked.bad("address longer than " + MAX_ADDRESS + " characters");
        }
        return new Checked(ascii, null);
    }

    static boolean isControlOrLineBreak(int c) {
        int type = Character.getType(c);
        // CONTROL covers C0, DEL and C1 (which includes NEL U+0085).
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String localPartProblem(String local) {
        if (local.length() > MAX_LOCAL_PART) {
            return "local part longer than " + MAX_LOCAL_PART + " characters";
        }
        if (!isAscii(local)) {
            return "non-ASCII local part (needs SMTPUTF8, which is not supported)";
        }
        return local.startsWith("\"") ? quotedLocalPartProblem(local) : dotAtomLocalPartProblem(local);
    }

    private static String dotAtomLocalPartProblem(String local) {
        if (local.indexOf('@') >= 0) {
            return "more than one @";
        }
        if (local.startsWith(".") || local.endsWith(".")) {
            return "local part starts or ends with a dot";
        }
        if (local.contains("..")) {
            return "local part has consecutive dots";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && !isAsciiLetterOrDigit(c) && ATEXT_SPECIALS.indexOf(c) < 0) {
                return "local part contains '" + c + "' (quote the local part to use it)";
            }
        }
        return null;
    }

    private static String quotedLocalPartProblem(String local) {
        if (local.length() < 2 || !local.endsWith("\"")) {
            return "unterminated quoted local part";
        }
        String inner = local.substring(1, local.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\') {
                i++;
                if (i == inner.length()) {
                    return "quoted local part ends with a backslash";
                }
            } else if (c == '"') {
                return "unescaped quote in local part";
            }
        }
        return null;
    }

    private static Checked checkLiteral(String domain) {
        if (!domain.endsWith("]")) {
            return Checked.bad("unterminated address literal");
        }
        String literal = domain.substring(1, domain.length() - 1);
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String ip = literal.substring(5);
            // ofLiteral never resolves names; the character check keeps out zone ids and brackets it would accept.
            if (IPV6_CHARS.matcher(ip).matches()) {
                try {
                    Inet6Address.ofLiteral(ip);
                    return new Checked(domain, null);
                } catch (IllegalArgumentException e) {
                    // reported below
                }
            }
            return Checked.bad("invalid IPv6 address literal");
        }
        return IPV4.matcher(literal).matches() ? new Checked(domain, null) : Checked.bad("invalid address literal");
    }

    private static Checked checkDomainName(String domain) {
        String ascii = domain;
        if (!isAscii(domain)) {
            try {
                ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return Checked.bad("invalid international domain name");
            }
        }
        if (ascii.startsWith(".") || ascii.endsWith(".")) {
            return Checked.bad("domain starts or ends with a dot");
        }
        if (ascii.indexOf('.') < 0) {
            return Checked.bad("domain has no dot");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            String labelProblem = labelProblem(label);
            if (labelProblem != null) {
                return Checked.bad(labelProblem);
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Checked.bad("top-level domain is numeric (write IP addresses as [192.0.2.1])");
        }
        return new Checked(ascii, null);
    }

    private static String labelProblem(String label) {
        if (label.isEmpty()) {
            return "domain has consecutive dots";
        }
        if (label.length() > MAX_LABEL) {
            return "domain label longer than " + MAX_LABEL + " characters";
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c != '-' && !isAsciiLetterOrDigit(c)) {
                return "domain contains '" + c + "'";
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            return "domain label starts or ends with a hyphen";
        }
        return null;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
