#!/usr/bin/env bash
# FAISS side of docs/performance.md: export the exact codes of Dsh's SearchBenchmarks
# (benchmarks/Dsh.Benchmarks, seeds 1 and 2) and time FAISS IndexBinaryFlat on them, one thread.
#   bash benchmarks/peers/run_faiss_side_by_side.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/dsh-peer}
mkdir -p "$out"
dotnet build -c Release benchmarks/Dsh.Benchmarks >/dev/null
bench=benchmarks/Dsh.Benchmarks/bin/Release/net10.0/Dsh.Benchmarks
for n in 100000 1000000; do
  for bits in 64 128 256; do
    "$bench" export-codes "$n" "$bits" "$out/db_${n}_${bits}.bin" "$out/q_${bits}.bin" >&2
    /usr/bin/python3 benchmarks/peers/faiss_bench.py --db "$out/db_${n}_${bits}.bin" --queries "$out/q_${bits}.bin" \
      --bits "$bits" --k 10 100 --threads 1 --nq-single 100 --repeat 2
  done
done
