#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] [--env UCLIENT=BIN] -- \
#        tests/vm/guest/user-kernel.sh
#
# scst_user, kernel side, with the tiny client tests/user/uclient.c (built
# with gcc in the guest unless UCLIENT names a binary):
#  1. SCST_USER_REGISTER checks: EPROTO for another ABI version, EINVAL
#     (with a log line naming the field) for a bad type, block size,
#     queue depth, slot size or name, EBUSY for a second register on one
#     file, EEXIST for a taken name; mmap of the wrong size / offset /
#     a private mapping refused; a reply with an unknown handle EINVAL;
#     mkdir under handlers/scst_user refused.
#  2. A RAM disk served by uclient appears under handlers/scst_user/ with
#     its read-only attributes, is mapped through scst_local and answers
#     sg_inq, sg_readcap (10 and 16), TEST UNIT READY, dd write/read
#     round trips (READ/WRITE 10 and 16, transfers split at slot_size),
#     ILLEGAL REQUEST for what it does not implement; scst_local passes
#     its own buffers, so the dd and fio commands are counted in
#     copied_cmds, none in zero_copy_cmds.
#  3. SET_CAPACITY raises CAPACITY DATA HAS CHANGED; LUN RESET and
#     enable=0 reach the process as RESET and DETACH messages.
#  4. a command held by the client and timed out by the SCSI error
#     handler reaches the client as ABORT; kill -9 of the client with I/O outstanding: the I/O ends with an
#     error, the device disappears, the LUN is unpublished (its stale
#     link can be removed), and scst_user, scst_local, scst unload.
# schema-check agrees with the live tree; no WARN/BUG in the kernel log.
set -u
. "$(dirname "$0")/local-lib.sh"

T=user_tgt
TD=$CFS/targets/scst_local/$T
UH=$CFS/handlers/scst_user
LOG=/tmp/uclient.log
HOLD=/tmp/uclient.hold
S=$PWD/scstctl/scstctl
SCHEMA=$PWD/configfs-schema/scst.schema

if ! load_modules; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
if [ -n "${SCST_KO_DIR:-}" ]; then
	check insmod-scst_user insmod "$(find "$SCST_KO_DIR" -name scst_user.ko | head -n 1)"
else
	check modprobe-scst_user modprobe scst_user
fi
check handler-dir test -d "$UH"
check chardev test -c /dev/scst_user

U=${UCLIENT:-}
if [ -z "$U" ] || [ ! -x "$U" ]; then
	U=/tmp/uclient
	if ! gcc -O2 -Wall -o "$U" tests/user/uclient.c; then
		fail uclient-build "gcc failed"
		local_finish
		exit 1
	fi
fi
note "client $U"

# --- 1. registration checks ---
reg_is() {	# reg_is EXPECTED NAME [field=value...]
	local want=$1 got
	shift
	got=$("$U" reg "$@" 2>&1)
	[ "$got" = "$want" ] || { echo "got '$got', want '$want'"; return 1; }
}
check reg-abi-version reg_is EPROTO r1 abi_version=2
check reg-type reg_is EINVAL r1 type=5
check reg-flags reg_is EINVAL r1 flags=0x100
check reg-bs-1000 reg_is EINVAL r1 block_size=1000
check reg-bs-256 reg_is EINVAL r1 block_size=256
check reg-bs-8192 reg_is EINVAL r1 block_size=8192
check reg-qd-0 reg_is EINVAL r1 queue_depth=0
check reg-qd-1025 reg_is EINVAL r1 queue_depth=1025
check reg-slot-0 reg_is EINVAL r1 slot_size=0
check reg-slot-unaligned reg_is EINVAL r1 slot_size=1000
check reg-slot-16m reg_is EINVAL r1 slot_size=16777216
check reg-area-too-big reg_is EINVAL r1 queue_depth=1024 slot_size=8388608
check reg-name-empty reg_is EINVAL r1 name=
check reg-name-slash reg_is EINVAL r1 name=a/b
check reg-log-names-field bash -c "dmesg | grep -q 'scst_user: register.*block_size'"
check reg-ok reg_is OK r1 block_size=4096 queue_depth=1 slot_size=4096
check reg-ok-gone-after-close wait_until 10 test ! -e "$UH/r1"
check reg-twice-ebusy test "$("$U" reg-twice r2)" = EBUSY
check mmap-size-offset-private test "$("$U" mmap r3)" = "EINVAL EINVAL EINVAL OK"
check reply-unknown-handle test "$("$U" bad-reply r4)" = "EINVAL 0"
check_not mkdir-refused mkdir "$UH/byhand"

# --- 2. a RAM disk through scst_local ---
rm -f "$HOLD"
UCLIENT_HOLD=$HOLD "$U" serve udisk 32768 512 >"$LOG" 2>&1 &
UPID=$!
check dev-appears wait_until 20 test -d "$UH/udisk"
check attr-pid test "$(cat "$UH/udisk/pid")" = "$UPID"
check attr-queue_depth test "$(cat "$UH/udisk/queue_depth")" = 16
check attr-slot_size test "$(cat "$UH/udisk/slot_size")" = 1048576
check attr-block_size test "$(cat "$UH/udisk/block_size")" = 512
check attr-nr_blocks test "$(cat "$UH/udisk/nr_blocks")" = 32768
check attr-outstanding-0 test "$(cat "$UH/udisk/outstanding")" = 0
check attr-zero_copy_cmds-0 test "$(cat "$UH/udisk/zero_copy_cmds")" = 0
check attr-copied_cmds-0 test "$(cat "$UH/udisk/copied_cmds")" = 0
check attr-enable-0 test "$(cat "$UH/udisk/enable")" = 0
check reg-duplicate-eexist reg_is EEXIST udisk
check_not rmdir-refused rmdir "$UH/udisk"

check target-mkdir mkdir "$TD"
check lun0-mkdir mkdir "$TD/luns/0"
check lun0-link ln -s "$UH/udisk" "$TD/luns/0/device"
check dev-enable cfs_write "$UH/udisk/enable" 1
check sess-mkdir mkdir "$TD/sessions/A"
check tgt-enable cfs_write "$TD/enabled" 1
check host-appears wait_until 10 host_of "$T" A
H=$(host_of "$T" A)
check sd-appears wait_until 30 sd_of "$H" 0
check sg-appears wait_until 10 sg_of "$H" 0
SD=$(sd_of "$H" 0)
SG=$(sg_of "$H" 0)
note "udisk is $SD / $SG (host$H)"

# sense_is PATTERN SG CDB...: the outcome of sense_of matches PATTERN
sense_is() {
	local pat=$1
	shift
	sense_of "$@" | grep -qiE "$pat"
}
outstanding_ge() {
	[ "$(cat "$UH/udisk/outstanding" 2>/dev/null)" -ge "$1" ]
}

check sg_inq-vendor bash -c "sg_inq /dev/$SG | grep -q 'Vendor identification: UCLIENT'"
check sg_inq-serial test "$(serial_of "$SG")" = udisk
check sg_turs sg_turs "/dev/$SG"
check sg_readcap10 bash -c "sg_readcap /dev/$SG | grep -q 'Last LBA=32767' &&
	sg_readcap /dev/$SG | grep -q 'Logical block length=512'"
check sg_readcap16 bash -c "sg_readcap -l /dev/$SG | grep -q 'Last LBA=32767'"
check sd-size test "$(cat /sys/block/"$SD"/size)" = 32768
check unknown-op-illegal sense_is 'illegal request: invalid command operation code' "$SG" 1a 00 3f 00 ff 00

Z0=$(cat "$UH/udisk/zero_copy_cmds")
C0=$(cat "$UH/udisk/copied_cmds")
dd if=/dev/urandom of=/tmp/pat bs=64k count=48 2>/dev/null
check dd-write dd if=/tmp/pat of="/dev/$SD" bs=64k seek=3 oflag=direct
check dd-read dd if="/dev/$SD" of=/tmp/back bs=64k count=48 skip=3 iflag=direct
check dd-roundtrip cmp /tmp/pat /tmp/back
# 3 MiB requests: split by the block layer at the 1 MiB slot size
check dd-big-write dd if=/tmp/pat of="/dev/$SD" bs=3M count=1 seek=2 oflag=direct
check dd-big-read dd if="/dev/$SD" of=/tmp/back2 bs=3M count=1 skip=2 iflag=direct
check dd-big-roundtrip cmp /tmp/pat /tmp/back2
# 48 concurrent 64 KiB writes, more than queue_depth (16): the others
# wait in the kernel for a slot
par_write() {
	local i rc=0 pids=()
	for i in $(seq 0 47); do
		dd if=/tmp/pat of="/dev/$SD" bs=64k count=1 skip="$i" \
			seek=$((200 + i)) oflag=direct 2>/dev/null &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	return $rc
}
check parallel-write par_write
check parallel-readback bash -c "dd if=/dev/$SD bs=64k skip=200 count=48 iflag=direct 2>/dev/null | cmp - /tmp/pat"
check fio-verify fio --name=uv --filename="/dev/$SD" --direct=1 --ioengine=libaio \
	--iodepth=32 --rw=randwrite --bs=4k --size=4M --offset=12M \
	--verify=crc32c --do_verify=1 --output=/tmp/fio.out
# scst_local hands the initiator's own buffers to the core: the data of
# dd and fio was copied (only a CDB that comes without a buffer, as from
# sg_raw without -r, gets a core buffer and goes zero copy)
check local-copied test $(($(cat "$UH/udisk/copied_cmds") - C0)) -ge 2000
check local-no-zero-copy test "$(cat "$UH/udisk/zero_copy_cmds")" = "$Z0"
# INQUIRY without a buffer: the core's buffer, taken from a slot
sg_raw "/dev/$SG" 12 00 00 00 60 00 >/dev/null 2>&1
check local-bufferless-zero-copy test "$(cat "$UH/udisk/zero_copy_cmds")" = $((Z0 + 1))
# READ(16) of LBA 384 (offset 192 KiB, the pattern's first block) and
# WRITE(16) of LBA 100, read back with READ(10)
check read16 sg_raw -r 512 -o /tmp/r16 "/dev/$SG" 88 00 00 00 00 00 00 00 01 80 00 00 00 01 00 00
check read16-data cmp -n 512 /tmp/r16 /tmp/pat
dd if=/dev/urandom of=/tmp/w16 bs=512 count=1 2>/dev/null
check write16 sg_raw -s 512 -i /tmp/w16 "/dev/$SG" 8a 00 00 00 00 00 00 00 00 64 00 00 00 01 00 00
check write16-readback bash -c "dd if=/dev/$SD bs=512 skip=100 count=1 iflag=direct 2>/dev/null | cmp - /tmp/w16"
check lba-out-of-range sense_is 'illegal request: logical block address out of range' "$SG" 28 00 00 00 80 00 00 00 01 00
check outstanding-0-after-io test "$(cat "$UH/udisk/outstanding")" = 0
check schema-check "$S" --schema "$SCHEMA" schema-check

# --- 3. capacity, reset, detach ---
kill -USR1 "$UPID"
check resize-done wait_until 10 grep -q '^resized 65536' "$LOG"
check resize-attr test "$(cat "$UH/udisk/nr_blocks")" = 65536
check resize-ua sense_is 'unit attention: capacity data has changed' "$SG" 00 00 00 00 00 00
check resize-readcap bash -c "sg_readcap /dev/$SG | grep -q 'Last LBA=65535'"
if sg_reset -d "/dev/$SG" >/dev/null 2>&1; then
	check lun-reset-msg wait_until 10 grep -q '^msg RESET' "$LOG"
else
	fail lun-reset "sg_reset -d failed"
fi
sg_turs "/dev/$SG" >/dev/null 2>&1	# the reset's UNIT ATTENTION
check disable-dev cfs_write "$UH/udisk/enable" 0
check detach-msg wait_until 10 grep -q '^msg DETACH' "$LOG"
check reenable-dev cfs_write "$UH/udisk/enable" 1
check io-after-reenable dd if="/dev/$SD" of=/dev/null bs=64k count=4 iflag=direct

# --- 4. ABORT of a held command; kill -9 with I/O outstanding ---
touch "$HOLD"
# a 3 s timeout: the SCSI error handler aborts the command (ABORT TASK)
sense_of "$SG" -t 3 -r 512 28 00 00 00 00 30 00 00 01 00 >/tmp/sgabort.out 2>&1
check abort-msg grep -q '^msg ABORT' "$LOG"
check abort-answered grep -q '^answered-abort' "$LOG"
check abort-nothing-left wait_until 20 bash -c "test \$(cat $UH/udisk/outstanding) = 0"
# 20 reads, a write and an sg_raw READ: 16 reach the client (queue_depth)
# and are held, 6 wait in the kernel
H0=$(grep -c '^holding' "$LOG")
RDS=()
for i in $(seq 20); do
	dd if="/dev/$SD" of=/dev/null bs=4k count=1 skip=$((1000 + 8 * i)) \
		iflag=direct 2>/dev/null &
	RDS+=($!)
done
dd if=/tmp/pat of="/dev/$SD" bs=4k count=1 seek=2000 oflag=direct 2>/tmp/dd2.err &
DD2=$!
sense_of "$SG" -t 120 -r 512 28 00 00 00 00 10 00 00 01 00 >/tmp/sgraw.out 2>&1 &
SGR=$!
check io-held wait_until 30 outstanding_ge 22
sleep 1
check io-held-queue-depth test $(($(grep -c '^holding' "$LOG") - H0)) = 16
check kill-client kill -9 "$UPID"
wait "$UPID" 2>/dev/null
ddwait() {	# ddwait PID: exit status of dd, 124 if it does not end in 60 s
	local i
	for i in $(seq 300); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return $?; }
		sleep 0.2
	done
	return 124
}
BAD=0	# reads that succeeded (0) or hung (124)
for p in "${RDS[@]}"; do
	ddwait "$p"
	rc=$?
	{ [ $rc -eq 0 ] || [ $rc -eq 124 ]; } && BAD=$((BAD + 1))
done
ddwait $DD2; RC2=$?
note "after kill: $BAD of ${#RDS[@]} reads did not fail; write exit $RC2"
check held-reads-fail test "$BAD" = 0
check held-write-fails test "$RC2" -ne 0 -a "$RC2" -ne 124
ddwait $SGR
check held-sg-sense grep -qi 'hardware error: logical unit communication failure' /tmp/sgraw.out
check dev-gone wait_until 10 test ! -e "$UH/udisk"
check stale-link-left test -L "$TD/luns/0/device"
check lun-unpublished sense_is 'not supported|reported luns data has changed' "$SG" 00 00 00 00 00 00
check stale-link-rm rm "$TD/luns/0/device"
check lun0-rmdir rmdir "$TD/luns/0"
check schema-check-after "$S" --schema "$SCHEMA" schema-check

# --- teardown ---
check tgt-disable cfs_write "$TD/enabled" 0
check sess-rmdir rmdir "$TD/sessions/A"
check target-rmdir rmdir "$TD"
check rmmod-scst_user rmmod scst_user
check rmmod-scst_local rmmod scst_local
[ -d /sys/module/scst_vdisk ] && rmmod scst_vdisk
check rmmod-scst rmmod scst
check_not kernel-log-clean bash -c "dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace'"
local_finish
