"""sitrep: events from military press releases and news.

    import sitrep
    p = sitrep.Pipeline(profile="isaf")          # or "full"; kb=overlay.tsv or a kb directory
    p.extract("KABUL, Afghanistan (Jan. 4, 2012)\\nForces detained ...")   # -> dict
    p.extract_many(texts_or_dicts, threads=4)    # -> [dict], in order, GIL released
    p.extract_paths(["corpus/", "crawl.warc.gz"])  # files, archives, WARC, feeds
    p.write_jsonl(paths, "out.jsonl")            # same bytes as `sitrep extract`

Scaling out over many machines: see sitrep.dask.
"""
from ._sitrep import Pipeline, read, HAVE_STORE  # noqa: F401

__all__ = ["Pipeline", "read", "HAVE_STORE"]
