#!/usr/bin/env bash
# RRS benchmark: `mlws rrs execute` against `mlws serve`, side by side with the server's ceiling
# (wrk posting the same 1000-row batch bodies at the same concurrency) and a straightforward
# Python requests + thread-pool scorer, for 100k and 1M generated rows; peak RSS of mlws.
#
# Two layouts, each with its own server:
#   pinned  the server on CPU 0, this script (so every client: mlws, wrk, Python) on CPU 1,
#           as when the service runs on another machine, so the client's own cost shows
#           against the server's ceiling (needs 2 CPUs and taskset)
#   shared  no pinning: client and server compete for the same cores
# mlws runs RUNS times (default 5) per size and the median is reported; the previous output
# file is deleted before each timed run (freeing its pages is not scoring work).
# Usage: bench/rrs.sh [SIZES...]   (default: 100000 1000000)
# Env: WRK_SECS (default 10), RUNS (default 5), LAYOUTS (default "pinned shared").
# Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000 1000000}")
read -r -a sizes <<< "${sizes[*]}"
out=bench/out; mkdir -p "$out"
conc=4; batch=1000; wrk_secs=${WRK_SECS:-10}; runs=${RUNS:-5}
read -r -a layouts <<< "${LAYOUTS:-pinned shared}"
cpus=$(nproc)  # before any pinning (nproc counts the CPUs this shell may use)
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests
cargo build --release --quiet
bin=target/release/mlws
py() { python3 -c "$1"; }

serve_pid=
trap '[ -n "$serve_pid" ] && kill $serve_pid 2>/dev/null || true' EXIT

printf '%-7s %-9s %12s %14s %14s %8s %10s %12s\n' layout rows "mlws rows/s" "ceiling rows/s" \
  "python rows/s" "vs ceil" "vs python" "mlws RSS MB"
for layout in "${layouts[@]}"; do
  case $layout in
    # The clients inherit the bench shell's CPUs, so no taskset runs inside a timed command.
    pinned)
      [ "$cpus" -ge 2 ] || { echo "bench: the pinned layout needs 2 CPUs" >&2; continue; }
      server=(taskset -c 0); taskset -cp 1 $$ > /dev/null; wrk_threads=1 ;;
    shared) server=(); taskset -cp "0-$((cpus - 1))" $$ > /dev/null; wrk_threads=2 ;;
    *) echo "bench: unknown layout $layout" >&2; exit 2 ;;
  esac
  "${server[@]}" "$bin" serve --listen 127.0.0.1:0 > "$out/serve.json" 2> "$out/serve.log" &
  serve_pid=$!
  for _ in $(seq 100); do [ "$(wc -l < "$out/serve.json")" -ge 1 ] && break; sleep 0.05; done
  json=$(head -n1 "$out/serve.json")
  field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$json" "$1"; }
  base=$(field base_url); ws=$(field workspace); svc=$(field service); key=$(field api_key)
  url="$base/workspaces/$ws/services/$svc/execute?api-version=2.0&details=true"

  for n in "${sizes[@]}"; do
    in="$out/rows-$n.csv"
    [ -f "$in" ] || python3 bench/gen_rows.py "$n" "$in"
    # mlws: wall time (median of the runs) and peak RSS (GNU time, %M in KiB, the largest)
    times=(); rss=0
    for _ in $(seq "$runs"); do
      rm -f "$out/mlws-$n.csv"; sync
      start=$EPOCHREALTIME
      /usr/bin/time -f '%M' -o "$out/time-$n" "$bin" rrs execute --quiet \
        --input "$in" --output "$out/mlws-$n.csv" --base-url "$base" --workspace "$ws" \
        --service "$svc" --api-key "$key" --concurrency $conc --batch-size $batch
      end=$EPOCHREALTIME  # no process between the clock and mlws (bash's own clock)
      times+=("$start $end")
      r=$(cat "$out/time-$n"); [ "$r" -gt "$rss" ] && rss=$r
    done
    secs=$(py "
import statistics
print(statistics.median([float(b) - float(a) for a, b in (t.split() for t in '''$(printf '%s\n' "${times[@]}")'''.splitlines())]))")
    mlws_rps=$(py "print(round($n/$secs))")
    # python baseline
    rm -f "$out/py-$n.csv"; sync
    start=$EPOCHREALTIME
    python3 bench/rrs_python.py "$base" "$ws" "$svc" "$key" "$in" "$out/py-$n.csv" $conc $batch
    end=$EPOCHREALTIME
    py_rps=$(py "print(round($n/($end-$start)))")
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
    rps=$(wrk -t$wrk_threads -c$conc -d"${wrk_secs}s" -s "$out/post.lua" "$url" | awk '/Requests\/sec/ {print $2}')
    ceil_rps=$(py "print(round($rps*$batch))")
    printf '%-7s %-9s %12s %14s %14s %8s %10s %12s\n' "$layout" "$n" "$mlws_rps" "$ceil_rps" "$py_rps" \
      "$(py "print(f'{$mlws_rps/$ceil_rps:.2f}x')")" "$(py "print(f'{$mlws_rps/$py_rps:.1f}x')")" \
      "$(py "print(f'{$rss/1024:.1f}')")"
  done
  kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; serve_pid=
done
