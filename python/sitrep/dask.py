"""Run sitrep over many files with Dask, on one machine or a cluster.

    from dask.distributed import Client
    import sitrep.dask
    client = Client("tcp://scheduler:8786")      # or LocalCluster(); none: dask's default scheduler
    shards = sitrep.dask.extract(["corpus/"], "out/", profile="isaf")
    # out/part-00000.jsonl, ...: concatenated in order they equal
    # `sitrep extract --profile isaf corpus/` byte for byte.

Each task runs the C++ pipeline over a partition of the input files (one
Pipeline per worker process, built once) and writes one JSONL shard; with
`store="postgresql://..."` it also ingests into the shared event store.
Every worker needs the sitrep package and read access to the paths (a shared
file system or object-store mount).
"""
import os

from . import _sitrep

_PIPELINES = {}


def _pipeline(profile, kb, published):
    key = (profile, repr(kb), published)
    p = _PIPELINES.get(key)
    if p is None:
        p = _sitrep.Pipeline(profile=profile, kb=kb, published=published or "")
        _PIPELINES[key] = p
    return p


def list_files(paths):
    """Expands directories (recursively, in name order, as the CLI reads them)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            found = []
            for root, _dirs, files in os.walk(p):
                found.extend(os.path.join(root, f) for f in files)
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def _run_partition(files, index, out_dir, profile, kb, published, store, threads):
    files = list(files)
    p = _pipeline(profile, kb, published)
    shard = os.path.join(out_dir, "part-%05d.jsonl" % index)
    result = p.write_jsonl(files, shard, threads=threads)
    result = dict(result, shard=shard, files=len(files))
    if store:
        if not _sitrep.HAVE_STORE:
            raise RuntimeError("this sitrep build has no store")
        result["store"] = p.ingest(files, store, threads=threads)
    return result


def extract(paths, out_dir, profile="full", kb=None, published=None, store=None,
            files_per_partition=None, npartitions=None, threads=1, compute=True):
    """Maps the pipeline over files and writes JSONL shards to `out_dir`.

    paths: a list of files/directories, or a dask.bag of file paths.
    Returns one dict per shard, in order: {"shard", "files", "documents",
    "rejected", "errors"[, "store"]}. With compute=False, returns the dask
    delayed objects instead.
    """
    import dask
    import dask.bag as db

    os.makedirs(out_dir, exist_ok=True)
    if isinstance(paths, db.Bag):
        bag = paths
    else:
        files = list_files(paths)
        if not files:
            return []
        if npartitions is None and files_per_partition is None:
            npartitions = min(len(files), 64)
        if files_per_partition is not None:
            bag = db.from_sequence(files, partition_size=files_per_partition)
        else:
            bag = db.from_sequence(files, npartitions=npartitions)
    parts = bag.to_delayed()
    run = dask.delayed(_run_partition, pure=False)
    tasks = [run(part, i, out_dir, profile, kb, published, store, threads)
             for i, part in enumerate(parts)]
    if not compute:
        return tasks
    return list(dask.compute(*tasks))


def concat_shards(results, out_path):
    """Concatenates the shards of extract() in order into one JSONL file."""
    with open(out_path, "wb") as out:
        for r in results:
            with open(r["shard"], "rb") as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
    return out_path
