#!/usr/bin/env bash
# Real model servers benchmark: `mlws score` through MLflow (/invocations), Azure ML's azmlinfsrv
# (/score), KServe v1 (/v1/models/M:predict) and v2 (/v2/models/M), and MLServer v2, each serving
# the tiny scikit-learn pipeline of tools/servers/train.py (f1..f4 floats, color), side by side
# with the server's ceiling (wrk posting the exact first batch body mlws sends, at the same
# concurrency) and a straightforward Python requests + thread-pool scorer
# (bench/servers_python.py, the same bodies). For each server it reports:
#
#   mlws rows/s        rows / wall time of `mlws score`, the median of RUNS runs
#   ceiling rows/s     wrk requests/s x batch size (the same URL, headers and first batch body),
#                      the median of RUNS wrk runs of WRK_SECS, one before each mlws run (so
#                      that both see the machine alike when something else runs on it)
#   python rows/s      one run of bench/servers_python.py
#   mlws CPU s/1M      mlws's user+sys CPU seconds (GNU time) per million rows, over all its runs
#   server CPU s/1M    the server's process group (all workers) utime+stime from /proc, summed
#                      over the mlws runs only, per million rows (each run starts once the
#                      server is idle: the requests wrk leaves in flight count as wrk's)
#   client/server CPU  the two above as a percentage
#   mlws RSS MB        mlws's peak RSS (GNU time %M), the largest of its runs
#
# and, for one server (RSS_SERVER), mlws's peak RSS at N and RSS_FACTOR x N rows (it should be
# flat). Every mlws and Python output is checked: its row count must equal the input's, and the
# Python output must equal mlws's byte for byte (a warning otherwise).
#
# Layout (LAYOUT): pinned (default) puts each server, all its workers, on CPU 0 and this script,
# so every client (mlws, wrk, Python), on CPU 1, as when the service runs on another machine, so
# the client's own cost shows against the server's ceiling (needs 2 CPUs and taskset); shared
# pins nothing. On the project's 2-core machine, with other builds running, pinned gave the
# steadier figures (wrk's three runs within about +-15 %; shared: up to 2x apart). Each server runs WORKERS workers (default 2: uvicorn --workers, gunicorn
# --worker_count, kserve --workers, MLSERVER_PARALLEL_WORKERS), is started fresh for its row,
# warmed up with WARM_SECS of wrk and stopped (its whole process group) after it.
#
# Usage: bench/servers.sh [SERVER...]   (default: mlflow azureml kserve-v1 kserve-v2 mlserver-v2)
# Env: ROWS (rows per server; default per server, sized so that one mlws run lasts ~4-10 s
#      pinned), RUNS (mlws and wrk runs per server, default 3), WRK_SECS (5), WARM_SECS (2),
#      CONC (requests in flight, default 4), BATCH (rows per request, default 1000), WORKERS (2),
#      LAYOUT (pinned|shared), RSS_SERVER (default mlflow; "" skips the RSS check), RSS_FACTOR (4).
# Needs the servers (.ci/install-servers, venvs in $MLWS_SERVERS_DIR), wrk, curl, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a servers <<< "${*:-mlflow azureml kserve-v1 kserve-v2 mlserver-v2}"
out=bench/out/servers; mkdir -p "$out"
conc=${CONC:-4}; batch=${BATCH:-1000}; workers=${WORKERS:-2}; runs=${RUNS:-3}
wrk_secs=${WRK_SECS:-5}; warm_secs=${WARM_SECS:-2}; layout=${LAYOUT:-pinned}
rss_server=${RSS_SERVER-mlflow}; rss_factor=${RSS_FACTOR:-4}
dir="${MLWS_SERVERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mlws-servers}"
tools=$PWD/tools/servers
cpus=$(nproc)  # before any pinning
for tool in wrk curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
[ -f "$dir/models/.mlws-stamp" ] || { echo "bench: the servers are not installed: run .ci/install-servers" >&2; exit 1; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet requests
cargo build --release --quiet
bin=$PWD/target/release/mlws
py() { python3 -c "$1"; }

# Default rows per server: one mlws run of about 4-10 s in the pinned layout, 2 workers, batches
# of 1000, concurrency 4 (ceilings measured on this 2-core machine, with other builds running:
# MLflow 95-120k rows/s, azmlinfsrv 160-185k, KServe v2 70-85k, MLServer 105-160k; mlws 55-105k).
default_rows() {
  case $1 in
    mlflow) echo 400000 ;; azureml) echo 600000 ;; kserve-v1) echo 600000 ;;
    kserve-v2) echo 500000 ;; mlserver-v2) echo 600000 ;;
  esac
}

case $layout in
  # The clients inherit the bench shell's CPUs, so no taskset runs inside a timed command.
  pinned)
    [ "$cpus" -ge 2 ] || { echo "bench: the pinned layout needs 2 CPUs" >&2; exit 1; }
    server_cpus=(taskset -c 0); taskset -cp 1 $$ > /dev/null; wrk_threads=1 ;;
  shared) server_cpus=(); taskset -cp "0-$((cpus - 1))" $$ > /dev/null; wrk_threads=2 ;;
  *) echo "bench: unknown layout $layout (pinned|shared)" >&2; exit 2 ;;
esac

group=  # the running server's process group
stop_server() {
  [ -n "$group" ] || return 0
  kill -TERM -- "-$group" 2>/dev/null || true
  # MLServer and its workers need up to ~2.5 s; a KILL before leaves semaphores in /dev/shm.
  for _ in $(seq 100); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$group" 2>/dev/null || true
  wait "$group" 2>/dev/null || true
  group=
}
trap stop_server EXIT

free_port() { py 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server NAME: starts it in a process group of its own (the group id is its pid),
# sets $group and $url (the scoring URL as a user gives it to mlws), waits until it is ready.
start_server() {
  local name=$1 port ready venv cmd=()
  port=$(free_port)
  case $name in
    mlflow)
      venv=$dir/mlflow
      cmd=(env "__pyfunc_model_path__=$dir/models/mlflow" "$venv/bin/uvicorn" --host 127.0.0.1
           --port "$port" --workers "$workers" mlflow.pyfunc.scoring_server.app:app)
      ready=/health; url=http://127.0.0.1:$port/invocations ;;
    azureml)
      venv=$dir/azureml
      cmd=("$venv/bin/python" "$tools/azmlinfsrv_loopback.py" --entry_script "$tools/score.py"
           --model_dir "$dir/models/joblib" --port "$port" --worker_count "$workers")
      ready=/; url=http://127.0.0.1:$port/score ;;
    kserve-v1|kserve-v2)
      venv=$dir/kserve
      cmd=("$venv/bin/python" "$tools/kserve_server.py" --model_dir "$dir/models/joblib"
           --model_name model --http_port "$port" --workers "$workers")
      ready=/v2/models/model/ready
      if [ "$name" = kserve-v1 ]; then url=http://127.0.0.1:$port/v1/models/model:predict
      else url=http://127.0.0.1:$port/v2/models/model; fi ;;
    mlserver-v2)
      venv=$dir/mlserver
      cmd=(env "MLSERVER_HTTP_PORT=$port" "MLSERVER_GRPC_PORT=$(free_port)"
           "MLSERVER_PARALLEL_WORKERS=$workers" "$venv/bin/mlserver" start "$dir/models/mlserver")
      ready=/v2/models/model/ready; url=http://127.0.0.1:$port/v2/models/model ;;
    *) echo "bench: unknown server $name (mlflow azureml kserve-v1 kserve-v2 mlserver-v2)" >&2; exit 2 ;;
  esac
  [ -x "$venv/bin/python" ] || { echo "bench: $venv is missing: run .ci/install-servers" >&2; exit 1; }
  mkdir -p "$out/run-$name"
  # Started from bench/out/servers/run-NAME (MLServer and gunicorn write files there), as the
  # leader of a new process group (setpgid, no fork: the group id is $!).
  (cd "$out/run-$name" && PATH="$venv/bin:$PATH" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
     exec "${server_cpus[@]}" python3 -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])' \
     "${cmd[@]}" < /dev/null > ../"$name.log" 2>&1) &
  group=$!
  local start=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$ready")" = 200 ]; do
    if ! kill -0 "$group" 2>/dev/null || [ $((SECONDS - start)) -gt 180 ]; then
      echo "bench: the $name server did not become ready; the end of $out/$name.log:" >&2
      tail -n 20 "$out/$name.log" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "bench: $name ready in $((SECONDS - start)) s ($workers workers, $layout): $url" >&2
}

# The CPU seconds (utime+stime, and those of its reaped children) of every process in group $1.
group_cpu() {
  python3 - "$1" <<'PY'
import os, sys
group, total = sys.argv[1], 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    f = stat.rsplit(")", 1)[1].split()  # state ppid pgrp ... utime=f[11] stime cutime cstime
    if f[2] == group:
        total += sum(int(x) for x in f[11:15])
print(total / os.sysconf("SC_CLK_TCK"))
PY
}

# Waits (up to 10 s) until the server's process group is idle: less than 0.02 CPU-seconds in
# 0.5 s. wrk stops with requests in flight, which some servers (MLServer's parallel workers)
# go on working through for a second or more: without this, that work counted as mlws's and
# slowed its run (MLServer: 0.78-0.87x of the ceiling, 9.2 server CPU-s per 1M rows under mlws
# against 7.9 under wrk; mlws alone reached the ceiling).
wait_idle() {
  local a b
  for _ in $(seq 20); do
    a=$(group_cpu "$group"); sleep 0.5; b=$(group_cpu "$group")
    py "import sys; sys.exit(0 if $b - $a < 0.02 else 1)" && return 0
  done
  echo "bench: WARNING the server did not become idle" >&2
}

# time_mlws IN OUT RUNS: one timed `mlws score`; appends "wall user sys rss_kib" to RUNS.
# Returns mlws's exit status (and appends nothing when it failed).
time_mlws() {
  rm -f "$2"; sync
  local start end status=0
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$out/time" "$bin" score --quiet --url "$url" -i "$1" -o "$2" \
    --batch-size "$batch" --concurrency "$conc" || status=$?
  end=$EPOCHREALTIME  # no process between the clock and mlws (bash's own clock)
  [ "$status" = 0 ] || return "$status"
  echo "$(py "print($end - $start)") $(tail -n1 "$out/time")" >> "$3"
}

rows_of() { echo $(($(wc -l < "$1") - 1)); }
check_rows() {  # FILE WANT WHO
  local got; got=$(rows_of "$1")
  [ "$got" = "$2" ] || { echo "bench: $3 wrote $got rows for $2 input rows ($1)" >&2; exit 1; }
}

fmt='%-12s %8s %12s %14s %13s %8s %9s %10s %12s %10s %8s\n'  # as the summary below
table=$(printf "$fmt" server rows "mlws rows/s" "ceiling rows/s" "python rows/s" "vs ceil" \
  "vs python" "mlws CPU" "server CPU" "client/srv" "mlws RSS")
table+=$'\n'$(printf "$fmt" "" "" "" "" "" "" "" "s/1M rows" "s/1M rows" "CPU %" "MB")
rss_line=; notes=; spread=; load0=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${servers[@]}"; do
  n=${ROWS:-$(default_rows "$name")}
  [ -n "$n" ] || { echo "bench: unknown server $name" >&2; exit 2; }
  in="$out/rows-$n.csv"
  [ -f "$in" ] || python3 bench/gen_features.py "$n" "$in"
  start_server "$name"

  # The exact first request mlws sends: its URL, headers and body (--dry-run, first batch only).
  head -n $((batch + 1)) "$in" > "$out/first.csv"
  "$bin" score --dry-run --url "$url" -i "$out/first.csv" --batch-size "$batch" > "$out/dry.txt"
  python3 - "$out/dry.txt" "$out/body.json" "$out/post.lua" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
head, body = text.split("\n\n", 1)
lines = head.split("\n")
method, url = lines[0].split(" ", 1)
open(sys.argv[2], "w", encoding="utf-8").write(body.rstrip("\n"))
with open(sys.argv[3], "w") as lua:
    lua.write(f'wrk.method = "{method}"\n')
    for line in lines[1:]:
        k, v = line.split(": ", 1)
        lua.write(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n")
    lua.write(f'local f = io.open({json.dumps(sys.argv[2])}, "rb"); wrk.body = f:read("*a"); f:close()\n')
PY
  post_url=$(head -n1 "$out/dry.txt" | cut -d' ' -f2)

  # Warm-up (first requests load lazily imported code in every worker). Then RUNS rounds of wrk
  # (the ceiling) and one mlws run each, interleaved so that both see the same machine (other
  # work on it shifts both alike); the server's CPU is summed over the mlws runs (and, for the
  # details line, over the wrk runs).
  wrk -t"$wrk_threads" -c"$conc" -d"${warm_secs}s" -s "$out/post.lua" "$post_url" > /dev/null
  : > "$out/mlws-runs"; : > "$out/mlws-cpu"; : > "$out/wrk-runs"; : > "$out/wrk-$name.txt"
  failed=
  for _ in $(seq "$runs"); do
    for _ in 1 2; do  # once more when wrk printed no result (seen once, exit status 0)
      before=$(group_cpu "$group")
      wrk -t"$wrk_threads" -c"$conc" -d"${wrk_secs}s" -s "$out/post.lua" "$post_url" > "$out/wrk" 2>&1 || true
      wait_idle  # the requests wrk left in flight are its work
      after=$(group_cpu "$group")
      cat "$out/wrk" >> "$out/wrk-$name.txt"
      grep -q 'Requests/sec' "$out/wrk" && break
      echo "bench: WARNING wrk printed no result against $name" >&2
    done
    if ! grep -q 'Requests/sec' "$out/wrk"; then
      echo "wrk-noresult" >> "$out/wrk-runs"
    elif grep -qE 'Non-2xx|Socket errors: connect [1-9]|read [1-9]|timeout [1-9]' "$out/wrk"; then
      echo "bench: WARNING wrk saw errors against $name: $(grep -E 'Non-2xx|Socket' "$out/wrk" | tr -s ' ' | tr '\n' ';')" >&2
      echo "wrk-errors" >> "$out/wrk-runs"
    else
      echo "$(awk '/Requests\/sec/ {print $2}' "$out/wrk") $(awk '/requests in/ {print $1}' "$out/wrk") $before $after" >> "$out/wrk-runs"
    fi
    [ -n "$failed" ] && continue
    wait_idle
    before=$(group_cpu "$group")
    if ! time_mlws "$in" "$out/mlws-$name.csv" "$out/mlws-runs" 2> "$out/mlws-$name.err"; then
      failed=$(grep -m1 'answered' "$out/mlws-$name.err" || grep -m1 'error' "$out/mlws-$name.err" ||
        tail -n1 "$out/mlws-$name.err")
      failed=$(echo "$failed" | sed 's/^ *//' | cut -c1-160)
      echo "bench: mlws failed against $name: $failed (see $out/mlws-$name.err)" >&2
      continue
    fi
    after=$(group_cpu "$group")
    echo "$before $after" >> "$out/mlws-cpu"
    check_rows "$out/mlws-$name.csv" "$n" mlws
  done

  # Python baseline, one run.
  case $name in kserve-v2|mlserver-v2) proto=v2 ;; *) proto=$name ;; esac
  rm -f "$out/py-$name.csv"; sync
  start=$EPOCHREALTIME
  python3 bench/servers_python.py "$proto" "$url" "$in" "$out/py-$name.csv" "$conc" "$batch"
  end=$EPOCHREALTIME
  check_rows "$out/py-$name.csv" "$n" python
  if [ -z "$failed" ] && ! cmp -s "$out/mlws-$name.csv" "$out/py-$name.csv"; then
    echo "bench: WARNING mlws and python outputs differ for $name" >&2
  fi
  rm -f "$out/mlws-$name.csv" "$out/py-$name.csv"  # checked; the inputs are kept for the next run

  # RSS flat in the input size: mlws at RSS_FACTOR x N rows (one run) beside the N-row runs.
  if [ "$name" = "$rss_server" ] && [ -z "$failed" ]; then
    big=$((n * rss_factor)); big_in="$out/rows-$big.csv"
    [ -f "$big_in" ] || python3 bench/gen_features.py "$big" "$big_in"
    : > "$out/mlws-runs-big"
    time_mlws "$big_in" "$out/mlws-$name-big.csv" "$out/mlws-runs-big"
    check_rows "$out/mlws-$name-big.csv" "$big" mlws
    rm -f "$out/mlws-$name-big.csv"
    rss_line=$(python3 - "$out/mlws-runs" "$out/mlws-runs-big" "$name" "$n" "$big" <<'PY'
import sys
small = max(int(l.split()[3]) for l in open(sys.argv[1]))
wall, _, _, big = open(sys.argv[2]).read().split()
name, n, nbig = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
print(f"RSS flat ({name}): {n} rows {small / 1024:.1f} MB (largest of the runs), {nbig} rows "
      f"{int(big) / 1024:.1f} MB ({int(big) / small:.2f}x; that run {nbig / float(wall):.0f} rows/s)")
PY
)
  fi
  stop_server

  # The row, and a details line on stderr.
  read -r line details < <(python3 - "$out" "$name" "$n" "$batch" "$end" "$start" "$failed" <<'PY'
import statistics, sys
out, name, n, batch, end, start, failed = sys.argv[1:8]
n, batch = int(n), int(batch)
def lines(f):
    try:
        return [l.split() for l in open(f"{out}/{f}") if l.strip()]
    except FileNotFoundError:
        return []
wrk = lines("wrk-runs")
ok = [w for w in wrk if len(w) == 4]
refused = any(w[0] == "wrk-errors" for w in wrk)
ceil = round(statistics.median(float(w[0]) for w in ok) * batch) if ok and not refused else None
wrk_cpu = sum(float(w[3]) - float(w[2]) for w in ok) / sum(int(w[1]) * batch for w in ok) * 1e6 if ok else None
py_rps = round(n / (float(end) - float(start)))
runs = [list(map(float, r)) for r in lines("mlws-runs")]
cpu = lines("mlws-cpu")
cell = lambda v, f="{}": "n/a" if v is None else f.format(v)
if failed or not runs:
    mlws = mlws_cpu = srv = rss = None
else:
    mlws = round(n / statistics.median(r[0] for r in runs))
    mlws_cpu = sum(r[1] + r[2] for r in runs) / (n * len(runs)) * 1e6
    srv = sum(float(b) - float(a) for a, b in cpu) / (n * len(cpu)) * 1e6
    rss = max(r[3] for r in runs) / 1024
row = [name, n, cell(mlws), cell(ceil), py_rps,
       cell(mlws / ceil if mlws and ceil else None, "{:.2f}x"),
       cell(mlws / py_rps if mlws else None, "{:.1f}x"),
       cell(mlws_cpu, "{:.2f}"), cell(srv, "{:.2f}"),
       cell(100 * mlws_cpu / srv if mlws_cpu and srv else None, "{:.1f}"), cell(rss, "{:.1f}")]
fmt = "{:<12} {:>8} {:>12} {:>14} {:>13} {:>8} {:>9} {:>10} {:>12} {:>10} {:>8}"
walls = " ".join(f"{r[0]:.2f}" for r in runs)
rates = " ".join(f"{float(w[0]) * batch:.0f}" for w in ok)
details = (f"{name}: mlws runs {walls or '-'} s; wrk rows/s {rates or '-'}; server CPU s/1M rows "
           f"under wrk {cell(wrk_cpu, '{:.2f}')}" + (f"; mlws FAILED: {failed}" if failed else ""))
print(fmt.format(*row).replace(" ", "\x01"), details)
PY
)
  line=${line//$'\x01'/ }
  echo "$line" >&2; echo "bench: $details" >&2
  table+=$'\n'$line
  spread+=$'\n'$details
  [ -z "$failed" ] || notes+=$'\n'"$name: mlws failed: $failed"
  if grep -q wrk-errors "$out/wrk-runs"; then
    notes+=$'\n'"$name: the server refused wrk's requests (mlws's exact headers and body): no ceiling"
  fi
done
echo "layout $layout, $workers server workers, batch $batch, concurrency $conc, medians of $runs mlws runs and $runs x ${wrk_secs}s of wrk; load average before: $load0"
echo "$table"
[ -z "$rss_line" ] || echo "$rss_line"
[ -z "$notes" ] || echo "${notes#$'\n'}"
echo "each run (seconds of mlws, wrk's rows/s), and the server's CPU per 1M rows under wrk:${spread}"
