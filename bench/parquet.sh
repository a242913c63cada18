#!/usr/bin/env bash
# Parquet benchmark: `mlws rrs execute` against `mlws serve` (classic, Feature Hashing of `Col2`)
# with the same generated rows as CSV and as Parquet (written by pyarrow), to a CSV and to a
# Parquet output, at each size: rows/s (against CSV in, CSV out) and the peak RSS of mlws
# (GNU time, %M). Memory is flat when the RSS at the larger size is about that at the smaller.
# One run per case (the medians of bench/rrs.sh are for the CSV path).
# Usage: bench/parquet.sh [SIZES...]   (default: 1000000 4000000)
# Env: MLWS_BIN (default: target/release/mlws, built first).
# Needs the `tools` venv of .ci/install-servers (pyarrow) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000000 4000000}")
read -r -a sizes <<< "${sizes[*]}"
out=bench/out; mkdir -p "$out"
servers=${MLWS_SERVERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlws-servers}
py=$servers/tools/bin/python
[ -x "$py" ] || { echo "bench: $py is missing: run .ci/install-servers" >&2; exit 1; }
# MLWS_BIN: another build to measure (a debug one, to try the script); default a release build.
bin=${MLWS_BIN:-target/release/mlws}
[ -n "${MLWS_BIN:-}" ] || cargo build --release --quiet

serve_pid=
trap '[ -n "$serve_pid" ] && kill $serve_pid 2>/dev/null || true' EXIT
rm -f "$out/serve.json"
"$bin" serve --listen 127.0.0.1:0 > "$out/serve.json" 2> "$out/serve.log" &
serve_pid=$!
for _ in $(seq 200); do
  [ -f "$out/serve.json" ] && [ "$(wc -l < "$out/serve.json")" -ge 1 ] && break
  sleep 0.05
done
json=$(head -n1 "$out/serve.json")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$json" "$1"; }
MLWS_BASE_URL=$(field base_url); MLWS_WORKSPACE=$(field workspace)
MLWS_SERVICE=$(field service); MLWS_API_KEY=$(field api_key)
export MLWS_BASE_URL MLWS_WORKSPACE MLWS_SERVICE MLWS_API_KEY

printf '%-8s %-8s %-8s %10s %8s %12s\n' rows input output rows/s "vs csv" "peak RSS MB"
for n in "${sizes[@]}"; do
  csv=$out/rows-$n.csv; pq=$out/rows-$n.parquet
  [ -f "$csv" ] || python3 bench/gen_rows.py "$n" "$csv"
  [ -f "$pq" ] || "$py" -c "import sys, pyarrow.csv as c, pyarrow.parquet as p
p.write_table(c.read_csv(sys.argv[1]), sys.argv[2])" "$csv" "$pq"
  base=
  for case in "csv csv" "parquet csv" "csv parquet" "parquet parquet"; do
    read -r fin fout <<< "$case"
    result=$out/out-$n-$fin.$fout
    rm -f "$result"; sync
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$out/time" "$bin" rrs execute --quiet -i "$out/rows-$n.$fin" \
      -o "$result" --concurrency 4 --batch-size 1000
    end=$EPOCHREALTIME
    read -r rps ratio rss < <(python3 -c "
import sys
n, secs, base, kib = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]), sys.argv[4], int(sys.argv[5])
rps = round(n / secs)
print(rps, f'{rps / int(base or rps):.2f}x', f'{kib / 1024:.1f}')" "$n" "$start" "$end" "$base" "$(cat "$out/time")")
    base=${base:-$rps}
    printf '%-8s %-8s %-8s %10s %8s %12s\n' "$n" "$fin" "$fout" "$rps" "$ratio" "$rss"
  done
  # Every way gives the same rows.
  "$py" - "$out" "$n" <<'PY'
import sys, pyarrow.csv as c, pyarrow.parquet as p
out, n = sys.argv[1], sys.argv[2]
text = lambda t: t.cast(__import__('pyarrow').schema([(f, 'string') for f in t.column_names]))
a = text(c.read_csv(f'{out}/out-{n}-csv.csv', convert_options=c.ConvertOptions(strings_can_be_null=False)))
for other in [f'out-{n}-parquet.csv']:
    assert text(c.read_csv(f'{out}/{other}')).equals(a), other
for other in [f'out-{n}-csv.parquet', f'out-{n}-parquet.parquet']:
    assert p.read_table(f'{out}/{other}').equals(a), other
PY
  rm -f "$out"/out-"$n"-*
done
