package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.subscriber.Audience;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** --version, shell completion and the live status view. */
class CliPolishTest {

    private static EmbeddedMongo mongo;

    @BeforeAll
    static void startMongo() {
        mongo = EmbeddedMongo.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @Test
    void versionNamesTheReleaseAndTheGitRevisionOnEveryCommand() {
        CapturedRun top = CliRunner.run("--version");
        CapturedRun sub = CliRunner.run("status", "--version");

        assertThat(top.code()).isEqualTo(Cli.OK);
        // The revision is a hash in a git checkout and "unknown" outside one; never an unfilled placeholder.
        assertThat(top.out().lines().findFirst().orElseThrow())
                .matches("Mailcast coordinator \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(git revision ([0-9a-f]{7,}|unknown)\\)");
        assertThat(top.out()).contains("Java " + Runtime.version());
        assertThat(sub.out()).isEqualTo(top.out());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CapturedRun r = CliRunner.run("completion");

        assertThat(r.code()).isEqualTo(Cli.OK);
        assertThat(r.out()).startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_coordinator")
                .contains("submit").contains("retry-failed").contains("set-rate").contains("--watch");
        assertThat(CliRunner.run("help").out()).contains("completion");
    }

    @Test
    void watchDrawsTheFirstFrameBeforeJoiningTheClusterAndTheLastFromTheFinalFigures() throws Exception {
        Instant started = Instant.now();
        try (var connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            new MongoCampaignStore(connection).insertIfAbsent(new Campaign("watch-1", "S", "a@example.com", null, "t", null,
                    Audience.SUBSCRIBED, 10, CampaignState.RUNNING, null, 1_000, 10, started, started, null));
        }
        var bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        CompletableFuture<Integer> code;
        long firstFrameNanos;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            // No cluster answers at port 1: joining it takes the whole connect timeout (4 s).
            code = CompletableFuture.supplyAsync(() -> Cli.execute(new CoordinatorCommand(), "status", "watch-1", "--watch",
                    "--interval-ms", "100", "--mongo-uri", mongo.uri(), "--members", "127.0.0.1:1",
                    "--connect-timeout-seconds", "4"));
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("watch-1 RUNNING"));
            firstFrameNanos = System.nanoTime() - t0;
            try (var connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
                assertThat(new MongoCampaignStore(connection).completed("watch-1", new ChunkCounts(990, 10, 0, 0, 0, 0), Instant.now()))
                        .isTrue();
            }
            assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(Cli.OK);
        } finally {
            System.setOut(out);
        }
        long totalNanos = System.nanoTime() - t0;
        String printed = bytes.toString(StandardCharsets.UTF_8);

        // The first frame came while the CLI was still trying to join the cluster.
        assertThat(Duration.ofNanos(totalNanos - firstFrameNanos)).isGreaterThan(Duration.ofSeconds(2));
        assertThat(printed.lines().findFirst().orElseThrow()).startsWith("watch-1 RUNNING").contains("eta=estimating…");
        // The last frame is the completed campaign, not the last running one.
        assertThat(printed).contains("watch-1 COMPLETED").contains("campaign watch-1  COMPLETED");
        assertThat(printed.lines().filter(l -> l.startsWith("watch-1 RUNNING")).count()).isEqualTo(1);
    }
}
