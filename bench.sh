#!/usr/bin/env bash
# The benchmark (not part of ./test.sh): Azurite in memory on free ports, the app as its own
# process(es), complete lifecycles from concurrent clients. --quick: a short version (< 2 min, plus
# about 4 min for the Durable baseline).
# --queue-only: only the reviewer-queue scaling; with BENCH_STORAGE set (a storage account's
# connection string) it runs against that account instead of Azurite. --durable-only: only the
# Durable baseline (the product's orchestration shape on DurableTask.AzureStorage; bench/Durable/).
# --workflow-only: only the full app's figures of issue 13 item 10 (lifecycles with the orchestration,
# idle, racing decisions, the queue's app overhead) and a shorter baseline to compare with (~13 min).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/azurite.sh
source scripts/debian-packages.sh

work=$(mktemp -d)
cleanup() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ensure_node_modules
ensure_debian_packages "${PDF_FONT_PACKAGES[@]}"  # the fonts the PDFs embed (the build copies them)
[[ " $* " == *" --durable-only "* ]] || dotnet build src/DevHost -c Release --nologo -v quiet >/dev/null
dotnet build bench -c Release --nologo -v quiet >/dev/null
if [ -z "${BENCH_STORAGE:-}" ]; then
  start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"
  BENCH_STORAGE="$AZURITE_CONNECTION_STRING"
fi

BENCH_STORAGE="$BENCH_STORAGE" \
BENCH_APP_DLL="$PWD/src/DevHost/bin/Release/net10.0/FuncRegistry.DevHost.dll" \
BENCH_RESULTS="${BENCH_RESULTS:-$PWD/bench/results}" \
  dotnet bench/bin/Release/net10.0/FuncRegistry.Bench.dll "$@"
