#!/usr/bin/env bash
# The main job on embedded defaults: one silo (embedded MQTT broker, embedded store, operator API on
# :8080) and buses riding real Staten Island routes (GTFS) that publish live telemetry over MQTT through
# the simulator's `drive` command. Prints what happens; stops by itself after the drive (or Ctrl+C).
#   bash scripts/demo.sh                         # 60 trips from 07:30, 10 simulated minutes at 5x
#   DEMO_TRIPS=200 DEMO_SPEEDUP=10 bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v dotnet >/dev/null || { echo "demo.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
gtfs="${EDGEMIGRATE_GTFS:-../shared/data/gtfs/staten-island-weekday-am.zip}"
http_port="${DEMO_HTTP_PORT:-8080}"
mqtt_port="${DEMO_MQTT_PORT:-1883}"

echo "== building the silo and the simulator (Release) =="
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly
dotnet build simulations/EdgeMigrate.Simulator -c Release -nologo -clp:ErrorsOnly

if [[ -f "$gtfs" ]]; then
  mobility=(--gtfs "$gtfs" --start 07:30 --max-trips "${DEMO_TRIPS:-60}")
else
  echo "demo.sh: no GTFS feed at $gtfs (set EDGEMIGRATE_GTFS); using synthetic Manhattan-grid mobility instead" >&2
  mobility=(--mobility manhattan --devices "${DEMO_TRIPS:-60}")
fi

echo "== starting the silo: API http://127.0.0.1:$http_port (/api/devices /api/nodes /api/stats /healthz /metrics), MQTT :$mqtt_port =="
dotnet src/Silo/bin/Release/net10.0/edgemigrate-silo.dll --data-dir .demo-data --http-port "$http_port" --mqtt-port "$mqtt_port" &
silo=$!
trap 'kill "$silo" 2>/dev/null || true; wait "$silo" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break
  kill -0 "$silo" 2>/dev/null || { echo "demo.sh: the silo exited; see its output above" >&2; exit 1; }
  sleep 0.5
done

echo "== buses publishing telemetry (simulator drive) =="
dotnet simulations/EdgeMigrate.Simulator/bin/Release/net10.0/edgemigrate-sim.dll drive "${mobility[@]}" \
  --duration "${DEMO_DURATION:-10m}" --sites hex:800 --speedup "${DEMO_SPEEDUP:-5}" --mqtt-url "mqtt://127.0.0.1:$mqtt_port" --no-progress

echo "== what the silo made of it =="
curl -s "http://127.0.0.1:$http_port/api/stats"; echo
first=$(curl -s "http://127.0.0.1:$http_port/api/devices" | sed -E 's/^\["([^"]+)".*/\1/')
[[ -n "$first" ]] && { curl -s "http://127.0.0.1:$http_port/api/devices/$first"; echo; }
