#!/usr/bin/env python3
"""Baseline for bench/servers.sh: a straightforward Python scorer for the real model servers,
`requests` + a thread pool, the same bodies as mlws's default body format of each protocol,
output in input order (the input cells verbatim, then the predictions). Usage:

  python3 servers_python.py PROTOCOL URL IN.csv OUT.csv [CONCURRENCY] [BATCH]

PROTOCOL is mlflow (URL .../invocations), azureml (.../score), kserve-v1
(.../v1/models/M:predict) or v2 (.../v2/models/M; posts to .../infer).
"""
import csv
import sys
from concurrent.futures import ThreadPoolExecutor

import requests


def cell(text):
    """A number where the cell reads as one, else the string (what mlws infers for f1..f4)."""
    try:
        return float(text)
    except ValueError:
        return text


def body_mlflow(header, rows):
    return {"dataframe_split": {"columns": header, "data": [[cell(c) for c in r] for r in rows]}}


def body_azureml(header, rows):
    return {"input_data": {"columns": header, "index": list(range(len(rows))),
                           "data": [[cell(c) for c in r] for r in rows]}}


def body_kserve_v1(header, rows):
    return {"instances": [[cell(c) for c in r] for r in rows]}


def body_v2(header, rows):
    inputs = []
    for i, name in enumerate(header):
        data = [cell(r[i]) for r in rows]
        kind = "FP64" if all(isinstance(v, float) for v in data) else "BYTES"
        inputs.append({"name": name, "shape": [len(rows)], "datatype": kind, "data": data})
    return {"parameters": {"content_type": "pd"}, "inputs": inputs}


def answer_list(values):
    """A list of predictions: scalars -> `prediction`, lists of k -> `prediction_0..k-1`."""
    if values and isinstance(values[0], list):
        return [f"prediction_{i}" for i in range(len(values[0]))], values
    return ["prediction"], [[v] for v in values]


def answer_v2(answer):
    names, columns = [], []
    for out in answer["outputs"]:
        shape, data = out["shape"], out["data"]
        k = shape[1] if len(shape) > 1 else 1
        if k == 1:
            names.append(out["name"])
            columns.append(data)
        else:
            names += [f"{out['name']}_{j}" for j in range(k)]
            columns += [data[j::k] for j in range(k)]
    return names, [list(r) for r in zip(*columns)]


PROTOCOLS = {
    "mlflow": (body_mlflow, lambda a: answer_list(a["predictions"])),
    "azureml": (body_azureml, answer_list),
    "kserve-v1": (body_kserve_v1, lambda a: answer_list(a["predictions"])),
    "v2": (body_v2, answer_v2),
}


def main():
    protocol, url, src, dst = sys.argv[1:5]
    conc = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    batch = int(sys.argv[6]) if len(sys.argv) > 6 else 1000
    make_body, read_answer = PROTOCOLS[protocol]
    if protocol == "v2":
        url = url.rstrip("/") + "/infer"
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=conc, pool_maxsize=conc)
    session.mount("http://", adapter)

    def score(rows):
        r = session.post(url, json=make_body(header, rows), timeout=100)
        r.raise_for_status()
        names, values = read_answer(r.json())
        if len(values) != len(rows):
            raise SystemExit(f"{len(values)} predictions for {len(rows)} rows")
        return names, [row + [str(v) for v in pred] for row, pred in zip(rows, values)]

    with open(src, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        batches = []
        cur = []
        for row in reader:
            cur.append(row)
            if len(cur) == batch:
                batches.append(cur)
                cur = []
        if cur:
            batches.append(cur)
    with ThreadPoolExecutor(max_workers=conc) as pool, open(dst, "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        wrote_header = False
        for names, rows in pool.map(score, batches):
            if not wrote_header:
                w.writerow(header + names)
                wrote_header = True
            w.writerows(rows)


if __name__ == "__main__":
    main()
