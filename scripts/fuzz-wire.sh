#!/usr/bin/env bash
# Coverage-guided fuzzing of the BGP wire decoder with libFuzzer (not part of CI).
# Builds Sources/BGPWire plus a tiny harness calling `fuzzDecode` with -sanitize=fuzzer,address into a temporary
# directory, runs it, and removes everything afterwards except crash reproducers, which are copied to ./fuzz-crashes/.
#   scripts/fuzz-wire.sh [seconds]        default 60
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
work="$(mktemp -d /tmp/fuzz-wire.XXXXXX)"
trap 'rm -rf "$work"' EXIT

cat > "$work/harness.swift" <<'SWIFT'
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzDecode(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
SWIFT

# A few valid messages to start from: KEEPALIVE, an UPDATE with the mandatory attributes, an MP End-of-RIB, an OPEN.
mkdir -p "$work/corpus"
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x13\x04' > "$work/corpus/keepalive"
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x36\x02\x00\x00\x00\x18\x40\x01\x01\x00\x40\x02\x06\x02\x01\x00\x00\xfd\xe9\x40\x03\x04\x0a\x00\x00\x01\x80\x04\x04\x00\x00\x00\x05\x10\x0a\x01\x18\xc0\xa8\x01' > "$work/corpus/update"
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x1d\x02\x00\x00\x00\x06\x80\x0f\x03\x00\x02\x01' > "$work/corpus/eor6"
printf '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x2d\x01\x04\xfd\xe9\x00\x5a\x01\x01\x01\x01\x10\x02\x0e\x01\x04\x00\x02\x00\x01\x02\x00\x41\x04\x00\x00\xfd\xe9' > "$work/corpus/open"

echo "building harness…"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name WireFuzz \
    $(find Sources/BGPWire -name '*.swift' | sort) "$work/harness.swift" -o "$work/fuzz-wire"

echo "fuzzing for ${seconds}s…"
status=0
( cd "$work" && ./fuzz-wire -max_total_time="$seconds" -max_len=4200 -print_final_stats=1 corpus ) || status=$?
if compgen -G "$work/crash-*" > /dev/null || compgen -G "$work/leak-*" > /dev/null; then
    mkdir -p fuzz-crashes
    cp "$work"/crash-* "$work"/leak-* fuzz-crashes/ 2>/dev/null || true
    echo "reproducers copied to fuzz-crashes/"
fi
exit "$status"
