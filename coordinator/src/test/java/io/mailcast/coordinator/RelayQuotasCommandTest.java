package io.mailcast.coordinator;

import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.quota.QuotaWindow;
import io.mailcast.store.MongoQuotaLedger;
import io.mailcast.testing.MongoFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code relay quotas} reads the ledger nodes write, from MongoDB alone (no member needs to run). */
class RelayQuotasCommandTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    @BeforeEach
    void empty() {
        mongo.dropAll();
    }

    @Test
    void showsEachRelaysHourAndDayAsUsedOfCap() {
        QuotaWindow hour = QuotaWindow.current(QuotaWindow.Kind.HOUR, Clock.systemUTC());
        QuotaWindow day = QuotaWindow.current(QuotaWindow.Kind.DAY, Clock.systemUTC());
        var ledger = new MongoQuotaLedger(mongo.connection());
        ledger.take("primary", hour, 120, 120);
        ledger.take("primary", day, 1_000, 300);
        ledger.take("backup", day, 5_000, 42);
        QuotaWindow yesterday = QuotaWindow.containing(QuotaWindow.Kind.DAY, day.start().minusSeconds(1));
        ledger.take("old", yesterday, 10, 10);

        CapturedRun run = CliRunner.run("relay", "quotas", "--mongo-uri", mongo.uri());

        assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
        assertThat(run.out().lines().toList()).containsExactly(
                String.format("%-24s %-24s %-24s", "RELAY", "HOUR " + hour.key(), "DAY " + day.key()),
                String.format("%-24s %-24s %-24s", "backup", "-", "42 / 5000"),
                String.format("%-24s %-24s %-24s", "primary", "120 / 120 used up", "300 / 1000"));
    }

    @Test
    void saysWhenNothingIsCounted() {
        CapturedRun run = CliRunner.run("relay", "quotas", "--mongo-uri", mongo.uri());
        assertThat(run.code()).isEqualTo(Cli.OK);
        assertThat(run.out()).startsWith("no relay quota counted in hour ").contains("only relays with perHour or perDay");
    }
}
