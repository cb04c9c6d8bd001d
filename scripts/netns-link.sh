#!/usr/bin/env bash
# Two network namespaces joined by a shaped veth link, for realistic agent ⇄ agent transfers:
#   scripts/netns-link.sh up NAME [RATE] [LATENCY]   (default 100mbit, 50ms tbf latency)
#   scripts/netns-link.sh down NAME
# Creates NAME-a and NAME-b (transfer link 10.213.N.1 <-> 10.213.N.2, tbf both ways) and a veth from the host
# into each (host 10.213.M.1 / ns-a 10.213.M.2, host 10.213.K.1 / ns-b 10.213.K.2) so agents inside reach an
# MQTT broker on the host. N, M, K come from a hash of NAME, so several links can coexist. Prints the addresses
# as shell variables. Root only; touches nothing but the namespaces and veths it creates.
# Start an agent inside with `nsenter --net=/run/netns/NAME-a -- edgemigrate-agent …`. `ip netns exec` also works
# for anything that does not need cgroups, but it remounts /sys, which hides a cgroup v1 host's hierarchies
# (tmpfs at /sys/fs/cgroup, one mount per controller) from runc (it finds no cgroup mount).
set -euo pipefail

cmd="${1:-}"; name="${2:-}"
rate="${3:-100mbit}"; latency="${4:-50ms}"
[[ "$cmd" == up || "$cmd" == down ]] && [[ "$name" =~ ^[a-z0-9]{1,8}$ ]] \
  || { echo "usage: $0 up|down NAME(1-8 of [a-z0-9]) [RATE] [LATENCY]" >&2; exit 2; }
[[ "$(id -u)" == 0 ]] || { echo "netns-link: run as root" >&2; exit 1; }
command -v ip >/dev/null && command -v tc >/dev/null \
  || { echo "netns-link: ip/tc missing: run scripts/install-test-deps.sh --only netns" >&2; exit 1; }

n=$(( $(cksum <<<"$name" | cut -d' ' -f1) % 80 * 3 + 10 ))   # 10..247, step 3: N, N+1, N+2
a="$name-a"; b="$name-b"

down() {
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  ip link del "em${name}ha" 2>/dev/null || true
  ip link del "em${name}hb" 2>/dev/null || true
}

if [[ "$cmd" == down ]]; then down; exit 0; fi

down
ip netns add "$a"; ip netns add "$b"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
# The shaped link between the two agents.
ip link add "em${name}a" netns "$a" type veth peer name "em${name}b" netns "$b"
ip -n "$a" addr add "10.213.$n.1/24" dev "em${name}a"
ip -n "$b" addr add "10.213.$n.2/24" dev "em${name}b"
ip -n "$a" link set "em${name}a" up
ip -n "$b" link set "em${name}b" up
ip netns exec "$a" tc qdisc add dev "em${name}a" root tbf rate "$rate" burst 32kbit latency "$latency"
ip netns exec "$b" tc qdisc add dev "em${name}b" root tbf rate "$rate" burst 32kbit latency "$latency"
# Unshaped host legs (MQTT to the silo's broker on the host).
for side in a b; do
  ns="$name-$side"
  [[ "$side" == a ]] && net=$((n + 1)) || net=$((n + 2))
  ip link add "em${name}h$side" type veth peer name "em${name}g$side" netns "$ns"
  ip addr add "10.213.$net.1/24" dev "em${name}h$side"
  ip link set "em${name}h$side" up
  ip -n "$ns" addr add "10.213.$net.2/24" dev "em${name}g$side"
  ip -n "$ns" link set "em${name}g$side" up
done
echo "NS_A=$a NS_B=$b LINK_A=10.213.$n.1 LINK_B=10.213.$n.2 HOST_A=10.213.$((n + 1)).1 HOST_B=10.213.$((n + 2)).1 RATE=$rate"
