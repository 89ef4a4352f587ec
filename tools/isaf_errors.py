#!/usr/bin/env python3
"""Lists ISAF-profile disagreements per field for error analysis.

usage: tools/isaf_errors.py GOLD.jsonl PRED.jsonl FIELD [--text]
"""
import json
import sys


def main():
    gold_path, pred_path, field = sys.argv[1:4]
    show_text = "--text" in sys.argv
    gold = {}
    for line in open(gold_path):
        r = json.loads(line)
        gold[r["id"]] = r
    n = 0
    for line in open(pred_path):
        p = json.loads(line)
        g = gold[p["id"]]
        gv = g["gold"][field]
        pv = p["event"][field]
        ok = (set(pv) == set(gv)) if isinstance(gv, list) else (pv == gv)
        if ok:
            continue
        n += 1
        print("== %s gold=%s pred=%s" % (p["id"], json.dumps(gv), json.dumps(pv)))
        if show_text:
            print(g["text"].replace("\u2028", "\n")[:1800])
    print("%d mismatches" % n)


if __name__ == "__main__":
    main()
