package io.mailcast.sender.smtp;

import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;

/**
 * Turns untrusted text (subscriber names, rendered subjects, header values) into text that cannot start a new
 * header line, however the line break is written.
 *
 * <p>Choice: sanitise rather than reject. Every line break or control character (CR, LF, TAB, the rest of C0, DEL,
 * C1 including NEL U+0085, and the Unicode separators U+2028/U+2029) becomes a space, so a subscriber with a
 * strange name still gets the mail, just without the injected header. RFC 2047 encoded-words are decoded first
 * (an encoded {@code =0D=0A} is a line break too) and the result re-encoded by Jakarta Mail.
 */
final class HeaderText {

    // Nested encodings are decoded a few rounds deep; anything deeper is broken up below.
    private static final int DECODE_ROUNDS = 3;

    private HeaderText() {
    }

    /** {@code value} decoded, with every line break and control character replaced by a space; null stays null. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String decoded = decodeEncodedWords(value);
        StringBuilder out = new StringBuilder(decoded.length());
        decoded.codePoints().forEach(cp -> out.appendCodePoint(isLineBreakOrControl(cp) ? ' ' : cp));
        // An encoded-word left after decoding (malformed, nested too deep, or glued to a word, which strict
        // decoding skips) is broken up so that no lenient mail reader decodes it into a line break later.
        return out.toString().replace("=?", "= ?").strip();
    }

    /** A cleaned, RFC 2047 encoded (when not ASCII) and folded value for an unstructured header. */
    static String encode(String headerName, String value) {
        try {
            return MimeUtility.fold(headerName.length() + 2,
                    MimeUtility.encodeText(clean(value), StandardCharsets.UTF_8.name(), null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static String decodeEncodedWords(String value) {
        String current = value;
        for (int round = 0; round < DECODE_ROUNDS && current.contains("=?"); round++) {
            String decoded;
            try {
                decoded = MimeUtility.decodeText(current);
            } catch (UnsupportedEncodingException e) {
                return current; // unknown charset: keep the raw text, which is then cleaned as is
            }
            if (decoded.equals(current)) {
                break;
            }
            current = decoded;
        }
        return current;
    }

    private static boolean isLineBreakOrControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
