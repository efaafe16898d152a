#!/usr/bin/env bash
# Measures the custom handler's cold start: process start → first 200 from /api/health, for
# each way of publishing it, against a throw-away Azurite on free ports (tables already
# created, as in Azure after the first start). Prints a Markdown table for docs/performance.md.
# Usage: tools/cold-start.sh [runs per variant, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh
runs=${1:-10}

work=$(mktemp -d)
cleanup() {
  [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null && wait "$AZURITE_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ensure_node_modules
start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"

publish() { # name, extra publish arguments…
  local name=$1; shift
  echo "Publishing $name…" >&2
  dotnet publish src/Functions/Functions.csproj -c Release -o "$work/$name" --nologo -v quiet "$@" >&2
}
publish framework-dependent
publish ready-to-run -r linux-x64 --self-contained false -p:PublishReadyToRun=true

measure() { # name, command…
  local name=$1; shift
  python3 - "$runs" "$name" "$@" <<'PY'
import os, socket, statistics, subprocess, sys, time, urllib.request
runs, name, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
times = []
for i in range(runs + 1):                     # the first run warms the disk cache and storage: not counted
    port = free_port()
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(port))
    start = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = None
    while time.perf_counter() - start < 30:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                if r.status == 200: ms = (time.perf_counter() - start) * 1000; break
        except Exception:
            if p.poll() is not None: sys.exit(f"{name}: the handler exited: {p.stderr.read().decode()[-2000:]}")
            time.sleep(0.002)
    p.terminate(); p.wait()
    if ms is None: sys.exit(f"{name}: no 200 within 30 s")
    if i > 0: times.append(ms)
times.sort()
print(f"| {name} | {statistics.median(times):.0f} | {times[0]:.0f} | {times[-1]:.0f} | {runs} |")
PY
}

export ASPNETCORE_ENVIRONMENT=Production
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__NamePrefix=coldstart
export Storage__PersonalDataKeySecret=cold-start-measurement-secret-0123456789
export Auth__Authority=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0 Auth__Audience=api://funcregistry
export Outbox__PollQueue=false

echo "| variant | median ms | min ms | max ms | runs |"
echo "|---|---:|---:|---:|---:|"
measure framework-dependent dotnet "$work/framework-dependent/FuncRegistry.Functions.dll"
measure ready-to-run dotnet "$work/ready-to-run/FuncRegistry.Functions.dll"
