#!/usr/bin/env python3
"""Writes N rows of the real servers' model input (tools/servers/train.py): f1..f4 floats with
four decimals and color red/green/blue, seeded and reproducible, as CSV:
    python3 gen_features.py N OUT.csv
"""
import random
import sys

COLORS = ("red", "green", "blue")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    with open(out, "w", newline="") as f:
        f.write("f1,f2,f3,f4,color\n")
        for _ in range(n):
            f.write("%.4f,%.4f,%.4f,%.4f,%s\n" % (rng.gauss(0, 1), rng.gauss(0, 1),
                                                  rng.gauss(0, 1), rng.gauss(0, 1),
                                                  rng.choice(COLORS)))


if __name__ == "__main__":
    main()
