#!/usr/bin/env bash
# The fault scenario of issue 4 at full size: `rrs execute` of N rows (default 100,000) against
# `mlws serve` injecting 10 % 503, 5 % 429 and 2 % dropped connections, compared byte for byte
# with a clean run. Usage: bench/faults.sh [ROWS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}; seed=${2:-2026}
out=bench/out; mkdir -p "$out"
cargo build --release --quiet
bin=target/release/mlws
in="$out/rows-$rows.csv"
[ -f "$in" ] || python3 bench/gen_rows.py "$rows" "$in"
start_serve() {
  "$bin" serve --listen 127.0.0.1:0 "$@" > "$out/serve.json" 2> "$out/serve.log" &
  serve_pid=$!
  for _ in $(seq 200); do [ "$(wc -l < "$out/serve.json")" -ge 1 ] && break; sleep 0.05; done
  json=$(head -n1 "$out/serve.json")
  field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$json" "$1"; }
  export MLWS_BASE_URL=$(field base_url) MLWS_WORKSPACE=$(field workspace) MLWS_SERVICE=$(field service)
  export MLWS_API_KEY=$(field api_key)
}
rm -f "$out/requests.jsonl"
start_serve
"$bin" rrs execute -i "$in" -o "$out/clean.csv"
kill $serve_pid
start_serve --fault-seed "$seed" --fault-503 0.10 --fault-429 0.05 --fault-drop 0.02 --log "$out/requests.jsonl"
trap 'kill $serve_pid 2>/dev/null || true' EXIT
"$bin" rrs execute -i "$in" -o "$out/faults.csv" --concurrency 8 --retries 10
python3 - "$out/requests.jsonl" <<'PY'
import collections, json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
faults = collections.Counter(l["fault"] for l in lines if l["fault"])
rows = sum(l["rows"] or 0 for l in lines if l["status"] == 200)
print(f"faults: {len(lines)} requests, injected {dict(faults)}, rows scored by the service: {rows}")
PY
if cmp "$out/clean.csv" "$out/faults.csv"; then
  echo "faults: $rows rows, output under faults is byte-identical to the clean run"
else
  echo "faults: OUTPUTS DIFFER"; exit 1
fi
