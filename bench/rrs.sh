#!/usr/bin/env bash
# RRS benchmark: `mlws rrs execute` against `mlws serve`, side by side with the server's ceiling
# (wrk posting the same 1000-row batch bodies at the same concurrency) and a straightforward
# Python requests + thread-pool scorer, for 100k and 1M generated rows; peak RSS of mlws.
# Usage: bench/rrs.sh [SIZES...]   (default: 100000 1000000). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000 1000000}")
read -r -a sizes <<< "${sizes[*]}"
out=bench/out; mkdir -p "$out"
conc=4; batch=1000; wrk_secs=${WRK_SECS:-10}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests
cargo build --release --quiet
bin=target/release/mlws

"$bin" serve --listen 127.0.0.1:0 > "$out/serve.json" 2> "$out/serve.log" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ "$(wc -l < "$out/serve.json")" -ge 1 ] && break; sleep 0.05; done
json=$(head -n1 "$out/serve.json")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$json" "$1"; }
base=$(field base_url); ws=$(field workspace); svc=$(field service); key=$(field api_key)
url="$base/workspaces/$ws/services/$svc/execute?api-version=2.0&details=true"

printf '%-9s %14s %14s %14s %10s %10s %12s\n' rows "mlws rows/s" "ceiling rows/s" "python rows/s" "vs ceil" "vs python" "mlws RSS MB"
for n in "${sizes[@]}"; do
  in="$out/rows-$n.csv"
  [ -f "$in" ] || python3 bench/gen_rows.py "$n" "$in"
  # mlws: wall time and peak RSS (GNU time, %M in KiB)
  start=$(date +%s.%N)
  /usr/bin/time -f '%e %M' -o "$out/time-$n" "$bin" rrs execute --quiet --input "$in" --output "$out/mlws-$n.csv" \
      --base-url "$base" --workspace "$ws" --service "$svc" --api-key "$key" --concurrency $conc --batch-size $batch
  end=$(date +%s.%N)  # before any python3 start-up, which would count as mlws time
  secs=$(python3 -c "print($end-$start)")
  read -r _ rss < "$out/time-$n"
  mlws_rps=$(python3 -c "print(round($n/$secs))")
  # python baseline
  start=$(date +%s.%N)
  python3 bench/rrs_python.py "$base" "$ws" "$svc" "$key" "$in" "$out/py-$n.csv" $conc $batch
  end=$(date +%s.%N)
  py_rps=$(python3 -c "print(round($n/($end-$start)))")
  cmp -s "$out/mlws-$n.csv" "$out/py-$n.csv" || echo "bench: WARNING mlws and python outputs differ for $n rows" >&2
  # ceiling: wrk posting the same first 1000-row batch body, same concurrency
  python3 - "$in" "$out/body.json" $batch <<'PY'
import csv, json, sys
src, dst, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline="") as f:
    r = csv.reader(f); header = next(r); rows = [row for _, row in zip(range(batch), r)]
json.dump({"Inputs": {"input1": {"ColumnNames": header, "Values": rows}}, "GlobalParameters": {}}, open(dst, "w"))
PY
  cat > "$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
local f = io.open("$out/body.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
  rps=$(wrk -t2 -c$conc -d${wrk_secs}s -s "$out/post.lua" "$url" | awk '/Requests\/sec/ {print $2}')
  ceil_rps=$(python3 -c "print(round($rps*$batch))")
  printf '%-9s %14s %14s %14s %10s %10s %12s\n' "$n" "$mlws_rps" "$ceil_rps" "$py_rps" \
    "$(python3 -c "print(f'{$mlws_rps/$ceil_rps:.2f}x')")" "$(python3 -c "print(f'{$mlws_rps/$py_rps:.1f}x')")" \
    "$(python3 -c "print(f'{$rss/1024:.1f}')")"
done
