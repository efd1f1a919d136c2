package io.mailcast.sender.smtp;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns untrusted text (subscriber names, rendered subjects, header values) into text that cannot start a new
 * header line, however the line break is written.
 *
 * <p>Choice: sanitise rather than reject. Every line break or control character (CR, LF, TAB, the rest of C0, DEL,
 * C1 including NEL U+0085, and the Unicode separators U+2028/U+2029) becomes a space, so a subscriber with a
 * strange name still gets the mail, just without the injected header. RFC 2047 encoded-words are decoded first
 * (an encoded {@code =0D=0A} is a line break too) and the result re-encoded by Jakarta Mail.
 *
 * <p>Subjects and display names are also kept to lines of {@value #PREFERRED_LINE} characters whatever their length:
 * what Jakarta Mail cannot fold (it folds only at spaces) goes as encoded-words, one per line.
 */
final class HeaderText {

    /** RFC 5322's preferred line length, CRLF not counted; its limit, 998, is then never near. */
    static final int PREFERRED_LINE = 78;

    // Nested encodings are decoded a few rounds deep; anything deeper is broken up below.
    private static final int DECODE_ROUNDS = 3;
    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    // RFC 2047: an encoded-word is at most 75 characters, 12 of them "=?UTF-8?B?" and "?=".
    private static final int MAX_ENCODED_WORD = 75;
    private static final int ENCODED_WORD_OVERHEAD = 12;
    // Room for 6 bytes: any code point (4 bytes at most) fits in a word.
    private static final int MIN_ENCODED_WORD = ENCODED_WORD_OVERHEAD + 8;

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

    /**
     * A cleaned, RFC 2047 encoded (when not ASCII) and folded value. Folded at spaces only, so that a structured value
     * such as List-Unsubscribe's {@code <https://…>} stays intact: a word longer than a line stays on one line.
     */
    static String encode(String headerName, String value) {
        return encodedAndFolded(headerName.length() + 2, clean(value));
    }

    /**
     * Free text, such as the rendered subject, in lines of at most {@value #PREFERRED_LINE} characters whatever it
     * holds: text with no space to fold at goes as encoded-words, which RFC 2047 allows in unstructured headers.
     */
    static String text(String headerName, String value) {
        String cleaned = clean(value);
        int used = headerName.length() + 2;
        String folded = encodedAndFolded(used, cleaned);
        return fits(used, folded) ? folded : encodedWords(used, cleaned);
    }

    private static String encodedAndFolded(int used, String cleaned) {
        try {
            return MimeUtility.fold(used, MimeUtility.encodeText(cleaned, UTF_8, null));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /**
     * A mailbox header value, {@code Name <address>} or the bare address, in lines of at most {@value #PREFERRED_LINE}
     * characters whatever the name: a name that does not fit goes as encoded-words, folded between them.
     *
     * @param asciiAddress an address already checked and in ASCII form
     * @param displayName  untrusted; cleaned here, {@code null} or blank for none
     */
    static String mailbox(String headerName, String asciiAddress, String displayName) {
        String name = clean(displayName);
        if (name == null || name.isEmpty()) {
            return asciiAddress;
        }
        int used = headerName.length() + 2;
        String whole;
        try {
            whole = new InternetAddress(asciiAddress, name, UTF_8).toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        if (fits(used, whole)) {
            return whole;
        }
        String angle = "<" + asciiAddress + ">";
        String phrase = whole.substring(0, whole.length() - angle.length() - 1);
        // Encoded-words and plain words fold at their spaces; a quoted name is not folded inside its quotes.
        String folded = phrase.startsWith("\"") ? phrase : MimeUtility.fold(used, phrase);
        String shown = fits(used, folded) ? folded : encodedWords(used, name);
        int lastBreak = shown.lastIndexOf("\r\n");
        int lastLine = lastBreak < 0 ? used + shown.length() : shown.length() - lastBreak - 2;
        return shown + (lastLine + 1 + angle.length() <= PREFERRED_LINE ? " " : "\r\n ") + angle;
    }

    /** Whether every line of {@code value}, the first one after {@code used} characters, is short enough. */
    private static boolean fits(int used, String value) {
        int lineStart = -used;
        for (int i = value.indexOf("\r\n"); i >= 0; i = value.indexOf("\r\n", i + 2)) {
            if (i - lineStart > PREFERRED_LINE) {
                return false;
            }
            lineStart = i + 2;
        }
        return value.length() - lineStart <= PREFERRED_LINE;
    }

    /**
     * The text as base64 encoded-words of UTF-8, one per line: the way to fold a value with no space where folding
     * could happen (a 1,200-character name), which readers decode back to the same text (RFC 2047: the space between
     * adjacent encoded-words is not part of the text). Words end on code point boundaries, as RFC 2047 requires.
     */
    private static String encodedWords(int used, String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        // The first word shares its line with the header name: after a very long name it still holds a code point.
        int room = Math.max(MIN_ENCODED_WORD, Math.min(MAX_ENCODED_WORD, PREFERRED_LINE - used));
        int start = 0;
        while (start < text.length()) {
            int maxBytes = (room - ENCODED_WORD_OVERHEAD) / 4 * 3;
            int end = start;
            int bytes = 0;
            while (end < text.length()) {
                int codePoint = text.codePointAt(end);
                int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
                if (bytes + size > maxBytes) {
                    break;
                }
                bytes += size;
                end += Character.charCount(codePoint);
            }
            if (!out.isEmpty()) {
                out.append("\r\n ");
            }
            out.append("=?UTF-8?B?")
                    .append(Base64.getEncoder().encodeToString(text.substring(start, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            start = end;
            room = MAX_ENCODED_WORD;
        }
        return out.toString();
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
