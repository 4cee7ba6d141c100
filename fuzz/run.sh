#!/bin/sh
# Run every libFuzzer harness for SECONDS (default 60) each, seeded from
# testdata/, and print executions and CPU time per harness.  A crash makes
# the run fail; libFuzzer leaves the crashing input as fuzz/crash-* for a
# regression case.  Used by `make fuzz-smoke` and .ci/run.
#   fuzz/run.sh [SECONDS] [HARNESS...]
set -u
secs=${1:-60}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$top}
names=${*:-"reader pointer patch rules check csv decode"}
work=$(mktemp -d "${TMPDIR:-/tmp}/reflint-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

seed() {
	# $1 = harness; fills $work/seed-$1 from the test data
	d="$work/seed-$1"
	mkdir -p "$d"
	i=0
	case $1 in
	reader|check)
		for f in "$top"/testdata/cases/*/*.ndjson "$top"/testdata/cases/*/*.json \
		    "$top"/testdata/demo/*.json "$top"/testdata/demo/*.ndjson \
		    "$top"/testdata/bad/*; do
			[ -f "$f" ] || continue
			i=$((i + 1))
			{ printf '\000'; head -c 65536 "$f"; } >"$d/$i"
		done ;;
	pointer)
		for p in "" "/" "/foo/0" "/a~1b" "/m~0n" "/x/y/1/-" "/~2" "#/a"; do
			i=$((i + 1))
			printf '%s' "$p" >"$d/$i"
		done ;;
	patch)
		for c in "$top"/testdata/cases/patch-*/; do
			[ -f "$c/doc.json" ] && [ -f "$c/patch.json" ] || continue
			i=$((i + 1))
			{ cat "$c/doc.json"; printf '\000'; cat "$c/patch.json"; } >"$d/$i"
		done ;;
	rules)
		k=0
		for f in "$top"/rules/*.json; do
			i=$((i + 1))
			{ printf "\\$(printf '%03o' $k)"; cat "$f"; } >"$d/$i"
			k=$((k + 1))
		done ;;
	csv)
		for f in "$top"/testdata/demo/*.csv "$top"/testdata/cases/*/*.csv \
		    "$top"/testdata/bad/*.csv; do
			[ -f "$f" ] || continue
			i=$((i + 1))
			{ printf '\000'; head -c 65536 "$f"; } >"$d/$i"
		done ;;
	decode)
		# each encoding (first byte's low bits), chunks of 16 bytes
		for f in "$top"/testdata/cases/csv-*/*.csv \
		    "$top"/testdata/cases/csv-*/*.txt "$top"/testdata/fuzz/decode/*; do
			[ -f "$f" ] || continue
			for b in 074 075 076 077; do
				i=$((i + 1))
				{ printf "\\$b"; head -c 65536 "$f"; } >"$d/$i"
			done
		done ;;
	esac
}

status=0
for n in $names; do
	bin="$build/fuzz/fuzz_$n"
	if [ ! -x "$bin" ]; then
		echo "fuzz_$n: not built, skipped"
		continue
	fi
	seed "$n"
	mkdir -p "$work/corpus-$n"
	timer=""
	[ -x /usr/bin/time ] && timer="/usr/bin/time -f %U+%S -o $work/cpu-$n"
	REFLINT_FUZZ_RULES="$top/rules" $timer "$bin" -max_total_time="$secs" \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$top/fuzz/crash-$n-" -print_final_stats=1 \
	    "$work/corpus-$n" "$work/seed-$n" >"$work/log-$n" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log-$n")
	tsecs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log-$n")
	cpu=$(tail -1 "$work/cpu-$n" 2>/dev/null | awk -F+ '{ printf "%.1f", $1 + $2 }')
	echo "fuzz_$n: exit $rc, ${execs:-?} executions, ${tsecs:-?} exec/s, ${secs}s, ${cpu:-?} s CPU"
	if [ $rc -ne 0 ]; then
		tail -40 "$work/log-$n"
		status=1
	fi
done
exit $status
