#!/usr/bin/env bash
# Simulates several machines on one box with network namespaces and runs a Mailcast campaign through a partition and a
# crash:
#
#   * a hub namespace holds a bridge (10.231.0.1/24 by default), the embedded MongoDB and the coordinator commands;
#   * K node namespaces (default 3), each with one veth leg on the bridge and its own address (10.231.0.11, .12, ...),
#     run one `bin/node` each;
#   * subscribers are populated, a campaign is submitted (simulated sender), and once it has made some progress one
#     node is PARTITIONED (its link cut; the process keeps running) and another is KILLED (kill -9);
#   * the script waits for the campaign to complete and checks with `bin/coordinator status --json` that nothing was
#     lost: state COMPLETED, remaining 0, eligible == sent + failed + invalid == recipients;
#   * then it heals the partition, lets the cut-off node rejoin, and checks that the counts did not move.
#
# Nothing in the root namespace is touched: every namespace and link is created by this script, named after its pid
# (mc-<pid>-hub, mc-<pid>-n1..nK), and removed by a trap on exit, failure or Ctrl-C, with every process started here.
# Every wait has a timeout. Exit code: 0 all checks passed, 1 a check failed or a step timed out, 2 bad usage or
# missing prerequisites.
#
# Needs root, iproute2 (ip netns), curl, timeout, a JDK 25 and the built jars (node/target/mailcast-node.jar,
# coordinator/target/mailcast-coordinator.jar, lab/tools/target/mailcast-lab.jar); it never builds them. `scripts/netns-cluster.sh --help` lists options.
set -Eeuo pipefail

HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly HOME_DIR
readonly BIN="$HOME_DIR/bin"

readonly MONGO_PORT=27017
readonly HZ_PORT=5701
readonly HTTP_PORT=8080
readonly SMTP_PORT=2525
readonly SMTP_STATS_PORT=2580
CUT_WITH=""

# ---------------------------------------------------------------------------------------------------------- options
NODES="${MC_NODES:-3}"
RECIPIENTS="${MC_RECIPIENTS:-20000}"
INVALID_RATIO="${MC_INVALID_RATIO:-0.01}"
LATENCY_MS="${MC_LATENCY_MS:-200}"
SENDER="${MC_SENDER:-simulated}"
CONCURRENCY="${MC_CONCURRENCY:-40}"
CHUNK_SIZE="${MC_CHUNK_SIZE:-500}"
LEASE_SECONDS="${MC_LEASE_SECONDS:-15}"
MIN_CLUSTER_SIZE="${MC_MIN_CLUSTER_SIZE:-1}"
SUBNET="${MC_SUBNET:-10.231.0}"
CUT_NODE="${MC_CUT_NODE:-1}"
KILL_NODE="${MC_KILL_NODE:-2}"
CUT_MODE="${MC_CUT_MODE:-link}"
FAULT_AT_PERCENT="${MC_FAULT_AT_PERCENT:-20}"
TIMEOUT_SECONDS="${MC_TIMEOUT_SECONDS:-300}"
HEAL_SECONDS="${MC_HEAL_SECONDS:-20}"
LOG_DIR="${MC_LOG_DIR:-}"
KEEP_LOGS="${MC_KEEP_LOGS:-1}"
TEMPLATE="${MC_TEMPLATE:-$HOME_DIR/examples/newsletter.txt.mustache}"
NODE_JAVA_OPTS="${MC_NODE_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
CLI_JAVA_OPTS="${MC_CLI_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
MONGO_JAVA_OPTS="${MC_MONGO_JAVA_OPTS:--Xmx768m -XX:+UseSerialGC}"

usage() {
  cat <<EOF
Usage: sudo scripts/netns-cluster.sh [options]

Runs a Mailcast campaign on K nodes in separate network namespaces, partitions one node and kills another mid-way,
and checks that the campaign completes with every recipient accounted for.

Options (environment variable in brackets):
  --nodes K              nodes, one per namespace (1 only without faults) [MC_NODES] (default $NODES)
  --recipients N         subscribed recipients to populate [MC_RECIPIENTS] (default $RECIPIENTS)
  --invalid-ratio R      share of malformed addresses [MC_INVALID_RATIO] (default $INVALID_RATIO)
  --latency-ms MS        send latency: the simulated sender's, or the counting SMTP receiver's before each 250
                         [MC_LATENCY_MS] (default $LATENCY_MS)
  --sender KIND          simulated, or smtp: the nodes send over the bridge to a counting SMTP receiver in the hub
                         namespace, and the run also checks what it received: every recipient recorded SENT got a
                         message, and duplicates <= uncertain [MC_SENDER] (default $SENDER)
  --concurrency C        sends in flight per node [MC_CONCURRENCY] (default $CONCURRENCY)
  --chunk-size S         recipients per chunk [MC_CHUNK_SIZE] (default $CHUNK_SIZE)
  --lease-seconds S      chunk lease of the nodes [MC_LEASE_SECONDS] (default $LEASE_SECONDS)
  --min-cluster-size Q   the nodes' split-brain protection quorum; 1 = off [MC_MIN_CLUSTER_SIZE] (default $MIN_CLUSTER_SIZE)
  --subnet A.B.C         private /24 used inside the namespaces [MC_SUBNET] (default $SUBNET)
  --cut-node I           node whose link is cut, 0 = none [MC_CUT_NODE] (default $CUT_NODE)
  --kill-node I          node killed with SIGKILL, 0 = none [MC_KILL_NODE] (default $KILL_NODE)
  --cut-mode MODE        link: set its veth down on the bridge side; drop: silently drop all its traffic with nft
                         (or iptables) inside its namespace; hz: drop only Hazelcast member traffic (port $HZ_PORT),
                         MongoDB stays reachable - a split brain [MC_CUT_MODE] (default $CUT_MODE)
  --fault-at P           inject the faults once P % of recipients are finished [MC_FAULT_AT_PERCENT] (default $FAULT_AT_PERCENT)
  --timeout S            limit for the campaign to complete after submit [MC_TIMEOUT_SECONDS] (default $TIMEOUT_SECONDS)
  --heal-seconds S       after completion, restore the cut link and re-check counts after S s; 0 = skip
                         [MC_HEAL_SECONDS] (default $HEAL_SECONDS)
  --log-dir DIR          where node, MongoDB and coordinator logs go [MC_LOG_DIR] (default: a new temp dir)
  --keep-logs | --no-keep-logs
                         keep the log dir after a successful run [MC_KEEP_LOGS=1|0] (default: keep; always kept on failure)
  -h, --help             this text

JVM options: MC_NODE_JAVA_OPTS, MC_CLI_JAVA_OPTS, MC_MONGO_JAVA_OPTS.
EOF
}

die_usage() {
  echo "error: $*" >&2
  echo "Run with --help for the options." >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="${2:?}"; shift 2 ;;
    --recipients) RECIPIENTS="${2:?}"; shift 2 ;;
    --invalid-ratio) INVALID_RATIO="${2:?}"; shift 2 ;;
    --latency-ms) LATENCY_MS="${2:?}"; shift 2 ;;
    --sender) SENDER="${2:?}"; shift 2 ;;
    --concurrency) CONCURRENCY="${2:?}"; shift 2 ;;
    --chunk-size) CHUNK_SIZE="${2:?}"; shift 2 ;;
    --lease-seconds) LEASE_SECONDS="${2:?}"; shift 2 ;;
    --min-cluster-size) MIN_CLUSTER_SIZE="${2:?}"; shift 2 ;;
    --subnet) SUBNET="${2:?}"; shift 2 ;;
    --cut-node) CUT_NODE="${2:?}"; shift 2 ;;
    --kill-node) KILL_NODE="${2:?}"; shift 2 ;;
    --cut-mode) CUT_MODE="${2:?}"; shift 2 ;;
    --fault-at) FAULT_AT_PERCENT="${2:?}"; shift 2 ;;
    --timeout) TIMEOUT_SECONDS="${2:?}"; shift 2 ;;
    --heal-seconds) HEAL_SECONDS="${2:?}"; shift 2 ;;
    --log-dir) LOG_DIR="${2:?}"; shift 2 ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    --no-keep-logs) KEEP_LOGS=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
for pair in "nodes:$NODES" "recipients:$RECIPIENTS" "latency-ms:$LATENCY_MS" "concurrency:$CONCURRENCY" \
            "chunk-size:$CHUNK_SIZE" "lease-seconds:$LEASE_SECONDS" "cut-node:$CUT_NODE" "kill-node:$KILL_NODE" \
            "fault-at:$FAULT_AT_PERCENT" "timeout:$TIMEOUT_SECONDS" "heal-seconds:$HEAL_SECONDS"; do
  is_uint "${pair#*:}" || die_usage "--${pair%%:*} must be a non-negative integer, got '${pair#*:}'"
done
if [ "$NODES" -lt 1 ] || [ "$NODES" -gt 200 ]; then die_usage "--nodes must be between 1 and 200"; fi
# A fault needs a survivor; a single node is only for measuring (--cut-node 0 --kill-node 0).
if [ "$NODES" -lt 2 ] && { [ "$CUT_NODE" -ne 0 ] || [ "$KILL_NODE" -ne 0 ]; }; then
  die_usage "with one node, set --cut-node 0 --kill-node 0 (a fault needs a survivor)"
fi
if [ "$RECIPIENTS" -lt 1 ]; then die_usage "--recipients must be at least 1"; fi
if [ "$CUT_NODE" -gt "$NODES" ] || [ "$KILL_NODE" -gt "$NODES" ]; then die_usage "--cut-node/--kill-node must be <= --nodes"; fi
if [ "$CUT_NODE" -ne 0 ] && [ "$CUT_NODE" -eq "$KILL_NODE" ]; then die_usage "--cut-node and --kill-node must differ"; fi
[[ "$SUBNET" =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die_usage "--subnet must look like 10.231.0"
case "$CUT_MODE" in link|drop|hz) ;; *) die_usage "--cut-mode must be link, drop or hz" ;; esac
case "$SENDER" in simulated|smtp) ;; *) die_usage "--sender must be simulated or smtp" ;; esac

# ---------------------------------------------------------------------------------------------------- preflight
[ "$(id -u)" -eq 0 ] || { echo "error: must run as root (ip netns)" >&2; exit 2; }
for tool in ip curl timeout; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' not found" >&2; exit 2; }
done
for jar in node/target/mailcast-node.jar coordinator/target/mailcast-coordinator.jar lab/tools/target/mailcast-lab.jar; do
  [ -f "$HOME_DIR/$jar" ] || { echo "error: $HOME_DIR/$jar missing; build first (./mvnw -DskipTests package)" >&2; exit 2; }
done
[ -f "$TEMPLATE" ] || { echo "error: template $TEMPLATE not found" >&2; exit 2; }

readonly TAG="mc-$$"
readonly HUB="$TAG-hub"
readonly HUB_ADDR="$SUBNET.1"
readonly CLUSTER="netns-$$"
CAMPAIGN_ID="netns-$$-$(date +%s)"
readonly CAMPAIGN_ID
readonly MONGO_URI="mongodb://$HUB_ADDR:$MONGO_PORT/mailcast"

if [ -z "$LOG_DIR" ]; then
  LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mailcast-netns.XXXXXX")"
else
  mkdir -p "$LOG_DIR"
fi
readonly LOG_DIR

ns_of() { echo "$TAG-n$1"; }
addr_of() { echo "$SUBNET.$((10 + $1))"; }

MEMBERS=""
for ((i = 1; i <= NODES; i++)); do MEMBERS="${MEMBERS:+$MEMBERS,}$(addr_of "$i"):$HZ_PORT"; done
readonly MEMBERS

# ------------------------------------------------------------------------------------------------------- cleanup
CREATED_NS=()          # namespaces created by this run, in creation order
declare -A NODE_PID=() # node index -> pid
MONGO_PID=""
SMTP_PID=""
OK=0
CLEANED=0

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  [ "$CLEANED" -eq 1 ] && return
  CLEANED=1
  set +e
  trap '' INT TERM
  local pid ns
  for pid in "${NODE_PID[@]}" "$MONGO_PID" "$SMTP_PID"; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  # Whatever else still runs inside our namespaces (a coordinator command cut short, a child of a launcher).
  for ns in "${CREATED_NS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  # Reap them (bounded): the started processes are disowned, so poll instead of wait.
  local deadline=$((SECONDS + 10)) alive
  while [ "$SECONDS" -lt "$deadline" ]; do
    alive=0
    for ns in "${CREATED_NS[@]}"; do
      [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && alive=1
    done
    [ "$alive" -eq 0 ] && break
    sleep 0.2
  done
  # Deleting a namespace destroys the veth legs inside it (and their peers), and the hub's bridge.
  for ((i = ${#CREATED_NS[@]} - 1; i >= 0; i--)); do
    ip netns del "${CREATED_NS[$i]}" 2>/dev/null || echo "warning: could not delete namespace ${CREATED_NS[$i]}" >&2
  done
  if [ "$OK" -eq 1 ] && [ "$KEEP_LOGS" = "0" ]; then
    rm -rf -- "$LOG_DIR"
  else
    echo "logs: $LOG_DIR"
  fi
  return "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT
trap 'echo "terminated" >&2; exit 143' TERM

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ------------------------------------------------------------------------------------------------------- network
create_ns() {
  local ns="$1"
  if ip netns list | awk '{print $1}' | grep -qx -- "$ns"; then
    fail "namespace $ns already exists; not touching it"
  fi
  ip netns add "$ns"
  CREATED_NS+=("$ns")
  ip -n "$ns" link set lo up
}

setup_network() {
  create_ns "$HUB"
  ip -n "$HUB" link add br0 type bridge
  ip -n "$HUB" addr add "$HUB_ADDR/24" dev br0
  ip -n "$HUB" link set br0 up
  local i ns
  for ((i = 1; i <= NODES; i++)); do
    ns="$(ns_of "$i")"
    create_ns "$ns"
    # Created inside the hub and its peer moved straight into the node namespace: the root namespace never sees it.
    ip -n "$HUB" link add "vn$i" type veth peer name eth0 netns "$ns"
    ip -n "$HUB" link set "vn$i" master br0
    ip -n "$HUB" link set "vn$i" up
    ip -n "$ns" addr add "$(addr_of "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}

cut_link() {
  local i="$1" ns
  ns="$(ns_of "$i")"
  if [ "$CUT_MODE" = link ]; then
    ip -n "$HUB" link set "vn$i" down
    return
  fi
  if command -v nft >/dev/null; then
    local rules_in rules_out
    if [ "$CUT_MODE" = hz ]; then
      rules_in="iifname \"eth0\" tcp dport $HZ_PORT drop; iifname \"eth0\" tcp sport $HZ_PORT drop;"
      rules_out="oifname \"eth0\" tcp dport $HZ_PORT drop; oifname \"eth0\" tcp sport $HZ_PORT drop;"
    else
      rules_in="iifname \"eth0\" drop;"
      rules_out="oifname \"eth0\" drop;"
    fi
    if printf 'table inet mc_partition {\n chain in { type filter hook input priority 0; policy accept; %s }\n chain out { type filter hook output priority 0; policy accept; %s }\n}\n' \
        "$rules_in" "$rules_out" | ip netns exec "$ns" nft -f -; then
      CUT_WITH=nft
      return
    fi
  fi
  command -v iptables >/dev/null || fail "--cut-mode $CUT_MODE needs nft or iptables"
  CUT_WITH=iptables
  iptables_cut "$ns" -I
}

# Adds (-I) or removes (-D) the iptables rules of a cut.
iptables_cut() {
  local ns="$1" op="$2"
  if [ "$CUT_MODE" = hz ]; then
    ip netns exec "$ns" iptables "$op" INPUT -i eth0 -p tcp --dport "$HZ_PORT" -j DROP
    ip netns exec "$ns" iptables "$op" INPUT -i eth0 -p tcp --sport "$HZ_PORT" -j DROP
    ip netns exec "$ns" iptables "$op" OUTPUT -o eth0 -p tcp --dport "$HZ_PORT" -j DROP
    ip netns exec "$ns" iptables "$op" OUTPUT -o eth0 -p tcp --sport "$HZ_PORT" -j DROP
  else
    ip netns exec "$ns" iptables "$op" INPUT -i eth0 -j DROP
    ip netns exec "$ns" iptables "$op" OUTPUT -o eth0 -j DROP
  fi
}

heal_link() {
  local i="$1" ns
  ns="$(ns_of "$i")"
  if [ "$CUT_MODE" = link ]; then
    ip -n "$HUB" link set "vn$i" up
  elif [ "$CUT_WITH" = nft ]; then
    ip netns exec "$ns" nft delete table inet mc_partition
  else
    iptables_cut "$ns" -D
  fi
}

# -------------------------------------------------------------------------------------------------- processes
# A coordinator command in the hub namespace, bounded by a timeout; output appended to coordinator.log too.
coordinator() {
  local limit="$1"
  shift
  ip netns exec "$HUB" env MAILCAST_JAVA_OPTS="$CLI_JAVA_OPTS" \
    timeout -k 5 "$limit" "$BIN/coordinator" "$@" 2>>"$LOG_DIR/coordinator.log"
}

start_mongo() {
  ip netns exec "$HUB" env MAILCAST_JAVA_OPTS="$MONGO_JAVA_OPTS" \
    "$BIN/coordinator" embedded-mongo --host "$HUB_ADDR" --port "$MONGO_PORT" >"$LOG_DIR/mongo.log" 2>&1 &
  MONGO_PID=$!
  disown "$MONGO_PID"
  local deadline=$((SECONDS + 90))
  until ip netns exec "$HUB" timeout 2 bash -c "exec 3<>/dev/tcp/$HUB_ADDR/$MONGO_PORT" 2>/dev/null; do
    kill -0 "$MONGO_PID" 2>/dev/null || fail "embedded MongoDB exited; see $LOG_DIR/mongo.log"
    [ "$SECONDS" -lt "$deadline" ] || fail "embedded MongoDB not listening after 90 s; see $LOG_DIR/mongo.log"
    sleep 1
  done
  # Every node namespace must reach it through the bridge before anything else starts.
  local i
  for ((i = 1; i <= NODES; i++)); do
    ip netns exec "$(ns_of "$i")" timeout 5 bash -c "exec 3<>/dev/tcp/$HUB_ADDR/$MONGO_PORT" 2>/dev/null \
      || fail "namespace $(ns_of "$i") cannot reach MongoDB at $HUB_ADDR:$MONGO_PORT"
  done
}

# The counting SMTP receiver in the hub namespace (with --sender smtp): counts messages per recipient.
start_smtp() {
  ip netns exec "$HUB" env MAILCAST_JAVA_OPTS="$CLI_JAVA_OPTS" "$BIN/lab" counting-smtp --host "$HUB_ADDR" \
    --port "$SMTP_PORT" --stats-port "$SMTP_STATS_PORT" --delay-ms "$LATENCY_MS" >"$LOG_DIR/smtp.log" 2>&1 &
  SMTP_PID=$!
  disown "$SMTP_PID"
  local deadline=$((SECONDS + 90))
  until [ -n "$(smtp_counts)" ]; do
    kill -0 "$SMTP_PID" 2>/dev/null || fail "counting SMTP receiver exited; see $LOG_DIR/smtp.log"
    [ "$SECONDS" -lt "$deadline" ] || fail "counting SMTP receiver not answering after 90 s; see $LOG_DIR/smtp.log"
    sleep 1
  done
}

# {"messages":N,"recipients":R,"duplicates":D,"maxPerRecipient":M} from the receiver, or empty.
smtp_counts() {
  ip netns exec "$HUB" curl -fsS --max-time 3 "http://$HUB_ADDR:$SMTP_STATS_PORT/counts" 2>/dev/null || true
}

smtp_field() { printf '%s' "$1" | grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2; }

sender_args() {
  if [ "$SENDER" = smtp ]; then
    printf '%s\n' --sender smtp --smtp-host "$HUB_ADDR" --smtp-port "$SMTP_PORT"
  else
    printf '%s\n' --sender simulated --latency-ms "$LATENCY_MS"
  fi
}

start_node() {
  local i="$1" ns addr
  ns="$(ns_of "$i")"
  addr="$(addr_of "$i")"
  local -a sender
  mapfile -t sender < <(sender_args)
  ip netns exec "$ns" env MAILCAST_JAVA_OPTS="$NODE_JAVA_OPTS" "$BIN/node" \
    --cluster-name "$CLUSTER" --interface "$addr" --port "$HZ_PORT" --members "$MEMBERS" \
    --mongo-uri "$MONGO_URI" --http-port "$HTTP_PORT" "${sender[@]}" \
    --concurrency "$CONCURRENCY" --lease-seconds "$LEASE_SECONDS" --min-cluster-size "$MIN_CLUSTER_SIZE" \
    >"$LOG_DIR/node-$i.log" 2>&1 &
  NODE_PID[$i]=$!
  disown "${NODE_PID[$i]}"
}

# The mailcast_cluster_members gauge of node i, or empty when it does not answer.
members_seen_by() {
  ip netns exec "$(ns_of "$1")" curl -fsS --max-time 2 "http://$(addr_of "$1"):$HTTP_PORT/metrics" 2>/dev/null \
    | awk '$1 == "mailcast_cluster_members" {printf "%d", $2}' || true
}

# A metric of node i's /metrics, or "?" when it does not answer.
metric_of() {
  local v
  v="$(ip netns exec "$(ns_of "$1")" curl -fsS --max-time 3 "http://$(addr_of "$1"):$HTTP_PORT/metrics" 2>/dev/null \
    | awk -v m="$2" '$1 == m {printf "%d", $2}' || true)"
  echo "${v:-?}"
}

await_cluster() {
  local deadline=$((SECONDS + 180)) i seen all
  while true; do
    all=1
    for ((i = 1; i <= NODES; i++)); do
      kill -0 "${NODE_PID[$i]}" 2>/dev/null || fail "node $i exited during startup; see $LOG_DIR/node-$i.log"
      seen="$(members_seen_by "$i")"
      [ "$seen" = "$NODES" ] || all=0
    done
    [ "$all" -eq 1 ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || fail "cluster did not form with $NODES members within 180 s; see $LOG_DIR/node-*.log"
    sleep 2
  done
}

# ------------------------------------------------------------------------------------------------------- status
STATUS_JSON=""
read_status() {
  local out
  out="$(coordinator 60 status "$CAMPAIGN_ID" --mongo-uri "$MONGO_URI" --json)" || return 1
  STATUS_JSON="$(printf '%s\n' "$out" | grep '^{' | tail -n 1)"
  [ -n "$STATUS_JSON" ]
}
field() { printf '%s' "$STATUS_JSON" | grep -o "\"$1\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'; }
finished() { echo $(($(field sent) + $(field failed) + $(field invalid))); }
status_line() {
  printf 'state=%s eligible=%s sent=%s failed=%s invalid=%s uncertain=%s remaining=%s rate=%s/s' \
    "$(field state)" "$(field eligible)" "$(field sent)" "$(field failed)" "$(field invalid)" \
    "$(field uncertain)" "$(field remaining)" "$(field perSecond)"
}
count_in_logs() { cat "$LOG_DIR"/node-*.log 2>/dev/null | grep -c -- "$1" || true; }

# ---------------------------------------------------------------------------------------------------------- run
log "run $TAG: $NODES nodes, $RECIPIENTS recipients, latency ${LATENCY_MS} ms, concurrency $CONCURRENCY/node, chunk $CHUNK_SIZE, lease ${LEASE_SECONDS} s"
log "logs in $LOG_DIR"
setup_network
log "network: hub $HUB ($HUB_ADDR, bridge br0); nodes $(for ((i = 1; i <= NODES; i++)); do printf '%s=%s ' "$(ns_of "$i")" "$(addr_of "$i")"; done)"

start_mongo
log "embedded MongoDB up at $HUB_ADDR:$MONGO_PORT (namespace $HUB)"
if [ "$SENDER" = smtp ]; then
  start_smtp
  log "counting SMTP receiver up at $HUB_ADDR:$SMTP_PORT (namespace $HUB), ${LATENCY_MS} ms before each reply"
fi

coordinator 300 populate --mongo-uri "$MONGO_URI" --users "$RECIPIENTS" --subscribed-ratio 1 \
  --invalid-ratio "$INVALID_RATIO" >>"$LOG_DIR/coordinator.log" || fail "populate failed; see $LOG_DIR/coordinator.log"
log "populated $RECIPIENTS subscribed users"

for ((i = 1; i <= NODES; i++)); do start_node "$i"; done
await_cluster
log "cluster formed: every node sees $NODES members"

START=$SECONDS
submit_out="$(coordinator 120 submit --mongo-uri "$MONGO_URI" --members "$MEMBERS" --cluster-name "$CLUSTER" \
  --subject "Netns test for {{firstName}}" --from "News <news@example.com>" --text-template "$TEMPLATE" \
  --id "$CAMPAIGN_ID" --chunk-size "$CHUNK_SIZE")" || fail "submit failed; see $LOG_DIR/coordinator.log"
printf '%s\n' "$submit_out" >>"$LOG_DIR/coordinator.log"
[ "$(printf '%s\n' "$submit_out" | tail -n 1)" = "$CAMPAIGN_ID" ] || fail "submit printed an unexpected id: $submit_out"
log "submitted campaign $CAMPAIGN_ID"

# Wait for some progress before the faults.
threshold=$((RECIPIENTS * FAULT_AT_PERCENT / 100))
deadline=$((SECONDS + 180))
while true; do
  if read_status; then
    [ "$(field state)" = RUNNING ] || fail "campaign is $(field state) before the faults were injected (too small or too fast?): $(status_line)"
    [ "$(finished)" -ge "$threshold" ] && break
  fi
  [ "$SECONDS" -lt "$deadline" ] || fail "campaign did not reach $FAULT_AT_PERCENT % within 180 s: $(status_line)"
  sleep 1
done
AT_FAULT="$(status_line)"
FAULT_T=$SECONDS
CUT_SENT_AT_FAULT="?"
if [ "$CUT_NODE" -ne 0 ]; then
  CUT_SENT_AT_FAULT="$(metric_of "$CUT_NODE" mailcast_messages_sent_total)"
  cut_link "$CUT_NODE"
  log "PARTITIONED node $CUT_NODE ($(ns_of "$CUT_NODE"), $(addr_of "$CUT_NODE")) with --cut-mode $CUT_MODE; its process keeps running"
fi
if [ "$KILL_NODE" -ne 0 ]; then
  kill -9 "${NODE_PID[$KILL_NODE]}"
  for ((t = 0; t < 50; t++)); do kill -0 "${NODE_PID[$KILL_NODE]}" 2>/dev/null || break; sleep 0.1; done
  log "KILLED node $KILL_NODE (pid ${NODE_PID[$KILL_NODE]}) with SIGKILL"
fi
log "at the faults (+$((FAULT_T - START)) s): $AT_FAULT"

# Wait for completion.
deadline=$((START + TIMEOUT_SECONDS))
last_print=0
while true; do
  if read_status; then
    case "$(field state)" in
      RUNNING | PAUSED) ;;
      *) break ;;
    esac
    if [ $((SECONDS - last_print)) -ge 5 ]; then
      log "progress: $(status_line)"
      last_print=$SECONDS
    fi
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    read_status || true
    fail "campaign not complete ${TIMEOUT_SECONDS} s after submit: $(status_line)"
  fi
  for ((i = 1; i <= NODES; i++)); do
    [ "$i" -eq "$KILL_NODE" ] && continue
    kill -0 "${NODE_PID[$i]}" 2>/dev/null || fail "node $i died unexpectedly; see $LOG_DIR/node-$i.log"
  done
  sleep 2
done
END=$SECONDS
FINAL_JSON="$STATUS_JSON"
log "final: $(status_line)"

# ------------------------------------------------------------------------------------------------------- checks
problems=()
eligible="$(field eligible)"; sent="$(field sent)"; failed="$(field failed)"; invalid="$(field invalid)"
uncertain="$(field uncertain)"; remaining="$(field remaining)"
[ "$(field state)" = COMPLETED ] || problems+=("state is $(field state), not COMPLETED")
[ "$remaining" = 0 ] || problems+=("remaining is $remaining, not 0")
[ "$eligible" = "$RECIPIENTS" ] || problems+=("eligible is $eligible, expected $RECIPIENTS subscribed users")
[ "$((sent + failed + invalid))" = "$eligible" ] \
  || problems+=("sent+failed+invalid = $((sent + failed + invalid)) != eligible $eligible")

# What the receiver got: every recipient recorded SENT got a message (nobody missed), and every second message is
# counted as uncertain. Checked again after healing, when a cut-off node may have flushed late sends.
check_received() {
  local when="$1" counts recipients duplicates
  counts="$(smtp_counts)"
  [ -n "$counts" ] || { problems+=("counting SMTP receiver unreadable $when"); return; }
  RECEIVED="$counts"
  recipients="$(smtp_field "$counts" recipients)"; duplicates="$(smtp_field "$counts" duplicates)"
  [ "$recipients" -ge "$(field sent)" ] \
    || problems+=("$when: only $recipients recipients received a message, but $(field sent) are recorded SENT")
  [ "$recipients" -le "$(($(field sent) + $(field failed)))" ] \
    || problems+=("$when: $recipients recipients received a message, more than sent + failed")
  [ "$duplicates" -le "$(field uncertain)" ] \
    || problems+=("$when: $duplicates duplicate messages, more than the $(field uncertain) counted uncertain")
}
RECEIVED="(simulated sender)"
if [ "$SENDER" = smtp ]; then check_received "at completion"; fi

CUT_SENT_AT_END="?"
CUT_MEMBERS_AT_END="?"
if [ "$CUT_NODE" -ne 0 ]; then
  CUT_SENT_AT_END="$(metric_of "$CUT_NODE" mailcast_messages_sent_total)"
  CUT_MEMBERS_AT_END="$(metric_of "$CUT_NODE" mailcast_cluster_members)"
fi

# Heal the partition: the cut-off node rejoins (split-brain merge) and may flush outcomes it kept while cut off.
heal_note="skipped"
if [ "$CUT_NODE" -ne 0 ] && [ "$HEAL_SECONDS" -gt 0 ]; then
  heal_link "$CUT_NODE"
  log "healed the partition of node $CUT_NODE; watching for ${HEAL_SECONDS} s"
  sleep "$HEAL_SECONDS"
  if read_status; then
    if [ "$STATUS_JSON" = "$FINAL_JSON" ] || { [ "$(field state)" = COMPLETED ] && [ "$(field sent)" = "$sent" ] \
        && [ "$(field failed)" = "$failed" ] && [ "$(field invalid)" = "$invalid" ] \
        && [ "$(field uncertain)" = "$uncertain" ] && [ "$(field remaining)" = 0 ]; }; then
      heal_note="counts unchanged after ${HEAL_SECONDS} s"
    else
      problems+=("counts changed after healing the partition: $(status_line)")
      heal_note="COUNTS CHANGED"
    fi
    if [ "$SENDER" = smtp ]; then check_received "after healing"; fi
  else
    problems+=("status unreadable after healing")
  fi
  if [ -n "$(members_seen_by "$CUT_NODE")" ]; then
    heal_note="$heal_note; node $CUT_NODE now sees $(members_seen_by "$CUT_NODE") member(s)"
  fi
fi

# ------------------------------------------------------------------------------------------------------- report
echo
echo "==================== Mailcast netns cluster report ===================="
printf '%-22s %s\n' "campaign" "$CAMPAIGN_ID"
printf '%-22s %s\n' "nodes" "$NODES (namespaces $TAG-n1..n$NODES, $SUBNET.11-$((10 + NODES)))"
printf '%-22s %s\n' "faults" "partitioned node $CUT_NODE ($CUT_MODE), killed node $KILL_NODE, at +$((FAULT_T - START)) s"
printf '%-22s %s\n' "at the faults" "$AT_FAULT"
printf '%-22s %s\n' "final" "$(printf '%s' "$FINAL_JSON")"
printf '%-22s %s s (submit to completion), %s s after the faults\n' "wall time" "$((END - START))" "$((END - FAULT_T))"
printf '%-22s %s\n' "eligible" "$eligible"
printf '%-22s %s sent + %s failed + %s invalid = %s\n' "accounted" "$sent" "$failed" "$invalid" "$((sent + failed + invalid))"
printf '%-22s %s\n' "uncertain" "$uncertain"
printf '%-22s %s\n' "received (SMTP)" "$RECEIVED"
printf '%-22s %s\n' "members left (logs)" "$(count_in_logs 'member left')"
printf '%-22s %s\n' "chunks reclaimed" "$(count_in_logs 'reclaimed from')"
printf '%-22s %s\n' "chunks restored" "$(cat "$LOG_DIR"/node-*.log 2>/dev/null | grep -o 'restored [0-9]* chunks' | awk '{s += $2} END {print s + 0}')"
printf '%-22s %s\n' "resumed after crash" "$(count_in_logs 'resumed after a crash')"
printf '%-22s %s\n' "chunks lost to owner" "$(count_in_logs 'lost to another owner')"
printf '%-22s %s\n' "outcome write retries" "$(count_in_logs 'could not write')"
printf '%-22s %s\n' "cut-off node" "sent counter $CUT_SENT_AT_FAULT at the cut, $CUT_SENT_AT_END at completion; saw $CUT_MEMBERS_AT_END member(s) at completion"
printf '%-22s %s\n' "after healing" "$heal_note"
if [ "${#problems[@]}" -eq 0 ]; then
  OK=1
  if [ "$SENDER" = smtp ]; then
    echo "RESULT: PASS - campaign COMPLETED, nothing lost (eligible == sent + failed + invalid, remaining 0; every SENT recipient received, duplicates <= uncertain)"
  else
    echo "RESULT: PASS - campaign COMPLETED, nothing lost (eligible == sent + failed + invalid, remaining 0)"
  fi
  echo "======================================================================="
  exit 0
fi
for p in "${problems[@]}"; do echo "problem: $p"; done
echo "RESULT: FAIL"
echo "======================================================================="
exit 1
