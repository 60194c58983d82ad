#!/usr/bin/env bash
# PyTorch side of the DSH training-step comparison: one training step of the paper profile (batch 8)
# and the compact profile (batch 32), 2 threads, with OpenBLAS as Debian's alternatives select it, with
# OpenBLAS forced to its AVX-512/AVX2 kernels (OPENBLAS_CORETYPE; OpenBLAS 0.3.21 falls back to SSE
# "Prescott" kernels on Intel CPUs it does not know), and with the reference (netlib) BLAS.
#   bash benchmarks/peers/run_torch_side_by_side.sh [LOG_DIR]
# Environment: THREADS (2), STEPS (5), WARMUP (2), PAPER_BATCH (8), COMPACT_BATCH (32),
#   CORETYPE (SkylakeX on AVX-512 CPUs, Haswell on AVX2 ones; empty skips the forced-kernel rows).
# Installs python3-torch and libopenblas0-pthread with apt only when they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
logs=${1:-/tmp/dsh-torch-peer}
threads=${THREADS:-2}
steps=${STEPS:-5}
warmup=${WARMUP:-2}
paper_batch=${PAPER_BATCH:-8}
compact_batch=${COMPACT_BATCH:-32}
if [ -z "${CORETYPE+x}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then CORETYPE=Haswell
  else CORETYPE=; fi
fi
mkdir -p "$logs"

missing=()
for pkg in python3-torch libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing ${missing[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
fi
update-alternatives --display libblas.so.3-x86_64-linux-gnu >&2 || true

# Reference BLAS: put netlib's libblas/liblapack ahead of the alternatives' choice for this process only.
ref_path=/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack
script=benchmarks/peers/torch_train_step.py
variants=(openblas)
[ -n "$CORETYPE" ] && variants+=(openblas-forced)
variants+=(reference)
rows=()
for cfg in "paper $paper_batch" "compact $compact_batch"; do
  set -- $cfg
  for blas in "${variants[@]}"; do
    log="$logs/$1_b$2_t${threads}_$blas.log"
    echo "== $1 batch $2, $threads threads, $blas -> $log" >&2
    args=(--profile "$1" --batch "$2" --threads "$threads" --steps "$steps" --warmup "$warmup")
    case $blas in
      openblas) env -u OPENBLAS_CORETYPE /usr/bin/python3 "$script" "${args[@]}" ;;
      openblas-forced) OPENBLAS_CORETYPE=$CORETYPE /usr/bin/python3 "$script" "${args[@]}" ;;
      reference) LD_LIBRARY_PATH="$ref_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
                   /usr/bin/python3 "$script" "${args[@]}" ;;
    esac | tee "$log" >&2
    detected=$(sed -n 's/^BLAS in use: //p' "$log")
    [ "$blas" = openblas-forced ] && detected="$detected (OPENBLAS_CORETYPE=$CORETYPE)"
    stats=$(sed -n 's/^RESULT .* s\/step mean=\([^ ]*\) median=\([^ ]*\) min=\([^ ]*\) stdev=\([^ ]*\)$/\1 | \2 | \3 | \4/p' "$log")
    rows+=("| $1 | $2 | $threads | $detected | $stats |")
  done
done

echo
echo "torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $(nproc) CPUs, $steps timed steps after $warmup warm-up"
echo
echo "| profile | batch | threads | BLAS | mean s/step | median | min | stdev |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
