#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-resv.sh
#
# libiscsi's iscsi-test-cu reservation suites (persistent reservations
# and RESERVE(6)/RELEASE(6)), two initiator names, against a
# vdisk_fileio LUN of scst_iscsi.  One "PASS/FAIL/SKIP cu:<test>" line
# per test; a failure listed in KNOWN below (with its reason) is
# reported but not counted.  Full output in $VM_OUT/test-cu-resv.log.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"
. "$(dirname "$0")/../conformance/testcu-lib.sh"

OUT=${VM_OUT:-/tmp}
INI2=iqn.2024-01.org.scst.test:initiator2
SUITES="ALL.PrinReadKeys ALL.PrinServiceactionRange ALL.PrinReportCapabilities
ALL.ProutRegister ALL.ProutReserve ALL.ProutClear ALL.ProutPreempt ALL.Reserve6"
# test name -> why its failure is expected (none so far)
declare -A KNOWN=()

if ! iscsi_setup; then
	fail setup "cannot load modules"
	finish
	exit 1
fi
pass setup
stop_iscsid	# libiscsi is its own initiator

TF=iqn.2024-01.org.scst.test:cu-resv
check dev-fileio fileio_dev curesv 16M
check tgt iscsi_target $TF
check lun map_lun "$ISCSI_CFG/$TF" 0 vdisk_fileio/curesv
echo 1 >"$ISCSI_CFG/$TF/enabled"
check portal portal "$P"

LOG=$OUT/test-cu-resv.log
: >"$LOG"
for s in $SUITES; do
	timeout 300 iscsi-test-cu -d -i "$INI" -I "$INI2" --test="$s" \
		"iscsi://${P}/$TF/0" >>"$LOG" 2>&1
	[ $? -eq 124 ] && fail "cu-$s-no-hang" "over 300 s"
done

testcu_per_test "$LOG" >"$OUT/test-cu-resv.results"

n=0
while read -r t r; do
	n=$((n + 1))
	case $r in
	passed) pass "cu:$t" ;;
	skipped) skip "cu:$t" "iscsi-test-cu skipped it" ;;
	*)	if [ -n "${KNOWN[$t]:-}" ]; then
			skip "cu:$t" "known: ${KNOWN[$t]}"
		else
			fail "cu:$t" "see test-cu-resv.log"
		fi ;;
	esac
done <"$OUT/test-cu-resv.results"
[ "$n" -ge 20 ] && pass "cu-ran-$n-tests" || fail cu-ran "only $n tests"
grep -B2 -A12 -E "FAILED|CU_ASSERT|failed" "$LOG" | head -n 150
check target-alive iscsi-ls -i "$INI" "iscsi://${P}"
check teardown iscsi_teardown
finish
