#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 1200 [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-tmf.sh
#
# Task management over scst_iscsi with two initiators (issue 6):
#  1. tmf_checks.py, a minimal initiator in Python: every TMF function
#     code (RFC 7143/7144: QUERY TASK, QUERY TASK SET, QUERY ASYNCHRONOUS
#     EVENT, CLEAR ACA, unknown codes), TAS=0/1 and QERR 00b/01b/11b set
#     by MODE SELECT and checked across two sessions (TASK ABORTED status,
#     silent aborts, COMMANDS CLEARED BY ANOTHER INITIATOR / BY DEVICE
#     SERVER, BUS DEVICE RESET FUNCTION OCCURRED), and the ORDERED / HEAD
#     OF QUEUE task attributes; LOGICAL UNIT RESET and TARGET RESET clear
#     PREVENT MEDIUM REMOVAL of a vcdrom.  A vdisk_blockio LUN on dm-delay
#     keeps commands in flight.
#  2. libiscsi's iscsi-test-cu task-management tests (TESTCU_TMF) with
#     two initiator names against a vdisk_fileio LUN.
#  3. the configfs attributes tas and qerr (values, refusals).
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

OUT=${VM_OUT:-/tmp}
INI2=iqn.2024-01.org.scst.test:initiator2
DELAY_MS=${DELAY_MS:-1500}
TESTCU_TMF=${TESTCU_TMF:-"ALL.iSCSITMF SCSI.PreventAllow.WarmReset SCSI.PreventAllow.ColdReset SCSI.PreventAllow.LUNReset SCSI.MultipathIO.Reset"}
export DM_DISABLE_UDEV=1

# the initiators here are user space: no iscsid
modprobe -a libcrc32c crc32c_generic dm-delay loop 2>/dev/null
if ! scst_load scst scst_vdisk scst_iscsi; then
	fail setup "cannot load modules"
	finish
	exit 1
fi
pass setup

dm_node() {
	local d
	for d in /sys/block/dm-*; do
		[ "$(cat "$d/dm/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${d##*/}"; return 0; }
	done
	return 1
}

T=iqn.2024-01.org.scst.test:tmf
TCU=iqn.2024-01.org.scst.test:tmf-cu
check dev-null nullio_dev tmfnull 64M
truncate -s 64M /tmp/tmf-slow.img
LOOP=$(losetup -f --show /tmp/tmf-slow.img)
check slow-dm dmsetup create --noudevsync tmf_slow --table "0 131072 delay $LOOP 0 $DELAY_MS"
SLOWDEV=$(dm_node tmf_slow)
D=$CFG/handlers/vdisk_blockio/tmfslow
mkdir "$D" && echo "$SLOWDEV" >"$D/filename" && echo 1 >"$D/enable"
check dev-slow test "$(cat "$D/enable")" = 1
check dev-fileio fileio_dev tmfcu 64M
check tgt iscsi_target $T
check tgt-cu iscsi_target $TCU
check lun0 map_lun "$ISCSI_CFG/$T" 0 vdisk_nullio/tmfnull
check lun1 map_lun "$ISCSI_CFG/$T" 1 vdisk_blockio/tmfslow
check lun-cu map_lun "$ISCSI_CFG/$TCU" 0 vdisk_fileio/tmfcu
# a vcdrom with a medium: resets clear PREVENT MEDIUM REMOVAL
truncate -s 4M /tmp/tmf-cd.iso
CD=$CFG/handlers/vcdrom/tmfcd
mkdir "$CD" && echo /tmp/tmf-cd.iso >"$CD/filename" && echo 1 >"$CD/enable"
check dev-cdrom test "$(cat "$CD/enable")" = 1
check lun2 map_lun "$ISCSI_CFG/$T" 2 vcdrom/tmfcd
echo 1 >"$ISCSI_CFG/$T/enabled"
echo 1 >"$ISCSI_CFG/$TCU/enabled"
check portal portal "$P"

# --- 1. the Python initiator ---
timeout 600 /usr/bin/python3 "$(dirname "$0")/tmf_checks.py" "$P" "$T" 0 1 \
	"$(awk "BEGIN { print $DELAY_MS / 1000 }")" 2 >"$OUT/tmf_checks.log" 2>&1
rc=$?
while read -r word name rest; do
	case $word in
	PASS) pass "py-$name" ;;
	FAIL) fail "py-$name" "$rest" ;;
	\#) echo "# $name $rest" ;;
	esac
done <"$OUT/tmf_checks.log"
if [ $rc = 124 ]; then
	fail py-no-hang "tmf_checks.py ran over 600 s"
elif ! grep -q '^RESULT' "$OUT/tmf_checks.log"; then
	fail py-complete "tmf_checks.py stopped early: $(tail -n 3 "$OUT/tmf_checks.log" | tr '\n' ' ')"
fi
check inflight-slow-0 wait_until 20 bash -c "test \$(cat $D/inflight) = 0"

# --- 2. iscsi-test-cu ---
for t in $TESTCU_TMF; do
	log=$OUT/test-cu-${t//./-}.log
	timeout 600 iscsi-test-cu -d -i "$INI" -I "$INI2" --test="$t" \
		"iscsi://${P}/$TCU/0" >"$log" 2>&1
	rc=$?
	sum=$(awk '/^ +tests/ {print $2, $3, $4, $5, $6}' "$log")
	set -- $sum
	# total ran passed failed inactive
	if [ $rc = 124 ]; then
		fail "cu-$t" "hung"
	elif [ "${4:-x}" = 0 ] && [ "${2:-0}" -gt 0 ]; then
		pass "cu-$t (ran $2, passed $3, skipped $(awk '/^Suite:/ { s = 1 } s && /\[SKIPPED\]/' "$log" | wc -l))"
	else
		fail "cu-$t" "ran ${2:-?} passed ${3:-?} failed ${4:-?}: $(grep -B2 -m3 FAILED "$log" | tr '\n' ' ' | cut -c1-300)"
	fi
done
check cu-target-alive iscsi-ls -i "$INI" "iscsi://${P}"

# --- 3. configfs tas / qerr ---
check attr-tas-default test "$(cat "$D/tas")" = 0
check attr-qerr-default test "$(cat "$D/qerr")" = 0
check attr-tas-set sh -c "echo 1 > $D/tas"
check attr-tas-read test "$(cat "$D/tas")" = 1
check attr-qerr-3 sh -c "echo 3 > $D/qerr"
check attr-qerr-read test "$(cat "$D/qerr")" = 3
check_fails attr-qerr-2-refused sh -c "echo 2 > $D/qerr"
check_fails attr-qerr-4-refused sh -c "echo 4 > $D/qerr"
check_fails attr-tas-junk-refused sh -c "echo x > $D/tas"
check attr-qerr-unchanged test "$(cat "$D/qerr")" = 3
check attr-log-line bash -c "dmesg | grep -q 'tmfslow: qerr: expected 0, 1 or 3'"
echo 0 >"$D/tas"
echo 0 >"$D/qerr"

check teardown iscsi_teardown
dmsetup remove --noudevsync tmf_slow
losetup -d "$LOOP"
finish
