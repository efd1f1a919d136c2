#!/usr/bin/env bash
# Send-API benchmark (issue 17): wrk against one node and against two, with and without a 1M-recipient campaign on the
# same relay. Measures accepted messages/s (every 202 is after a durable insert into `messages`), wrk's accept latency
# p50/p99, and end-to-end latency (accepted -> relay accepted: the message's updatedAt - acceptedAt once SENT) p50/p99.
#
# Everything runs on 127.0.0.1: an embedded MongoDB (bin/lab embedded-mongo), the lab's counting SMTP receiver as the
# relay, two node processes (bin/node --sender smtp), wrk. Needs the built jars and wrk (installed with apt-get if
# missing and run as root). Prints a markdown table at the end. Every process it starts is stopped on exit.
#
# Sequence: populate -> node 1 -> [1 node] -> node 2 -> [2 nodes] -> submit campaign, measure its rate alone ->
# [2 nodes + campaign] -> SIGTERM node 2 -> [1 node + campaign]. Between runs the run's SENT messages are deleted
# (after measuring), because the embedded server ignores compound indexes and every claim scans `messages`: without
# that, later runs would be slower only because earlier runs left documents behind (KEEP_MESSAGES=1 keeps them).
#
# Knobs (environment): USERS (1500000, about 1M subscribed), DURATION (20s), CONNS (32, total over the nodes),
# THREADS (2), WARMUP (5s), CONCURRENCY (1000), RELAY_DELAY_MS (0), DRAIN_MAX (300: seconds to wait for the queue to
# empty after each run; e2e figures cover only the messages SENT by then). Ports are fixed below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bin/_java
pick_java

USERS=${USERS:-1500000}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}
CONCURRENCY=${CONCURRENCY:-1000}
RELAY_DELAY_MS=${RELAY_DELAY_MS:-0}
KEEP_MESSAGES=${KEEP_MESSAGES:-0}
DRAIN_MAX=${DRAIN_MAX:-300}
MONGO_PORT=27995 RELAY_PORT=2526 RELAY_STATS=2581
MONGO="mongodb://127.0.0.1:${MONGO_PORT}/mailcast"
CLUSTER=(--cluster-name apibench --members 127.0.0.1:5811,127.0.0.1:5812)

for jar in node/target/mailcast-node.jar coordinator/target/mailcast-coordinator.jar lab/tools/target/mailcast-lab.jar; do
  [ -f "$jar" ] || { echo "missing $jar: build first (./mvnw -B -DskipTests package)" >&2; exit 2; }
done
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else echo "wrk is missing: apt-get install wrk" >&2; exit 2; fi
fi
for p in $MONGO_PORT $RELAY_PORT $RELAY_STATS 5811 5812 8811 8812 8911 8912; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is taken: is a previous run still going?" >&2; exit 2; fi
done

BENCH_NAME=api-bench
source scripts/_bench.sh
now_ms() { date +%s%3N; }

# --- MongoDB probe: pending count, per-window figures, purge (the coordinator's shaded jar has the sync driver) ---
cat > "$TMP/ApiBenchStats.java" <<'EOF'
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

public class ApiBenchStats {
    public static void main(String[] a) {
        String uri = a[0];
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> messages = client.getDatabase(new ConnectionString(uri).getDatabase()).getCollection("messages");
            switch (a[1]) {
                case "pending" -> System.out.println(messages.countDocuments(
                        new Document("status", new Document("$in", List.of("QUEUED", "PROCESSING")))));
                case "window" -> {
                    Document inWindow = new Document("acceptedAt", new Document("$gte", new Date(Long.parseLong(a[2])))
                            .append("$lte", new Date(Long.parseLong(a[3]))));
                    Map<String, Integer> byStatus = new TreeMap<>();
                    List<Long> e2e = new ArrayList<>();
                    for (Document d : messages.find(inWindow)
                            .projection(new Document("status", 1).append("acceptedAt", 1).append("updatedAt", 1))) {
                        String status = d.getString("status");
                        byStatus.merge(status, 1, Integer::sum);
                        if ("SENT".equals(status)) e2e.add(d.getDate("updatedAt").getTime() - d.getDate("acceptedAt").getTime());
                    }
                    Collections.sort(e2e);
                    int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
                    long over1s = e2e.stream().filter(ms -> ms > 1000).count();
                    System.out.printf("count=%d statuses=%s e2e_p50_ms=%s e2e_p90_ms=%s e2e_p99_ms=%s e2e_max_ms=%s e2e_over_1s=%d%n",
                            total, byStatus.toString().replace(" ", ""), pct(e2e, 50), pct(e2e, 90), pct(e2e, 99),
                            e2e.isEmpty() ? "-" : e2e.get(e2e.size() - 1), over1s);
                }
                case "purge" -> System.out.println(messages.deleteMany(new Document("status", "SENT")).getDeletedCount());
                default -> throw new IllegalArgumentException(a[1]);
            }
        }
    }

    static String pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return "-";
        return String.valueOf(sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }
}
EOF
"$JAVA_HOME/bin/javac" -nowarn -cp coordinator/target/mailcast-coordinator.jar -d "$TMP" "$TMP/ApiBenchStats.java"
stats() { "$JAVA_HOME/bin/java" -cp "$TMP:coordinator/target/mailcast-coordinator.jar" ApiBenchStats "$MONGO" "$@" 2>/dev/null; }

# --- wrk script: a new recipient per request, no Idempotency-Key; done() prints one parsable line ---
cat > "$TMP/post.lua" <<'EOF'
local tag = os.getenv("BENCH_TAG") or "x"
local counter = 0
local shown = 0
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
function setup(thread) n = n + 1; thread:set("tid", n) end
function request()
  counter = counter + 1
  local body = string.format(
    '{"from":"shop@example.com","to":"reader-%s-%d-%d@example.org","subject":"Receipt","text":"Thanks"}',
    tag, tid or 0, counter)
  return wrk.format(nil, "/v1/messages", nil, body)
end
function response(status, headers, body)
  if (status < 200 or status > 299) and shown < 3 then
    shown = shown + 1
    io.stderr:write("non-2xx " .. status .. " " .. (body or "") .. "\n")
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read,
    e.write, e.timeout))
end
EOF

field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<" $2" | head -1; }
campaign_sent() { # sent count of campaign "big" from `coordinator status --json`
  bin/coordinator status big --json --no-per-node --mongo-uri "$MONGO" "${CLUSTER[@]}" 2>/dev/null \
    | tail -1 | grep -o '"sent":[0-9]*' | head -1 | cut -d: -f2
}

ROWS=()
NOTES=()
# run NAME WRK_ARGS API_PORT...: one wrk per API port in parallel, each with CONNS/ports connections
run() {
  local name=$1 ports=("${@:2}") nports=$(( $# - 1 )) t0 t1 i p
  local c=$(( CONNS / nports )) t=$(( THREADS / nports )); [ $t -ge 1 ] || t=1
  local csent0="" csent1=""
  [ "${WITH_CAMPAIGN:-0}" = 1 ] && csent0=$(campaign_sent) && local ct0=$(now_ms)
  log "run '$name': wrk -t$t -c$c -d$DURATION on ${ports[*]}"
  t0=$(now_ms)
  i=0
  for p in "${ports[@]}"; do
    i=$((i + 1))
    BENCH_TAG="$RANDOM$RANDOM-$i" BENCH_KEY="$KEY" wrk -t$t -c$c -d"$DURATION" --latency --timeout 10s \
      -s "$TMP/post.lua" "http://127.0.0.1:$p/v1/messages" >"$TMP/wrk-$i.out" 2>"$TMP/wrk-$i.err" &
    PIDS+=($!)
  done
  wait "${PIDS[@]: -$nports}" || true
  t1=$(now_ms)
  if [ "${WITH_CAMPAIGN:-0}" = 1 ]; then csent1=$(campaign_sent); local ct1=$(now_ms); fi
  local req=0 non2xx=0 errs=0 secs p50s="" p99s="" rps=0 line
  for i in $(seq 1 "$nports"); do
    line=$(grep '^RESULT' "$TMP/wrk-$i.out" || true)
    [ -n "$line" ] || { cat "$TMP/wrk-$i.out" "$TMP/wrk-$i.err" >&2; echo "wrk $i printed no result" >&2; return 1; }
    req=$(( req + $(field requests "$line") ))
    non2xx=$(( non2xx + $(field non2xx "$line") ))
    errs=$(( errs + $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field timeout "$line") ))
    secs=$(awk -v d="$(field duration_us "$line")" 'BEGIN{printf "%.3f", d/1e6}')
    rps=$(awk -v r="$rps" -v a="$(( $(field requests "$line") - $(field non2xx "$line") ))" -v s="$secs" 'BEGIN{printf "%.0f", r + a/s}')
    p50s+="${p50s:+ / }$(awk -v u="$(field p50_us "$line")" 'BEGIN{printf "%.0f ms", u/1000}')"
    p99s+="${p99s:+ / }$(awk -v u="$(field p99_us "$line")" 'BEGIN{printf "%.0f ms", u/1000}')"
    sed 's/^/    /' "$TMP/wrk-$i.out" >&2
    [ -s "$TMP/wrk-$i.err" ] && sed 's/^/    wrk stderr: /' "$TMP/wrk-$i.err" | head -6 >&2
  done
  # wait for the queue to drain (bounded), then read the window's messages
  local pending=-1
  while [ $(( $(now_ms) - t1 )) -lt $(( DRAIN_MAX * 1000 )) ]; do
    pending=$(stats pending || echo -1); [ "$pending" = 0 ] && break; sleep 2
  done
  local drained_s=$(( ($(now_ms) - t1) / 1000 ))
  [ "$pending" = 0 ] || drained_s=">$DRAIN_MAX"
  local w; w=$(stats window "$t0" "$t1")
  log "  mongo: $w (queue empty ${drained_s}s after wrk; pending=$pending)"
  local e50 e99; e50=$(field e2e_p50_ms "$w"); e99=$(field e2e_p99_ms "$w")
  local camp="-"
  if [ -n "$csent0" ] && [ -n "$csent1" ]; then
    camp=$(awk -v a="$csent0" -v b="$csent1" -v s="$(( ct1 - ct0 ))" 'BEGIN{printf "%.0f", (b-a)*1000/s}')
    NOTES+=("$name: campaign sent $csent0 -> $csent1 during the run, $camp msg/s")
  fi
  NOTES+=("$name: mongo window $w; queue empty ${drained_s}s after wrk ended")
  [ "$pending" = 0 ] || NOTES+=("$name: $pending messages still QUEUED/PROCESSING $DRAIN_MAX s after wrk ended")
  ROWS+=("| $name | \`wrk -t$t -c$c -d$DURATION\` ×$nports | $rps | $p50s | $p99s | ${e50} ms | ${e99} ms | $non2xx (+$errs socket errors) | ${drained_s} s | $camp |")
  if [ "$KEEP_MESSAGES" != 1 ]; then stats purge >/dev/null || true; fi
}

start_node() { # index
  local i=$1
  MAILCAST_JAVA_OPTS=${NODE_JAVA_OPTS:--Xmx2g} bin/node --sender smtp --smtp-host 127.0.0.1 --smtp-port $RELAY_PORT \
    --smtp-tls none --mongo-uri "$MONGO" "${CLUSTER[@]}" --port 581$i --http-port 881$i --api-port 891$i \
    --concurrency "$CONCURRENCY" >"$TMP/node$i.log" 2>&1 &
  PIDS+=($!)
  eval "NODE${i}_PID=$!"
  wait_ready 881$i 120
  wait_port 891$i 30
}

log "embedded MongoDB on $MONGO_PORT, counting SMTP relay on $RELAY_PORT (delay ${RELAY_DELAY_MS} ms)"
MAILCAST_JAVA_OPTS=${MONGO_JAVA_OPTS:--Xmx8g -XX:+UseParallelGC} bin/lab embedded-mongo --port $MONGO_PORT >"$TMP/mongo.log" 2>&1 &
PIDS+=($!)
MAILCAST_JAVA_OPTS=-Xmx1g bin/lab counting-smtp --port $RELAY_PORT --stats-port $RELAY_STATS --delay-ms "$RELAY_DELAY_MS" >"$TMP/relay.log" 2>&1 &
PIDS+=($!)
wait_port $MONGO_PORT 60
wait_port $RELAY_PORT 60

log "populate $USERS users"
t=$(now_ms)
timeout 900 bin/lab populate --users "$USERS" --mongo-uri "$MONGO" >"$TMP/populate.log" 2>&1
log "  populated in $(( ($(now_ms) - t) / 1000 )) s: $(tail -1 "$TMP/populate.log")"

log "node 1"
start_node 1
KEY=$(bin/coordinator api-key create --name bench --domains example.com --mongo-uri "$MONGO" "${CLUSTER[@]}" 2>"$TMP/key.err" | tail -1)
[[ $KEY == mc_* ]] || { cat "$TMP/key.err" >&2; echo "no API key" >&2; exit 1; }

warm() { # ports...: JIT warm-up, not measured
  local p
  for p in "$@"; do
    BENCH_TAG=warm$RANDOM BENCH_KEY="$KEY" wrk -t1 -c8 -d"$WARMUP" -s "$TMP/post.lua" "http://127.0.0.1:$p/v1/messages" >/dev/null 2>&1 &
    PIDS+=($!)
  done
  wait "${PIDS[@]: -$#}" || true
  for _ in $(seq 1 60); do [ "$(stats pending)" = 0 ] && break; sleep 1; done
  [ "$KEEP_MESSAGES" = 1 ] || stats purge >/dev/null || true
}

warm 8911
run "1 node" 8911
log "node 2"
start_node 2
sleep 5   # let the API member count settle (each API node admits the key's rate / members; rate 0 here anyway)
warm 8912
run "2 nodes" 8911 8912

log "submit campaign big ($USERS users)"
t=$(now_ms)
timeout 600 bin/coordinator submit --id big --subject 'News for {{name}}' --from 'News <news@example.com>' \
  --text-template examples/newsletter.txt.mustache --html-template examples/newsletter.html.mustache \
  --mongo-uri "$MONGO" "${CLUSTER[@]}" >"$TMP/submit.log" 2>&1
log "  submitted in $(( ($(now_ms) - t) / 1000 )) s"
sleep 5
s0=$(campaign_sent); c0=$(now_ms); sleep 15; s1=$(campaign_sent); c1=$(now_ms)
ALONE2=$(awk -v a="$s0" -v b="$s1" -v s="$(( c1 - c0 ))" 'BEGIN{printf "%.0f", (b-a)*1000/s}')
NOTES+=("campaign alone on 2 nodes: sent $s0 -> $s1 in $(( (c1 - c0) / 1000 )) s, $ALONE2 msg/s")
log "  campaign alone, 2 nodes: $ALONE2 msg/s"

WITH_CAMPAIGN=1 run "2 nodes + campaign" 8911 8912

log "stop node 2 (SIGTERM, graceful: hands its chunks back)"
kill -TERM "$NODE2_PID"
for _ in $(seq 1 40); do kill -0 "$NODE2_PID" 2>/dev/null || break; sleep 1; done
sleep 3
s0=$(campaign_sent); c0=$(now_ms); sleep 15; s1=$(campaign_sent); c1=$(now_ms)
ALONE1=$(awk -v a="$s0" -v b="$s1" -v s="$(( c1 - c0 ))" 'BEGIN{printf "%.0f", (b-a)*1000/s}')
NOTES+=("campaign alone on 1 node: sent $s0 -> $s1 in $(( (c1 - c0) / 1000 )) s, $ALONE1 msg/s")
log "  campaign alone, 1 node: $ALONE1 msg/s"

WITH_CAMPAIGN=1 run "1 node + campaign" 8911

final=$(bin/coordinator status big --mongo-uri "$MONGO" "${CLUSTER[@]}" 2>&1 | tail -20)
relay=$(curl -fs "http://127.0.0.1:$RELAY_STATS/counts" || echo '?')

echo
echo "## Send API benchmark ($(date -u +%F), $(nproc) cores, embedded MongoDB, counting SMTP relay, --concurrency $CONCURRENCY)"
echo
echo "| setup | wrk | accepted msg/s | accept p50 | accept p99 | e2e p50 | e2e p99 | non-2xx | queue empty after wrk | campaign msg/s during run |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Campaign alone (no API load): $ALONE2 msg/s on 2 nodes, $ALONE1 msg/s on 1 node."
echo
printf -- '- %s\n' "${NOTES[@]}"
echo
echo "Relay counts: $relay"
echo
echo '```'
echo "$final"
echo '```'
