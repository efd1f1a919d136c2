package io.mailcast.sender.smtp;

/**
 * A UTF-8 body sent as it is ({@code Content-Transfer-Encoding: 8bit}) to a relay that offers 8BITMIME (RFC 6152):
 * only line ends are made CRLF, so the body costs a copy instead of an encoding. RFC 5322 still limits a line to 998
 * bytes and forbids NUL; a body that breaks either is left to quoted-printable.
 */
final class EightBitText {

    private static final int MAX_LINE = 998;

    private EightBitText() {
    }

    /**
     * Appends {@code text} with CRLF line ends and returns true; returns false, with a partial copy appended that the
     * caller must cut off, when a line is too long or a NUL byte is found.
     */
    static boolean encode(byte[] text, WireBuffer out) {
        // Each line end becomes at most two bytes.
        byte[] buf = out.spaceFor(text.length * 2);
        int pos = out.size();
        int line = 0;
        for (int i = 0; i < text.length; i++) {
            byte b = text[i];
            if (b == '\r' || b == '\n') {
                i = lineBreakEnd(text, i);
                buf[pos++] = '\r';
                buf[pos++] = '\n';
                line = 0;
            } else if (b == 0 || ++line > MAX_LINE) {
                return false;
            } else {
                buf[pos++] = b;
            }
        }
        out.advanceTo(pos);
        return true;
    }

    /** For a line break (CR, LF or CRLF) starting at {@code i}: the index of its last byte. */
    static int lineBreakEnd(byte[] text, int i) {
        return text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n' ? i + 1 : i;
    }
}
