#!/usr/bin/env python3
"""Writes N synthetic press releases of release length (JSONL) for the ingest
benchmark (docs/STORE.md, Ingest): the load items of
tests/serve/make_load_corpus.py (one event each, ~190 bytes) followed by
closing sentences from tests/data/store/release_boilerplate.txt until the text
reaches a length drawn around the mean (default 806 bytes, the average ISAF
release of the dev set). Deterministic (seeded).

Usage: make_release_corpus.py N OUT.jsonl [MEAN_BYTES]"""
import json
import os
import random
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
n, out_path = int(sys.argv[1]), sys.argv[2]
mean = int(sys.argv[3]) if len(sys.argv) > 3 else 806
sentences = [l.strip() for l in open(root + "/tests/data/store/release_boilerplate.txt",
                                     encoding="utf-8") if l.strip() and not l.startswith("#")]
rng = random.Random(11)
with tempfile.TemporaryDirectory() as tmp:
    items = os.path.join(tmp, "items.jsonl")
    subprocess.run([sys.executable, root + "/tests/serve/make_load_corpus.py", str(n), items],
                   check=True)
    total = 0
    with open(items, encoding="utf-8") as src, open(out_path, "w", encoding="utf-8") as out:
        for line in src:
            d = json.loads(line)
            # Lengths spread +-25% around the mean; the last sentence
            # overshoots by half a sentence on average, hence the 50.
            target = rng.uniform(0.75, 1.25) * mean - 50
            pool = sentences[:]
            rng.shuffle(pool)
            text = d["text"]
            while len(text.encode("utf-8")) < target and pool:
                text += " " + pool.pop()
            d["text"] = text
            total += len(text.encode("utf-8"))
            out.write(json.dumps(d) + "\n")
    sys.stderr.write("%d documents, %.0f bytes of text on average\n" % (n, total / max(n, 1)))
