package io.mailcast.lab;

import io.mailcast.cli.CapturedRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bench flags refused before anything starts: one line, exit 2. */
class BenchCommandLineTest {

    @Test
    void aPopulationTooSmallForTheLargestSizeIsOneLine() {
        CapturedRun run = CapturedRun.of(new LabMain(), "bench", "--recipients", "1000,3000", "--population", "4000");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("error: --population 4000 is too small: 3000 recipients need at least "
                + "4500 documents (two thirds subscribed)");
    }
}
