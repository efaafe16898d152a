# Shared by run.sh, test.sh and bench: install the dev tools if missing, start Azurite, wait for it.
# Usage: source scripts/azurite.sh; start_azurite <blobPort> <queuePort> <tablePort> <dataDir|--in-memory> <logFile>
# Sets AZURITE_PID and AZURITE_CONNECTION_STRING.

# Azurite's well-known development account key (public, documented by Microsoft; not a secret).
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

# Installs the pinned dev tools (Azurite, the OpenAPI linters, the client check) when one is
# missing or package-lock.json changed since the last install (npm writes
# node_modules/.package-lock.json on every install).
ensure_node_modules() {
  local tool missing=
  for tool in azurite redocly spectral openapi-typescript tsc; do
    [ -x "node_modules/.bin/$tool" ] || missing=1
  done
  if [ -n "$missing" ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing the dev tools of package.json (npm ci)…"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_azurite() {
  local blob=$1 queue=$2 table=$3 data=$4 log=$5
  local where=(--location "$data")
  [ "$data" = "--in-memory" ] && where=(--inMemoryPersistence)
  # In its own session: a Ctrl-C meant for the caller must not stop storage under the app; the caller stops it.
  setsid node_modules/.bin/azurite --silent "${where[@]}" --skipApiVersionCheck --disableProductStyleUrl \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" >"$log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$queue") 2>/dev/null \
       && (exec 3<>"/dev/tcp/127.0.0.1/$blob") 2>/dev/null; then
      AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
      return 0
    fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then echo "Azurite failed to start:"; cat "$log"; return 1; fi
    sleep 0.2
  done
  echo "Azurite did not open its ports in time:"; cat "$log"; return 1
}
