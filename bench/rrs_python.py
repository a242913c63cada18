#!/usr/bin/env python3
"""Baseline: a straightforward Python scorer, `requests` + a thread pool, batches of 1000 rows,
4 in flight, output in input order. Usage:
  python3 rrs_python.py BASE_URL WORKSPACE SERVICE API_KEY IN.csv OUT.csv [CONCURRENCY] [BATCH]
"""
import csv
import sys
from concurrent.futures import ThreadPoolExecutor

import requests

def main():
    base, ws, svc, key, src, dst = sys.argv[1:7]
    conc = int(sys.argv[7]) if len(sys.argv) > 7 else 4
    batch = int(sys.argv[8]) if len(sys.argv) > 8 else 1000
    url = f"{base}/workspaces/{ws}/services/{svc}/execute?api-version=2.0&details=true"
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=conc, pool_maxsize=conc)
    session.mount("http://", adapter)
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}

    def score(rows):
        body = {"Inputs": {"input1": {"ColumnNames": header, "Values": rows}}, "GlobalParameters": {}}
        r = session.post(url, json=body, headers=headers, timeout=100)
        r.raise_for_status()
        value = r.json()["Results"]["output1"]["value"]
        return value["ColumnNames"], value["Values"]

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
        for names, values in pool.map(score, batches):
            if not wrote_header:
                w.writerow(names)
                wrote_header = True
            w.writerows(values)

if __name__ == "__main__":
    main()
