#!/usr/bin/env python3
"""Writes N rows of `Col2` text (seeded, reproducible) as CSV: python3 gen_rows.py N OUT.csv"""
import random
import sys

WORDS = ("this is a good day the book was great terrible loved it plot characters slow boring "
         "amazing read again would not recommend author writing style ending twist pages story "
         "2017 101 five stars, wow! meh...").split()

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    with open(out, "w", newline="") as f:
        f.write("Col2\n")
        for _ in range(n):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
            line = " ".join(words)
            if "," in line or '"' in line:
                line = '"' + line.replace('"', '""') + '"'
            f.write(line + "\n")

if __name__ == "__main__":
    main()
