#!/usr/bin/env bash
# County-scale benchmark (docs/benchmarks.md): a synthetic county of 300 school rows and
# 5000 evidence items, built cold, rebuilt with no change, after one corrected cell in
# schools.xlsx and after one added evidence item. Prints the median wall time of each case
# (the whole process, measured from outside) and one run's --timings breakdown.
#
#     benches/county.sh [DIR] [RUNS]        # defaults: /tmp/yingjian-bench 5
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/yingjian-bench}
RUNS=${2:-5}
SCHOOLS=300
EVIDENCE=5000

cargo build --release --quiet --bin yingjian --example synth
T=${CARGO_TARGET_DIR:-$PWD/target}
Y=$T/release/yingjian
S=$T/release/examples/synth

rm -rf "$DIR" "$DIR-add"
"$S" --schools $SCHOOLS --evidence $EVIDENCE "$DIR" >/dev/null

# Wall seconds of one `yingjian build` in $1; its --timings lines go to $1/.timings.
timed() {
    local start end
    start=$(date +%s.%N)
    (cd "$1" && "$Y" build --timings >"$1/.timings" 2>&1)
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
report() {
    printf '%-28s 中位数 %6.2f s（%s 次：%s）\n' "$1" "$(tr ' ' '\n' <<<"$2" | median)" "$RUNS" "$2"
}

cold=""
for _ in $(seq "$RUNS"); do
    rm -rf "$DIR/out"
    cold+="$(timed "$DIR") "
done
cold_timings=$(grep -E '^(用时|Typst|排版 [0-9]+ 页|峰值)' "$DIR/.timings")

same=""
for _ in $(seq "$RUNS"); do same+="$(timed "$DIR") "; done

# One cell: the first school's 体育运动场馆面积, corrected and corrected back in turn.
cell=""
for k in $(seq "$RUNS"); do
    if ((k % 2)); then flag=--correct; else flag=; fi
    "$S" --schools $SCHOOLS --evidence $EVIDENCE $flag "$DIR" >/dev/null
    cell+="$(timed "$DIR") "
done
cell_timings=$(grep -E '^(用时|排版 [0-9]+ 页)' "$DIR/.timings")
"$S" --schools $SCHOOLS --evidence $EVIDENCE "$DIR" >/dev/null
timed "$DIR" >/dev/null

# One added evidence item (its PDF and its row), each time on a fresh copy of the built county.
add=""
for _ in $(seq "$RUNS"); do
    rm -rf "$DIR-add"
    cp -a "$DIR" "$DIR-add"
    "$S" --schools $SCHOOLS --evidence $((EVIDENCE + 1)) "$DIR-add" >/dev/null
    add+="$(timed "$DIR-add") "
done
add_timings=$(grep -E '^(用时|排版 [0-9]+ 页)' "$DIR-add/.timings")
rm -rf "$DIR-add"

echo "合成县：$SCHOOLS 行学校数据，$EVIDENCE 件佐证材料（$(nproc) 核）"
report "全量构建（无 out/）" "$cold"
echo "$cold_timings" | sed 's/^/    /'
report "无改动重建" "$same"
report "改正 schools.xlsx 一格" "$cell"
echo "$cell_timings" | sed 's/^/    /'
report "新增一件佐证材料" "$add"
echo "$add_timings" | sed 's/^/    /'
