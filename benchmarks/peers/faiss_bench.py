#!/usr/bin/python3
"""Side-by-side peer benchmark: FAISS binary (Hamming) indexes on Dsh raw codes.

Inputs are two "Dsh raw codes" files (no header; N rows of ``bits/8`` bytes,
row-major, FAISS byte/bit layout -- the same bytes FAISS keeps in ``xb``), one
for the database and one for the queries. See ``gen_codes.py`` to make some.

For every k in ``--k`` it measures

* single-query latency: each of the first ``--nq-single`` queries searched on
  its own (``index.search(q[i:i+1], k)``), after a warm-up, reported as mean
  ms/query;
* batched throughput: all queries in one ``index.search(q, k)`` call, best of
  ``--repeat`` runs (after one warm-up call), reported as ms/query.

Indexes:

* ``IndexBinaryFlat`` -- exact brute force (the reference);
* with ``--multihash``: ``IndexBinaryMultiHash(bits, nhash, b=bits//nhash)``
  for each ``--mh-nhash`` x ``--mh-nflip`` combination (default nhash =
  bits//16, i.e. 16-bit sub-codes, and nflip in {0, 1, 2}). MultiHash only
  finds candidates that match one sub-code within nflip bit flips and then
  ranks them by their exact distance, so it is NOT exact; its recall@k against
  Flat is reported. Recall is tie-tolerant: a returned result counts if its
  distance is <= the k-th Flat distance for that query (ids of equal-distance
  neighbours are arbitrary, so id overlap would under-count).

Threads are set with ``faiss.omp_set_num_threads(--threads)``. FAISS 1.7.3
parallelises a search call over queries, so extra threads do not speed up
one-query calls.

Run with Debian's FAISS 1.7.3 (python3-faiss) as ``/usr/bin/python3``.
"""

import argparse
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:  # pragma: no cover - environment problem
    sys.exit("faiss_bench: error: cannot import faiss; run with /usr/bin/python3 "
             "(Debian python3-faiss)")


def load_codes(path, bits):
    """Load a raw code file as an (n, bits/8) C-contiguous uint8 array."""
    if bits <= 0 or bits % 8:
        raise ValueError(f"--bits must be a positive multiple of 8, got {bits}")
    nbytes = bits // 8
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % nbytes:
        raise ValueError(f"{path}: size {raw.size} is not a multiple of the code size "
                         f"{nbytes} bytes ({bits} bits)")
    return raw.reshape(-1, nbytes)


def time_single(index, queries, k, nq_single, warmup=10):
    """Mean ms/query searching queries one at a time."""
    nq = min(nq_single, len(queries))
    for i in range(min(warmup, len(queries))):
        index.search(queries[i:i + 1], k)
    t0 = time.perf_counter()
    for i in range(nq):
        index.search(queries[i:i + 1], k)
    return (time.perf_counter() - t0) * 1e3 / nq


def time_batch(index, queries, k, repeat):
    """Best-of-`repeat` ms/query for one search call with all queries; also returns the result."""
    result = index.search(queries, k)  # warm-up, and the result used for recall
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        index.search(queries, k)
        best = min(best, time.perf_counter() - t0)
    return best * 1e3 / len(queries), result


def recall_at_k(ref_dist, dist, labels):
    """Tie-tolerant recall@k of (dist, labels) against exact k-NN distances ref_dist."""
    k = ref_dist.shape[1]
    kth = ref_dist[:, -1:]
    hits = ((labels >= 0) & (dist <= kth)).sum(axis=1)
    # If the Flat result itself has fewer than k valid entries (k > ntotal) count against that.
    denom = np.minimum(k, (ref_dist < np.iinfo(np.int32).max).sum(axis=1)).clip(min=1)
    return float(np.mean(np.minimum(hits, denom) / denom))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="database raw code file")
    p.add_argument("--queries", required=True, help="query raw code file")
    p.add_argument("--bits", type=int, required=True, help="code length in bits")
    p.add_argument("--k", type=int, nargs="+", default=[10, 100], help="k values (default 10 100)")
    p.add_argument("--threads", type=int, default=1, help="OpenMP threads (default 1)")
    p.add_argument("--nq-single", type=int, default=200,
                   help="queries timed one at a time (default 200)")
    p.add_argument("--repeat", type=int, default=3, help="batched runs; best is reported (default 3)")
    p.add_argument("--multihash", action="store_true", help="also benchmark IndexBinaryMultiHash")
    p.add_argument("--mh-nhash", type=int, nargs="+", default=None,
                   help="MultiHash table counts (default bits//16); b = bits//nhash")
    p.add_argument("--mh-nflip", type=int, nargs="+", default=[0, 1, 2],
                   help="MultiHash nflip values (default 0 1 2)")
    a = p.parse_args(argv)

    try:
        db = load_codes(a.db, a.bits)
        q = load_codes(a.queries, a.bits)
    except (OSError, ValueError) as e:
        print(f"faiss_bench: error: {e}", file=sys.stderr)
        return 1
    if len(db) == 0 or len(q) == 0:
        print("faiss_bench: error: empty database or query file", file=sys.stderr)
        return 1
    if min(a.k) <= 0:
        p.error("--k values must be positive")

    faiss.omp_set_num_threads(a.threads)
    print(f"FAISS {faiss.__version__}, numpy {np.__version__}, threads={a.threads}, "
          f"N={len(db)}, nq={len(q)} (single: {min(a.nq_single, len(q))}), bits={a.bits}",
          file=sys.stderr)

    indexes = []  # (name, index)
    t0 = time.perf_counter()
    flat = faiss.IndexBinaryFlat(a.bits)
    flat.add(db)
    print(f"IndexBinaryFlat built in {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    indexes.append(("IndexBinaryFlat", flat))

    if a.multihash:
        for nhash in (a.mh_nhash or [max(1, a.bits // 16)]):
            b = a.bits // nhash
            if nhash <= 0 or b <= 0 or b > 64:
                print(f"faiss_bench: skipping MultiHash nhash={nhash} (b={b} must be 1..64)",
                      file=sys.stderr)
                continue
            t0 = time.perf_counter()
            mh = faiss.IndexBinaryMultiHash(a.bits, nhash, b)
            mh.add(db)
            print(f"IndexBinaryMultiHash nhash={nhash} b={b} built in "
                  f"{time.perf_counter() - t0:.2f} s", file=sys.stderr)
            for nflip in a.mh_nflip:
                # The same built index is reused; nflip only affects search.
                indexes.append((f"MultiHash(nhash={nhash},b={b},nflip={nflip})", (mh, nflip)))

    rows = []
    for k in a.k:
        ref = None
        for name, idx in indexes:
            nflip = None
            if isinstance(idx, tuple):
                idx, nflip = idx
                idx.nflip = nflip
            single = time_single(idx, q, k, a.nq_single)
            batch, (dist, labels) = time_batch(idx, q, k, a.repeat)
            if ref is None:
                ref = dist  # Flat runs first: exact distances
                recall = "1.000 (exact)"
            else:
                recall = f"{recall_at_k(ref, dist, labels):.3f}"
            rows.append((name, len(db), a.bits, k, a.threads, single, batch, recall))
            print(f"  done: {name} k={k}", file=sys.stderr)

    print(f"\nFAISS {faiss.__version__} binary indexes, nq(batch)={len(q)}, "
          f"nq(single)={min(a.nq_single, len(q))}\n")
    print("| index | N | bits | k | threads | single ms/query | batch ms/query | recall@k vs Flat |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, bits, k, thr, single, batch, recall in rows:
        print(f"| {name} | {n} | {bits} | {k} | {thr} | {single:.4f} | {batch:.4f} | {recall} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
