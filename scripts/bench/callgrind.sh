#!/usr/bin/env bash
# Instruction counts of `peerlab bgpd` ingesting a small feed, under valgrind's callgrind: stable on a loaded box,
# unlike wall or CPU time. Root required (network namespaces).
#
#   scripts/bench/callgrind.sh PEERLAB_BINARY OUT_FILE        # 4 peers x 5000 prefixes
#   PEERS=10 PREFIXES=2000 scripts/bench/callgrind.sh …
#   callgrind_annotate --inclusive=yes OUT_FILE | swift demangle --simplified | less
#
# valgrind cannot read the Swift toolchain's debug info, so a copy stripped of it (symbols kept) is profiled.
# Counters are zeroed when the sessions are up and dumped after WAIT seconds, before the daemon is stopped, so
# OUT_FILE holds the ingest only (the shutdown's withdrawals would otherwise be counted as far as they got).
set -euo pipefail
BIN=$1; OUT=$2
PEERS=${PEERS:-4}; PREFIXES=${PREFIXES:-5000}; WAIT=${WAIT:-40}   # PER_UPDATE: prefixes per UPDATE (100)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=plt-perf-cg-$$; T=$RUN-t; F=$RUN-f; W=/tmp/$RUN
mkdir -p "$W"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  ip netns del "$T" 2>/dev/null || true; ip netns del "$F" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT INT TERM
cp "$BIN" "$W/peerlab"; strip --strip-debug "$W/peerlab"
ip netns add "$T"; ip netns add "$F"
ip link add bt netns "$T" type veth peer name bf netns "$F"
ip -n "$T" addr add 10.201.0.1/24 dev bt
SOURCES=""
for i in $(seq 1 "$PEERS"); do
  ip -n "$F" addr add "10.201.0.$((10 + i))/24" dev bf
  SOURCES+="${SOURCES:+,}10.201.0.$((10 + i))"
done
for ns in "$T" "$F"; do ip -n "$ns" link set lo up; done
ip -n "$T" link set bt up; ip -n "$F" link set bf up
{
  echo "router-id: 10.201.0.1"; echo "asn: 65000"; echo "install-routes: false"; echo "log: $W/bgpd.log"; echo "peers:"
  for i in $(seq 1 "$PEERS"); do
    echo "  - {address: 10.201.0.$((10 + i)), remote-as: 65000, passive: true, hold-time: 240, keepalive: 80}"
  done
} > "$W/bgpd.yaml"
ip netns exec "$T" valgrind --tool=callgrind --callgrind-out-file="$OUT" "$W/peerlab" bgpd --config "$W/bgpd.yaml" > "$W/out" 2>&1 &
DAEMON=$!; PIDS+=("$DAEMON")
sleep 8
ip netns exec "$F" python3 "$ROOT/scripts/bench/feed.py" --target 10.201.0.1 --sources "$SOURCES" --as 65000 \
  --prefixes "$PREFIXES" --per-update "${PER_UPDATE:-100}" --go-file "$W/go" > "$W/feed" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 300); do grep -q ESTABLISHED "$W/feed" && break; sleep 0.2; done
grep -q ESTABLISHED "$W/feed" || { echo "sessions did not establish" >&2; cat "$W/feed" "$W/out" >&2; exit 1; }
sleep 2; callgrind_control -z "$DAEMON" > /dev/null 2>&1 || true
touch "$W/go"
sleep "$WAIT"
callgrind_control -d ingest "$DAEMON" > /dev/null 2>&1
sleep 1
kill "$DAEMON"; wait "$DAEMON" || true
# The dump is OUT.1 (the final dump at exit, OUT, holds the shutdown): keep the ingest as OUT.
mv "$OUT.1" "$OUT"
echo "wrote $OUT ($PEERS peers x $PREFIXES prefixes, ingest only)"
