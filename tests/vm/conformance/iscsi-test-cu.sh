#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 2400 [--env SCST_KO_DIR=DIR] -- tests/vm/conformance/iscsi-test-cu.sh
#
# libiscsi's iscsi-test-cu (all suites, two initiator names for the
# multi-initiator tests) against a vdisk_fileio LUN and a vdisk_nullio
# LUN of scst_iscsi.  Full output in $VM_OUT/test-cu-<lun>.log, a
# per-suite pass/fail/skip table on stdout and in
# $VM_OUT/test-cu-<lun>.table.  The bar: no crash, no hang (each run
# finishes within its time limit and the target still answers after).
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/../guest/iscsi-lib.sh"

OUT=${VM_OUT:-/tmp}
INI2=iqn.2024-01.org.scst.test:initiator2
LIMIT=${TESTCU_LIMIT:-1000}
# e.g. TESTCU_TESTS="ALL.iSCSIcmdsn ALL.iSCSITMF": these only, in turn
TESTCU_TESTS=${TESTCU_TESTS:-ALL}

if ! iscsi_setup; then
	fail setup "cannot load modules"
	finish
	exit 1
fi
pass setup
stop_iscsid	# libiscsi is its own initiator

# Tally the CUnit verbose output: "Suite: S", "  Test: T ..." then the
# test's own lines, then "passed" or "FAILED" (on the same line or at
# the start of a later one).  A test that printed libiscsi's
# "[SKIPPED]" before its result counts as skipped; text after a result
# on the same line comes from suite cleanup and is ignored.
tally() {
	awk '
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
	/^Suite: / { flush(); suite = $2; order[++n] = suite; next }
	/^  Test: / {
		flush(); test = $2; res = ""; skipped = 0
		l = $0; sub(/^  Test: [^ ]* /, "", l); handle(l); next
	}
	{ handle($0) }
	END {
		flush()
		printf "%-28s %6s %6s %6s\n", "suite", "pass", "fail", "skip"
		for (i = 1; i <= n; i++) {
			x = order[i]
			if (seen[x]++) continue
			printf "%-28s %6d %6d %6d\n", x, p[x], f[x], s[x]
			tp += p[x]; tf += f[x]; ts += s[x]
		}
		printf "%-28s %6d %6d %6d\n", "TOTAL", tp, tf, ts
	}' "$1"
}

run_cu() {
	local name=$1 iqn=$2 log=$OUT/test-cu-$1.log rc=0 t
	: >"$log"
	for t in $TESTCU_TESTS; do
		timeout "$LIMIT" iscsi-test-cu -d -i "$INI" -I "$INI2" \
			--test="$t" "iscsi://${P}/$iqn/0" >>"$log" 2>&1
		rc=$?
		[ $rc -eq 124 ] && break
	done
	tally "$log" | tee "$OUT/test-cu-$name.table"
	if [ $rc -eq 124 ]; then
		fail "test-cu-$name-no-hang" "iscsi-test-cu ran over ${LIMIT}s"
	else
		pass "test-cu-$name-no-hang"
	fi
	check "test-cu-$name-target-alive" iscsi-ls -i "$INI" "iscsi://${P}"
}

TF=iqn.2024-01.org.scst.test:cu-fileio
TN=iqn.2024-01.org.scst.test:cu-nullio
check dev-fileio fileio_dev cufile 16M
check dev-nullio nullio_dev cunull 16M
check tgt-fileio iscsi_target $TF
check tgt-nullio iscsi_target $TN
check lun-fileio map_lun "$ISCSI_CFG/$TF" 0 vdisk_fileio/cufile
check lun-nullio map_lun "$ISCSI_CFG/$TN" 0 vdisk_nullio/cunull
echo 1 >"$ISCSI_CFG/$TF/enabled"
echo 1 >"$ISCSI_CFG/$TN/enabled"
check portal portal "$P"

run_cu fileio $TF
run_cu nullio $TN

check teardown iscsi_teardown
finish
