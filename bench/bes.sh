#!/usr/bin/env bash
# Batch/blob benchmark, one run: `mlws bes run` on a generated CSV (default 1024 MiB) with Azurite
# as the storage and with the emulator's own blob endpoint. For each storage it reports mlws's
# upload and download MiB/s (from its own report lines) and peak RSS, beside the Python
# azure-storage-blob SDK (max_concurrency=4) on the same storage and file, and the storage's
# ceiling (8 threads of raw Put Block / ranged GET requests, no SDK).
# Usage: bench/bes.sh [SIZE_MIB]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
out=bench/out; mkdir -p "$out"
.ci/install-azurite
python3 -c 'import azure.storage.blob, requests' 2>/dev/null || python3 -m pip install --quiet azure-storage-blob requests
cargo build --release --quiet
bin=target/release/mlws
data="$out/big-${size_mib}m.csv"
if [ ! -f "$data" ]; then
  python3 bench/gen_rows.py 200000 "$out/chunk.csv"
  python3 - "$out/chunk.csv" "$data" "$size_mib" <<'PY'
import sys
src, dst, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, "rb").read().split(b"\n", 1)
header, body = lines[0] + b"\n", lines[1]
with open(dst, "wb") as f:
    f.write(header)
    n = len(header)
    while n < mib << 20:
        f.write(body); n += len(body)
PY
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out/blobs"; }
trap cleanup EXIT

tools/azurite/node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort 0 --inMemoryPersistence \
  --skipApiVersionCheck --loose --disableTelemetry > "$out/azurite.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do grep -q 'listens on' "$out/azurite.log" && break; sleep 0.05; done
port=$(grep -o 'listens on http://127.0.0.1:[0-9]*' "$out/azurite.log" | grep -o '[0-9]*$')
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
azurite_cs="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"

mkdir -p "$out/blobs"
"$bin" serve --listen 127.0.0.1:0 --blob-dir "$out/blobs" > "$out/serve.json" 2> "$out/serve.log" &
pids+=($!)
for _ in $(seq 200); do [ "$(wc -l < "$out/serve.json")" -ge 1 ] && break; sleep 0.05; done
json=$(head -n1 "$out/serve.json")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$json" "$1"; }
export MLWS_BASE_URL=$(field base_url) MLWS_WORKSPACE=$(field workspace) MLWS_SERVICE=$(field service)
export MLWS_API_KEY=$(field api_key)
emulator_cs=$(field storage_connection_string)

rate() { grep -o "$1.*MiB/s" "$out/run.log" | grep -o '[0-9.]* MiB/s' | tail -1 | cut -d' ' -f1; }
printf 'input: %s MiB (%s)\n' "$size_mib" "$data"
printf '%-9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n' storage "mlws up" "py up" "ceil up" "mlws dn" "py dn" "ceil dn" \
  "up/py" "up/ceil" "RSS MB"
for storage in azurite emulator; do
  cs=$azurite_cs; [ "$storage" = emulator ] && cs=$emulator_cs
  /usr/bin/time -f '%e %M' -o "$out/time-bes" "$bin" bes run --input "$data" --output "$out/scored.csv" \
      --storage-connection-string "$cs" --container benchmark --poll-interval 0.5 2> "$out/run.log"
  read -r _ rss < "$out/time-bes"
  up=$(rate uploaded); dn=$(rate wrote)
  py=$(python3 bench/blob_python.py sdk "$data" "$cs")
  ceil=$(python3 bench/blob_python.py ceil "$data" "$cs" 8)
  pyup=$(echo "$py" | awk '/upload/ {print $2}'); pydn=$(echo "$py" | awk '/download/ {print $2}')
  ceup=$(echo "$ceil" | awk '/upload/ {print $2}'); cedn=$(echo "$ceil" | awk '/download/ {print $2}')
  printf '%-9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n' "$storage" "$up" "$pyup" "$ceup" "$dn" "$pydn" "$cedn" \
    "$(python3 -c "print(f'{$up/$pyup:.2f}x')")" "$(python3 -c "print(f'{$up/$ceup:.2f}x')")" \
    "$(python3 -c "print(f'{$rss/1024:.0f}')")"
  rm -f "$out/scored.csv"
done
echo "(MiB/s; mlws dn is the scored output, about 1.4x the input; py and ceil move the input file both ways)"
