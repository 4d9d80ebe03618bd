#!/bin/bash
# Thousands of LUNs (docs/scale.md).
#
# 1. LUNs 0..4095 of one target over 64 nullio devices (and two fileio
#    devices for the first and the last LUN, to verify data): kernel
#    memory per idle device and per idle LUN.
# 2. A session whose Linux initiator scans every LUN (the scsi_mod default
#    scan, REPORT LUNS then one sd per LUN): all LUNs visible, REPORT LUNS
#    complete, fio with verify on the first and the last LUN, kernel
#    memory per scanned LUN bounded, and the logout gives it back.
# 3. One device per LUN for a smaller count (LUNS_1TO1): configured,
#    scanned and logged out the same way.
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/scale-lib.sh"

N=${LUNS:-4096}
ND=${DEVICES:-64}
N1=${LUNS_1TO1:-128}
# Bounds (KiB), measured with docs/scale.md's method: the Linux initiator's
# sd + blk-mq + sysfs share is ~100 KiB per LUN with 2 vCPUs.
SCAN_KIB_MAX=${SCAN_KIB_MAX:-150}	# kernel memory per scanned LUN
# Left after the logout of 4096 LUNs (docs/scale.md, "What a logout
# leaves"): slab objects, 2 MiB; what the kernel frees lazily or keeps
# for reuse (the percpu allocator's chunks added for the scan: 4.2 MiB of
# vmalloc'd maps and 0.9-1.5 MiB of pages; the kworkers the scan
# started), 8 MiB (measured 5.7-6.3 MiB); the rest, 2.5 MiB (measured
# 0.5 MiB on 6.12, 1.8 MiB on 6.1: slab objects spread over many caches,
# none grown by 64 KiB).  After the logout of 128 LUNs: 1 MiB in all.
LOGOUT_SLAB_KIB_MAX=${LOGOUT_SLAB_KIB_MAX:-2048}
LAZY_KIB_MAX=${LAZY_KIB_MAX:-8192}
LOGOUT_REST_KIB_MAX=${LOGOUT_REST_KIB_MAX:-2560}
T=$CFG/targets/scst_local/big
T1=$CFG/targets/scst_local/one
H=$CFG/handlers/vdisk_nullio
F=$CFG/handlers/vdisk_fileio

# host_of INITIATOR: the SCSI host number of an scst_local session
host_of() {
	local h
	h=$(grep -lx "$1" /sys/class/scsi_host/host*/scst_initiator | head -n1)
	h=${h%/scst_initiator}
	echo "${h##*host}"
}

# scan_session TARGET INITIATOR COUNT: log in (the host scans at once),
# wait until COUNT LUNs have a disk; sets $host, prints the time.
scan_session() {
	local start=$(date +%s)
	mkdir "$1/sessions/$2"
	host=$(host_of "$2")
	local t=0
	while [ "$(disks "$host")" -lt "$3" ] && [ $t -lt 600 ]; do
		sleep 2
		t=$((t + 2))
	done
	echo "scanned $(disks "$host") LUNs in $(( $(date +%s) - start )) s"
}

check "load" scst_load scst scst_vdisk scst_local
# The default scan: asynchronous, REPORT LUNS then every LUN it lists.
echo -n async >/sys/module/scsi_mod/parameters/scan
# Keep the per-CPU free page lists short: pages on them count as used,
# and they would blur the figures by megabytes.
echo 100000 >/proc/sys/vm/percpu_pagelist_high_fraction
mkdir $T
mem start
m0=$(awk '/^(Slab|Percpu|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo)
start=$(date +%s)
# One process for the configfs operations: forks are slow under TCG.
python3 - "$N" "$ND" "$H" "$T" <<'PY' || fail "configure" "python3 failed"
import os, sys
n, nd, h, t = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(nd):
    d = f"{h}/n{i}"
    os.mkdir(d)
    with open(f"{d}/size", "w") as f:
        f.write("1048576")
    with open(f"{d}/enable", "w") as f:
        f.write("1")
sys.stdout.flush()
os.system("sync; echo 3 >/proc/sys/vm/drop_caches; awk '/^(Slab|Percpu|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo >/tmp/m1")
for i in range(n):
    os.mkdir(f"{t}/luns/{i}")
    if i == 0 or i == n - 1:
        continue	# fileio, below
    os.symlink(f"{h}/n{i % nd}", f"{t}/luns/{i}/device")
PY
echo "configured $ND devices and $N LUNs in $(( $(date +%s) - start )) s"
sync; echo 3 >/proc/sys/vm/drop_caches
m1=$(cat /tmp/m1)
m2=$(awk '/^(Slab|Percpu|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo)
echo "kernel memory: $(( (m1 - m0) * 1024 / ND )) bytes per idle device," \
	"$(( (m2 - m1) * 1024 / N )) bytes per idle LUN"
for i in 0 $((N - 1)); do
	truncate -s 4M /tmp/f$i
	mkdir $F/f$i
	echo /tmp/f$i >$F/f$i/filename
	echo 1 >$F/f$i/enable
	ln -s $F/f$i $T/luns/$i/device
done
check "all $N LUNs exist" test "$(ls $T/luns | wc -l)" -eq "$N"
echo 1 >$T/enabled

# --- a full scan of every LUN ---
mem before_scan
scan_session $T ini "$N"
check "the initiator sees all $N LUNs" test "$(disks "$host")" -eq "$N"
check "lsscsi lists all $N LUNs" \
	test "$(lsscsi "$host:0:0:*" | grep -c disk)" -eq "$N"
sg=$(ls /sys/class/scsi_device/$host:0:0:0/device/scsi_generic/ 2>/dev/null)
check "LUN 0 has an sg device" test -n "$sg"
sg_luns --maxlen=65536 /dev/$sg >/tmp/luns.txt 2>&1
head -n 3 /tmp/luns.txt
check "REPORT LUNS lists $N LUNs" \
	grep -q "Lun list length = $((N * 8)) which imples $N lun entries" /tmp/luns.txt
check "REPORT LUNS lists the last LUN in flat space" \
	grep -q "$(printf '4%03x000000000000' $((N - 1)))" /tmp/luns.txt
check "TEST UNIT READY on LUN 0" sg_turs /dev/$sg
check "fio verify on LUN 0" fio_verify "$(sd_of "$host" 0)"
check "fio verify on LUN $((N - 1))" fio_verify "$(sd_of "$host" $((N - 1)))"
check "the disks have no I/O scheduler" \
	grep -q '^\[none\]' "/sys/block/$(sd_of "$host" 1)/queue/scheduler"
mem scanned
per=$(( (K_scanned - K_before_scan) / N ))
echo "kernel memory per scanned LUN: $per KiB;" \
	"MemAvailable per scanned LUN: $(( (A_before_scan - A_scanned) / N )) KiB"
check "kernel memory per scanned LUN ($per KiB) <= $SCAN_KIB_MAX KiB" \
	test "$per" -le "$SCAN_KIB_MAX"

start=$(date +%s)
rmdir $T/sessions/ini
echo "logged out of $N LUNs in $(( $(date +%s) - start )) s"
mem logout
left=$(( K_logout - K_before_scan ))
sleft=$(( S_logout - S_before_scan ))
echo "kernel memory left after the logout: $left KiB, of which slab $sleft KiB"
slab_growth before_scan logout
meminfo_growth before_scan logout
vmalloc_growth before_scan logout
echo "kworker threads: $W_before_scan before the scan, $W_scanned scanned, $W_logout after the logout"
check "the logout frees the scan's slab objects ($sleft KiB left) <= $LOGOUT_SLAB_KIB_MAX KiB" \
	test "$sleft" -le "$LOGOUT_SLAB_KIB_MAX"
lazy=$(lazy_kb before_scan logout)
echo "of which the kernel frees lazily or keeps for reuse (percpu chunks, kworkers): $lazy KiB"
check "the kernel's lazily freed share ($lazy KiB) <= $LAZY_KIB_MAX KiB" \
	test "$lazy" -le "$LAZY_KIB_MAX"
check "the logout frees the rest of the scan's memory ($((left - lazy)) KiB left) <= $LOGOUT_REST_KIB_MAX KiB" \
	test "$((left - lazy))" -le "$LOGOUT_REST_KIB_MAX"

# --- one device per LUN ---
mkdir $T1
start=$(date +%s)
python3 - "$N1" "$H" "$T1" <<'PY' || fail "configure 1:1" "python3 failed"
import os, sys
n, h, t = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(n):
    d = f"{h}/one{i}"
    os.mkdir(d)
    with open(f"{d}/size", "w") as f:
        f.write("1048576")
    with open(f"{d}/enable", "w") as f:
        f.write("1")
    os.mkdir(f"{t}/luns/{i}")
    os.symlink(d, f"{t}/luns/{i}/device")
PY
echo "configured $N1 devices, one per LUN, in $(( $(date +%s) - start )) s"
echo 1 >$T1/enabled
mem before_scan1
scan_session $T1 ini1 "$N1"
check "the initiator sees all $N1 one-device LUNs" test "$(disks "$host")" -eq "$N1"
check "TEST UNIT READY on the last one-device LUN" \
	sg_turs "/dev/$(sd_of "$host" $((N1 - 1)))"
mem scanned1
per=$(( (K_scanned1 - K_before_scan1) / N1 ))
echo "kernel memory per scanned one-device LUN: $per KiB"
check "kernel memory per scanned one-device LUN ($per KiB) <= $SCAN_KIB_MAX KiB" \
	test "$per" -le "$SCAN_KIB_MAX"
start=$(date +%s)
rmdir $T1/sessions/ini1
echo "logged out of $N1 LUNs in $(( $(date +%s) - start )) s"
mem logout1
left=$(( K_logout1 - K_before_scan1 ))
sleft=$(( S_logout1 - S_before_scan1 ))
echo "kernel memory left after the logout: $left KiB, of which slab $sleft KiB"
check "the logout frees the one-device scan's slab objects ($sleft KiB left) <= 1024 KiB" \
	test "$sleft" -le 1024
check "the logout frees the one-device scan's memory ($left KiB left) <= 1024 KiB" \
	test "$left" -le 1024

start=$(date +%s)
check "teardown" scst_unload
echo "removed $((N + N1)) LUNs in $(( $(date +%s) - start )) s"
mem end
echo "kernel memory: start $K_start KiB, end $K_end KiB; MemAvailable: start" \
	"$A_start KiB, before the scan $A_before_scan KiB, scanned $A_scanned KiB," \
	"after the logout $A_logout KiB"
finish
