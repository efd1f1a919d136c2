package io.mailcast.sender.smtp;

import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable body encoding (RFC 2045 6.7) straight into wire bytes: CRLF hard line breaks, soft breaks
 * before 76 characters, trailing blanks encoded, and a "." that would start a line encoded as {@code =2E}, so the
 * output never needs SMTP dot-stuffing. Its only "=" are escapes and soft breaks, so it never contains "=_", the
 * prefix of {@link MimeWriter}'s boundaries.
 */
final class QuotedPrintable {

    private static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /** Appends {@code text}, the UTF-8 bytes of a body with any line ending, encoded; ends without a line break. */
    static void encode(byte[] text, WireBuffer out) {
        // Worst case: every byte escaped, plus a soft break ("=" CRLF) per 25 escapes.
        byte[] buf = out.spaceFor(text.length * 3 + (text.length / 25 + 1) * 3);
        int pos = out.size();
        int column = 0;
        for (int i = 0; i < text.length; i++) {
            int b = text[i] & 0xFF;
            if (b == '\r' || b == '\n') {
                i = EightBitText.lineBreakEnd(text, i);
                buf[pos++] = '\r';
                buf[pos++] = '\n';
                column = 0;
                continue;
            }
            boolean literal = (b > ' ' && b < 127 && b != '=' && !(b == '.' && column == 0))
                    || ((b == ' ' || b == '\t') && !endsLine(text, i + 1));
            int width = literal ? 1 : 3;
            // Leave room for the "=" of the soft break.
            if (column + width > MAX_LINE - 1) {
                buf[pos++] = '=';
                buf[pos++] = '\r';
                buf[pos++] = '\n';
                column = 0;
                if (b == '.') {
                    literal = false;
                    width = 3;
                }
            }
            if (literal) {
                buf[pos++] = (byte) b;
            } else {
                buf[pos++] = '=';
                buf[pos++] = HEX[b >> 4];
                buf[pos++] = HEX[b & 0xF];
            }
            column += width;
        }
        out.advanceTo(pos);
    }

    private static boolean endsLine(byte[] text, int next) {
        return next == text.length || text[next] == '\r' || text[next] == '\n';
    }
}
