package io.mailcast.coordinator;

import io.mailcast.validation.Money;
import io.mailcast.validation.job.ValidationProgress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code status} of a validation job: plain lines, or one JSON object. */
final class ValidationStatusView {

    private ValidationStatusView() {
    }

    static List<String> lines(ValidationProgress p) {
        List<String> lines = new ArrayList<>();
        lines.add("validation job " + p.job().id() + "  " + (p.finishedAt() == null ? "RUNNING" : "FINISHED "
                + p.finishedAt()) + "  deadline " + (p.job().deadline() == null ? "none" : p.job().deadline()));
        lines.add(String.format("  subscribers %,d in %,d chunks: done %,d (%,d chunks), %,d chunks in progress, backlog %,d",
                p.subscribers(), p.job().chunks(), p.subscribersDone(), p.chunksDone(), p.chunksOwned(), p.backlog()));
        lines.add(String.format("  verified %,d   invalid %,d   confirmed %,d   unchecked %,d", p.tally().verified(),
                p.tally().invalid(), p.tally().confirmed(), p.tally().unchecked()));
        if (p.finishedAt() == null) {
            lines.add(String.format(Locale.ROOT, "  rate %,.1f subscribers/s   ETA %s", p.perSecond(), eta(p)));
        }
        lines.add(String.format("  budget today: %,d calls, %s spent%s", p.today().calls(), Money.format(p.today().micros()),
                p.waitingForBudget() ? "; budget spent, waiting until " + p.budgetResumesAt() : ""));
        return lines;
    }

    private static String eta(ValidationProgress p) {
        Instant eta = p.eta();
        if (eta == null) {
            return p.backlog() == 0 ? "any moment" : "estimating…";
        }
        Duration margin = p.marginToDeadline();
        if (margin == null) {
            return eta.toString();
        }
        return eta + (margin.isNegative()
                ? " (AFTER the deadline by " + human(margin.negated()) + ": raise --validation-concurrency or the budget)"
                : " (" + human(margin) + " before the deadline)");
    }

    static String human(Duration d) {
        long h = d.toHours();
        return h >= 48 ? d.toDays() + " d " + (h % 24) + " h" : h > 0 ? h + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() + " min";
    }

    static String json(ValidationProgress p) {
        Instant eta = p.eta();
        return "{\"validationJob\":" + quote(p.job().id())
                + ",\"state\":" + quote(p.finishedAt() == null ? "RUNNING" : "FINISHED")
                + ",\"deadline\":" + (p.job().deadline() == null ? "null" : quote(p.job().deadline().toString()))
                + ",\"subscribers\":" + p.subscribers() + ",\"subscribersDone\":" + p.subscribersDone()
                + ",\"backlog\":" + p.backlog() + ",\"chunks\":" + p.job().chunks() + ",\"chunksDone\":" + p.chunksDone()
                + ",\"verified\":" + p.tally().verified() + ",\"invalid\":" + p.tally().invalid()
                + ",\"confirmed\":" + p.tally().confirmed() + ",\"unchecked\":" + p.tally().unchecked()
                + ",\"perSecond\":" + String.format(Locale.ROOT, "%.1f", p.perSecond())
                + ",\"eta\":" + (eta == null ? "null" : quote(eta.toString()))
                + ",\"marginSeconds\":" + (p.marginToDeadline() == null ? "null" : p.marginToDeadline().toSeconds())
                + ",\"callsToday\":" + p.today().calls() + ",\"moneyToday\":" + quote(Money.format(p.today().micros()))
                + ",\"waitingForBudget\":" + p.waitingForBudget()
                + ",\"budgetResumesAt\":" + (p.waitingForBudget() ? quote(p.budgetResumesAt().toString()) : "null") + "}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
