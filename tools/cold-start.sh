#!/usr/bin/env bash
# Measures the custom handler's cold start: process start → first 200 from /api/health, for
# each way of publishing it, against a throw-away Azurite on free ports (tables already
# created, as in Azure after the first start). Prints a Markdown table for docs/performance.md.
# Usage: tools/cold-start.sh [runs per variant, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/azurite.sh
source scripts/debian-packages.sh
runs=${1:-10}

work=$(mktemp -d)
cleanup() {
  if [ -n "${AZURITE_PID:-}" ]; then
    kill "$AZURITE_PID" 2>/dev/null
    # Azurite can linger on SIGTERM: give it five seconds.
    for _ in $(seq 1 25); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.2; done
    { kill -9 "$AZURITE_PID" && wait "$AZURITE_PID"; } 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
ensure_node_modules
ensure_debian_packages "${PDF_FONT_PACKAGES[@]}"  # the fonts the PDFs embed (the build copies them)
start_azurite "$(free_port)" "$(free_port)" "$(free_port)" --in-memory "$work/azurite.log"

publish() { # name, extra publish arguments…
  local name=$1; shift
  echo "Publishing $name…" >&2
  dotnet publish src/Functions/Functions.csproj -c Release -o "$work/$name" --nologo -v quiet "$@" >&2
}
# ready-to-run is what ./publish.sh ships. The third variant adds the request delegate generator
# (minimal-API endpoints generated at compile time instead of built at start); RDG002 is the
# warning that the invocation endpoints, mapped from a Delegate, fall back to the runtime factory.
publish framework-dependent
publish ready-to-run -r linux-x64 --self-contained false -p:PublishReadyToRun=true
publish ready-to-run-rdg -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:EnableRequestDelegateGenerator=true -p:NoWarn=RDG002

# Runs the variants in turn (A, B, A, B, …) so that load from anything else on the machine
# falls on all of them alike; the first round warms the disk cache and storage and is not counted.
measure() { # runs, then name=dll pairs
  python3 - "$@" <<'PY'
import os, socket, statistics, subprocess, sys, time, urllib.request
runs, variants = int(sys.argv[1]), [a.split("=", 1) for a in sys.argv[2:]]
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def once(name, dll):
    port = free_port()
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(port))
    start = time.perf_counter()
    # Raised priority (as root) so that other work on a shared machine disturbs less; CPU time is reported too.
    prefix = ["nice", "-n", "-10"] if os.geteuid() == 0 else []
    p = subprocess.Popen(prefix + ["dotnet", dll], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - start < 30:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                    if r.status == 200:
                        wall = (time.perf_counter() - start) * 1000
                        with open(f"/proc/{p.pid}/stat") as f: fields = f.read().rsplit(")", 1)[1].split()
                        cpu = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")   # utime + stime
                        return wall, cpu
            except Exception:
                if p.poll() is not None: sys.exit(f"{name}: the handler exited: {p.stderr.read().decode()[:1500]}")
                time.sleep(0.002)
        sys.exit(f"{name}: no 200 within 30 s")
    finally:
        p.terminate(); p.wait()
times = {name: ([], []) for name, _ in variants}
for i in range(runs + 1):
    for name, dll in variants:
        wall, cpu = once(name, dll)
        if i > 0: times[name][0].append(wall); times[name][1].append(cpu)
for name, (wall, cpu) in times.items():
    wall.sort()
    print(f"| {name} | {statistics.median(wall):.0f} | {wall[len(wall) // 4]:.0f}–{wall[(3 * len(wall)) // 4]:.0f} | {statistics.median(cpu):.0f} | {runs} |")
PY
}

export ASPNETCORE_ENVIRONMENT=Production
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING" Storage__NamePrefix=coldstart
export Storage__PersonalDataKeySecret=cold-start-measurement-secret-0123456789
export Auth__Authority=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0 Auth__Audience=api://funcregistry
export Deadlines__RunSweeper=false Sms__Gateway=Local
export ReviewLinks__Keys__0__Id=k1 ReviewLinks__Keys__0__Secret=cold-start-measurement-review-link-key-0123456789
export Certificates__VerificationKey=cold-start-measurement-verification-key-0123456789

echo "| variant | start → first 200, median ms | p25–p75 ms | CPU time of the handler until then, median ms | runs |"
echo "|---|---:|---:|---:|---:|"
measure "$runs" framework-dependent="$work/framework-dependent/FuncRegistry.Functions.dll" \
  ready-to-run="$work/ready-to-run/FuncRegistry.Functions.dll" \
  ready-to-run+RDG="$work/ready-to-run-rdg/FuncRegistry.Functions.dll"
