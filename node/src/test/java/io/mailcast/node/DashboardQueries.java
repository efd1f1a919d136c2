package io.mailcast.node;

import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Grafana dashboard (JSON) and names the Prometheus series its queries use, so that a test can hold them
 * against what a node exports: {@link #exportedNames(String)} reads those from a scrape of {@code /metrics}.
 *
 * <p>The names are pulled out of PromQL by a small scanner, not a full parser: every identifier that is not a
 * function or aggregation (anything followed by {@code (}), a keyword or operator ({@code by}, {@code on}, {@code or},
 * {@code bool}, …), a label name in {@code by/without/on/ignoring/group_left/group_right (…)}, inside a matcher
 * {@code {…}}, a range or subquery {@code […]}, a string, a number or duration, a Grafana variable ({@code $x},
 * {@code ${x}}) or a comment. A matcher {@code __name__="x"} (or a quoted name, {@code {"x"}}) names {@code x} too.
 * The JSON itself is read with {@link Document#parse(String)} (the BSON library the node already reads its relays
 * file with).
 */
final class DashboardQueries {

    /** Keywords, operators and the usual functions and aggregations: never metric names, even without a {@code (}. */
    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
            "atan2", "inf", "nan", "le", "start", "end", "step", "range", "interval",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio",
            "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "resets", "changes",
            "histogram_quantile", "histogram_count", "histogram_sum", "histogram_avg", "histogram_fraction",
            "abs", "ceil", "floor", "round", "sqrt", "exp", "ln", "log2", "log10", "sgn", "clamp", "clamp_min",
            "clamp_max", "absent", "absent_over_time", "present_over_time", "label_replace", "label_join", "vector",
            "scalar", "time", "timestamp", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc",
            "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time", "mad_over_time",
            "label_values", "query_result");

    /** Keywords followed by a parenthesised list of label names. */
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Pattern NAME_MATCHER = Pattern.compile("^__name__\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"$", Pattern.DOTALL);
    private static final Pattern QUOTED_NAME = Pattern.compile("^\"((?:[^\"\\\\]|\\\\.)*)\"$", Pattern.DOTALL);
    private static final Pattern CALL = Pattern.compile("^\\s*(label_values|query_result)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

    private DashboardQueries() {
    }

    /** A panel's place on the dashboard's 24-column grid. */
    record GridPos(int x, int y, int w, int h) {

        boolean overlaps(GridPos other) {
            return x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h;
        }
    }

    /** One panel: rows too (type {@code row}, no queries); {@code gridPos} is null when the JSON has none. */
    record Panel(int id, String title, String type, GridPos gridPos, List<String> exprs) {

        boolean isRow() {
            return "row".equals(type);
        }
    }

    /** Every panel, rows and the panels inside collapsed rows included, in the order of the file. */
    static List<Panel> panels(Path dashboardJson) {
        List<Panel> out = new ArrayList<>();
        collectPanels(read(dashboardJson).get("panels"), out);
        return out;
    }

    /**
     * Panel title to the metric names its queries ({@code targets[].expr}) use; rows are left out. Titles must be
     * unique: two panels of one title would be merged silently otherwise, so that is refused.
     */
    static Map<String, Set<String>> metricNamesByPanel(Path dashboardJson) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Panel panel : panels(dashboardJson)) {
            if (panel.isRow()) {
                continue;
            }
            Set<String> names = new TreeSet<>();
            panel.exprs().forEach(expr -> names.addAll(metricNames(expr)));
            if (out.put(panel.title(), names) != null) {
                throw new IllegalArgumentException(dashboardJson + ": two panels are titled \"" + panel.title() + "\"");
            }
        }
        return out;
    }

    /** Template variable ({@code $name}) to the metric names its query uses, for variables of type {@code query}. */
    static Map<String, Set<String>> metricNamesByVariable(Path dashboardJson) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Object templating = read(dashboardJson).get("templating");
        Object list = templating instanceof Document d ? d.get("list") : null;
        for (Object v : list instanceof List<?> l ? l : List.of()) {
            if (v instanceof Document variable && "query".equals(variable.get("type"))) {
                Object query = variable.get("query");
                String text = query instanceof Document q ? q.getString("query")
                        : query instanceof String s ? s : variable.getString("definition");
                out.put("$" + variable.getString("name"), text == null ? Set.of() : variableMetricNames(text));
            }
        }
        return out;
    }

    /** A variable query: {@code label_values(expr, label)}, {@code query_result(expr)} or plain PromQL. */
    static Set<String> variableMetricNames(String query) {
        Matcher call = CALL.matcher(query);
        if (!call.matches()) {
            return metricNames(query);
        }
        String args = call.group(2);
        if (call.group(1).equals("query_result")) {
            return metricNames(args);
        }
        int comma = lastTopLevelComma(args);
        return comma < 0 ? Set.of() : metricNames(args.substring(0, comma)); // label_values(label) names no series
    }

    /** The metric names one PromQL expression uses (Grafana variables allowed), sorted. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        int n = expr.length();
        int i = 0;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                int end = skipBalanced(expr, i, '{', '}');
                names.addAll(namesInMatchers(expr.substring(i + 1, end - 1)));
                i = end;
            } else if (c == '[') {
                i = skipBalanced(expr, i, '[', ']');
            } else if (c == '$') {
                i = skipVariable(expr, i);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                i = skipNumber(expr, i);
            } else if (isIdentifierStart(c)) {
                int start = i;
                while (i < n && isIdentifierPart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                String lower = word.toLowerCase(Locale.ROOT);
                int next = skipSpaces(expr, i);
                boolean call = next < n && expr.charAt(next) == '(';
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    if (call) {
                        i = skipBalanced(expr, next, '(', ')');
                    }
                } else if (!call && !KEYWORDS.contains(lower)) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    /**
     * The names of the samples in a Prometheus text scrape ({@code name{labels} value}): histogram and summary
     * series as they appear, {@code _bucket}, {@code _count}, {@code _sum}; comments and blank lines skipped.
     */
    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && isIdentifierPart(line.charAt(end))) {
                end++;
            }
            if (end > 0) {
                names.add(line.substring(0, end));
            } else if (line.startsWith("{")) {
                namesInMatchers(line.substring(1, skipBalanced(line, 0, '{', '}') - 1)).forEach(names::add);
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ JSON

    private static Document read(Path dashboardJson) {
        try {
            return Document.parse(Files.readString(dashboardJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectPanels(Object panels, List<Panel> out) {
        if (!(panels instanceof List<?> list)) {
            return;
        }
        for (Object p : list) {
            if (!(p instanceof Document panel)) {
                continue;
            }
            List<String> exprs = new ArrayList<>();
            if (panel.get("targets") instanceof List<?> targets) {
                for (Object t : targets) {
                    if (t instanceof Document target && target.get("expr") instanceof String expr && !expr.isBlank()) {
                        exprs.add(expr);
                    }
                }
            }
            GridPos grid = panel.get("gridPos") instanceof Document g
                    ? new GridPos(number(g, "x"), number(g, "y"), number(g, "w"), number(g, "h")) : null;
            int id = panel.get("id") instanceof Number number ? number.intValue() : -1;
            out.add(new Panel(id, String.valueOf(panel.get("title")), String.valueOf(panel.get("type")), grid, List.copyOf(exprs)));
            collectPanels(panel.get("panels"), out); // a collapsed row holds its panels
        }
    }

    private static int number(Document d, String key) {
        return d.get(key) instanceof Number number ? number.intValue() : 0;
    }

    // ------------------------------------------------------------------ PromQL scanning

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** From an opening quote to just past its closing one; backslash escapes in "…" and '…', none in `…`. */
    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return s.length();
    }

    /** From an opening bracket to just past its matching closing one, strings skipped. */
    private static int skipBalanced(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** {@code $name}, {@code ${name}}, {@code ${name:format}}. */
    private static int skipVariable(String s, int i) {
        i++;
        if (i < s.length() && s.charAt(i) == '{') {
            return skipBalanced(s, i, '{', '}');
        }
        while (i < s.length() && isIdentifierPart(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A number or duration: 0.95, 1e-3, 0x1f, 5m, 1h30m. */
    private static int skipNumber(String s, int i) {
        boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!hex && (c == 'e' || c == 'E') && i + 1 < s.length() && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
                i += 2;
            } else if (isIdentifierPart(c) || c == '.') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** Metric names a matcher list names itself: {@code __name__="x"} or a quoted name alone, {@code "x"}. */
    private static List<String> namesInMatchers(String matchers) {
        List<String> names = new ArrayList<>();
        for (String element : splitTopLevel(matchers)) {
            Matcher m = NAME_MATCHER.matcher(element.strip());
            Matcher q = QUOTED_NAME.matcher(element.strip());
            if (m.matches()) {
                names.add(unescape(m.group(1)));
            } else if (q.matches()) {
                names.add(unescape(q.group(1)));
            }
        }
        return names;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int depth = 0;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static int lastTopLevelComma(String s) {
        int at = -1;
        int position = 0;
        List<String> parts = splitTopLevel(s);
        for (int k = 0; k < parts.size() - 1; k++) {
            position += parts.get(k).length();
            at = position;
            position++;
        }
        return at;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c == '\\' && i + 1 < s.length() ? s.charAt(++i) : c);
        }
        return out.toString();
    }
}
