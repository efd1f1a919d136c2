package io.mailcast.message;

/**
 * What one message may hold. The defaults keep a message well inside what relays take (most refuse 25-50 MB, and
 * many more than 50-100 recipients per message) while leaving room for receipts and newsletters.
 *
 * @param maxRecipients  recipients in to and cc together
 * @param maxBodyBytes   text and HTML together, in UTF-8
 * @param maxSubjectChars subject length; RFC 5322 lines stop at 998, and the subject is folded, but no reader shows more
 */
public record MessageLimits(int maxRecipients, int maxBodyBytes, int maxSubjectChars, int maxHeaders,
                            int maxHeaderValueChars, int maxTags, int maxTagChars) {

    public static final MessageLimits DEFAULT = new MessageLimits(50, 900 * 1024, 998, 20, 998, 10, 64);

    public MessageLimits {
        if (maxRecipients < 1 || maxBodyBytes < 1 || maxSubjectChars < 1 || maxHeaders < 0 || maxHeaderValueChars < 1
                || maxTags < 0 || maxTagChars < 1) {
            throw new IllegalArgumentException("message limits must be positive");
        }
    }
}
