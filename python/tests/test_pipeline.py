import gzip
import json
import os
import threading

import pytest

import sitrep

TEXTS = [
    "KABUL, Afghanistan (Jan. 4, 2012)\nAn Afghan and coalition force detained two suspected "
    "insurgents in Nad-e Ali district, Helmand province, yesterday.",
    "KABUL, Afghanistan (March 9, 2011)\nCoalition forces killed three insurgents during an "
    "operation in Khost province today.",
    "Nothing happened here at all.",
]


@pytest.fixture(scope="module")
def isaf():
    return sitrep.Pipeline(profile="isaf")


@pytest.fixture(scope="module")
def full():
    return sitrep.Pipeline(profile="full")


def test_extract_returns_plain_dicts(isaf):
    r = isaf.extract(TEXTS[0], id="a")
    assert isinstance(r, dict)
    assert r["id"] == "a"
    ev = r["event"]
    assert ev["province"] == ["helmand"]
    assert ev["min_captured"] == 2
    assert ev["start_date"] == "2012-01-03"
    json.dumps(r)  # plain data all the way down


def test_full_profile_and_published(full):
    r = full.extract("Coalition forces killed two insurgents in Sangin district, Helmand province, today.",
                     published="2011-05-06")
    assert set(r) >= {"id", "events", "claims", "relations"}
    ev = r["events"][0]
    assert ev["date"] == "2011-05-06"
    assert ev["location"]["admin2"] == "Sangin"
    assert ev["killed"] == 2


def test_bad_profile():
    with pytest.raises(ValueError):
        sitrep.Pipeline(profile="nope")


def test_extract_many_matches_extract_and_keeps_order(isaf):
    docs = [{"id": "d%d" % i, "text": TEXTS[i % 3]} for i in range(300)]
    many = isaf.extract_many(docs, threads=3)
    assert [r["id"] for r in many] == [d["id"] for d in docs]
    for d, r in zip(docs[:6], many[:6]):
        assert r == isaf.extract(d["text"], id=d["id"])
    plain = isaf.extract_many(iter(TEXTS), threads=2)
    assert [r["id"] for r in plain] == ["0", "1", "2"]


def test_extract_many_rejects_bad_items(isaf):
    with pytest.raises(TypeError):
        isaf.extract_many([1, 2])
    with pytest.raises(ValueError):
        isaf.extract_many([{"id": "x"}])


def test_extract_many_releases_the_gil(isaf):
    # Another Python thread keeps running while extraction works.
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        isaf.extract_many([TEXTS[i % 3] for i in range(3000)], threads=1)
    finally:
        stop.set()
        t.join()
    assert len(ticks) > 1


def test_paths_and_jsonl(isaf, tmp_path):
    rows = "".join(json.dumps({"id": "r%d" % i, "text": TEXTS[i % 3]}) + "\n" for i in range(20))
    src = tmp_path / "rows.jsonl.gz"
    with gzip.open(src, "wt") as f:
        f.write(rows)
    (tmp_path / "note.txt").write_text(TEXTS[1])
    res = isaf.extract_paths([str(tmp_path)], threads=2)
    assert [r["id"] for r in res] == ["note.txt"] + ["r%d" % i for i in range(20)]
    out = tmp_path / "out.jsonl"
    summary = isaf.write_jsonl([str(tmp_path / "note.txt"), str(src)], str(out), threads=2)
    assert summary["documents"] == 21 and summary["rejected"] == 0
    lines = out.read_text().splitlines()
    assert [json.loads(line) for line in lines] == res


def test_read(tmp_path):
    (tmp_path / "page.html").write_text("<html><body><p>Hello.</p></body></html>")
    docs = sitrep.read([str(tmp_path)])
    assert docs[0]["format"] == "html"
    assert docs[0]["id"] == "page.html"


@pytest.mark.skipif(not sitrep.HAVE_STORE, reason="built without the store")
def test_ingest_sqlite(isaf, tmp_path):
    src = tmp_path / "rows.jsonl"
    src.write_text("".join(json.dumps({"id": "s%d" % i, "text": TEXTS[i % 2]}) + "\n" for i in range(4)))
    full = sitrep.Pipeline(profile="full")
    db = str(tmp_path / "events.db")
    r = full.ingest([str(src)], db, threads=2)
    assert r["added"] == 4 and r["failed"] == 0
    again = full.ingest([str(src)], db)
    assert again["unchanged"] == 4
