#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 1500 [--env SCST_KO_DIR=DIR] -- tests/vm/guest/pt-stress.sh
# vm-smoke: 6.12* PT_STRESS_TIME=15
# (make check: 45 s runs on 6.1, 15 s on 6.12, for its time budget)
#
# No command of a pass-through device is ever lost: long fio runs with many
# more commands outstanding than the device takes, through
#   1. scst_local -> dev_disk -> scsi_debug answering at once (delay=0:
#      the completion runs in the submitter's context),
#   2. the same with scsi_debug answering from a timer (ndelay: the
#      completion runs in interrupt context),
#   3. scst_iscsi (open-iscsi over loopback) -> dev_disk -> scsi_debug.
# scsi_debug takes at most 8 commands at a time (max_queue=8) while fio
# keeps 4 x 32 outstanding, so the handler waits for device tags and the
# midlayer requeues.  After each run (fio must end on its own within
# runtime + 120 s, then verify the data it wrote):
#   - the SCST device's inflight attribute is back to 0,
#   - the block layer of the exported disk has nothing in flight,
#   - both SCSI devices (the export's sd and scsi_debug) have
#     iodone_cnt == iorequest_cnt, and their timeout (iotmo_cnt) and
#     error (ioerr_cnt) counters did not move during the run,
#   - the kernel log has no SCSI error handling (abort, timeout, I/O
#     error, failed tag).
# PT_STRESS_TIME (s, default 45) is the length of each timed run.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

TIME=${PT_STRESS_TIME:-45}
TGT=iqn.2024-01.org.scst.test:pt-stress
LT=$CFG/targets/scst_local/stress

modprobe -a libcrc32c crc32c_generic iscsi_tcp sd_mod sg 2>/dev/null
if ! scst_load scst scst_local scst_iscsi scst_passthrough; then
	fail setup "cannot load modules"
	finish
	exit 1
fi
pass setup

check sdebug modprobe scsi_debug dev_size_mb=128 delay=0 max_queue=8
wait_until 20 ls /sys/bus/pseudo/drivers/scsi_debug/adapter0/host*/target*/ >/dev/null
HCTL=
for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*:*:*:*; do
	[ -e "$d" ] && HCTL=${d##*/} && break
done
check sdebug-hctl test -n "$HCTL"
D=$CFG/handlers/dev_disk/$HCTL
check dev mkdir "$D"
check dev-enable sh -c "echo 1 > $D/enable"

# scsi_device counter of HCTL
cnt() {
	local v
	v=$(cat "/sys/class/scsi_device/$1/device/$2") || return 1
	echo $((v))
}

# HCTL of the scsi_device under block device /dev/$1
hctl_of_block() {
	local l
	l=$(readlink -f "/sys/block/$1/device") || return 1
	echo "${l##*/}"
}

# quiet HCTL...: every command dispatched to each device has completed
quiet() {
	local h
	for h in "$@"; do
		[ "$(cnt "$h" iodone_cnt)" = "$(cnt "$h" iorequest_cnt)" ] ||
			return 1
	done
}

dev_idle() { [ "$(cat "$D/inflight")" = 0 ]; }
block_idle() { [ "$(awk '{print $1 + $2}' "/sys/block/$1/inflight")" = 0 ]; }

# stress NAME SDX: the timed run, the verify run and the checks
stress() {
	local n=$1 sd=$2 eh h
	h=$(hctl_of_block "$sd")
	check "$n-disk" test -b "/dev/$sd" -a -n "$h"
	dmesg -c >/dev/null
	# error and timeout counters before the run (the scan's UNIT
	# ATTENTION counts as an error on some kernels)
	e0="$(cnt "$h" ioerr_cnt) $(cnt "$HCTL" ioerr_cnt)"
	t0="$(cnt "$h" iotmo_cnt) $(cnt "$HCTL" iotmo_cnt)"
	check "$n-fio-timed" timeout $((TIME + 120)) fio --name="$n" \
		--filename="/dev/$sd" --direct=1 --ioengine=libaio \
		--iodepth=32 --numjobs=4 --rw=randrw --bsrange=4k-128k \
		--time_based --runtime="$TIME" --size=120M --randrepeat=0 \
		--norandommap --group_reporting --output="$VM_OUT/$n.fio.txt"
	note_ios "$n"
	check "$n-fio-verify" timeout 600 fio --name="$n-v" \
		--filename="/dev/$sd" --direct=1 --ioengine=libaio \
		--iodepth=32 --numjobs=4 --offset_increment=30M --size=30M \
		--rw=randwrite --bsrange=4k-64k --verify=crc32c --do_verify=1 \
		--verify_fatal=1 --randrepeat=0 --output=/dev/null
	check "$n-inflight-0" wait_until 10 dev_idle
	check "$n-block-idle" wait_until 10 block_idle "$sd"
	check "$n-all-completed" wait_until 10 quiet "$h" "$HCTL"
	e1="$(cnt "$h" ioerr_cnt) $(cnt "$HCTL" ioerr_cnt)"
	t1="$(cnt "$h" iotmo_cnt) $(cnt "$HCTL" iotmo_cnt)"
	echo "# $n: ioerr_cnt export/device before '$e0' after '$e1', iotmo_cnt before '$t0' after '$t1'"
	check "$n-no-timeouts" test "$t0" = "$t1"
	check "$n-no-errors" test "$e0" = "$e1"
	eh=$(dmesg | grep -iE 'abort|timing out|timed out|rejecting I/O|offlined|scsi_eh|tag#|I/O error' | head -n 3)
	check "$n-no-error-handling" test -z "$eh"
	echo "# $n: device $HCTL requests $(cnt "$HCTL" iorequest_cnt), export $h requests $(cnt "$h" iorequest_cnt)"
}

note_ios() {
	grep -E '^ +(read|write):' "$VM_OUT/$1.fio.txt" 2>/dev/null | sed "s/^ */# $1 /"
}

# --- 1./2. scst_local ---
mkdir "$LT" && mkdir "$LT/luns/0" && ln -s "$D" "$LT/luns/0/device" &&
	echo 1 >"$LT/enabled" && mkdir "$LT/sessions/ini"
local_sd() {
	local h b
	for h in /sys/class/scsi_host/host*; do
		grep -qx ini "$h/scst_initiator" 2>/dev/null || continue
		for b in /sys/class/scsi_disk/"${h##*host}":*:*:0/device/block/*; do
			[ -e "$b" ] && echo "${b##*/}" && return 0
		done
	done
	return 1
}
check local-sd wait_until 30 local_sd
SD=$(local_sd)
echo none >"/sys/block/$SD/queue/scheduler" 2>/dev/null
stress local "$SD"
check ndelay sh -c "echo 20000 > /sys/bus/pseudo/drivers/scsi_debug/ndelay"
stress local-ndelay "$SD"
echo 0 >/sys/bus/pseudo/drivers/scsi_debug/ndelay
rm "$LT/luns/0/device"
rmdir "$LT/sessions/ini" 2>/dev/null
echo 0 >"$LT/enabled"
rmdir "$LT/luns/0" "$LT"

# --- 3. iSCSI ---
if ! start_iscsid; then
	fail iscsid "cannot start iscsid"
	finish
	exit 1
fi
check target iscsi_target "$TGT"
check lun map_lun "$ISCSI_CFG/$TGT" 0 "dev_disk/$HCTL"
check target-enable sh -c "echo 1 > $ISCSI_CFG/$TGT/enabled"
check portal portal "$P"
check discovery disc
check login login "$TGT"
check iscsi-sd wait_until 20 sd_of_target "$TGT"
SD=$(sd_of_target "$TGT")
SD=${SD#/dev/}
echo none >"/sys/block/$SD/queue/scheduler" 2>/dev/null
stress iscsi "$SD"
check logout logout "$TGT"
check teardown iscsi_teardown
check sdebug-unload rmmod scsi_debug
finish
