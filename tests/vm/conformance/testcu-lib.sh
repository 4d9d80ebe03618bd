# Helpers for running libiscsi's iscsi-test-cu in the guest; source after
# guestlib.sh.
#
#   testcu_suites            the suites of the ALL family, in order
#   testcu_run NAME URL [URL2...]  run $TESTCU_TESTS (default: every suite, one
#                            iscsi-test-cu per suite so that a hang costs
#                            one suite only) against URL; full output in
#                            $OUT/test-cu-NAME.log, seconds per suite in
#                            $OUT/test-cu-NAME.times, the per-suite table
#                            on stdout and in $OUT/test-cu-NAME.table;
#                            URL2 (another path to the same LU) is what
#                            the MultipathIO suite needs
#   testcu_tally LOG [TIMES] the table of a log
#
# Environment: TESTCU_LIMIT (seconds per iscsi-test-cu run, default 900),
# TESTCU_ARGS (more options, e.g. -V for libiscsi's verbose log),
# TESTCU_TESTS (e.g. "ALL.iSCSIResiduals ALL.iSCSIdatasn"), INI and INI2
# (the two initiator names), OUT.

TESTCU_LIMIT=${TESTCU_LIMIT:-900}
INI2=${INI2:-iqn.2024-01.org.scst.test:initiator2}

testcu_suites() {
	iscsi-test-cu -l | grep -E '^ALL\.[^.]+$'
}

# Tally the CUnit verbose output: "Suite: S", "  Test: T ..." then the
# test's own lines, then "passed" or "FAILED" (on the same line or at
# the start of a later one).  A test that printed libiscsi's
# "[SKIPPED]" before its result counts as skipped; text after a result
# on the same line belongs to the next suite's set-up and is ignored.
# A test without a result (the run was killed) counts as failed.
testcu_tally() {
	awk -v times="${2:-}" '
	function flush() {
		if (test == "") return
		if (res == "FAILED") f[suite]++
		else if (res == "passed" && skipped) s[suite]++
		else if (res == "passed") p[suite]++
		else f[suite]++
		test = ""
	}
	function handle(l,    pre) {
		if (test == "" || !match(l, /(^|\.\.\.)(passed|FAILED)/)) {
			if (l ~ /\[SKIPPED\]/) skipped = 1
			return
		}
		pre = substr(l, 1, RSTART - 1)
		if (pre ~ /\[SKIPPED\]/) skipped = 1
		res = substr(l, RSTART, RLENGTH) ~ /FAILED/ ? "FAILED" : "passed"
		flush()
	}
	BEGIN {
		if (times != "")
			while ((getline t < times) > 0) {
				split(t, a, " ")
				secs[a[1]] = a[2]
			}
	}
	/^Suite: / { flush(); suite = $2; order[++n] = suite; next }
	/^  Test: / {
		flush(); test = $2; res = ""; skipped = 0
		l = $0; sub(/^  Test: [^ ]* /, "", l); handle(l); next
	}
	{ handle($0) }
	END {
		flush()
		printf "| %-24s | %4s | %4s | %4s | %5s |\n", "suite", "pass", \
			"fail", "skip", "secs"
		printf "|%s|%s|%s|%s|%s|\n", "--------------------------", \
			"-----:", "-----:", "-----:", "------:"
		for (i = 1; i <= n; i++) {
			x = order[i]
			if (seen[x]++) continue
			printf "| %-24s | %4d | %4d | %4d | %5s |\n", x, p[x], \
				f[x], s[x], (x in secs) ? secs[x] : "-"
			tp += p[x]; tf += f[x]; ts += s[x]; tt += secs[x]
		}
		printf "| %-24s | %4d | %4d | %4d | %5d |\n", "TOTAL", tp, tf, \
			ts, tt
	}' "$1"
}

# testcu_run NAME URL: every suite in turn; fails the no-hang check if
# one ran into TESTCU_LIMIT.
testcu_run() {
	local name=$1 url=$2 log=$OUT/test-cu-$1.log t0 rc s hung=
	local times=$OUT/test-cu-$1.times tests=${TESTCU_TESTS:-}
	local more=("${@:3}")	# more paths to the LU (MultipathIO)

	[ -n "$tests" ] || tests=$(testcu_suites)
	: >"$log"
	: >"$times"
	for s in $tests; do
		t0=$(date +%s)
		# line-buffered: libiscsi's [SKIPPED] lines (stderr) stay
		# next to the CUnit result lines (stdout)
		timeout "$TESTCU_LIMIT" stdbuf -oL -eL iscsi-test-cu -d \
			${TESTCU_ARGS:-} -i "$INI" -I "$INI2" --test="$s" \
			"$url" "${more[@]}" >>"$log" 2>&1
		rc=$?
		echo "${s#ALL.} $(($(date +%s) - t0))" >>"$times"
		if [ $rc -eq 124 ]; then
			echo "TIMEOUT ${s} after ${TESTCU_LIMIT}s" >>"$log"
			hung="$hung ${s#ALL.}"
		fi
	done
	echo "iscsi-test-cu $name ($url):"
	testcu_tally "$log" "$times" | tee "$OUT/test-cu-$name.table"
	if [ -n "$hung" ]; then
		fail "test-cu-$name-no-hang" "ran over ${TESTCU_LIMIT}s:$hung"
	else
		pass "test-cu-$name-no-hang"
	fi
}

# testcu_per_test LOG: one "<suite>.<test> passed|FAILED|skipped" line per
# test of an iscsi-test-cu log (a test without a result counts as FAILED)
testcu_per_test() {
	awk '
	function flush() {
		if (test == "") return
		if (res == "passed" && skipped) res = "skipped"
		else if (res == "") res = "FAILED"
		print suite "." test, res
		test = ""
	}
	function handle(l) {
		if (test == "" || !match(l, /(^|\.\.\.)(passed|FAILED)/)) {
			if (l ~ /\[SKIPPED\]/) skipped = 1
			return
		}
		if (substr(l, 1, RSTART - 1) ~ /\[SKIPPED\]/) skipped = 1
		res = substr(l, RSTART, RLENGTH) ~ /FAILED/ ? "FAILED" : "passed"
		flush()
	}
	/^Suite: / { flush(); suite = $2; next }
	/^  Test: / {
		flush(); test = $2; res = ""; skipped = 0
		l = $0; sub(/^  Test: [^ ]* /, "", l); handle(l); next
	}
	{ handle($0) }
	END { flush() }' "$1"
}
