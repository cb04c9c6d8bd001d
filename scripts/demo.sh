#!/usr/bin/env bash
# The main job on embedded defaults: one silo (embedded MQTT broker, embedded store, operator API on
# :8080) plus simulated buses publishing telemetry over MQTT; prints what happens until Ctrl+C.
# Extra arguments go to the silo, e.g. `bash scripts/demo.sh --run-for 00:01:00 --demo-devices 50`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v dotnet >/dev/null || { echo "demo.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly
echo "Operator API: http://127.0.0.1:8080/api/devices  (also /api/nodes, /api/services, /api/stats, /healthz, /metrics)"
exec dotnet src/Silo/bin/Release/net10.0/edgemigrate-silo.dll --data-dir .demo-data --demo-devices 12 "$@"
