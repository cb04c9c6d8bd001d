#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, builds with warnings as errors,
# then runs every test. Integration groups can be run alone, e.g.:
#   dotnet test EdgeMigrate.sln -c Release --filter Category=Mqtt
# Groups: Unit, Mqtt, Saga, Persistence, Mosquitto, Cluster, Gtfs, Ml, Transfer, Container, Netns, Wasm,
# CrossIsa (see docs/testing.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2; exit 1; }

echo "== installing host tooling (idempotent) =="
bash scripts/install-test-deps.sh

export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== building (Release, warnings are errors) =="
dotnet build EdgeMigrate.sln -c Release -nologo -clp:ErrorsOnly

echo "== running tests =="
log=$(mktemp)
set +e
dotnet test EdgeMigrate.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
awk '/^(Passed|Failed)!/ {
        for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (s > 0) exit 3 }' "$log" || { echo "test.sh: skipped tests count as failures here" >&2; status=1; }
rm -f "$log"
exit "$status"
