#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 900 [--env SCST_KO_DIR=DIR] -- tests/vm/guest/tmf-storm.sh
#
# Task management under load through scst_local (issue 6):
#  - a vdisk_fileio LUN (file in RAM) and a vdisk_blockio LUN (loop
#    device over a file in RAM), seen by two sessions A and B;
#  - fio with --verify=crc32c on both LUNs from both sessions (separate
#    regions), in a loop, while sg_reset sends LOGICAL UNIT RESETs and
#    TARGET RESETs through A and, at the same time, LOGICAL UNIT RESETs
#    and I_T NEXUS RESETs through B, for STORM_SECS (60) seconds.  The fileio device has TAS=1 (B's commands
#    aborted by A's resets end with TASK ABORTED), the blockio device
#    TAS=0 (they end silently);
#  - afterwards: every fio run ended without error or verify failure, a
#    write+verify pass on each region succeeds, each device's `inflight`
#    count returns to 0, the devices disable (their I/O reference drains)
#    and the modules unload.  The harness scans the kernel log.
# STORM_FILEIO_ODIRECT=1: the fileio file is on ext4 over a loop device
# and opened with o_direct, so that its reads complete asynchronously
# (->ki_complete() from the loop thread) while they are aborted; the
# test then also checks that they did (io_stats).
# Prints PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"

T=storm_tgt
TD=$CFS/targets/scst_local/$T
STORM_SECS=${STORM_SECS:-60}
FILEIMG=/tmp/storm-file.img
BLKIMG=/tmp/storm-blk.img
RUN=/tmp/storm-run
LOG=${VM_OUT:-/tmp}/tmf-storm
mkdir -p "$LOG"

if ! load_modules; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
modprobe loop 2>/dev/null

FD=$CFS/handlers/vdisk_fileio/storm_file
BD=$CFS/handlers/vdisk_blockio/storm_blk
ODIRECT=${STORM_FILEIO_ODIRECT:-0}
LOOPE=
if [ "$ODIRECT" = 1 ]; then
	truncate -s 160M /tmp/storm-ext4.img
	LOOPE=$(losetup -f --show /tmp/storm-ext4.img)
	check ext4-on-loop bash -c "mkfs.ext4 -q $LOOPE && mkdir -p /tmp/storm-ext4 && mount $LOOPE /tmp/storm-ext4"
	FILEIMG=/tmp/storm-ext4/storm-file.img
fi
check backing-files bash -c "truncate -s 128M $FILEIMG && truncate -s 128M $BLKIMG"
LOOP=$(losetup -f --show "$BLKIMG")
check loop-dev test -b "$LOOP"
mkdir "$FD" && cfs_write "$FD/filename" "$FILEIMG" && cfs_write "$FD/o_direct" "$ODIRECT" &&
	cfs_write "$FD/enable" 1
check dev-fileio test "$(cat "$FD/enable")" = 1
mkdir "$BD" && cfs_write "$BD/filename" "$LOOP" && cfs_write "$BD/enable" 1
check dev-blockio test "$(cat "$BD/enable")" = 1
check tas-fileio cfs_write "$FD/tas" 1
check tas-blockio-0 test "$(cat "$BD/tas")" = 0

mkdir "$TD"
mkdir "$TD/luns/0" && ln -s "$FD" "$TD/luns/0/device"
mkdir "$TD/luns/1" && ln -s "$BD" "$TD/luns/1/device"
check enable cfs_write "$TD/enabled" 1
check sessions bash -c "mkdir $TD/sessions/A && mkdir $TD/sessions/B"
check hosts wait_until 10 bash -c ". $(dirname "$0")/local-lib.sh; host_of $T A && host_of $T B"
HA=$(host_of "$T" A) HB=$(host_of "$T" B)
check disks wait_until 30 bash -c ". $(dirname "$0")/local-lib.sh; sd_of $HA 0 && sd_of $HA 1 && sd_of $HB 0 && sd_of $HB 1 && sg_of $HA 0 && sg_of $HA 1 && sg_of $HB 0 && sg_of $HB 1"
A0=$(sd_of "$HA" 0) A1=$(sd_of "$HA" 1) B0=$(sd_of "$HB" 0) B1=$(sd_of "$HB" 1)
SGA0=$(sg_of "$HA" 0) SGA1=$(sg_of "$HA" 1) SGB0=$(sg_of "$HB" 0) SGB1=$(sg_of "$HB" 1)
note "A: $A0 $A1 ($SGA0 $SGA1), B: $B0 $B1 ($SGB0 $SGB1)"
for d in $A0 $A1 $B0 $B1; do
	# the resets make sd retry: give it room, and time
	echo 60 > "/sys/block/$d/device/timeout"
	sg_turs "/dev/$d" >/dev/null 2>&1
done

# fio_run NAME DEV OFFSET: one write+verify pass over 8 MiB at OFFSET
fio_run() {
	fio --name="$1" --filename="/dev/$2" --offset="$3" --size=8M \
		--rw=randwrite --bsrange=4k-64k --ioengine=libaio --iodepth=16 \
		--direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output="$LOG/$1.last" >/dev/null 2>&1
}

# fio_loop NAME DEV OFFSET: fio_run until the storm is over; the number
# of runs and of failed runs go to $LOG/NAME.{runs,fails}
fio_loop() {
	local runs=0 fails=0
	while [ -e "$RUN" ]; do
		if ! fio_run "$@"; then
			fails=$((fails + 1))
			cp "$LOG/$1.last" "$LOG/$1.fail.$fails" 2>/dev/null
		fi
		runs=$((runs + 1))
	done
	echo "$runs" >"$LOG/$1.runs"
	echo "$fails" >"$LOG/$1.fails"
}

# --- the storm ---

touch "$RUN"
fio_loop a0 "$A0" 0 &
P1=$!
fio_loop a1 "$A1" 0 &
P2=$!
fio_loop b0 "$B0" 64M &
P3=$!
fio_loop b1 "$B1" 64M &
P4=$!
sleep 2

# reset_loop NAME SG_ARGS...: sg_reset with each argument set in turn
# until the storm ends; counts in $LOG/NAME.{resets,rfails}
reset_loop() {
	local name=$1 end=$((SECONDS + STORM_SECS)) n=0 bad=0 i=0 args
	shift
	local sets=("$@")
	while [ $SECONDS -lt $end ]; do
		args=${sets[$((i % ${#sets[@]}))]}
		# shellcheck disable=SC2086
		if ! timeout 120 sg_reset $args >/dev/null 2>&1; then
			bad=$((bad + 1))
			note "sg_reset $args failed"
		fi
		n=$((n + 1))
		i=$((i + 1))
		sleep 0.$((RANDOM % 3 + 1))
	done
	echo "$n" >"$LOG/$name.resets"
	echo "$bad" >"$LOG/$name.rfails"
}

# A: LOGICAL UNIT RESETs of both LUNs and TARGET RESETs; B at the same
# time: LOGICAL UNIT RESETs and I_T NEXUS RESETs (two error handlers:
# functions run concurrently on the same devices)
reset_loop ra "-d /dev/$SGA0" "-d /dev/$SGA1" "-t /dev/$SGA0" &
R1=$!
reset_loop rb "-d /dev/$SGB1" "-b /dev/$SGB0" "-d /dev/$SGB0" &
R2=$!
wait $R1 $R2
rm -f "$RUN"
for n in ra rb; do
	note "$n: $(cat "$LOG/$n.resets") resets in $STORM_SECS s"
	check "resets-returned-$n" test "$(cat "$LOG/$n.rfails")" = 0
done

# fio must finish: each loop ends after its current run
hung=0
for p in $P1 $P2 $P3 $P4; do
	w=0
	while kill -0 "$p" 2>/dev/null && [ $w -lt 600 ]; do
		sleep 1
		w=$((w + 1))
	done
	kill -0 "$p" 2>/dev/null && hung=1
done
if [ $hung = 1 ]; then
	fail fio-finished "a fio loop still runs 600 s after the storm"
else
	pass fio-finished
fi
for n in a0 a1 b0 b1; do
	runs=$(cat "$LOG/$n.runs" 2>/dev/null || echo 0)
	fails=$(cat "$LOG/$n.fails" 2>/dev/null || echo '?')
	if [ "$runs" -gt 0 ] && [ "$fails" = 0 ]; then
		pass "fio-storm-$n ($runs runs, verify ok)"
	else
		fail "fio-storm-$n" "$fails of $runs runs failed: $(grep -h -m3 -iE 'err|verify' "$LOG/$n".fail.* 2>/dev/null | tr '\n' ' ')"
	fi
done

# --- after the storm ---

check verify-after-a0 fio_run after-a0 "$A0" 0
check verify-after-a1 fio_run after-a1 "$A1" 0
check verify-after-b0 fio_run after-b0 "$B0" 64M
check verify-after-b1 fio_run after-b1 "$B1" 64M
check inflight-fileio-0 wait_until 10 bash -c "test \$(cat $FD/inflight) = 0"
check inflight-blockio-0 wait_until 10 bash -c "test \$(cat $BD/inflight) = 0"
note "inflight: fileio $(cat "$FD/inflight"), blockio $(cat "$BD/inflight")"
note "fileio io_stats: $(tr '\n' ' ' < "$FD/io_stats")"
if [ "$ODIRECT" = 1 ]; then
	check fileio-async-reads bash -c "awk '\$1 == \"queued\" && \$2 > 0 { ok = 1 } END { exit !ok }' $FD/io_stats"
fi

# Disabling waits until the device's I/O reference drops to zero.
check sessions-rmdir bash -c "rmdir $TD/sessions/A $TD/sessions/B"
for d in "$FD" "$BD"; do
	( echo 0 > "$d/enable" ) &
	p=$!
	w=0
	while kill -0 "$p" 2>/dev/null && [ $w -lt 60 ]; do
		sleep 1
		w=$((w + 1))
	done
	if kill -0 "$p" 2>/dev/null; then
		fail "disable-${d##*/}" "still waiting for commands after 60 s"
	else
		check "disable-${d##*/}" test "$(cat "$d/enable")" = 0
	fi
done
dmesg | grep -iE 'scst|reset|abort' | tail -n 8 | sed 's/^/# dmesg: /'

rm -f "$TD/luns/0/device" "$TD/luns/1/device"
rmdir "$TD/luns/0" "$TD/luns/1" "$TD" "$FD" "$BD" 2>/dev/null
losetup -d "$LOOP"
check modules-unload unload_modules
rm -f "$FILEIMG" "$BLKIMG"
if [ -n "$LOOPE" ]; then
	umount /tmp/storm-ext4 && losetup -d "$LOOPE"
	rm -f /tmp/storm-ext4.img
fi
local_finish
