#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-1024scan.sh
#
# open-iscsi logs into a target with 1024 LUNs (64 nullio devices, and
# two fileio devices for the first and the last LUN, to verify data) and
# scans them all (docs/scale.md): all LUNs visible, REPORT LUNS complete,
# fio with verify on the first and the last LUN, kernel memory per
# scanned LUN bounded with the initiator's default I/O scheduler and
# without one, the core's data-buffer cache bounded by buf_cache_max and
# emptied by its shrinker, and the logout gives the memory back.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"
. "$(dirname "$0")/scale-lib.sh"

N=${LUNS:-1024}
ND=${DEVICES:-64}
# Bounds (KiB per scanned LUN), measured with docs/scale.md's method,
# 2 vCPUs.  The iSCSI host has one hardware queue, so its disks get the
# kernel's default scheduler, mq-deadline, and its 2 x 128 preallocated
# requests per disk; without a scheduler the initiator's share is sd +
# blk-mq + sysfs, as over scst_local.
SCAN_KIB_MAX=${SCAN_KIB_MAX:-400}	# with mq-deadline
SCHED_KIB_MAX=${SCHED_KIB_MAX:-250}	# mq-deadline's share of that
NOSCHED_KIB_MAX=${NOSCHED_KIB_MAX:-175}	# the rest
# Left after the logout: the percpu allocator keeps the chunk it added
# for the scan (2.1 MiB of vmalloc'd maps and 0.3-0.5 MiB of pages) and
# the kworkers the scan started live on for minutes (lazy_kb in
# scale-lib.sh): 2.5-3 MiB.  The rest: 0.1-0.8 MiB on 6.12, 1.4 MiB on
# 6.1 (slab objects spread over many caches, none grown by 64 KiB, among
# them the inodes of this test's own /tmp files), asserted within 2 MiB.
LAZY_KIB_MAX=${LAZY_KIB_MAX:-4096}
LOGOUT_KIB_MAX=${LOGOUT_KIB_MAX:-2048}
TGT=iqn.2024-01.org.scst.test:big
TD=$ISCSI_CFG/$TGT

if ! iscsi_setup; then
	fail setup "cannot load modules or start iscsid"
	dmesg | tail -n 20
	finish
	exit 1
fi
pass setup
# Keep the per-CPU free page lists short: pages on them count as used.
echo 100000 >/proc/sys/vm/percpu_pagelist_high_fraction

start=$(date +%s)
iscsi_target $TGT
python3 - "$N" "$ND" "$CFG/handlers/vdisk_nullio" "$TD" <<'PY' || fail "configure" "python3 failed"
import os, sys
n, nd, h, t = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(nd):
    d = f"{h}/n{i}"
    os.mkdir(d)
    with open(f"{d}/size", "w") as f:
        f.write("1048576")
    with open(f"{d}/enable", "w") as f:
        f.write("1")
for i in range(n):
    os.mkdir(f"{t}/luns/{i}")
    if i == 0 or i == n - 1:
        continue	# fileio, below
    os.symlink(f"{h}/n{i % nd}", f"{t}/luns/{i}/device")
PY
for i in 0 $((N - 1)); do
	fileio_dev f$i 4M && ln -s "$CFG/handlers/vdisk_fileio/f$i" "$TD/luns/$i/device"
done
echo "configured $ND devices and $N LUNs in $(( $(date +%s) - start )) s"
check "all $N LUNs exist" test "$(ls "$TD/luns" | wc -l)" -eq "$N"
echo 1 >"$TD/enabled"
check portal portal "$P"
check discovery disc

# --- log in: open-iscsi scans every LUN ---
mem before_scan
start=$(date +%s)
check login login $TGT
sid=$(sid_of $TGT)
host=$(basename "$(dirname "$(readlink -f "/sys/class/iscsi_session/session$sid/device")")")
host=${host#host}
t=0
while [ "$(disks "$host")" -lt "$N" ] && [ $t -lt 600 ]; do
	sleep 2
	t=$((t + 2))
done
scan_s=$(( $(date +%s) - start ))
echo "scanned $(disks "$host") LUNs of host $host in $scan_s s"
check "the initiator sees all $N LUNs" test "$(disks "$host")" -eq "$N"
check "lsscsi lists all $N LUNs" \
	test "$(lsscsi "$host:0:0:*" | grep -c disk)" -eq "$N"
check "/sys/class/scsi_disk has all $N LUNs" \
	test "$(ls /sys/class/scsi_disk | grep -c "^$host:")" -eq "$N"
sg=$(ls "/sys/class/scsi_device/$host:0:0:0/device/scsi_generic/" 2>/dev/null)
check "LUN 0 has an sg device" test -n "$sg"
sg_luns --maxlen=65536 "/dev/$sg" >/tmp/luns.txt 2>&1
head -n 3 /tmp/luns.txt
check "REPORT LUNS lists $N LUNs" \
	grep -q "Lun list length = $((N * 8)) which imples $N lun entries" /tmp/luns.txt
# SAM-5: LUNs below 256 in peripheral device addressing, the others flat
if [ $((N - 1)) -lt 256 ]; then
	last=$(printf '00%02x000000000000' $((N - 1))) how=peripheral
else
	last=$(printf '4%03x000000000000' $((N - 1))) how=flat
fi
check "REPORT LUNS lists the last LUN ($how space)" grep -q "$last" /tmp/luns.txt
check "fio verify on LUN 0" fio_verify "$(sd_of "$host" 0)"
check "fio verify on LUN $((N - 1))" fio_verify "$(sd_of "$host" $((N - 1)))"

# --- the core's data-buffer cache: bounded, and emptied by its shrinker ---
BM=$CFG/buf_cache_max
BC=$CFG/buf_cached
bufmax=$(cat $BM)
echo "buffer cache: buf_cache_max $bufmax bytes, $(cat $BC) bytes cached after fio"
check "the buffer cache keeps fio's buffers" test "$(cat $BC)" -gt 0
check "the buffer cache is within buf_cache_max" test "$(cat $BC)" -le "$bufmax"
check "buf_cache_max is 16 MiB per CPU or 1/16 of the RAM by default" \
	test "$bufmax" -eq "$(awk -v c="$(awk -F- '{ print $NF + 1 }' /sys/devices/system/cpu/possible)" '/^MemTotal:/ {
		m = c * 16777216; r = $2 * 64;
		print (m < r ? m : r) }' /proc/meminfo)"
check "buf_cache_max takes 262144" sh -c "echo 262144 >$BM"
check "a lower buf_cache_max trims the cache at once" test "$(cat $BC)" -le 262144
fio_bulk() {
	fio --name=bulk --filename="/dev/$1" --direct=1 --ioengine=libaio \
		--iodepth=8 --rw=randrw --bs=64k --size=4M --output=/tmp/fio.bulk
}
check "fio with 8 x 64 KiB in flight" fio_bulk "$(sd_of "$host" 0)"
echo "buffer cache at buf_cache_max 262144: $(cat $BC) bytes cached"
check "the cache stays within buf_cache_max under I/O" test "$(cat $BC)" -le 262144
check_fails "buf_cache_max refuses text" sh -c "echo lots >$BM"
check_fails "buf_cache_max refuses more than half of the RAM" \
	sh -c "echo $(( $(mi MemTotal) * 1024 )) >$BM"
check "an invalid buf_cache_max is logged in one line" \
	sh -c "dmesg | grep -q 'scst: scst: buf_cache_max: above half of the memory'"
check "buf_cache_max takes its default back" sh -c "echo $bufmax >$BM"
check "fio fills the cache again" fio_bulk "$(sd_of "$host" $((N - 1)))"
cached=$(cat $BC)
echo 2 >/proc/sys/vm/drop_caches
echo "buffer cache: $cached bytes before drop_caches, $(cat $BC) after"
check "the cache held more than 256 KiB before the shrink" test "$cached" -gt 262144
check "the shrinker empties the cache" test "$(cat $BC)" -eq 0

sched=$(cat "/sys/block/$(sd_of "$host" 1)/queue/scheduler")
echo "I/O scheduler of the iSCSI disks (the initiator's default): $sched"
mem scanned
per=$(( (K_scanned - K_before_scan) / N ))
echo "kernel memory per scanned LUN: $per KiB;" \
	"MemAvailable per scanned LUN: $(( (A_before_scan - A_scanned) / N )) KiB"
slab_growth before_scan scanned
check "kernel memory per scanned LUN ($per KiB) <= $SCAN_KIB_MAX KiB" \
	test "$per" -le "$SCAN_KIB_MAX"

# The scheduler's share: switch NS disks to none (a switch freezes the
# queue; all 1024 would take minutes under TCG).
NS=${NOSCHED_DISKS:-32}
python3 - "$host" "$NS" <<'PY' || fail "scheduler none" "python3 failed"
import glob, os, sys
h, ns = sys.argv[1], int(sys.argv[2])
for l in range(1, ns + 1):
    for d in glob.glob(f"/sys/class/scsi_device/{h}:0:0:{l}/device/block/*"):
        with open(f"/sys/block/{os.path.basename(d)}/queue/scheduler", "w") as f:
            f.write("none")
PY
check "LUN $NS's disk has no scheduler now" \
	grep -q '^\[none\]' "/sys/block/$(sd_of "$host" "$NS")/queue/scheduler"
mem nosched
share=$(( (K_scanned - K_nosched) / NS ))
per=$(( (K_scanned - K_before_scan) / N - share ))
echo "mq-deadline's share: $share KiB per disk; kernel memory per scanned LUN" \
	"without a scheduler: $per KiB"
check "mq-deadline's share ($share KiB per disk) <= $SCHED_KIB_MAX KiB" \
	test "$share" -le "$SCHED_KIB_MAX"
check "kernel memory per scanned LUN without a scheduler ($per KiB) <= $NOSCHED_KIB_MAX KiB" \
	test "$per" -le "$NOSCHED_KIB_MAX"

# --- logout ---
start=$(date +%s)
check logout logout $TGT
t=0
while [ "$(ls /sys/class/scsi_disk | grep -c "^$host:")" -gt 0 ] && [ $t -lt 600 ]; do
	sleep 2
	t=$((t + 2))
done
echo "logged out of $N LUNs in $(( $(date +%s) - start )) s"
check "no disk of the session is left" \
	test "$(ls /sys/class/scsi_disk | grep -c "^$host:")" -eq 0
mem logout
left=$(( K_logout - K_before_scan ))
echo "kernel memory left after the logout: $left KiB, of which slab" \
	"$(( S_logout - S_before_scan )) KiB, percpu $(( P_logout - P_before_scan )) KiB"
slab_growth before_scan logout
meminfo_growth before_scan logout
vmalloc_growth before_scan logout
echo "kworker threads: $W_before_scan before the scan, $W_scanned scanned, $W_logout after the logout"
lazy=$(lazy_kb before_scan logout)
echo "of which the kernel frees lazily or keeps for reuse (percpu chunks, kworkers): $lazy KiB"
check "the kernel's lazily freed share ($lazy KiB) <= $LAZY_KIB_MAX KiB" \
	test "$lazy" -le "$LAZY_KIB_MAX"
check "the logout frees the rest of the scan's memory ($((left - lazy)) KiB left) <= $LOGOUT_KIB_MAX KiB" \
	test "$((left - lazy))" -le "$LOGOUT_KIB_MAX"
echo "scan: $scan_s s for $N LUNs; MemAvailable: before the scan $A_before_scan KiB," \
	"scanned $A_scanned KiB, $NS disks without a scheduler $A_nosched KiB," \
	"after the logout $A_logout KiB"

check teardown iscsi_teardown
finish
