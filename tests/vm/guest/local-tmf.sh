#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/local-tmf.sh
#
# Error handling of scst_local: task management through the SCSI error
# handler.
#  1. sg_reset -d / -t / -b / -H on a LUN while dd runs on two LUNs: each
#     reset returns, the dd jobs complete, I/O still works.
#  2. Commands that time out: a vdisk_blockio LUN on dm-delay with 4 s
#     delay and a 2 s SCSI timeout: the midlayer aborts (ABORT TASK); the
#     command must be completed exactly once and I/O must work
#     afterwards.
#  3. A long abort (12 s backend, 2 s timeout, one attempt through sg),
#     and completions racing timeouts (1 s backend, 1 s timeout, parallel
#     readers, a LUN reset in the middle).
#  4. rmdir of the sessions and module unload: no command may be left
#     behind in the core.
# Prints PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"

T=tmf_tgt
TD=$CFS/targets/scst_local/$T
BACKING=/tmp/local-tmf.img

if ! load_modules; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
if ! have_vdisk; then
	fail vdisk "handlers/vdisk_nullio missing: scst_vdisk not loaded"
	local_finish
	exit 1
fi

check dev-null nullio_dev tmf_null 256M
check backing-file truncate -s 256M "$BACKING"
mkdir "$CFS/handlers/vdisk_fileio/tmf_file" &&
	cfs_write "$CFS/handlers/vdisk_fileio/tmf_file/filename" "$BACKING" &&
	cfs_write "$CFS/handlers/vdisk_fileio/tmf_file/enable" 1
check dev-file test "$(cat "$CFS/handlers/vdisk_fileio/tmf_file/enable")" = 1

check target-mkdir mkdir "$TD"
check lun0 map_lun "$TD/luns" 0 tmf_null
mkdir "$TD/luns/1" && ln -s "$CFS/handlers/vdisk_fileio/tmf_file" "$TD/luns/1/device"
check lun1 test -L "$TD/luns/1/device"
check enable cfs_write "$TD/enabled" 1
check sess-A mkdir "$TD/sessions/A"
check host-A wait_until 10 host_of "$T" A
H=$(host_of "$T" A)
check devices wait_until 20 bash -c ". $(dirname "$0")/local-lib.sh; sd_of $H 0 && sd_of $H 1 && sg_of $H 0"
SD0=$(sd_of "$H" 0) SD1=$(sd_of "$H" 1) SG0=$(sg_of "$H" 0) SG1=$(sg_of "$H" 1)
note "host$H: LUN 0 $SD0 $SG0, LUN 1 $SD1 $SG1"

# --- 1. resets under load ---

start_load() {
	dd if=/dev/zero of="/dev/$SD0" bs=64k count=3000 oflag=direct 2>/dev/null &
	LOAD1=$!
	dd if=/dev/urandom of="/dev/$SD1" bs=64k count=1500 oflag=direct 2>/dev/null &
	LOAD2=$!
	dd if="/dev/$SD1" of=/dev/null bs=128k count=1500 iflag=direct 2>/dev/null &
	LOAD3=$!
	sleep 1
}

wait_load() {
	local name=$1 rc=0 p
	for p in $LOAD1 $LOAD2 $LOAD3; do
		wait "$p" || rc=1
	done
	if [ $rc = 0 ]; then
		pass "$name-load-completed"
	else
		fail "$name-load-completed" "a dd job failed after the reset"
	fi
}

for r in d:device t:target b:bus H:host; do
	opt=${r%%:*} name=reset-${r#*:}
	start_load
	start=$SECONDS
	if timeout 120 sg_reset "-$opt" "/dev/$SG0" >/dev/null 2>&1; then
		pass "$name ($((SECONDS - start)) s)"
	else
		fail "$name" "sg_reset -$opt failed or hung (rc $?)"
	fi
	wait_load "$name"
	check "$name-io-after" dd if="/dev/$SD0" of=/dev/null bs=64k count=64 iflag=direct
done
check resets-sg-io bash -c "sg_turs /dev/$SG1 >/dev/null 2>&1; sg_turs /dev/$SG1"
check resets-same-host test "$(host_of "$T" A)" = "$H"

# --- 2. and 3. commands that time out ---

# The slow LUN: dm-delay over a loop device; the delay is changed by
# reloading the table, so that the kernel's scan of the LUN runs fast.
SLOWIMG=/tmp/local-tmf-slow.img
SLOW=tmf_slow
export DM_DISABLE_UDEV=1

set_delay() {	# set_delay MS
	dmsetup suspend --noudevsync "$SLOW" &&
	dmsetup reload --noudevsync "$SLOW" --table "0 $SLOWSECT delay $LOOP 0 $1" &&
	dmsetup resume --noudevsync "$SLOW"
}

dm_node() {	# the /dev/dm-N of a dm device name
	local d
	for d in /sys/block/dm-*; do
		[ "$(cat "$d/dm/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${d##*/}"; return 0; }
	done
	return 1
}

LOOP=
if modprobe dm-delay 2>/dev/null && modprobe loop 2>/dev/null && truncate -s 64M "$SLOWIMG" &&
   LOOP=$(losetup -f --show "$SLOWIMG") && SLOWSECT=$((64 * 2048)) &&
   dmsetup create --noudevsync "$SLOW" --table "0 $SLOWSECT delay $LOOP 0 0" &&
   SLOWDEV=$(dm_node "$SLOW"); then
	pass "slow-dev ($SLOWDEV on $LOOP)"
	mkdir "$CFS/handlers/vdisk_blockio/tmf_slow" &&
		cfs_write "$CFS/handlers/vdisk_blockio/tmf_slow/filename" "$SLOWDEV" &&
		cfs_write "$CFS/handlers/vdisk_blockio/tmf_slow/enable" 1
	check dev-slow test "$(cat "$CFS/handlers/vdisk_blockio/tmf_slow/enable" 2>/dev/null)" = 1
	mkdir "$TD/luns/2" && ln -s "$CFS/handlers/vdisk_blockio/tmf_slow" "$TD/luns/2/device"
	sg_turs "/dev/$SG0" >/dev/null 2>&1
	rescan "$H"
	if wait_until 30 sd_of "$H" 2 && wait_until 30 sg_of "$H" 2; then
		pass slow-lun-scanned
		SD2=$(sd_of "$H" 2) SG2=$(sg_of "$H" 2)
		check slow-lun-fast-io dd if="/dev/$SD2" of=/dev/null bs=64k count=16 iflag=direct

		# 2. A 2 s timeout against a 4 s backend: every attempt times
		# out and is aborted (the core waits for the backend), then
		# retried by sd until it gives up.
		# sd offlines a disk after two medium access timeouts in a
		# row (sd policy, not ours): allow more.
		echo 2 > "/sys/block/$SD2/device/timeout"
		for f in /sys/block/"$SD2"/device/scsi_disk/*/max_medium_access_timeouts; do
			echo 1000 > "$f"
		done
		check delay-4s set_delay 4000
		start=$SECONDS
		timeout 300 dd if="/dev/$SD2" of=/dev/null bs=4k count=1 skip=100 iflag=direct 2>/dev/null
		rc=$?
		if [ $rc = 124 ]; then
			fail abort-returns "dd hung for 300 s"
		else
			pass "abort-returns (dd rc $rc after $((SECONDS - start)) s)"
		fi
		check abort-other-lun-io dd if="/dev/$SD0" of=/dev/null bs=64k count=64 iflag=direct

		# 3. A 12 s backend: ABORT TASK waits ~10 s for it.  sg_raw
		# makes one attempt (no retries).
		check delay-12s set_delay 12000
		start=$SECONDS
		timeout 300 sg_raw -t 2 -r 512 "/dev/$SG2" 28 00 00 00 00 10 00 00 01 00 >/dev/null 2>&1
		rc=$?
		if [ $rc = 124 ]; then
			fail long-abort-returns "sg_raw hung for 300 s"
		else
			pass "long-abort-returns (sg_raw rc $rc after $((SECONDS - start)) s)"
		fi
		check long-abort-other-lun-io dd if="/dev/$SD0" of=/dev/null bs=64k count=64 iflag=direct

		# Completions racing timeouts: a 1 s backend against a 1 s
		# timeout, four readers and a LUN reset in the middle.  Each
		# command must be completed exactly once, by the driver or by
		# the error handler.
		check delay-1s set_delay 1000
		echo 1 > "/sys/block/$SD2/device/timeout"
		start=$SECONDS
		pids=
		for i in 1 2 3 4; do
			timeout 300 dd if="/dev/$SD2" of=/dev/null bs=4k count=4 skip=$((i * 64)) iflag=direct 2>/dev/null &
			pids="$pids $!"
		done
		sleep 3
		timeout 120 sg_reset -d "/dev/$SG2" >/dev/null 2>&1
		rc=0
		for p in $pids; do
			wait "$p"
			[ $? = 124 ] && rc=124
		done
		if [ $rc = 124 ]; then
			fail race-returns "a reader hung for 300 s"
		else
			pass "race-returns ($((SECONDS - start)) s)"
		fi
		check race-other-lun-io dd if="/dev/$SD0" of=/dev/null bs=64k count=64 iflag=direct

		# Back to fast: the LUN works again.
		check delay-0 set_delay 0
		echo 30 > "/sys/block/$SD2/device/timeout"
		sg_turs "/dev/$SG2" >/dev/null 2>&1
		check slow-lun-io-after timeout 120 dd if="/dev/$SD2" of=/dev/null bs=64k count=16 iflag=direct
		check slow-lun-online test "$(cat "/sys/block/$SD2/device/state")" = running
		dmesg | grep -iE 'abort|reset|timing out|offline|scst_local' | tail -n 15 | sed 's/^/# dmesg: /'
	else
		fail slow-lun-scanned "LUNs seen: $(luns_of "$H")"
	fi
else
	note "dm-delay or loop not available: timeout tests skipped"
fi

# --- 4. teardown: nothing may be left behind ---

start=$SECONDS
if timeout 180 rmdir "$TD/sessions/A"; then
	pass "sess-rmdir ($((SECONDS - start)) s)"
else
	fail sess-rmdir "rmdir of the session failed or hung"
fi
check_not host-gone host_of "$T" A
check disable cfs_write "$TD/enabled" 0
for l in 0 1 2; do
	[ -d "$TD/luns/$l" ] || continue
	rm -f "$TD/luns/$l/device"
	rmdir "$TD/luns/$l"
done
check target-rmdir rmdir "$TD"
for d in vdisk_nullio/tmf_null vdisk_fileio/tmf_file vdisk_blockio/tmf_slow; do
	[ -d "$CFS/handlers/$d" ] || continue
	cfs_write "$CFS/handlers/$d/enable" 0
	check "dev-rmdir-${d#*/}" rmdir "$CFS/handlers/$d"
done
dmsetup remove --noudevsync "$SLOW" 2>/dev/null
[ -n "$LOOP" ] && losetup -d "$LOOP"
rm -f "$BACKING" "$SLOWIMG"
check modules-unload unload_modules
local_finish
