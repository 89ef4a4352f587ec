#!/usr/bin/env python3
"""Writes N synthetic press releases (JSONL) for the serve load benchmark:
template sentences written for sitrep, filled with districts and provinces of
data/kb/places/afghanistan.tsv, groups, counts and dates spread over 2009-2014.
Deterministic (seeded). Usage: make_load_corpus.py N OUT.jsonl"""
import json
import random
import sys
from datetime import date, timedelta

root = __file__.rsplit("/tests/", 1)[0]
prov = {}
districts = []
for line in open(root + "/data/kb/places/afghanistan.tsv", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) > 4 and f[1] == "admin1":
        prov[f[0]] = f[2]
for line in open(root + "/data/kb/places/afghanistan.tsv", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) > 4 and f[1] == "admin2" and f[4] in prov:
        districts.append((f[2], prov[f[4]]))

groups = ["Taliban", "Haqqani Network", "Islamic Movement of Uzbekistan", "al Qaeda", "Hizb-e Islami Gulbuddin"]
nums = ["two", "three", "four", "five", "six", "several"]
templates = [
    "An Afghan and coalition security force detained a {g} leader in {d} district, {p} province, yesterday. The force also detained {n} suspected insurgents.",
    "A coalition air strike killed {n} {g} insurgents in {d} district, {p} province, yesterday.",
    "An Afghan-led and coalition-supported security force killed a {g} commander in {d} district, {p} province, yesterday. {N} other insurgents were killed.",
    "An Afghan and coalition security force detained {n} suspected {g} insurgents in {d} district, {p} province, yesterday.",
]

n = int(sys.argv[1])
rng = random.Random(7)
start = date(2009, 1, 1)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(n):
        d, p = rng.choice(districts)
        pub = start + timedelta(days=rng.randrange(6 * 365))
        num = rng.choice(nums)
        body = rng.choice(templates).format(g=rng.choice(groups), d=d, p=p, n=num, N=num.capitalize())
        text = "KABUL, Afghanistan (%s %d, %d) - %s" % (pub.strftime("%B"), pub.day, pub.year, body)
        out.write(json.dumps({"id": "load-%06d" % i, "url": "http://load.example.test/%d" % i,
                              "title": "Release %d" % i, "published": pub.isoformat(), "text": text}) + "\n")
