package io.mailcast.lab;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** Pieces shared by the demo and the benchmark: the example campaign, submitting, and waiting for the end. */
final class LocalRun {

    private LocalRun() {
    }

    static Campaign exampleCampaign(String id, int chunkSize) {
        return new Campaign(id, "{{name}}, what's new at Mailcast", "Mailcast News <news@mailcast.example>", null,
                resource("demo/newsletter.txt.mustache"), resource("demo/newsletter.html.mustache"),
                Audience.SUBSCRIBED, chunkSize, CampaignState.PLANNING, null, 0, 0, Instant.now(), null, null);
    }

    static HazelcastInstance client(String clusterName, int basePort, int count) {
        List<String> members = IntStream.range(0, count).mapToObj(i -> "127.0.0.1:" + (basePort + i)).toList();
        return HazelcastClient.newHazelcastClient(
                HazelcastConfigs.client(ClusterConfig.local(clusterName, members), Duration.ofSeconds(60)));
    }

    static Campaign submit(MongoConnection mongo, ChunkBoard board, Campaign draft) {
        return new CampaignSubmitter(new MongoCampaignStore(mongo), new MongoChunkStore(mongo), board,
                new MongoSubscriberSource(mongo), Clock.systemUTC()).submit(draft).campaign();
    }

    /** Polls the store until the campaign is final, handing each reading to {@code onProgress}. */
    static CampaignProgress awaitEnd(MongoConnection mongo, String id, Duration poll, Duration timeout,
                                     Consumer<CampaignProgress> onProgress) throws InterruptedException {
        MongoCampaignStore campaigns = new MongoCampaignStore(mongo);
        MongoChunkStore chunks = new MongoChunkStore(mongo);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("campaign " + id + " did not finish within " + timeout.toSeconds()
                        + " s; see the node logs");
            }
            Campaign c = campaigns.find(id).orElseThrow();
            CampaignProgress p = CampaignProgress.of(c, chunks.load(id), Instant.now());
            onProgress.accept(p);
            if (c.state().isFinal()) {
                return p;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** Forgets earlier runs' deliveries and chunks, keeping the subscribers. */
    static void clearRuns(MongoConnection mongo) {
        List<String> existing = mongo.database().listCollectionNames().into(new ArrayList<>());
        for (String name : List.of(Collections.DELIVERIES, Collections.CHUNKS, Collections.CAMPAIGNS)) {
            if (existing.contains(name)) {
                mongo.database().getCollection(name).drop();
            }
        }
        mongo.ensureIndexes();
    }

    private static String resource(String name) {
        try (InputStream in = LocalRun.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
