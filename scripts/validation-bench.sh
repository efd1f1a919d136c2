#!/usr/bin/env bash
# Validation benchmark (issue 16): seed 004's load checked ahead by two nodes with the simulated validator at 1-60 s
# per call. Measures the time to validate the addresses due (subscriptions ending within DAYS days, unconfirmed,
# the seed's rule), paid calls against distinct unconfirmed addresses due (no waste), the checks in flight that took,
# and what that means at 5M users against the seed's "around 600 processes".
#
# Everything runs on 127.0.0.1: an embedded MongoDB (bin/lab embedded-mongo), two node processes
# (bin/node --sender simulated --validator simulated). Needs the built jars. Prints a markdown table at the end. Every
# process it starts is stopped on exit.
#
# MONGO_URI=mongodb://host/db runs against that MongoDB instead of the embedded one (its database must hold no
# validation results yet). The embedded server scans a whole collection for any query that names _id together with
# another field, as the verdict cache's conditional writes do, so at 5M users (about 140,000 addresses due) it cannot
# keep up; MongoDB serves those from the _id index.
#
# Knobs (environment): USERS (500000), DAYS (5), CONCURRENCY (1000 checks in flight per node), MIN_LATENCY (PT1S),
# MAX_LATENCY (PT60S), ERROR_RATE (0: every call brings a verdict, so paid calls must equal the addresses; with errors
# each failed call is paid and retried), CHUNK_SIZE (500 subscribers per validation chunk), MAX_WAIT (900 s for the
# job to finish). Ports are fixed below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/_java
pick_java

USERS=${USERS:-500000}
DAYS=${DAYS:-5}
CONCURRENCY=${CONCURRENCY:-1000}
MIN_LATENCY=${MIN_LATENCY:-PT1S}
MAX_LATENCY=${MAX_LATENCY:-PT60S}
ERROR_RATE=${ERROR_RATE:-0}
MAX_WAIT=${MAX_WAIT:-900}
CHUNK_SIZE=${CHUNK_SIZE:-500}
MONGO_PORT=27996
MONGO=${MONGO_URI:-"mongodb://127.0.0.1:${MONGO_PORT}/mailcast"}
CLUSTER=(--cluster-name validationbench --members 127.0.0.1:5821,127.0.0.1:5822)

for jar in node/target/mailcast-node.jar coordinator/target/mailcast-coordinator.jar lab/tools/target/mailcast-lab.jar; do
  [ -f "$jar" ] || { echo "missing $jar: build first (./mvnw -B -DskipTests package)" >&2; exit 2; }
done
PORTS=(5821 5822 8821 8822)
[ -n "${MONGO_URI:-}" ] || PORTS+=("$MONGO_PORT")
for p in "${PORTS[@]}"; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is taken: is a previous run still going?" >&2; exit 2; fi
done

BENCH_NAME=validation-bench
source scripts/_bench.sh
metric() { # http-port name: the sample's value, 0 when absent
  curl -fs "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print 0 }'
}

# --- MongoDB probe: distinct unconfirmed addresses due, and the calls paid (the coordinator's jar has the driver) ---
cat > "$TMP/ValidationBenchStats.java" <<'EOF'
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.bson.Document;

public class ValidationBenchStats {
    public static void main(String[] a) {
        String uri = a[0];
        try (MongoClient client = MongoClients.create(uri)) {
            MongoDatabase db = client.getDatabase(new ConnectionString(uri).getDatabase());
            switch (a[1]) {
                case "due" -> { // audience JSON: subscribers due, unconfirmed ones' distinct addresses
                    long due = 0;
                    Set<String> addresses = new HashSet<>();
                    for (Document d : db.getCollection("subscribers").find(Document.parse(a[2]))
                            .projection(new Document("email", 1).append("attributes.confirmed", 1))) {
                        due++;
                        Document attrs = d.get("attributes", Document.class);
                        if (attrs == null || !Boolean.TRUE.equals(attrs.getBoolean("confirmed"))) {
                            addresses.add(d.getString("email").strip().toLowerCase(Locale.ROOT));
                        }
                    }
                    System.out.println("due=" + due + " unconfirmed_distinct=" + addresses.size());
                }
                case "paid" -> { // calls and money over all budget days, verdicts cached
                    long calls = 0, micros = 0;
                    for (Document d : db.getCollection("validation_budget").find()) {
                        calls += ((Number) d.get("calls")).longValue();
                        micros += ((Number) d.get("micros")).longValue();
                    }
                    long verdicts = db.getCollection("address_verdicts").countDocuments(new Document("verdict",
                            new Document("$exists", true)));
                    System.out.println("calls=" + calls + " micros=" + micros + " verdicts=" + verdicts);
                }
                case "fresh" -> { // results of an earlier run would make paid calls look lower than the due addresses
                    long left = db.getCollection("address_verdicts").countDocuments()
                            + db.getCollection("validation_jobs").countDocuments();
                    System.out.println(left == 0 ? "fresh" : "used");
                }
                case "index" -> // MongoDB plans the audience with it; the embedded server has no secondary indexes
                    db.getCollection("subscribers").createIndex(new Document("attributes.validts", 1));
                default -> throw new IllegalArgumentException(a[1]);
            }
        }
    }
}
EOF
"$JAVA_HOME/bin/javac" -nowarn -cp coordinator/target/mailcast-coordinator.jar -d "$TMP" "$TMP/ValidationBenchStats.java"
stats() { "$JAVA_HOME/bin/java" -cp "$TMP:coordinator/target/mailcast-coordinator.jar" ValidationBenchStats "$MONGO" "$@" 2>/dev/null; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<" $2" | head -1; }

if [ -n "${MONGO_URI:-}" ]; then
  log "MongoDB at $(sed 's|//[^@/]*@|//***@|' <<<"$MONGO")"
  [ "$(stats fresh)" = fresh ] || { echo "the database of MONGO_URI already holds validation results (or cannot be reached): use a fresh database" >&2; exit 2; }
else
  log "embedded MongoDB on $MONGO_PORT"
  MAILCAST_JAVA_OPTS=${MONGO_JAVA_OPTS:--Xmx4g -XX:+UseParallelGC} bin/lab embedded-mongo --port $MONGO_PORT >"$TMP/mongo.log" 2>&1 &
  PIDS+=($!)
  wait_port $MONGO_PORT 60
fi

log "populate $USERS users (seed 004: 20 % with a subscription ending within 30 days, 15 % confirmed)"
t=$(date +%s)
timeout 900 bin/lab populate --preset karma8 --users "$USERS" --mongo-uri "$MONGO" >"$TMP/populate.log" 2>&1
log "  populated in $(( $(date +%s) - t )) s"
[ -z "${MONGO_URI:-}" ] || stats index

NOW=$(date +%s)
AUDIENCE="{\"subscribed\": true, \"attributes.validts\": {\"\$gt\": $NOW, \"\$lte\": $(( NOW + DAYS * 86400 ))}}"
DUE=$(stats due "$AUDIENCE")
ADDRESSES=$(field unconfirmed_distinct "$DUE")
log "  due within $DAYS days: $DUE"

start_node() { # index
  local i=$1
  MAILCAST_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx1g} bin/node --sender simulated --latency-ms 20 --mongo-uri "$MONGO" \
    "${CLUSTER[@]}" --port 582$i --http-port 882$i --validator simulated --sim-min-latency "$MIN_LATENCY" \
    --sim-max-latency "$MAX_LATENCY" --sim-error-rate "$ERROR_RATE" --price 0.004 \
    --validation-concurrency "$CONCURRENCY" >"$TMP/node$i.log" 2>&1 &
  PIDS+=($!)
}
log "two nodes, $CONCURRENCY checks in flight each, simulated validator $MIN_LATENCY-$MAX_LATENCY, error rate $ERROR_RATE"
start_node 1
start_node 2
wait_ready 8821 120
wait_ready 8822 120

log "order the validation job"
t0=$(date +%s%3N)
bin/coordinator validate --cluster --job-id vbench --audience "$AUDIENCE" --confirmed-fields confirmed --chunk-size "$CHUNK_SIZE" \
  --deadline "PT${MAX_WAIT}S" --mongo-uri "$MONGO" >"$TMP/order.log" 2>&1
log "  $(tail -1 "$TMP/order.log")"

PEAK=0
finished=0
while [ $(( ($(date +%s%3N) - t0) / 1000 )) -lt "$MAX_WAIT" ]; do
  sleep 2
  json=$(bin/coordinator status vbench --json --mongo-uri "$MONGO" 2>/dev/null | tail -1 || true)
  inflight=$(awk -v a="$(metric 8821 mailcast_validation_in_flight)" -v b="$(metric 8822 mailcast_validation_in_flight)" 'BEGIN{printf "%d", a+b}')
  [ "$inflight" -gt "$PEAK" ] && PEAK=$inflight
  log "  in flight $inflight; $(grep -o '"subscribersDone":[0-9]*,"backlog":[0-9]*' <<<"$json" || true)"
  if grep -q '"state":"FINISHED"' <<<"$json"; then finished=1; break; fi
done
t1=$(date +%s%3N)
SECONDS_TAKEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", (b-a)/1000}')
PAID=$(stats paid)
CALLS=$(field calls "$PAID")
bin/coordinator status vbench --mongo-uri "$MONGO" >"$TMP/status.txt" 2>&1 || true
sed 's/^/    /' "$TMP/status.txt" >&2
[ "$finished" = 1 ] || log "  NOT finished within $MAX_WAIT s"

# Little's law: checks in flight = calls per second x mean latency (uniform MIN..MAX).
MEAN=$(awk -v a="$(sed 's/PT//;s/S//' <<<"$MIN_LATENCY")" -v b="$(sed 's/PT//;s/S//' <<<"$MAX_LATENCY")" 'BEGIN{print (a+b)/2}')
AVG_IN_FLIGHT=$(awk -v c="$CALLS" -v m="$MEAN" -v s="$SECONDS_TAKEN" 'BEGIN{printf "%.0f", c*m/s}')
# Seed 004 at 5M users: 1M subscriptions, 850k unconfirmed, each checked once within the day.
SEED_DAY=$(awk -v m="$MEAN" 'BEGIN{printf "%.0f", 850000*m/86400}')
SEED_WORST=$(awk 'BEGIN{printf "%.0f", 850000*60/86400}')

echo
echo "| users | due (unconfirmed, distinct) | paid calls | waste | nodes × checks in flight | time | peak / mean in flight | finished |"
echo "|---|---|---|---|---|---|---|---|"
echo "| $USERS | $ADDRESSES | $CALLS | $(( CALLS - ADDRESSES )) | 2 × $CONCURRENCY | ${SECONDS_TAKEN} s | $PEAK / $AVG_IN_FLIGHT | $([ "$finished" = 1 ] && echo yes || echo no) |"
echo
echo "At 5M users (850,000 unconfirmed subscriptions, each checked once a day) with ${MIN_LATENCY}-${MAX_LATENCY} calls" \
  "(mean ${MEAN} s): $SEED_DAY checks in flight on average, $SEED_WORST if every call took 60 s (the seed's \"around 600" \
  "processes\"). Mailcast holds them as parked virtual threads: one node's default --validation-concurrency (1000)" \
  "covers even the worst case; this run held $PEAK at once."
[ "$finished" = 1 ] && [ "$CALLS" = "$ADDRESSES" ] || exit 1
