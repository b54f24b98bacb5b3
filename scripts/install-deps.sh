#!/usr/bin/env bash
# Installs what PeerLab's build and test suite need from Debian, only when missing.
# Real BGP peers for interop tests: FRR, BIRD 2, GoBGP, ExaBGP. Tools: iproute2, ping, tcpdump, and nft
# (nftables), which calico-node nodes use to program natOutgoing (Felix's MASQUERADE) in their namespaces.
set -euo pipefail
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in iproute2 iputils-ping tcpdump nftables frr bird2 gobgpd exabgp libreadline-dev procps; do
  have_pkg "$p" || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: everything present"
  exit 0
fi
echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packaged daemons must not run on the host: tests start their own instances, by PID, in namespaces.
for svc in frr bird gobgpd exabgp; do
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now "$svc" >/dev/null 2>&1 || true; fi
done
echo "install-deps: done"
