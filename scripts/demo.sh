#!/usr/bin/env bash
# The main job on embedded defaults, the whole loop on one machine:
#  - one silo (embedded MQTT broker and store, operator API on :8080);
#  - three edge agents (edge-north, edge-mid, edge-south); edge-mid is an arm64 agent under qemu when
#    qemu-aarch64-static and the arm64 sysroot are installed (scripts/install-test-deps.sh), else native;
#  - buses on real Staten Island routes (GTFS) publishing telemetry through the simulator's `drive`;
#  - a WebAssembly service per bus (samples/wasm fusion) on edge-north, in a fleet on the reactive policy:
#    the silo's live decisions move each service to the site nearest its bus by live migration, across
#    CPU architectures where the target is the arm64 agent.
# Stops by itself after the drive (or Ctrl+C). Knobs: DEMO_TRIPS, DEMO_SERVICES, DEMO_SPEEDUP,
# DEMO_DURATION, DEMO_HTTP_PORT, DEMO_MQTT_PORT, DEMO_ARM64=0, EDGEMIGRATE_GTFS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v dotnet >/dev/null || { echo "demo.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
gtfs="${EDGEMIGRATE_GTFS:-data/gtfs/staten-island-weekday-am.zip}"
http_port="${DEMO_HTTP_PORT:-8080}"
mqtt_port="${DEMO_MQTT_PORT:-1883}"
api="http://127.0.0.1:$http_port/api"
state="$PWD/.demo-data"
rm -rf "$state" && mkdir -p "$state"

echo "== building the silo, the agent, the simulator (Release) and the sample wasm workload =="
for project in src/Silo src/EdgeAgent simulations/EdgeMigrate.Simulator; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
done
bash samples/wasm/build.sh >/dev/null
module="$PWD/samples/wasm/bin/fusion.wasm"

arm64_agent=()
if [[ "${DEMO_ARM64:-1}" == 1 ]] && command -v qemu-aarch64-static >/dev/null && [[ -d /opt/edgemigrate/arm64-sysroot ]]; then
  echo "== publishing the agent for linux-arm64 (runs under qemu-aarch64-static) =="
  dotnet publish src/EdgeAgent/EdgeMigrate.EdgeAgent.csproj -r linux-arm64 --self-contained -c Release -nologo -clp:ErrorsOnly \
    --artifacts-path "$state/arm64-build" -o "$state/agent-arm64" >/dev/null
  arm64_agent=(env QEMU_LD_PREFIX=/opt/edgemigrate/arm64-sysroot qemu-aarch64-static "$state/agent-arm64/edgemigrate-agent")
else
  echo "demo.sh: qemu-aarch64-static or /opt/edgemigrate/arm64-sysroot missing (or DEMO_ARM64=0): all agents run natively on x86-64" >&2
fi

if [[ -f "$gtfs" ]]; then
  mobility=(--gtfs "$gtfs" --start 07:30 --max-trips "${DEMO_TRIPS:-40}")
else
  echo "demo.sh: no GTFS feed at $gtfs (set EDGEMIGRATE_GTFS); using synthetic Manhattan-grid mobility instead" >&2
  mobility=(--mobility manhattan --devices "${DEMO_TRIPS:-40}")
fi
sim=(dotnet simulations/EdgeMigrate.Simulator/bin/Release/net10.0/edgemigrate-sim.dll)
mapfile -t buses < <("${sim[@]}" drive "${mobility[@]}" --list-devices | head -n "${DEMO_SERVICES:-8}")

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== starting the silo: API $api (nodes, devices, services, migrations, stats), MQTT :$mqtt_port =="
dotnet src/Silo/bin/Release/net10.0/edgemigrate-silo.dll --data-dir "$state/silo" --http-port "$http_port" --mqtt-port "$mqtt_port" &
pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.5; done

# Three sites along the island; the agents serve them (a site's id is its node id).
cat > "$state/sites.csv" <<CSV
id,lat,lon,capacity,arch
edge-north,40.6330,-74.1150,,x64
edge-mid,40.5870,-74.1550,,$([[ ${#arm64_agent[@]} -gt 0 ]] && echo arm64 || echo x64)
edge-south,40.5400,-74.1800,,x64
CSV
start_agent() { # NODE PORT COMMAND...
  local node=$1 port=$2; shift 2
  "$@" --node-id "$node" --mqtt-url "mqtt://127.0.0.1:$mqtt_port" --listen "127.0.0.1:$port" \
    --work-dir "$state/$node" --runc-root "$state/$node/runc" --status-interval 5 "${runs[@]}" > "$state/$node.log" 2>&1 &
  pids+=($!)
}
agent=(dotnet src/EdgeAgent/bin/Release/net10.0/edgemigrate-agent.dll)
runs=(); for bus in "${buses[@]}"; do runs+=(--run-wasm "svc-$bus=$module"); done
start_agent edge-north 7711 "${agent[@]}"
runs=()
if [[ ${#arm64_agent[@]} -gt 0 ]]; then start_agent edge-mid 7712 "${arm64_agent[@]}"; else start_agent edge-mid 7712 "${agent[@]}"; fi
start_agent edge-south 7713 "${agent[@]}"
echo "== waiting for the three agents to report (logs in $state/edge-*.log) =="
online=0
for _ in $(seq 240); do
  online=$(curl -s "$api/nodes" | { grep -o '"online":true' || true; } | wc -l)
  [[ $online -ge 3 ]] && break; sleep 0.5
done
if [[ $online -lt 3 ]]; then
  echo "demo.sh: only $online of 3 agents reported; the ends of their logs:" >&2
  for node in edge-north edge-mid edge-south; do echo "--- $node" >&2; grep -v '^   at ' "$state/$node.log" | tail -n 5 >&2; done
  exit 1
fi
curl -s "$api/nodes" | tr '{' '\n' | grep -o '"nodeId":"[^"]*","online":[a-z]*,"lastStatusAt":"[^"]*","arch":"[^"]*"' || true

echo "== fleet 'demo' on the reactive policy; one wasm service per bus, all starting on edge-north =="
curl -sf -X PUT "$api/policies/demo" -H 'content-type: application/json' -d '{"policy":"reactive","hysteresisMs":3,"timeToTriggerSeconds":3}' >/dev/null
for bus in "${buses[@]}"; do
  curl -sf -X POST "$api/services" -H 'content-type: application/json' \
    -d "{\"serviceId\":\"svc-$bus\",\"engine\":\"wasm\",\"workload\":\"fusion.wasm\",\"nodeId\":\"edge-north\",\"deviceId\":\"$bus\",\"fleetId\":\"demo\",\"memoryMiB\":1}" >/dev/null
done
echo "${#buses[@]} services registered"

echo "== buses publishing telemetry (simulator drive); migrations appear in the silo's log lines =="
"${sim[@]}" drive "${mobility[@]}" --duration "${DEMO_DURATION:-10m}" --sites "$state/sites.csv" --speedup "${DEMO_SPEEDUP:-5}" \
  --mqtt-url "mqtt://127.0.0.1:$mqtt_port" --no-progress

echo "== what happened =="
curl -s "$api/stats"; echo
curl -s "$api/migrations" | tr '{' '\n' | grep -o '"migrationId":"[^"]*","serviceId":"[^"]*","sourceNodeId":"[^"]*","targetNodeId":"[^"]*"\|"state":"[a-z-]*","requestedAt"\|"downtimeMs":[0-9.]*' | paste -sd' ' | sed 's/"migrationId"/\n"migrationId"/g' | head -40
