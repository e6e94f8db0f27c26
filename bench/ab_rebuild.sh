#!/bin/bash
# Correction rebuilds of two versions side by side: the same 20,000-decision data, each version
# with its own copy, site and cache, built cold once; then ITER alternating correction rebuilds
# (bench/correct.py, a new title and its 更正记录 row each time). Prints each rebuild's wall time.
# Runs from /tmp, so that neither checkout's folder is on Python's path by accident.
#
#   bench/ab_rebuild.sh A_CHECKOUT B_CHECKOUT [ITER]   (PYTHON: a venv with the dependencies;
#                                                      SCALE: other `gongkai demo` options)
set -euo pipefail
A=$(realpath "$1"); B=$(realpath "$2"); ITER=${3:-6}
HERE=$(dirname "$(realpath "$0")")
PY=${PYTHON:-$HERE/../.venv/bin/python}
WORK=${WORK:-/tmp/gongkai-ab}
export PAGEFIND_BINARY_PATH=${PAGEFIND_BINARY_PATH:-$HERE/../node_modules/@pagefind/linux-x64/bin/pagefind_extended}
cd /tmp
rm -rf "$WORK"; mkdir -p "$WORK"
# shellcheck disable=SC2086
PYTHONPATH=$B "$PY" -m generator.cli demo --out "$WORK/data" ${SCALE:---units 50 --quarters 4 --decisions-per-quarter 100} > /dev/null
for side in A B; do
  src=${!side}
  cp -r "$WORK/data" "$WORK/$side-data"
  GONGKAI_CACHE_DIR=$WORK/$side-cache PYTHONPATH=$src "$PY" -m generator.cli build --quiet \
    --data "$WORK/$side-data" --out "$WORK/$side-site"
done
for i in $(seq 1 "$ITER"); do
  order="A B"; [ $((i % 2)) = 1 ] && order="B A"
  for side in $order; do
    src=${!side}
    PYTHONPATH=$B "$PY" "$HERE/correct.py" "$WORK/$side-data" "$i"
    start=$(date +%s.%N)
    GONGKAI_CACHE_DIR=$WORK/$side-cache PYTHONPATH=$src "$PY" -m generator.cli build --quiet \
      --data "$WORK/$side-data" --out "$WORK/$side-site"
    echo "$i $side $(echo "$(date +%s.%N) - $start" | bc) s"
  done
done
