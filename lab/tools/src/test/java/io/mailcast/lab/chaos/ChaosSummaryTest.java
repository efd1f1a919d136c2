package io.mailcast.lab.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary after the rounds: per kind and in total, how many times the uncertain figure exceeds the duplicates. */
class ChaosSummaryTest {

    @Test
    void summaryGivesTheUncertainToDuplicatesRatioPerKindAndInTotal() {
        List<ChaosCommand.RoundResult> results = List.of(
                round(1, ChaosCommand.Kind.kill, 50, 200, List.of()),
                round(2, ChaosCommand.Kind.kill, 30, 100, List.of()),
                round(3, ChaosCommand.Kind.term, 0, 0, List.of()),
                round(4, ChaosCommand.Kind.relaydrop, 20, 20, List.of("something broke")));

        List<String> lines = ChaosCommand.summary(results);

        assertThat(lines).containsExactly(
                "chaos summary kill      rounds=2 failed=0 missing=0 duplicates=80 uncertain=300 uncertain/dup=3.75"
                        + " (uncertain is 3.75x the real duplicates)",
                "chaos summary relaydrop rounds=1 failed=1 missing=0 duplicates=20 uncertain=20 uncertain/dup=1.00"
                        + " (uncertain is 1.00x the real duplicates)",
                "chaos summary term      rounds=1 failed=0 missing=0 duplicates=0 uncertain=0 uncertain/dup=-",
                "chaos summary all       rounds=4 failed=1 missing=0 duplicates=100 uncertain=320 uncertain/dup=3.20"
                        + " (uncertain is 3.20x the real duplicates)");
        assertThat(results.get(0).line(4)).contains("duplicates=50 uncertain=200 uncertain/dup=4.00");
    }

    private static ChaosCommand.RoundResult round(int n, ChaosCommand.Kind kind, long duplicates, long uncertain,
                                                  List<String> problems) {
        return new ChaosCommand.RoundResult(n, kind, "c" + n, 1000, 1000 + duplicates, 0, duplicates, uncertain, 1000,
                0, 10, problems, List.of());
    }
}
