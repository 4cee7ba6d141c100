#!/bin/sh
# bench/run.sh: the performance benchmark behind `make bench` (the README,
# "Performance": P1, P1s, P2, P3, P5, P6; P4 is retired).  It generates its
# inputs with bench/gen, runs the parse-only baseline (bench/parse_only) and reflint alternately, and prints
# one table of medians, ratios, MB/s and peak RSS with the targets beside.
# It reports; it never fails (exit 0 whatever happens).
#
# Environment (sizes in MB of 2^20 bytes; defaults are the spec's):
#   BENCH_RUNS=5        runs of each command, alternated (>= 5 for the table)
#   BENCH_MB=200        P1 input
#   BENCH_P2_SMALL=100  P2 small input       BENCH_P2_LARGE=1024  P2 large
#   BENCH_P3_RECORDS=1000000                 P3 patch-only records = referrals
#   BENCH_P5_ROWS=100000                     P5 CSV rows
#   BENCH_PY_MB=20      P6 input (the Python script is slow)
#   BENCH_ONLY="P1 P2"  run only these (P1 P1s P2 P3 P5 P6)
#   BENCH_KEEP=1        keep the large inputs (P2 1 GB, P3) in bench/out
#   BENCH_SEED=1        generator seed
#   REFLINT, BENCH_GEN, BENCH_PARSE_ONLY, REFLINT_RULES, BENCH_OUT: paths
# Quick run: BENCH_MB=20 BENCH_P2_LARGE=200 BENCH_P3_RECORDS=50000 \
#            BENCH_P5_ROWS=20000 BENCH_PY_MB=2 make bench
if [ -z "$BASH_VERSION" ]; then
	exec bash "$0" "$@"
fi
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-.}
RUNS=${BENCH_RUNS:-5}
P1_MB=${BENCH_MB:-200}
P2_SMALL=${BENCH_P2_SMALL:-100}
P2_LARGE=${BENCH_P2_LARGE:-1024}
P3_N=${BENCH_P3_RECORDS:-1000000}
P5_ROWS=${BENCH_P5_ROWS:-100000}
PY_MB=${BENCH_PY_MB:-20}
ONLY=${BENCH_ONLY:-P1 P1s P2 P3 P5 P6}
SEED=${BENCH_SEED:-1}
KEEP=${BENCH_KEEP:-0}
RL=${REFLINT:-$top_builddir/reflint}
GEN=${BENCH_GEN:-$top_builddir/bench/gen}
PO=${BENCH_PARSE_ONLY:-$top_builddir/bench/parse_only}
OUT=${BENCH_OUT:-$top_builddir/bench/out}
NOW=2026-03-01T00:00:00Z
NOW_S=1772323200
if [ -z "${REFLINT_RULES:-}" ]; then
	REFLINT_RULES=$(cd "$here/.." && pwd)/rules
fi
export REFLINT_RULES
CHECK="check --now $NOW"

mkdir -p "$OUT" || exit 0
tf=$OUT/.time.$$
trap 'rm -f "$tf" "$OUT"/.cmp.*.$$ "$OUT"/.cmp.$$.*' EXIT
have_time=0
if /usr/bin/time -f %M -o "$tf" true 2>/dev/null; then
	have_time=1
fi
table=$OUT/table.$$
: > "$table"
started=$EPOCHREALTIME

note() { printf '%s\n' "bench: $*" >&2; }
wants() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
mib() { echo $(( $1 * 1048576 )); }
fmt() { awk -v x="$1" 'BEGIN { printf "%.3f", x }'; }

for p in "$RL" "$GEN" "$PO"; do
	if [ ! -x "$p" ]; then
		note "$p is missing: run 'make bench' (it builds bench/gen and bench/parse_only)"
		exit 0
	fi
done

# gen KIND SIZE-OPTION FILE: generate FILE unless it is there already and
# newer than the generator (a changed generator writes other bytes).
gen() {
	if [ ! -s "$3" ] || [ "$GEN" -nt "$3" ]; then
		note "generating $3 ($1 $2)"
		"$GEN" --kind "$1" $2 --seed "$SEED" --now "$NOW_S" > "$3.tmp" &&
		    mv "$3.tmp" "$3"
	fi
}

# once SHELL-COMMAND: runs it (stdout, stderr as the command says), and sets
# wall (seconds), cpu (user + system seconds, 0 if unknown) and rss (KiB, 0
# if unknown).  CPU time is less disturbed by other loads than wall time.
once() {
	local t0 t1 line
	t0=$EPOCHREALTIME
	if [ $have_time = 1 ]; then
		/usr/bin/time -f '%M %U %S' -o "$tf" sh -c "exec $1"
	else
		sh -c "exec $1"
	fi
	t1=$EPOCHREALTIME
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	rss=0 cpu=0
	if [ $have_time = 1 ]; then
		line=$(tail -n 1 "$tf")
		rss=${line%% *}
		case $rss in *[!0-9]*|'') rss=0 ;; esac
		cpu=$(printf '%s\n' "$line" | awk 'NF == 3 { print $2 + $3; exit } { print 0 }')
	fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -n 1; }

# pair A-COMMAND B-COMMAND: runs A and B alternately RUNS times each, after
# one warm-up of each; sets a_med b_med (wall s), a_cpu b_cpu (CPU s), all
# medians, and a_rss b_rss (max KiB).
pair() {
	local i aw= bw= ac= bc= ar= br=
	once "$1"; once "$2"
	for i in $(seq "$RUNS"); do
		once "$1"; aw="$aw$wall
"; ac="$ac$cpu
"; ar="$ar$rss
"
		once "$2"; bw="$bw$wall
"; bc="$bc$cpu
"; br="$br$rss
"
	done
	a_med=$(printf %s "$aw" | median)
	b_med=$(printf %s "$bw" | median)
	a_cpu=$(printf %s "$ac" | median)
	b_cpu=$(printf %s "$bc" | median)
	a_rss=$(printf %s "$ar" | maxof)
	b_rss=$(printf %s "$br" | maxof)
}
# cpux: the CPU-time ratio b/a, as a note for the figure column
cpux() { [ "$b_cpu" != 0 ] && [ "$a_cpu" != 0 ] && printf ' (CPU %s x)' "$(ratio "$b_cpu" "$a_cpu")"; }
cpux_inv() { [ "$b_cpu" != 0 ] && [ "$a_cpu" != 0 ] && printf ' (CPU %s x)' "$(ratio "$a_cpu" "$b_cpu")"; }

# row ID WORKLOAD BASELINE BASE-S REFLINT-S FIGURE MB/S RSS-KIB TARGET MET
row() {
	local rss=-
	if [ "${8:-0}" != 0 ] && [ "${8:-}" != - ]; then
		rss=$(awk -v k="$8" 'BEGIN { printf "%.1f MiB", k / 1024 }')
	fi
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
	    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$rss" "$9" "${10}" >> "$table"
}
skip() {
	note "$1: skipped: $2"
	printf '| %s | %s | - | - | - | skipped: %s | - | - | %s | - |\n' \
	    "$1" "$3" "$2" "$4" >> "$table"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", b / 1048576 / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && a + 0 < b + 0) }' && echo yes || echo no; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && a + 0 <= b + 0) }' && echo yes || echo no; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "-" && a + 0 >= b + 0) }' && echo yes || echo no; }
size() { wc -c < "$1" | tr -d ' '; }

# What this reflint supports (features of other issues may not be there yet).
probe=$OUT/.probe.$$
"$GEN" --kind snapshot --records 3 --seed 1 > "$probe.snap" 2>/dev/null
"$GEN" --kind patch --records 3 --seed 1 > "$probe.patch" 2>/dev/null
"$GEN" --kind csv --records 3 --seed 1 > "$probe.csv" 2>/dev/null
has_referrals=0 has_csv=0
"$RL" $CHECK --referrals "$probe.snap" "$probe.patch" >/dev/null 2>&1
case $? in 0|1) has_referrals=1 ;; esac
"$RL" $CHECK --accepted /dev/null --rejected /dev/null "$probe.csv" \
    > /dev/null 2> "$probe.err"
case $? in
0|1) grep -q 'json-syntax' "$probe.err" || has_csv=1 ;;
esac
rm -f "$probe".*

RLOUT="--accepted /dev/null --rejected /dev/null"

# P1: paired NDJSON, reflint vs parse-only ----------------------------------
p1=$OUT/p1-paired-${P1_MB}M.ndjson
if wants P1; then
	gen paired "--bytes ${P1_MB}M" "$p1"
	cat "$p1" > /dev/null
	note "P1: $RUNS x parse_only and reflint check on $p1"
	pair "'$PO' '$p1'" "'$RL' $CHECK $RLOUT '$p1' 2>/dev/null"
	r=$(ratio "$b_med" "$a_med")
	row P1 "check, paired NDJSON, ${P1_MB} MiB" parse_only \
	    "$(fmt "$a_med")" "$(fmt "$b_med")" "${r} x parse-only$(cpux)" \
	    "$(mbps "$(size "$p1")" "$b_med")" "$b_rss" \
	    "<= 1.25 (goal < 1.0, must 1.5)" \
	    "target $(le "$r" 1.25), goal $(lt "$r" 1.0), must $(le "$r" 1.5)"
	if command -v json_verify > /dev/null 2>&1; then
		note "P1: $RUNS x json_verify -s -q and parse_only"
		pair "json_verify -s -q < '$p1'" "'$PO' '$p1'"
		row P1b "the baseline itself: parse_only vs json_verify, ${P1_MB} MiB" "json_verify -s -q" \
		    "$(fmt "$a_med")" "$(fmt "$b_med")" \
		    "$(ratio "$b_med" "$a_med") x json_verify" \
		    "$(mbps "$(size "$p1")" "$b_med")" "$b_rss" "about 1" -
	fi
fi

# P1s: --threads 1 vs --threads 2 on the P1 input, and the same bytes ------
if wants P1s; then
	gen paired "--bytes ${P1_MB}M" "$p1"
	# accepted and rejected lines, text report, summary and exit status,
	# as checksums (the outputs are as large as the input); the time in
	# the report and the summary differs from run to run
	for t in 1 2; do
		c=$OUT/.cmp.$$
		"$RL" $CHECK --threads $t --no-progress --accepted "$c.acc" \
		    --rejected "$c.rej" --summary "$c.sum" "$p1" \
		    > /dev/null 2> "$c.err"
		echo "exit $?" > "$c.$t"
		sed -e 's/,"seconds":"[^"]*"//' "$c.sum" >> "$c.$t"
		sed -e 's/ in [0-9.]* s,/ in S s,/' "$c.err" | cksum >> "$c.$t"
		cksum < "$c.acc" >> "$c.$t"
		cksum < "$c.rej" >> "$c.$t"
		rm -f "$c.acc" "$c.rej" "$c.sum" "$c.err"
	done
	same=no
	cmp -s "$OUT/.cmp.$$.1" "$OUT/.cmp.$$.2" && same=yes
	rm -f "$OUT"/.cmp.$$.*
	note "P1s: $RUNS x reflint check --threads 1 and --threads 2 on $p1"
	pair "'$RL' $CHECK --threads 1 $RLOUT '$p1' 2>/dev/null" \
	    "'$RL' $CHECK --threads 2 $RLOUT '$p1' 2>/dev/null"
	r=$(ratio "$a_med" "$b_med")
	row P1s "check --threads 2, paired NDJSON, ${P1_MB} MiB" "--threads 1" \
	    "$(fmt "$a_med")" "$(fmt "$b_med")" \
	    "$r x speed-up, outputs identical: $same" \
	    "$(mbps "$(size "$p1")" "$b_med")" "$b_rss" ">= 1.7 x, identical" \
	    "speed-up $(ge "$r" 1.7), identical $same"
fi

# P2: peak RSS at 100 MB and 1 GB --------------------------------------------
if wants P2; then
	small=$OUT/p2-paired-${P2_SMALL}M.ndjson
	large=$OUT/p2-paired-${P2_LARGE}M.ndjson
	gen paired "--bytes ${P2_SMALL}M" "$small"
	gen paired "--bytes ${P2_LARGE}M" "$large"
	note "P2: $RUNS x parse_only and reflint check on $small"
	pair "'$PO' '$small'" "'$RL' $CHECK $RLOUT --summary '$OUT/.p2s.json' '$small' 2>/dev/null"
	s_med=$b_med s_rss=$b_rss s_base=$a_med s_cpux=$(cpux)
	note "P2: $RUNS x parse_only and reflint check on $large"
	pair "'$PO' '$large'" "'$RL' $CHECK $RLOUT --summary '$OUT/.p2l.json' '$large' 2>/dev/null"
	growth=$(( b_rss - s_rss ))
	# The stated cost of the ids that accepted patches touch (README,
	# etag-stale): at most 16 bytes each, on top of the 1 MiB.  The
	# generator's referrals are distinct, so the accepted records bound
	# the distinct ids.
	acc() { local v; v=$(sed -n 's/.*"accepted":\([0-9]*\).*/\1/p' "$1" 2>/dev/null | head -n 1); echo "${v:-0}"; }
	ids=$(( $(acc "$OUT/.p2l.json") - $(acc "$OUT/.p2s.json") ))
	[ "$ids" -ge 0 ] 2>/dev/null || ids=0
	allow=$(( 1024 + ids * 16 / 1024 ))
	rm -f "$OUT/.p2s.json" "$OUT/.p2l.json"
	row P2a "check, paired NDJSON, ${P2_SMALL} MiB" parse_only "$(fmt "$s_base")" \
	    "$(fmt "$s_med")" "$(ratio "$s_med" "$s_base") x parse-only$s_cpux" \
	    "$(mbps "$(size "$small")" "$s_med")" "$s_rss" "-" -
	row P2 "check, paired NDJSON, ${P2_LARGE} MiB" parse_only "$(fmt "$a_med")" \
	    "$(fmt "$b_med")" "RSS $(awk -v k="$growth" 'BEGIN { printf "%+.2f", k / 1024 }') MiB from ${P2_SMALL} MiB" \
	    "$(mbps "$(size "$large")" "$b_med")" "$b_rss" \
	    "<= 16 MiB, growth <= 1 MiB + 16 B x $ids more ids ($(awk -v k="$allow" 'BEGIN { printf "%.2f", k / 1024 }') MiB)" \
	    "RSS $(le "$b_rss" 16384), growth $(le "$growth" "$allow")"
	[ "$KEEP" = 1 ] || rm -f "$large"
fi

# P3: patch-only records joined to a snapshot ---------------------------------
if wants P3; then
	if [ $has_referrals = 0 ]; then
		skip P3 "reflint check has no --referrals yet" \
		    "patch-only ${P3_N} + snapshot ${P3_N}" "RSS <= 160 MiB, <= 3 x"
	else
		snap=$OUT/p3-snapshot-${P3_N}.ndjson
		pat=$OUT/p3-patch-${P3_N}.ndjson
		gen snapshot "--records $P3_N" "$snap"
		gen patch "--records $P3_N" "$pat"
		note "P3: $RUNS x parse_only (both files) and reflint check --referrals"
		pair "'$PO' '$snap' '$pat'" \
		    "'$RL' $CHECK --referrals '$snap' $RLOUT '$pat' 2>/dev/null"
		r=$(ratio "$b_med" "$a_med")
		row P3 "check --referrals, ${P3_N} + ${P3_N}" "parse_only of both" \
		    "$(fmt "$a_med")" "$(fmt "$b_med")" "$r x parse-only$(cpux)" \
		    "$(mbps $(( $(size "$snap") + $(size "$pat") )) "$b_med")" \
		    "$b_rss" "RSS <= 160 MiB, <= 3 x" \
		    "RSS $(le "$b_rss" 163840), time $(le "$r" 3)"
		[ "$KEEP" = 1 ] || rm -f "$snap" "$pat"
	fi
fi

# P4 is retired: GNU parallel's own cost bounded it on 2 cores.  P1s
# measures the cores in one process; tests/dask-scaleout.test proves that
# mapper mode's shards give the bytes of one process (README, "Scaling out").

# P5: Partner Center CSV vs the same rows as NDJSON ---------------------------
if wants P5; then
	if [ $has_csv = 0 ]; then
		skip P5 "reflint check does not read CSV yet" \
		    "CSV ${P5_ROWS} rows vs NDJSON" "<= 2 x"
	else
		csv=$OUT/p5-${P5_ROWS}.csv
		cj=$OUT/p5-${P5_ROWS}.ndjson
		gen csv "--records $P5_ROWS" "$csv"
		gen csvjson "--records $P5_ROWS" "$cj"
		# the work is the same only if the verdicts are (as
		# bench/csv-verdicts.test checks in make check): compare the
		# counts read, accepted, rejected and by code
		for f in "$cj" "$csv"; do
			"$RL" $CHECK $RLOUT --quiet --summary "$OUT/.cmp.$$.sum" \
			    "$f" 2>/dev/null
			sed 's/,"bytes".*//' "$OUT/.cmp.$$.sum"
			echo
		done > "$OUT/.cmp.$$.both"
		agree=no
		if [ "$(sed -n 1p "$OUT/.cmp.$$.both")" = \
		    "$(sed -n 3p "$OUT/.cmp.$$.both")" ]; then
			agree=yes
		fi
		counts=$(sed -n 1p "$OUT/.cmp.$$.both" |
		    sed 's/.*"accepted":\([0-9]*\),"rejected":\([0-9]*\).*/\1 accepted, \2 rejected/')
		[ $agree = yes ] || note "P5: the verdicts differ: $(cat "$OUT/.cmp.$$.both")"
		rm -f "$OUT"/.cmp.$$.*
		note "P5: $RUNS x reflint on the NDJSON rows and on the CSV"
		pair "'$RL' $CHECK $RLOUT '$cj' 2>/dev/null" \
		    "'$RL' $CHECK $RLOUT '$csv' 2>/dev/null"
		r=$(ratio "$b_med" "$a_med")
		row P5 "check, bulk CSV, ${P5_ROWS} rows ($counts both ways: $agree)" \
		    "check of the rows as NDJSON" \
		    "$(fmt "$a_med")" "$(fmt "$b_med")" "$r x NDJSON$(cpux)" \
		    "$(mbps "$(size "$csv")" "$b_med")" "$b_rss" \
		    "<= 2 x, same verdicts" "$(le "$r" 2), same verdicts $agree"
	fi
fi

# P6: the same checks in Python with jsonpatch ---------------------------------
if wants P6; then
	py=${PYTHON:-python3}
	if ! "$py" -c 'import jsonpatch' > /dev/null 2>&1; then
		skip P6 "$py has no jsonpatch module" "Python jsonpatch script" ">= 30 x"
	else
		p6=$OUT/p6-paired-${PY_MB}M.ndjson
		gen paired "--bytes ${PY_MB}M" "$p6"
		note "P6: $RUNS x Python jsonpatch script and reflint check"
		pair "'$py' '$here/jsonpatch_check.py' '$p6' > /dev/null 2>&1" \
		    "'$RL' $CHECK $RLOUT '$p6' 2>/dev/null"
		r=$(ratio "$a_med" "$b_med")
		row P6 "check, paired NDJSON, ${PY_MB} MiB" "Python jsonpatch" \
		    "$(fmt "$a_med")" "$(fmt "$b_med")" "$r x faster$(cpux_inv)" \
		    "$(mbps "$(size "$p6")" "$b_med")" "$b_rss" ">= 30 x" \
		    "$(ge "$r" 30)"
	fi
fi

elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
echo
echo "reflint benchmark: $(nproc 2>/dev/null || echo ?) cores, $RUNS runs each, alternated; medians; seed $SEED; ${elapsed} s"
echo
echo "| id | workload | baseline | baseline s | reflint s | figure | reflint MiB/s | reflint peak RSS | target | met |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
cat "$table"
rm -f "$table"
exit 0
