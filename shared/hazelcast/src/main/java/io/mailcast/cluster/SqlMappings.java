package io.mailcast.cluster;

import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SQL mappings over Mailcast's maps, so Management Center's SQL browser (or any plain client) can query them without
 * Mailcast's classes. Columns are listed explicitly because a Compact type's schema is unknown to SQL until the first
 * value is written. Column names are the Compact field names of {@link ChunkRecordSerializer} and
 * {@link NodeStatsRecordSerializer}; change them together. Identifiers are case-sensitive; {@code "index"} must be
 * quoted in queries (reserved word).
 */
public final class SqlMappings {

    static final String CHUNKS = chunksMapping(HazelcastChunkBoard.CHUNKS_MAP);
    /** Validation jobs' chunks: the same record, so the same columns (sent = verified, skipped = confirmed, …). */
    static final String VALIDATION_CHUNKS = chunksMapping(HazelcastChunkBoard.VALIDATION_CHUNKS_MAP);

    private static String chunksMapping(String map) {
        return "CREATE OR REPLACE MAPPING \"" + map + "\" ("
                + "\"__key\" VARCHAR, "
                + "\"campaignId\" VARCHAR, "
                + "\"index\" INT, "
                + "\"firstId\" VARCHAR, "
                + "\"firstIncluded\" BOOLEAN, "
                + "\"lastId\" VARCHAR, "
                + "\"planned\" INT, "
                + "\"state\" VARCHAR, "
                + "\"owner\" VARCHAR, "
                + "\"epoch\" BIGINT, "
                + "\"leaseUntil\" BIGINT, "
                + "\"queuedAt\" BIGINT, "
                + "\"reservedThrough\" VARCHAR, "
                + "\"sent\" BIGINT, "
                + "\"failed\" BIGINT, "
                + "\"invalid\" BIGINT, "
                + "\"suppressed\" BIGINT, "
                + "\"skipped\" BIGINT, "
                + "\"uncertain\" BIGINT, "
                + "\"unverified\" BIGINT"
                + ") TYPE IMap OPTIONS ("
                + "'keyFormat'='varchar', "
                + "'valueFormat'='compact', "
                + "'valueCompactTypeName'='" + ChunkRecordSerializer.TYPE_NAME + "')";
    }

    static final String NODE_STATS = "CREATE OR REPLACE MAPPING \"" + NodeStatsRecord.MAP_NAME + "\" ("
            + "\"__key\" VARCHAR, "
            + "\"nodeId\" VARCHAR, "
            + "\"address\" VARCHAR, "
            + "\"sent\" BIGINT, "
            + "\"failed\" BIGINT, "
            + "\"invalid\" BIGINT, "
            + "\"retried\" BIGINT, "
            + "\"uncertain\" BIGINT, "
            + "\"inFlight\" INT, "
            + "\"activeChunks\" INT, "
            + "\"perSecond\" DOUBLE, "
            + "\"updatedAt\" BIGINT"
            + ") TYPE IMap OPTIONS ("
            + "'keyFormat'='varchar', "
            + "'valueFormat'='compact', "
            + "'valueCompactTypeName'='" + NodeStatsRecordSerializer.TYPE_NAME + "')";

    private static final Logger log = LoggerFactory.getLogger(SqlMappings.class);

    private SqlMappings() {
    }

    /** Creates or replaces the mappings; idempotent, safe to run from every node at start-up. Needs Jet enabled. */
    public static void create(HazelcastInstance hz) {
        for (String ddl : List.of(CHUNKS, VALIDATION_CHUNKS, NODE_STATS, ClusterFigures.CAMPAIGNS_MAPPING, ClusterFigures.API_KEYS_MAPPING)) {
            // DDL returns an update count only; closing the result releases it.
            hz.getSql().execute(ddl).close();
        }
    }

    /** {@link #create} for start-up: a failure is logged, not thrown (SQL is for watching; sending does not need it). */
    public static boolean createOrWarn(HazelcastInstance hz) {
        try {
            create(hz);
            return true;
        } catch (RuntimeException e) {
            log.warn("SQL mappings not created; Management Center's SQL browser will not see chunks/node_stats: {}",
                    e.toString());
            return false;
        }
    }

    /**
     * {@link #createOrWarn} on a daemon thread, for node start-up: a member's first SQL statement loads the SQL engine,
     * which takes seconds on a small machine, and sending does not wait for it.
     */
    public static CompletableFuture<Boolean> createInBackground(HazelcastInstance hz) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(createOrWarn(hz));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "mailcast-sql-mappings");
        t.setDaemon(true);
        t.start();
        return done;
    }
}
