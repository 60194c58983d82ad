#!/usr/bin/python3
"""FAISS interop check for Dsh's FAISS binary-index exporter/importer.

Two jobs, usable together or separately:

1. Search a FAISS binary index file (e.g. one written by Dsh's exporter)::

       faiss_check.py --index FILE --queries Q.bin --bits N --k K --out RESULT.txt

   The file is loaded with ``faiss.read_index_binary`` (IndexBinaryFlat,
   IndexBinaryIDMap or IndexBinaryIDMap2) and searched with every query of the
   raw code file. RESULT.txt gets one ASCII line per (query, rank)::

       query_index id distance

   space separated, LF line endings, ranks in FAISS order (ascending
   distance; FAISS 1.7.3 breaks ties by insertion position), entries with
   id -1 (k > ntotal) skipped.

2. Write a genuine FAISS file for the C# side to import::

       faiss_check.py --write-index OUT --db DB.bin --ids IDS.bin --bits N [--index-type idmap]

   builds ``IndexBinaryIDMap(IndexBinaryFlat)`` (or ``idmap2`` / ``flat``) from
   the raw database codes and the raw little-endian int64 ids (one per code; for
   ``flat`` no ids are used) and writes it with ``faiss.write_index_binary``.

If both are given the index is written first, so ``--index`` may name the file
just written. Raw code files ("Dsh raw codes") have no header: N rows of
``bits/8`` bytes, row-major, FAISS byte/bit layout (dimension 8*i+j is bit j
of byte i). Exit status: 0 on success, 1 on any error (message on stderr),
2 on bad command-line usage.

Run with Debian's FAISS 1.7.3 (python3-faiss) as ``/usr/bin/python3``.
"""

import argparse
import sys

import numpy as np

try:
    import faiss
except ImportError:  # pragma: no cover - environment problem
    sys.exit("faiss_check: error: cannot import faiss; run with /usr/bin/python3 "
             "(Debian python3-faiss)")


class CheckError(Exception):
    """A user-facing error; reported as one line on stderr with exit status 1."""


def load_codes(path, bits):
    """Load a raw code file as an (n, bits/8) C-contiguous uint8 array."""
    nbytes = bits // 8
    try:
        raw = np.fromfile(path, dtype=np.uint8)
    except OSError as e:
        raise CheckError(f"cannot read codes file {path}: {e}") from e
    if raw.size % nbytes:
        raise CheckError(f"{path}: size {raw.size} bytes is not a multiple of the code size "
                         f"{nbytes} bytes ({bits} bits)")
    return raw.reshape(-1, nbytes)


def load_ids(path):
    """Load raw little-endian int64 ids."""
    try:
        raw = np.fromfile(path, dtype=np.uint8)
    except OSError as e:
        raise CheckError(f"cannot read ids file {path}: {e}") from e
    if raw.size % 8:
        raise CheckError(f"{path}: size {raw.size} bytes is not a multiple of 8 (int64 ids)")
    return raw.view("<i8").astype(np.int64)


def write_index(out, db_path, ids_path, bits, index_type):
    """Build an IndexBinaryFlat / IDMap / IDMap2 from raw files and write it with FAISS."""
    codes = load_codes(db_path, bits)
    flat = faiss.IndexBinaryFlat(bits)
    if index_type == "flat":
        if ids_path:
            raise CheckError("--ids cannot be used with --index-type flat (ids are 0..n-1)")
        flat.add(codes)
        index = flat
    else:
        if not ids_path:
            raise CheckError(f"--ids is required with --index-type {index_type}")
        ids = load_ids(ids_path)
        if len(ids) != len(codes):
            raise CheckError(f"{ids_path}: {len(ids)} ids but {db_path} has {len(codes)} codes")
        if index_type == "idmap2" and len(np.unique(ids)) != len(ids):
            raise CheckError("IndexBinaryIDMap2 needs unique ids")
        wrapper = faiss.IndexBinaryIDMap if index_type == "idmap" else faiss.IndexBinaryIDMap2
        index = wrapper(flat)
        index.add_with_ids(codes, ids)
    try:
        faiss.write_index_binary(index, out)
    except RuntimeError as e:
        raise CheckError(f"cannot write {out}: {e}") from e
    print(f"faiss_check: wrote {type(index).__name__} d={bits} ntotal={index.ntotal} to {out}",
          file=sys.stderr)
    return index  # keeps `flat` alive through the wrapper's reference


def search_index(index_path, queries_path, bits, k, out):
    """Search a FAISS binary index file and write `query_index id distance` lines."""
    try:
        index = faiss.read_index_binary(index_path)
    except RuntimeError as e:
        msg = str(e).strip().splitlines()
        raise CheckError(f"faiss cannot read {index_path}: {msg[-1] if msg else e}") from e
    if index.d != bits:
        raise CheckError(f"{index_path}: index has d={index.d} bits but --bits is {bits}")
    queries = load_codes(queries_path, bits)
    dist, labels = index.search(queries, k)
    lines = []
    for qi in range(len(queries)):
        for rank in range(k):
            label = int(labels[qi, rank])
            if label != -1:
                lines.append(f"{qi} {label} {int(dist[qi, rank])}\n")
    try:
        with open(out, "w", encoding="ascii", newline="\n") as f:
            f.writelines(lines)
    except OSError as e:
        raise CheckError(f"cannot write {out}: {e}") from e
    print(f"faiss_check: searched {type(index).__name__} ntotal={index.ntotal} with "
          f"{len(queries)} queries, k={k}; {len(lines)} lines to {out}", file=sys.stderr)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bits", type=int, required=True, help="code length in bits (multiple of 8)")
    p.add_argument("--index", help="FAISS binary index file to search")
    p.add_argument("--queries", help="query raw code file (with --index)")
    p.add_argument("--k", type=int, help="neighbours per query (with --index)")
    p.add_argument("--out", help="result text file (with --index)")
    p.add_argument("--write-index", metavar="OUT", help="write a FAISS index built from --db/--ids")
    p.add_argument("--db", help="database raw code file (with --write-index)")
    p.add_argument("--ids", help="raw little-endian int64 ids, one per code (with --write-index)")
    p.add_argument("--index-type", choices=["idmap", "idmap2", "flat"], default="idmap",
                   help="what --write-index builds (default idmap = IndexBinaryIDMap(Flat))")
    a = p.parse_args(argv)

    if a.bits <= 0 or a.bits % 8:
        p.error("--bits must be a positive multiple of 8")
    if not a.index and not a.write_index:
        p.error("nothing to do: give --index (search) and/or --write-index (export)")
    if a.index:
        missing = [n for n, v in (("--queries", a.queries), ("--k", a.k), ("--out", a.out)) if v is None]
        if missing:
            p.error(f"--index needs {', '.join(missing)}")
        if a.k <= 0:
            p.error("--k must be positive")
    if a.write_index and not a.db:
        p.error("--write-index needs --db")

    try:
        if a.write_index:
            write_index(a.write_index, a.db, a.ids, a.bits, a.index_type)
        if a.index:
            search_index(a.index, a.queries, a.bits, a.k, a.out)
    except CheckError as e:
        print(f"faiss_check: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
