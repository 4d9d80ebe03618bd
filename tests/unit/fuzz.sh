#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: tests/unit/fuzz.sh [SECONDS] [NAME-GLOB]
#
# Runs every libFuzzer target of the unit test directories for SECONDS
# each (default $FUZZ_SECONDS or 15), one after the other, with ASan,
# LeakSanitizer and UBSan.  A directory takes part when its Makefile
# includes tests/unit/fuzz.mk; its fuzzers are its fuzz_*.c files (see
# fuzz.mk), each with its committed seed corpus.
#
# A fuzzer passes when it ran its time without a finding: a crash, a
# leak, a sanitizer report, a failed invariant (abort), a timeout or an
# out-of-memory all fail it.  A finding listed in the directory's
# FUZZ_KNOWN_FAIL (NAME:PATTERN, PATTERN found in the report) is printed
# as XFAIL and counted neither way.  The runs use libFuzzer's -seed=$FUZZ_SEED
# (default 1, so that make check of one tree fuzzes the same way each
# time and a failure can be reproduced; FUZZ_SEED=0 for a random seed).  Prints "PASS dir/NAME ..." or
# "FAIL dir/NAME: reason" per fuzzer and ends with
# "fuzz: N passed, N failed".  Logs: build/test-logs/fuzz-DIR-NAME.log.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
secs=${1:-${FUZZ_SECONDS:-15}}
glob=${2:-*}
LOGS=$PWD/build/test-logs
mkdir -p "$LOGS"

passed=0 failed=0 xfail=0 t_start=$SECONDS

# directories whose Makefile includes fuzz.mk
dirs=()
for mk in tests/unit/*/Makefile tests/unit/*/fuzz/Makefile; do
	grep -qE '^include .*fuzz\.mk' "$mk" 2>/dev/null && dirs+=("$(dirname "$mk")")
done

fail() {	# id reason log
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	[ -n "${3:-}" ] && grep -E 'ERROR:|SUMMARY:|runtime error|invariant failed|==[0-9]+==|#[0-9]+ 0x' "$3" | head -n 25 | sed 's/^/    /'
}

# the report of a finding, for the known-failure patterns
known_fail() {	# dir name log
	local kf pat
	for kf in $(make -s -C "$1" fuzz-known-fail); do
		[ "${kf%%:*}" = "$2" ] || continue
		pat=${kf#*:}
		grep -qF -- "$pat" "$3" && return 0
	done
	return 1
}

for d in "${dirs[@]}"; do
	short=${d#tests/unit/}
	short=${short%/fuzz}
	if ! names=$(make -s -C "$d" fuzz-list 2>&1); then
		fail "$short" "make fuzz-list: $names"
		continue
	fi
	for n in $names; do
		# shellcheck disable=SC2053
		[[ $n == $glob ]] || continue
		id=$short/$n
		log=$LOGS/fuzz-${short//\//-}-$n.log
		t0=$SECONDS
		if ! make -C "$d" "fuzz-build-$n" >"$log.build" 2>&1; then
			fail "$id" "build failed (see $log.build)"
			tail -n 15 "$log.build" | sed 's/^/    /'
			continue
		fi
		tb=$((SECONDS - t0))
		timeout --kill-after=10 $((secs + 120)) \
			make -C "$d" "fuzz-$n" FUZZ_SECONDS="$secs" \
			FUZZ_SEED="${FUZZ_SEED:-1}" \
			>"$log" 2>&1 </dev/null
		rc=$?
		t=$((SECONDS - t0))
		runs=$(sed -nE 's/^Done ([0-9]+) runs in.*/\1/p' "$log" | tail -n 1)
		cov=$(sed -nE 's/^#[0-9]+[[:space:]]+DONE[[:space:]]+cov: ([0-9]+).*/\1/p' "$log" | tail -n 1)
		if [ $rc -eq 0 ] && [ -n "$runs" ] &&
		   ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant failed' "$log"; then
			passed=$((passed + 1))
			echo "PASS $id ($t s: build $tb s, $runs runs, cov ${cov:-?})"
			make -s -C "$d" fuzz-known-fail | grep -q "^$n:" &&
				echo "    (no finding: $n may leave FUZZ_KNOWN_FAIL in $d/Makefile)"
		elif [ $rc -ne 0 ] && known_fail "$d" "$n" "$log"; then
			xfail=$((xfail + 1))
			echo "XFAIL $id: known finding ($t s, see $log)"
			grep -m 3 -E 'ERROR:|invariant failed|SUMMARY:' "$log" | sed 's/^/    /'
		elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			fail "$id" "did not end after $((secs + 120)) s" "$log"
		elif [ -z "$runs" ] && [ $rc -eq 0 ]; then
			fail "$id" "no \"Done N runs\" line (see $log)" "$log"
		else
			fail "$id" "finding after $t s (exit $rc, artifact: $d/$(sed -nE 's/.*Test unit written to (.*)/\1/p' "$log" | head -n 1); log $log)" "$log"
		fi
	done
done

[ $xfail -eq 0 ] || echo "fuzz: $xfail known finding(s) (XFAIL, FUZZ_KNOWN_FAIL)"
echo "fuzz: total $((SECONDS - t_start)) s"
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
