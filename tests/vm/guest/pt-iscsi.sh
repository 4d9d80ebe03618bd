#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 1500 [--env SCST_KO_DIR=DIR] -- tests/vm/guest/pt-iscsi.sh
#
# A scsi_debug disk exported through dev_disk (scst_passthrough) and
# scst_iscsi: open-iscsi login, fio --verify=crc32c through the session,
# then libiscsi's iscsi-test-cu read/write and reservation suites
# (PT_CU_TESTS; two initiator names) against the LUN.  Reservations are
# the target's (the device never sees them, pt-disk.sh checks that).
# Each suite must run without a failed test; the per-suite CUnit summary
# goes to $VM_OUT/pt-cu-<suite>.log.
set -u
[ "${PT_TRACE:-0}" = 1 ] && set -x
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

OUT=${VM_OUT:-/tmp}
TGT=iqn.2024-01.org.scst.test:pt-disk
INI2=iqn.2024-01.org.scst.test:initiator2
PT_CU_TESTS=${PT_CU_TESTS:-"SCSI.Read10 SCSI.Read16 SCSI.Write10 SCSI.Write16
ALL.PrinReadKeys ALL.PrinServiceactionRange ALL.PrinReportCapabilities
ALL.ProutRegister ALL.ProutReserve ALL.ProutClear ALL.ProutPreempt
ALL.Reserve6"}

modprobe -a libcrc32c crc32c_generic iscsi_tcp sd_mod sg 2>/dev/null
if ! scst_load scst scst_iscsi scst_passthrough || ! start_iscsid; then
	fail setup "cannot load modules or start iscsid"
	finish
	exit 1
fi
pass setup

modprobe scsi_debug dev_size_mb=64
HCTL=
wait_until 20 ls /sys/bus/pseudo/drivers/scsi_debug/adapter0/host*/target*/ >/dev/null
for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*:*:*:*; do
	[ -e "$d" ] && HCTL=${d##*/} && break
done
check sdebug test -n "$HCTL"
D=$CFG/handlers/dev_disk/$HCTL
check dev mkdir "$D"
check dev-enable sh -c "echo 1 > $D/enable"
check target iscsi_target "$TGT"
check lun map_lun "$ISCSI_CFG/$TGT" 0 "dev_disk/$HCTL"
check target-enable sh -c "echo 1 > $ISCSI_CFG/$TGT/enabled"
check portal portal "$P"

check discovery disc
check login login "$TGT"
check sd wait_until 20 sd_of_target "$TGT"
SD=$(sd_of_target "$TGT")
check fio-verify fio --name=pti --filename="$SD" --direct=1 \
	--ioengine=libaio --iodepth=8 --rw=randwrite --bsrange=4k-256k \
	--size=32M --verify=crc32c --do_verify=1 --verify_fatal=1 \
	--output=/dev/null
check logout logout "$TGT"
stop_iscsid	# libiscsi is its own initiator

# "Run Summary" table of CUnit: the tests line is
#   tests  TOTAL  RAN  PASSED  FAILED  INACTIVE
for t in $PT_CU_TESTS; do
	log=$OUT/pt-cu-$t.log
	timeout 600 iscsi-test-cu -d -i "$INI" -I "$INI2" --test="$t" \
		"iscsi://${P}/$TGT/0" >"$log" 2>&1
	line=$(grep -E '^ +tests ' "$log" | tail -n 1)
	read -r _ total ran passed failed _ <<<"$line"
	skipped=$(grep -c '\[SKIPPED\]' "$log")
	echo "# iscsi-test-cu $t: tests $total ran ${ran:-?} passed ${passed:-?} failed ${failed:-?} (skip messages: $skipped)"
	if [ -n "$line" ] && [ "${failed:-1}" = 0 ] && [ "${ran:-0}" -gt 0 ]; then
		pass "cu-$t"
	else
		fail "cu-$t" "$(grep -E 'FAILED|Assertion' "$log" | head -n 3 | tr '\n' ' ')"
	fi
done

check target-alive iscsi-ls -i "$INI" "iscsi://${P}"
check teardown iscsi_teardown
check sdebug-unload rmmod scsi_debug
finish
