#!/usr/bin/env python3
"""Baselines for the blob benchmark, against the same storage and the same file:
  sdk   PATH CS        upload then download with the Python azure-storage-blob SDK (max_concurrency=4)
  ceil  PATH CS [N]    the storage's ceiling: N threads doing raw Put Block requests (8 MiB bodies,
                       no SDK), then raw ranged GETs; reports MiB/s of each
Prints one line per measure: `NAME MIB_PER_S`."""
import base64
import concurrent.futures as cf
import os
import sys
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

from azure.storage.blob import BlobServiceClient, BlobSasPermissions, generate_blob_sas

MiB = 1 << 20
BLOCK = 8 * MiB


def service(cs):
    return BlobServiceClient.from_connection_string(cs, api_version="2025-11-05")


def container(svc, name):
    cc = svc.get_container_client(name)
    try:
        cc.create_container()
    except Exception as e:  # already there
        if "ContainerAlreadyExists" not in str(e):
            raise
    return cc


def sdk(path, cs):
    svc = service(cs)
    bc = container(svc, "pybench").get_blob_client("sdk.csv")
    size = os.path.getsize(path)
    t = time.perf_counter()
    with open(path, "rb") as f:
        bc.upload_blob(f, overwrite=True, max_concurrency=4, length=size)
    up = time.perf_counter() - t
    t = time.perf_counter()
    with open(path + ".py.dl", "wb") as f:
        bc.download_blob(max_concurrency=4).readinto(f)
    down = time.perf_counter() - t
    os.remove(path + ".py.dl")
    print(f"python_sdk_upload {size / MiB / up:.1f}")
    print(f"python_sdk_download {size / MiB / down:.1f}")


def ceiling(path, cs, threads):
    import requests

    svc = service(cs)
    cc = container(svc, "pybench")
    bc = cc.get_blob_client("raw.bin")
    sas = generate_blob_sas(svc.account_name, "pybench", "raw.bin", account_key=svc.credential.account_key,
                            permission=BlobSasPermissions(read=True, write=True, create=True),
                            expiry=datetime.now(timezone.utc) + timedelta(hours=1))
    url = f"{bc.url}?{sas}"
    size = os.path.getsize(path)
    blocks = (size + BLOCK - 1) // BLOCK
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=threads, pool_maxsize=threads)
    session.mount("http://", adapter)
    fd = os.open(path, os.O_RDONLY)

    def put(i):
        data = os.pread(fd, BLOCK, i * BLOCK)
        bid = urllib.parse.quote(base64.b64encode(f"{i:010d}".encode()).decode())
        r = session.put(f"{url}&comp=block&blockid={bid}", data=data, headers={"x-ms-version": "2025-11-05"})
        r.raise_for_status()
        return len(data)

    t = time.perf_counter()
    with cf.ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(put, range(blocks)))
    up = time.perf_counter() - t
    ids = "".join(f"<Latest>{base64.b64encode(f'{i:010d}'.encode()).decode()}</Latest>" for i in range(blocks))
    session.put(f"{url}&comp=blocklist", data=f"<BlockList>{ids}</BlockList>",
                headers={"x-ms-version": "2025-11-05"}).raise_for_status()

    def get(i):
        end = min(size, (i + 1) * BLOCK) - 1
        r = session.get(url, headers={"x-ms-version": "2025-11-05", "Range": f"bytes={i * BLOCK}-{end}"})
        r.raise_for_status()
        return len(r.content)

    t = time.perf_counter()
    with cf.ThreadPoolExecutor(threads) as pool:
        got = sum(pool.map(get, range(blocks)))
    down = time.perf_counter() - t
    assert total == size and got == size, (total, got, size)
    print(f"ceiling_upload {size / MiB / up:.1f}")
    print(f"ceiling_download {size / MiB / down:.1f}")


if __name__ == "__main__":
    mode, path, cs = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "sdk":
        sdk(path, cs)
    else:
        ceiling(path, cs, int(sys.argv[4]) if len(sys.argv) > 4 else 8)
