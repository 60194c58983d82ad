#!/usr/bin/python3
"""Generate "Dsh raw codes" files for the peer benchmarks.

A raw code file has no header: N rows of ``bits/8`` bytes each, row-major, in
FAISS's byte/bit layout (dimension ``8*i + j`` is bit ``j`` -- mask ``1 << j`` --
of byte ``i``; i.e. exactly the bytes FAISS keeps in ``IndexBinaryFlat.xb``).

Two distributions are available:

* uniform (default): every bit is an independent fair coin flip;
* clustered (``--clustered C``): C random centre codes are drawn from ``--seed``;
  every row picks a centre uniformly at random and flips each bit independently
  with probability ``--flip`` (default 0.1).

Because the centres depend only on ``--seed``, a database and a query set drawn
from the *same* clusters are produced by using the same ``--seed`` and a
different ``--sample-seed``::

    gen_codes.py --generate 1000000 --bits 128 --clustered 1000 --seed 1 --out db.bin
    gen_codes.py --generate 1000    --bits 128 --clustered 1000 --seed 1 --sample-seed 99 --out q.bin
"""

import argparse
import sys

import numpy as np

# Rows generated per chunk in clustered mode (bounds the size of the bit matrix).
_CHUNK = 65536


def generate(n, bits, seed, sample_seed=None, centres=0, flip=0.1):
    """Return an (n, bits/8) uint8 array of codes in FAISS layout."""
    if bits <= 0 or bits % 8:
        raise ValueError("--bits must be a positive multiple of 8")
    nbytes = bits // 8
    centre_rng = np.random.default_rng(seed)
    rng = np.random.default_rng(seed + 1 if sample_seed is None else sample_seed)
    if centres <= 0:
        return rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8)

    centre_codes = centre_rng.integers(0, 256, size=(centres, nbytes), dtype=np.uint8)
    out = np.empty((n, nbytes), dtype=np.uint8)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        assign = rng.integers(0, centres, size=stop - start)
        # Bernoulli(flip) mask per bit, packed LSB-first like FAISS.
        mask = np.packbits(rng.random((stop - start, bits)) < flip, axis=1, bitorder="little")
        out[start:stop] = centre_codes[assign] ^ mask
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--generate", type=int, required=True, metavar="N", help="number of codes")
    p.add_argument("--bits", type=int, required=True, help="code length in bits (multiple of 8)")
    p.add_argument("--out", required=True, help="output raw code file")
    p.add_argument("--clustered", type=int, default=0, metavar="CENTRES",
                   help="draw codes around this many random centres (default: uniform)")
    p.add_argument("--flip", type=float, default=0.1, help="per-bit flip probability (clustered)")
    p.add_argument("--seed", type=int, default=0, help="seed for the centres (and default sample seed)")
    p.add_argument("--sample-seed", type=int, default=None, help="seed for sampling rows (default seed+1)")
    a = p.parse_args(argv)
    if a.generate < 0:
        p.error("--generate must be >= 0")
    try:
        codes = generate(a.generate, a.bits, a.seed, a.sample_seed, a.clustered, a.flip)
    except ValueError as e:
        p.error(str(e))
    codes.tofile(a.out)
    kind = f"clustered({a.clustered}, flip={a.flip})" if a.clustered > 0 else "uniform"
    print(f"wrote {a.generate} x {a.bits}-bit {kind} codes ({codes.nbytes} bytes) to {a.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
