import json
import os

import pytest

import sitrep
import sitrep.dask

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

RELEASES = [
    "KABUL, Afghanistan (Feb. %d, 2011)\nAn Afghan and coalition security force detained %s "
    "suspected insurgents in %s district, %s province, yesterday. The security force also seized "
    "weapons.",
    "KABUL, Afghanistan (Feb. %d, 2011)\nCoalition forces killed %s insurgents in an air strike "
    "in %s district, %s province, today.",
]
PLACES = [("Sangin", "Helmand"), ("Zharay", "Kandahar"), ("Andar", "Ghazni"), ("Imam Sahib", "Kunduz")]
WORDS = ["two", "three", "several", "four"]


def make_corpus(root):
    """Our own release-like texts, as JSONL files, plain texts and a gzip file."""
    os.makedirs(root / "jsonl", exist_ok=True)
    os.makedirs(root / "txt", exist_ok=True)
    n = 0
    for f in range(6):
        with open(root / "jsonl" / ("batch%02d.jsonl" % f), "w") as out:
            for k in range(25):
                d, p = PLACES[(f + k) % 4]
                text = RELEASES[(f * k) % 2] % (1 + k % 27, WORDS[k % 4], d, p)
                out.write(json.dumps({"id": "b%d-%d" % (f, k), "text": text}) + "\n")
                n += 1
    for k in range(7):
        d, p = PLACES[k % 4]
        (root / "txt" / ("note%d.txt" % k)).write_text(RELEASES[k % 2] % (k + 1, WORDS[k % 4], d, p))
        n += 1
    return n


def test_local_cluster_equals_single_process(tmp_path):
    from distributed import Client, LocalCluster

    corpus = tmp_path / "corpus"
    n = make_corpus(corpus)
    single = tmp_path / "single.jsonl"
    p = sitrep.Pipeline(profile="isaf")
    summary = p.write_jsonl(sitrep.dask.list_files([str(corpus)]), str(single), threads=1)
    assert summary["documents"] == n

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        results = sitrep.dask.extract([str(corpus)], str(tmp_path / "out"), profile="isaf",
                                      npartitions=5)
    assert len(results) == 5
    assert sum(r["documents"] for r in results) == n
    merged = sitrep.dask.concat_shards(results, str(tmp_path / "merged.jsonl"))
    assert open(merged, "rb").read() == single.read_bytes()


def test_bag_of_files(tmp_path):
    import dask.bag as db

    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    files = sitrep.dask.list_files([str(corpus)])
    bag = db.from_sequence(files, npartitions=3)
    results = sitrep.dask.extract(bag, str(tmp_path / "out"), profile="full")
    got = []
    for r in results:
        got += [json.loads(line)["id"] for line in open(r["shard"])]
    want = [r["id"] for r in sitrep.Pipeline(profile="full").extract_paths(files, threads=1)]
    assert got == want
