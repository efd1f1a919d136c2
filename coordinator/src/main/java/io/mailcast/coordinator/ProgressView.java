package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.delivery.UncertainCause;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Prints campaign progress: a redrawn block with a progress bar on a terminal, one plain line per update otherwise,
 * or one JSON object per update.
 */
public final class ProgressView {

    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean json;
    private final boolean terminal;
    private int linesDrawn;

    public ProgressView(PrintStream out, boolean json, boolean terminal) {
        this.out = out;
        this.json = json;
        this.terminal = terminal;
    }

    public static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    /** A one-off report. */
    void show(CampaignProgress p, NodeFigures.Result nodes) {
        if (json) {
            out.println(p.toJson());
        } else {
            block(p).forEach(out::println);
            nodeLines(nodes).forEach(out::println);
        }
    }

    /** A live update. */
    public void update(CampaignProgress p, NodeFigures.Result nodes) {
        if (json) {
            out.println(p.toJson());
        } else if (terminal) {
            if (linesDrawn > 0) {
                out.print("\033[" + linesDrawn + "F\033[J");
            }
            List<String> lines = new ArrayList<>(block(p));
            lines.addAll(nodeLines(nodes));
            lines.forEach(out::println);
            linesDrawn = lines.size();
        } else {
            out.println(line(p));
        }
        out.flush();
    }

    /** One line per node: what it sent, how fast, what it holds now. */
    static List<String> nodeLines(NodeFigures.Result nodes) {
        List<String> lines = new ArrayList<>();
        if (nodes.note() != null) {
            lines.add("  " + nodes.note());
        }
        for (var n : nodes.nodes()) {
            lines.add(String.format("  node %-21s sent %,10d  failed %,d  invalid %,d  retried %,d  %,7.0f/s  in flight %,d  chunks %d",
                    n.address(), n.sent(), n.failed(), n.invalid(), n.retried(), n.perSecond(), n.inFlight(), n.activeChunks()));
        }
        return lines;
    }

    /** After the last update: a full block unless it is already on screen. */
    void finish(CampaignProgress p) {
        if (!json && !terminal) {
            block(p).forEach(out::println);
        }
    }

    static List<String> block(CampaignProgress p) {
        ChunkCounts c = p.counts();
        String reason = p.campaign().stateReason() == null ? "" : " (" + p.campaign().stateReason() + ")";
        return List.of(
                "campaign " + p.campaign().id() + "  " + p.campaign().state() + reason + senders(p),
                progress(p),
                String.format("  eligible %,d   sent %,d   failed %,d   invalid %,d   suppressed %,d   skipped %,d%s   uncertain %,d%s",
                        p.campaign().eligible(), c.sent(), c.failed(), c.invalid(), c.suppressed(), c.skipped(),
                        unverified(p, "   unverified %,d"), c.uncertain(), causes(p, " (", ")")),
                String.format("  remaining %,d   rate %,.0f/s   ETA %s   chunks %,d/%,d done, %,d in progress",
                        p.remaining(), p.perSecond(), eta(p), p.chunksDone(), p.campaign().chunks(), p.chunksOwned()),
                String.format("  unsubscribed %,d   bounced %,d (hard %,d)   complaints %,d",
                        p.reactions().unsubscribed(), p.reactions().bounced(), p.reactions().hardBounced(),
                        p.reactions().complaints()));
    }

    /** Which senders delivered it; a simulated one is called out, since those recipients got nothing. */
    static String senders(CampaignProgress p) {
        if (p.senders().isEmpty()) {
            return "";
        }
        return p.simulated() ? "  SIMULATED (sender " + String.join(", ", p.senders()) + "; nothing really sent)"
                : "  sender " + String.join(", ", p.senders());
    }

    static String line(CampaignProgress p) {
        ChunkCounts c = p.counts();
        return String.format("%s %s %.1f%% sent=%d failed=%d invalid=%d suppressed=%d skipped=%d%s uncertain=%d%s remaining=%d "
                        + "rate=%.0f/s eta=%s", p.campaign().id(), p.campaign().state(), p.percent(), c.sent(), c.failed(),
                c.invalid(), c.suppressed(), c.skipped(), unverified(p, " unverified=%d"), c.uncertain(),
                causes(p, " (", ")"), p.remaining(), p.perSecond(), eta(p));
    }

    /** Shown for campaigns that require validation (and any that has unverified recipients): others never have any. */
    private static String unverified(CampaignProgress p, String format) {
        long n = p.counts().unverified();
        return p.campaign().validation() == null && n == 0 ? "" : String.format(format, n);
    }

    /**
     * What the uncertain figure consists of, e.g. {@code (node died 3, relay connection lost 2)}: flagged deliveries by
     * cause. Empty while nothing is uncertain, or when the causes were not counted.
     */
    static String causes(CampaignProgress p, String open, String close) {
        if (p.uncertainByCause().isEmpty() || (p.counts().uncertain() == 0
                && p.uncertainByCause().values().stream().allMatch(n -> n == 0))) {
            return "";
        }
        StringJoiner joined = new StringJoiner(", ", open, close);
        for (UncertainCause cause : UncertainCause.values()) {
            joined.add(String.format("%s %,d", cause.label().replace('-', ' '), p.uncertainByCause().getOrDefault(cause, 0L)));
        }
        return joined.toString();
    }

    /** The bar; while planning there is no total to measure against yet, so it says so instead. */
    private static String progress(CampaignProgress p) {
        if (p.campaign().state() == CampaignState.PLANNING) {
            return "  planning: finding the eligible recipients and writing chunks; nothing is sent yet";
        }
        return bar(p.percent()) + String.format(" %5.1f%%", p.percent());
    }

    private static String bar(double percent) {
        int filled = (int) Math.round(percent / 100 * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    static String eta(CampaignProgress p) {
        if (p.estimating()) {
            return "estimating…";
        }
        Duration eta = p.eta();
        if (eta == null) {
            return "-";
        }
        long s = eta.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
