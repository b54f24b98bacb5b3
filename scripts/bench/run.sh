#!/usr/bin/env bash
# Benchmark: 10 iBGP feeder peers × 20 000 distinct IPv4 prefixes into (a) `peerlab bgpd` (release build)
# and (b) BIRD 2, one after the other in fresh network namespaces, neither exporting to the kernel.
# Measures time from the first UPDATE sent to a full Loc-RIB, and VmRSS before/after. Root required.
#
#   scripts/bench/run.sh                 # build release peerlab, run both, print the table
#   PEERS=4 PREFIXES=5000 scripts/bench/run.sh       # smaller run
#   PEERLAB_BIN=/path/to/peerlab scripts/bench/run.sh   # skip the release build
#   ENGINES="bird" scripts/bench/run.sh               # only one engine
#   RUNS=5 scripts/bench/run.sh                       # engines take turns 5 times; time and CPU are medians
#   PERF_OUT=/tmp/p.data scripts/bench/run.sh         # also sample the target's ingest with `perf record`
#                                                      # (per engine: /tmp/p.data.peerlab, /tmp/p.data.bird)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PEERS=${PEERS:-10}
PREFIXES=${PREFIXES:-20000}
PER_UPDATE=${PER_UPDATE:-100}
TIMEOUT=${TIMEOUT:-600}
IDLE=${IDLE:-3}
RUNS=${RUNS:-1}
ENGINES=${ENGINES:-"peerlab bird"}
ASN=65000
TOTAL=$((PEERS * PREFIXES))
RUN="plt-iop-bench-$$"
WORK=/tmp/$RUN
PY=/usr/bin/python3
mkdir -p "$WORK"

PIDS=()
NAMESPACES=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ -z "${PEERLAB_BIN:-}" ] && [[ " $ENGINES " == *" peerlab "* ]]; then
  echo "building peerlab (release)…" >&2
  swift build -c release --scratch-path .build-interop-release --product peerlab >&2
  PEERLAB_BIN=$ROOT/.build-interop-release/release/peerlab
fi

now() { date +%s.%N; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# Clock ticks the hypervisor gave other guests instead of this box (the steal column of /proc/stat).
steal_ticks() { local cpu user nice sys idle iowait irq softirq steal rest; read -r cpu user nice sys idle iowait irq softirq steal rest < /proc/stat; echo "$steal"; }

# Sets variable $1 to the nanoseconds of CPU the target's threads have used (builtins only: no fork).
runtime_ns() {
  local -n into=$1
  local total=0 f ns rest
  for f in /proc/"$TARGET_PID"/task/*/schedstat; do
    read -r ns rest < "$f" 2>/dev/null && total=$(( total + ns ))
  done
  into=$total
}
# Nanoseconds the target's threads spent runnable but waiting for a CPU (other load on the box), summed.
wait_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $2} END {printf "%d\n", s}'; }

# Two namespaces (target, feeder) joined by a veth; the feeder has one address per peer.
make_net() {
  local tag=$1-$2
  T="$RUN-$tag-t"; F="$RUN-$tag-f"
  ip netns add "$T"; NAMESPACES+=("$T")
  ip netns add "$F"; NAMESPACES+=("$F")
  ip link add bt netns "$T" type veth peer name bf netns "$F"
  ip -n "$T" addr add 10.201.0.1/24 dev bt
  SOURCES=""
  for i in $(seq 1 "$PEERS"); do
    ip -n "$F" addr add "10.201.0.$((10 + i))/24" dev bf
    SOURCES+="${SOURCES:+,}10.201.0.$((10 + i))"
  done
  for ns in "$T" "$F"; do ip -n "$ns" link set lo up; done
  ip -n "$T" link set bt up; ip -n "$F" link set bf up
}

start_peerlab() {
  local dir=$WORK/peerlab; mkdir -p "$dir"
  {
    echo "router-id: 10.201.0.1"; echo "asn: $ASN"; echo "control-socket: $dir/bgpd.sock"
    echo "install-routes: false"; echo "log: $dir/bgpd.log"; echo "peers:"
    for i in $(seq 1 "$PEERS"); do
      echo "  - {address: 10.201.0.$((10 + i)), remote-as: $ASN, passive: true, hold-time: 240, keepalive: 80}"
    done
  } > "$dir/bgpd.yaml"
  ip netns exec "$T" "$PEERLAB_BIN" bgpd --config "$dir/bgpd.yaml" > "$dir/bgpd.out" 2>&1 &
  TARGET_PID=$!; PIDS+=("$TARGET_PID")
  for _ in $(seq 1 100); do
    ip netns exec "$T" "$PEERLAB_BIN" bgpd status --config "$dir/bgpd.yaml" --json >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "peerlab bgpd did not come up:" >&2; cat "$dir/bgpd.out" >&2; return 1
}
count_peerlab() {
  # --summary: Loc-RIB counts without the route list (listing 200 000 routes as JSON takes tens of seconds and
  # hundreds of MiB). Every prefix of this feed has exactly one valid path, so prefixes = best routes.
  ip netns exec "$T" "$PEERLAB_BIN" bgpd status --config "$WORK/peerlab/bgpd.yaml" --summary --json 2>/dev/null \
    | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d.get("prefixes", 0))' 2>/dev/null || echo 0
}

start_bird() {
  local dir=$WORK/bird; mkdir -p "$dir"
  {
    echo "router id 10.201.0.1;"
    echo "log \"$dir/bird.log\" { warning, error, fatal };"
    echo "protocol device { scan time 10; }"
    for i in $(seq 1 "$PEERS"); do
      echo "protocol bgp feeder$i { local 10.201.0.1 as $ASN; neighbor 10.201.0.$((10 + i)) as $ASN; passive on; direct; hold time 240;"
      echo "  ipv4 { import all; export none; gateway direct; }; }"
    done
  } > "$dir/bird.conf"
  ip netns exec "$T" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid" > "$dir/bird.out" 2>&1 &
  TARGET_PID=$!; PIDS+=("$TARGET_PID")
  for _ in $(seq 1 100); do
    [ -S "$dir/bird.ctl" ] && return 0
    sleep 0.2
  done
  echo "bird did not come up:" >&2; cat "$dir/bird.out" >&2; return 1
}
count_bird() {
  ip netns exec "$T" birdc -s "$WORK/bird/bird.ctl" show route count 2>/dev/null \
    | awk '/in table master4/ {print $1; found=1} END {if (!found) print 0}'
}

# Runs one engine; sets R_TIME R_BEFORE R_AFTER R_POLL (seconds one count query took at the end).
bench() {
  local engine=$1
  make_net "$engine" "$2"
  "start_$engine"
  local go=$WORK/$engine.go out=$WORK/$engine.feed
  rm -f "$go" "$out"
  ip netns exec "$F" $PY "$ROOT/scripts/bench/feed.py" --target 10.201.0.1 --sources "$SOURCES" --as $ASN \
    --prefixes "$PREFIXES" --per-update "$PER_UPDATE" --go-file "$go" > "$out" 2>&1 &
  local feeder=$!; PIDS+=("$feeder")
  touch "$out"
  for _ in $(seq 1 600); do
    grep -q '^ESTABLISHED' "$out" && break
    grep -q '^FAILED' "$out" && { cat "$out" >&2; return 1; }
    kill -0 "$feeder" 2>/dev/null || { cat "$out" >&2; return 1; }
    sleep 0.2
  done
  grep -q '^ESTABLISHED' "$out" || { echo "$engine: sessions did not establish" >&2; cat "$out" >&2; return 1; }
  sleep 1
  R_BEFORE=$(rss_kb "$TARGET_PID")
  local runtime0; runtime_ns runtime0
  local steal0; steal0=$(steal_ticks)
  local wall0=${EPOCHREALTIME/./}
  local wait0; wait0=$(wait_ns "$TARGET_PID")
  local perf_pid=""
  if [ -n "${PERF_OUT:-}" ]; then
    perf record -q -F 9999 -g -p "$TARGET_PID" -o "$PERF_OUT.$engine" > /dev/null 2>&1 &
    perf_pid=$!; sleep 1
  fi
  touch "$go"
  for _ in $(seq 1 500); do grep -q '^T0' "$out" && break; sleep 0.005; done
  local t0; t0=$(awk '/^T0/ {print $2}' "$out")
  # Completion = the last moment the target used CPU before staying idle for $IDLE s, confirmed by one
  # count query (polling would load the target during ingest).
  # Polled every 10 ms with shell builtins only (no process per poll, which would load the box and blur the
  # figure): $EPOCHREALTIME, `read` from /proc, and `read -t` on a descriptor nobody writes as the sleep.
  # CPU is the threads' run time in ns from /proc/PID/task/*/schedstat, so the last moment of use is seen
  # within one poll, not within a 10 ms clock tick.
  local quiet; exec {quiet}<> <(:)
  local runtime last_runtime last_change n=0 done_at="" sent="" now_us
  R_RETRIES=0
  runtime_ns last_runtime; last_change=${EPOCHREALTIME/./}
  local deadline=$(( ${EPOCHREALTIME/./} + TIMEOUT * 1000000 ))
  while :; do
    read -rt 0.01 -u "$quiet" _ || true
    runtime_ns runtime
    now_us=${EPOCHREALTIME/./}
    # Activity = more than 0.2 ms of CPU since the last poll: ingest uses the whole 10 ms, while housekeeping
    # timers (BIRD's scans, keepalives) wake for microseconds and must not count as still working.
    if (( runtime - last_runtime > 200000 )); then
      last_runtime=$runtime; last_change=$now_us
    else
      if [ -z "$sent" ]; then
        local lines; mapfile -t lines < "$out"
        [[ " ${lines[*]} " == *" SENT "* ]] && sent=1
      fi
      if [ -n "$sent" ] && (( now_us - last_change >= IDLE * 1000000 )); then
        R_AFTER=$(rss_kb "$TARGET_PID")
        R_WAIT=$(echo "scale=2; ($(wait_ns "$TARGET_PID") - $wait0) / 1000000000" | bc)
        local p0; p0=$(now)
        n=$("count_$engine" | tail -1)
        R_POLL=$(echo "$(now) - $p0" | bc -l)
        if [ "${n:-0}" -ge "$TOTAL" ]; then
          done_at=$(echo "scale=6; $last_change / 1000000" | bc)
          R_CPU=$(echo "scale=3; ($last_runtime - $runtime0) / 1000000000" | bc)
          break
        fi
        echo "$engine: idle with ${n:-0} of $TOTAL routes; waiting on (this run's time and CPU include that query)" >&2
        R_RETRIES=$((R_RETRIES + 1))
        runtime_ns last_runtime; last_change=${EPOCHREALTIME/./}
      fi
    fi
    (( now_us > deadline )) && break
  done
  exec {quiet}<&-
  # Share of the box's CPU time stolen by the host over this run (both CPUs), in percent.
  R_STEAL=$(( ( $(steal_ticks) - steal0 ) * 1000000 * 100 / ( ( ${EPOCHREALTIME/./} - wall0 ) * $(getconf CLK_TCK) * $(nproc) ) ))
  [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; }
  R_PEAK=$(awk '/^VmHWM:/ {print $2}' "/proc/$TARGET_PID/status")
  if [ -z "$done_at" ]; then
    echo "$engine: only ${n:-0} of $TOTAL routes after ${TIMEOUT}s" >&2
    R_TIME="timeout"; R_AFTER=$(rss_kb "$TARGET_PID"); R_POLL="-"; R_CPU="-"; R_WAIT="-"
  else
    R_TIME=$(echo "$done_at - $t0" | bc -l)
  fi
  kill "$feeder" "$TARGET_PID" 2>/dev/null || true
  wait "$feeder" "$TARGET_PID" 2>/dev/null || true
  ip netns del "$T" 2>/dev/null || true; ip netns del "$F" 2>/dev/null || true
  rm -rf "${WORK:?}/$engine"
}

# The median of a list of numbers ("timeout" sorts last).
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

declare -A TIME BEFORE AFTER POLL PEAK CPU WAIT TIMES CPUS STEALS
NOTES=""
for run in $(seq 1 "$RUNS"); do
  for engine in $ENGINES; do
    echo "running $engine${RUNS:+ (run $run of $RUNS)}: $PEERS peers × $PREFIXES prefixes, $PER_UPDATE per UPDATE…" >&2
    bench "$engine" "$run"
    BEFORE[$engine]=$R_BEFORE; AFTER[$engine]=$R_AFTER; POLL[$engine]=$R_POLL; PEAK[$engine]=$R_PEAK; WAIT[$engine]=$R_WAIT
    STEALS[$engine]+=" $R_STEAL%"
    TIMES[$engine]+=" $([ "$R_TIME" = timeout ] && echo timeout || printf "%.3f" "$R_TIME")"; CPUS[$engine]+=" $R_CPU"
    [ "$R_RETRIES" -eq 0 ] || NOTES+="$engine: went idle $R_RETRIES time(s) before the Loc-RIB was full; its figures include those count queries. "
  done
done
for engine in $ENGINES; do
  # shellcheck disable=SC2086
  TIME[$engine]=$(median ${TIMES[$engine]}); CPU[$engine]=$(median ${CPUS[$engine]})
  [[ ${TIMES[$engine]} == *timeout* ]] && TIME[$engine]=timeout
done

echo
echo "BGP ingest: $PEERS iBGP peers × $PREFIXES IPv4 prefixes = $TOTAL routes, $PER_UPDATE prefixes per UPDATE, no kernel export ($(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-10s %16s %10s %12s %14s %14s %14s %12s %14s %14s\n' engine "time to Loc-RIB" "CPU" "CPU wait" "RSS before" "RSS after" "RSS growth" "bytes/route" "count query" "peak RSS"
for engine in $ENGINES; do
  b=${BEFORE[$engine]}; a=${AFTER[$engine]}
  per=$(echo "($a - $b) * 1024 / $TOTAL" | bc)
  t=${TIME[$engine]}; [ "$t" = timeout ] || t=$(printf '%.3f s' "$t")
  printf '%-10s %16s %8s s %10s s %10s MiB %10s MiB %10s MiB %12s %14s %10s MiB\n' "$engine" "$t" "${CPU[$engine]}" "${WAIT[$engine]}" \
    "$(echo "scale=1; $b/1024" | bc)" "$(echo "scale=1; $a/1024" | bc)" "$(echo "scale=1; ($a-$b)/1024" | bc)" "$per" \
    "$([ "${POLL[$engine]}" = - ] && echo - || printf '%.2f s' "${POLL[$engine]}")" "$(echo "scale=1; ${PEAK[$engine]}/1024" | bc)"
done
if [[ " $ENGINES " == *" peerlab "* && " $ENGINES " == *" bird "* && ${TIME[peerlab]} != timeout && ${TIME[bird]} != timeout ]]; then
  echo
  echo "peerlab / bird: time $(echo "scale=2; ${TIME[peerlab]} / ${TIME[bird]}" | bc)×," \
       "CPU $(echo "scale=2; ${CPU[peerlab]} / ${CPU[bird]}" | bc)×," \
       "RSS after $(echo "scale=2; ${AFTER[peerlab]} / ${AFTER[bird]}" | bc)×," \
       "RSS growth $(echo "scale=2; (${AFTER[peerlab]} - ${BEFORE[peerlab]}) / (${AFTER[bird]} - ${BEFORE[bird]})" | bc)×"
fi
if [ "$RUNS" -gt 1 ]; then
  echo "time and CPU above: medians of $RUNS runs (engines taking turns); each run, in order:"
  for engine in $ENGINES; do echo "  $engine time (s):${TIMES[$engine]}   CPU (s):${CPUS[$engine]}   host steal:${STEALS[$engine]}"; done
fi
[ -z "$NOTES" ] || echo "NOTE: $NOTES"
echo "(CPU: the target's threads' run time (schedstat, ns) over the same span, less sensitive to other load on the box;"
echo " CPU wait: time its threads were runnable but waiting for a core (other load), from /proc/PID/task/*/schedstat,"
echo " up to the idle check, so it includes the ${IDLE} s idle window (normally ~0);"
echo " time: feeder's first UPDATE → last CPU use of the target (polled every 10 ms) before ${IDLE} s idle, then confirmed by one count"
echo " query (bgpd status --summary --json / birdc show route count), whose duration is 'count query'; RSS after is read"
echo " before that query; peak RSS (VmHWM) includes it)"
