package io.mailcast.render;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the tag mistakes JMustache lets through: it keeps a tag with no closing delimiter ("Hello {{#broken",
 * "Hi {{#name}") as literal text, which would then reach every recipient, and it fails on an empty tag with an index
 * error instead of a parse error. Follows delimiter changes ("{{=<% %>=}}") as JMustache does. A stray closing
 * delimiter is not an error: CSS in an HTML template has "}}" of its own.
 */
final class TagCheck {

    private static final Pattern DELIMITER_CHANGE = Pattern.compile("=\\s*(\\S+)\\s+(\\S+)\\s*=");
    private static final int EXCERPT = 24;

    private TagCheck() {
    }

    /** @return what is wrong with the first broken tag, naming its line and column, or {@code null} when none is */
    static String problem(String source) {
        String open = "{{";
        String close = "}}";
        int from = 0;
        while (true) {
            int start = source.indexOf(open, from);
            if (start < 0) {
                return null;
            }
            int contentStart = start + open.length();
            // {{{name}}} closes with three braces; anything shorter is reported by JMustache itself.
            String end = "{{".equals(open) && source.startsWith("{", contentStart) ? "}" + close : close;
            int stop = source.indexOf(end, contentStart);
            int nextOpen = source.indexOf(open, contentStart);
            boolean comment = source.startsWith("!", contentStart);
            if (stop < 0 || (!comment && nextOpen >= 0 && nextOpen < stop)) {
                return "unterminated tag " + excerpt(source, start) + " at " + position(source, start)
                        + ": close it with " + close;
            }
            String content = source.substring(contentStart, stop);
            String name = content.replaceFirst("^[#^/&>!{=]", "").strip();
            if (name.isEmpty() && !comment) {
                return "empty tag " + oneLine(source.substring(start, stop + end.length())) + " at " + position(source, start)
                        + ": put a name in it, e.g. {{name}}";
            }
            if (content.startsWith("=")) {
                Matcher change = DELIMITER_CHANGE.matcher(content);
                if (!change.matches()) {
                    return "invalid delimiter change " + excerpt(source, start) + " at " + position(source, start)
                            + ": write it as {{=<% %>=}}";
                }
                open = change.group(1);
                close = change.group(2);
            }
            from = stop + end.length();
        }
    }

    /** The tag as written, up to the end of its line and at most {@value #EXCERPT} characters. */
    private static String excerpt(String source, int start) {
        int end = Math.min(source.length(), start + EXCERPT);
        int lineBreak = source.indexOf('\n', start);
        if (lineBreak >= 0 && lineBreak < end) {
            end = lineBreak;
        }
        String text = oneLine(source.substring(start, end)).stripTrailing();
        return "'" + text + (end < source.length() && source.charAt(end) != '\n' ? "...'" : "'");
    }

    /** Control characters (a line break, a tab) would break the one-line error message. */
    private static String oneLine(String text) {
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    /** 1-based line and column of {@code index}. */
    private static String position(String source, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (index - lineStart + 1);
    }
}
