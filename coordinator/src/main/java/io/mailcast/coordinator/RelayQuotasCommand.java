package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.quota.QuotaUse;
import io.mailcast.quota.QuotaWindow;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoQuotaLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code coordinator relay quotas}: each relay's hourly and daily quota, used against cap, for the current UTC hour
 * and day, read from {@code relay_quotas} (MongoDB only: it answers while no node runs, e.g. after a full restart).
 */
@Command(name = "quotas", mixinStandardHelpOptions = true,
        description = "Shows how much of each relay's hourly and daily quota the cluster has used in the current UTC "
                + "hour and day (relays with perHour or perDay in the nodes' relays file).")
final class RelayQuotasCommand implements Callable<Integer> {

    private static final String ROW = "%-24s %-24s %-24s%n";

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        QuotaWindow hour = QuotaWindow.current(QuotaWindow.Kind.HOUR, clock);
        QuotaWindow day = QuotaWindow.current(QuotaWindow.Kind.DAY, clock);
        Map<String, QuotaUse[]> byRelay = new TreeMap<>();
        try (MongoConnection mongo = connection.mongo()) {
            MongoQuotaLedger ledger = new MongoQuotaLedger(mongo);
            ledger.uses(hour).forEach(u -> byRelay.computeIfAbsent(u.relay(), r -> new QuotaUse[2])[0] = u);
            ledger.uses(day).forEach(u -> byRelay.computeIfAbsent(u.relay(), r -> new QuotaUse[2])[1] = u);
        }
        if (byRelay.isEmpty()) {
            System.out.println("no relay quota counted in " + hour + " or " + day + " (UTC); only relays with perHour or "
                    + "perDay in the relays file are counted, from their first send in a window");
            return Cli.OK;
        }
        System.out.printf(ROW, "RELAY", "HOUR " + hour.key(), "DAY " + day.key());
        byRelay.forEach((relay, uses) -> System.out.printf(ROW, relay, cell(uses[0]), cell(uses[1])));
        return Cli.OK;
    }

    private static String cell(QuotaUse use) {
        if (use == null) {
            return "-";
        }
        return use.used() + " / " + use.cap() + (use.used() >= use.cap() ? " used up" : "");
    }
}
