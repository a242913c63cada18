#!/usr/bin/env bash
# Input formats and journalling: 1M rows (default) scored by `mlws rrs execute` against
# `mlws serve` from CSV (written to stdout: no journal; and to --output FILE: journal on),
# CSV.gz, JSON Lines and Parquet inputs (Parquet when pyarrow is in the tools venv of
# .ci/install-servers), each the median of RUNS runs, with rows/s, the ratio to plain CSV and
# peak RSS. Layout: the server pinned to CPU 0, mlws to CPU 1 (as bench/rrs.sh's pinned layout).
# Usage: bench/formats.sh [ROWS]     Env: RUNS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}; runs=${RUNS:-5}
out=bench/out; mkdir -p "$out"
cargo build --release --quiet
bin=$PWD/target/release/mlws
py=${MLWS_SERVERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlws-servers}/tools/bin/python
serve_pid=
trap '[ -n "$serve_pid" ] && kill $serve_pid 2>/dev/null || true' EXIT
taskset -c 0 "$bin" serve --listen 127.0.0.1:0 > "$out/fserve.json" 2> "$out/fserve.log" &
serve_pid=$!
for _ in $(seq 100); do [ "$(wc -l < "$out/fserve.json")" -ge 1 ] && break; sleep 0.05; done
field() { python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])" "$out/fserve.json" "$1"; }
export MLWS_BASE_URL=$(field base_url) MLWS_WORKSPACE=$(field workspace) MLWS_SERVICE=$(field service) MLWS_API_KEY=$(field api_key)

csv="$out/rows-$n.csv"
[ -f "$csv" ] || python3 bench/gen_rows.py "$n" "$csv"
[ -f "$csv.gz" ] || gzip -k -6 "$csv"
[ -f "$out/rows-$n.jsonl" ] || python3 -c '
import csv, json, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as o:
    for row in csv.DictReader(f):
        o.write(json.dumps(row, ensure_ascii=False) + "\n")' "$csv" "$out/rows-$n.jsonl"
inputs=("csv-stdout:$csv" "csv-file:$csv" "csv.gz:$csv.gz" "jsonl:$out/rows-$n.jsonl")
if [ -x "$py" ] && "$bin" rrs execute --help | grep -q parquet; then
  [ -f "$out/rows-$n.parquet" ] || "$py" -c '
import pyarrow.csv as c, pyarrow.parquet as p, sys
p.write_table(c.read_csv(sys.argv[1]), sys.argv[2], row_group_size=100000)' "$csv" "$out/rows-$n.parquet"
  inputs+=("parquet:$out/rows-$n.parquet")
fi

# One timed run: wall seconds and peak RSS in KiB.
run() {  # name input
  local name=$1 input=$2 dest="$out/fmt-out.csv"
  rm -f "$dest" "$dest".mlws-*; sync
  local start=$EPOCHREALTIME
  if [ "$name" = csv-stdout ]; then
    taskset -c 1 /usr/bin/time -f '%M' -o "$out/fmt-time" "$bin" rrs execute -q -i "$input" > "$dest"
  else
    taskset -c 1 /usr/bin/time -f '%M' -o "$out/fmt-time" "$bin" rrs execute -q -i "$input" -o "$dest"
  fi
  local end=$EPOCHREALTIME
  echo "$(python3 -c "print($end - $start)") $(cat "$out/fmt-time")"
}

printf '%-11s %9s %12s %9s %10s\n' input rows "rows/s" "vs csv" "RSS MB"
base=
for item in "${inputs[@]}"; do
  name=${item%%:*}; input=${item#*:}
  secs=(); rss=0
  for _ in $(seq "$runs"); do
    read -r s r < <(run "$name" "$input"); secs+=("$s"); [ "$r" -gt "$rss" ] && rss=$r
  done
  med=$(printf '%s\n' "${secs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rps=$(python3 -c "print(round($n/$med))")
  [ -z "$base" ] && base=$rps
  lines=$(wc -l < "$out/fmt-out.csv")
  [ "$lines" -eq $((n + 1)) ] || echo "bench: $name gave $lines lines, not $((n + 1))" >&2
  printf '%-11s %9s %12s %9s %10s\n' "$name" "$n" "$rps" "$(python3 -c "print(f'{$rps/$base:.2f}x')")" \
    "$(python3 -c "print(f'{$rss/1024:.1f}')")"
done
