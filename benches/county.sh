#!/usr/bin/env bash
# County-scale benchmark (docs/benchmarks.md): a synthetic county of 300 school rows and
# 5000 evidence items, built cold, rebuilt with no change, after one corrected cell in
# schools.xlsx and after one added evidence item; then `collect` of every school's form and
# `merge` of as many returns. Prints the median wall time of each case
# (the whole process, measured from outside), one run's --timings breakdown, and the goals'
# ratios: pages typeset to pages written, no-change and one-cell rebuilds to the full build,
# peak memory of the full build, collect and merge to the full build; then box books over scanned evidence (120 items of eight
# 200-dpi pages) with their peak memory.
#
#     benches/county.sh [DIR] [RUNS]        # defaults: /tmp/yingjian-bench 5
#     SCANS=0 benches/county.sh             # without the scanned-evidence case
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
typeset_pages=$(sed -n 's/^排版 \([0-9]*\) 页.*/\1/p' "$DIR/.timings")
assembled_pages=$(sed -n 's/.*合订本另由已排版的页组成 \([0-9]*\) 页.*/\1/p' "$DIR/.timings")
peak=$(sed -n 's/^峰值内存 \([0-9]*\) MiB.*/\1/p' "$DIR/.timings")
# Pages written: every PDF under out/ (poppler's pdfinfo), yingjian's own records left out.
output_pages=$(find "$DIR/out" -name '*.pdf' -not -path '*/.yingjian/*' -print0 |
    xargs -0 -n1 pdfinfo 2>/dev/null | awk '/^Pages:/ { n += $2 } END { print n }')

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

# 填报: collect of every school's form, then merge of the returns (each school's first
# 在校生数 raised by one), dry run and --apply, on a copy of the built county (collect starts a
# round in content/, which would change the no-change case above). Each --apply starts from
# the same content/schools.xlsx and record.
C="$DIR-collect"
rm -rf "$C" "$C-returns"
cp -a "$DIR" "$C"
wall() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
collect=""
for _ in $(seq "$RUNS"); do collect+="$(wall "$Y" collect -w "$C") "; done
returns=$(find "$C/out/填报表/学校" -name '*.xlsx' | wc -l)
python3 - "$C/out/填报表/学校" "$C-returns" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for i, name in enumerate(sorted(os.listdir(src))):
    with zipfile.ZipFile(os.path.join(src, name)) as zi, \
            zipfile.ZipFile(os.path.join(dst, f"回收{i + 1}.xlsx"), "w", zipfile.ZIP_DEFLATED) as zo:
        for n in zi.namelist():
            b = zi.read(n)
            if n == "xl/worksheets/sheet1.xml":
                s = b.decode()
                v = s.index("<v>", s.index('<c r="G2"')) + 3
                e = s.index("</v>", v)
                b = (s[:v] + "%g" % (float(s[v:e]) + 1) + s[e:]).encode()
            zo.writestr(n, b)
PY
merge=""
for _ in $(seq "$RUNS"); do merge+="$(wall "$Y" merge "$C-returns" -w "$C") "; done
cp "$C/content/schools.xlsx" "$C/content/.填报记录.json" "$C-returns/"
apply=""
for _ in $(seq "$RUNS"); do
    cp "$C-returns/schools.xlsx" "$C/content/schools.xlsx"
    cp "$C-returns/.填报记录.json" "$C/content/.填报记录.json"
    apply+="$(wall "$Y" merge --apply "$C-returns"/回收*.xlsx -w "$C") "
done
merged=$("$Y" merge "$C-returns"/回收*.xlsx -w "$C" 2>/dev/null | tail -2 | head -1 || true)
rm -rf "$C" "$C-returns"

# Box books over scans: 120 items, each eight unique 200-dpi JPEG pages (about 0.5 GB).
books=""
if [ "${SCANS:-120}" -gt 0 ]; then
    S2="$DIR-scans"
    [ -d "$S2" ] || "$S" --schools 30 --evidence "${SCANS:-120}" --scans "${SCANS:-120}" --documents 0 "$S2" >/dev/null
    rm -rf "$S2/out"
    (cd "$S2" && "$Y" build --box-books --timings >"$S2/.timings" 2>&1)
    books="$(du -sm "$S2/evidence" | cut -f1) MB 扫描件，装订本峰值内存 $(sed -n 's/^峰值内存 \([0-9]*\) MiB.*/\1/p' "$S2/.timings") MiB"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
m() { tr ' ' '\n' <<<"$1" | median; }

echo "合成县：$SCHOOLS 行学校数据，$EVIDENCE 件佐证材料（$(nproc) 核）"
report "全量构建（无 out/）" "$cold"
echo "$cold_timings" | sed 's/^/    /'
report "无改动重建" "$same"
report "改正 schools.xlsx 一格" "$cell"
echo "$cell_timings" | sed 's/^/    /'
report "新增一件佐证材料" "$add"
echo "$add_timings" | sed 's/^/    /'
report "collect（$returns 所学校）" "$collect"
report "merge 试运行（$returns 份）" "$merge"
report "merge --apply（$returns 份）" "$apply"
echo "    合并后再试运行：$merged"
echo "目标比例（同一次运行）："
echo "    排版页数 / 输出页数：$typeset_pages / $output_pages = $(ratio "$typeset_pages" "$output_pages")（目标 ≤ 75%；合订本由已排版的页组成 $assembled_pages 页）"
echo "    无改动重建 / 全量：$(ratio "$(m "$same")" "$(m "$cold")")（目标 ≤ 3%）"
echo "    改正一格 / 全量：$(ratio "$(m "$cell")" "$(m "$cold")")（目标 ≤ 10%）"
echo "    collect / 全量：$(ratio "$(m "$collect")" "$(m "$cold")")（目标 ≤ 10%）"
echo "    merge 试运行 / 全量：$(ratio "$(m "$merge")" "$(m "$cold")")，merge --apply / 全量：$(ratio "$(m "$apply")" "$(m "$cold")")（目标 ≤ 10%）"
echo "    全量峰值内存：$peak MiB（目标 ≤ 1024 MiB）"
[ -n "$books" ] && echo "    装订本（--box-books）：$books（目标 ≤ 1024 MiB）"
true
