package io.mailcast.subscriber;

import java.util.Locale;

/**
 * The one form of an address that suppression (and de-duplication) compare: surrounding whitespace stripped, the domain
 * lower-cased, the local part kept as it is. RFC 5321 lets a mailbox's local part be case-sensitive, so
 * {@code Ann@example.com} and {@code ann@example.com} may be two people; the domain never is. Nothing else is folded:
 * no dots or {@code +tags} removed (that is one provider's rule, not the standard), and an international domain is
 * compared as written, so its Unicode and punycode spellings are different entries.
 */
public final class AddressNormalizer {

    private AddressNormalizer() {
    }

    /** The normalised form; text without an {@code @} is only stripped (it is no address, and matches nothing). */
    public static String normalize(String address) {
        String stripped = address.strip();
        // The last @ separates the domain: a quoted local part may itself contain @.
        int at = stripped.lastIndexOf('@');
        if (at < 0) {
            return stripped;
        }
        return stripped.substring(0, at + 1) + stripped.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
