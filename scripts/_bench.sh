# Sourced by the benchmark scripts: a work directory, the processes they start (stopped on exit, newest first), and
# waits for ports and readiness. The caller sets BENCH_NAME first and appends every pid it starts to PIDS.
TMP=$(mktemp -d "/tmp/${BENCH_NAME:?}.XXXXXX")
PIDS=()
cleanup() { # newest first, so the nodes stop (and write what they hold) while MongoDB still runs; 30 s each at most
  local i pid
  for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do
    pid=${PIDS[i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
wait_port() { # port seconds
  for _ in $(seq 1 "$2"); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 1; done
  echo "nothing listens on $1 after $2 s" >&2; return 1
}
wait_ready() { # http-port seconds
  for _ in $(seq 1 "$2"); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "node on $1 not ready after $2 s" >&2; return 1
}
