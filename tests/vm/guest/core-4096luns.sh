#!/bin/bash
# Thousands of LUNs: LUNs 0..4095 of one target, over 64 nullio devices;
# REPORT LUNS through scst_local lists all of them.  Prints the kernel
# memory used per idle device and per idle LUN.
. "$(dirname "$0")/../guestlib.sh"

N=${LUNS:-4096}
ND=${DEVICES:-64}
T=$CFG/targets/scst_local/big
H=$CFG/handlers/vdisk_nullio

mem_kb() {	# Slab + Percpu + kernel stack, in KiB
	awk '/^(Slab|Percpu|KernelStack):/ { s += $2 } END { print s }' /proc/meminfo
}

check "load" scst_load scst scst_vdisk scst_local
# Only LUN 0 gets a Linux SCSI device: no full scan of 4096 LUNs.
echo -n manual >/sys/module/scsi_mod/parameters/scan
mkdir $T
sync; echo 3 >/proc/sys/vm/drop_caches
m0=$(mem_kb)
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
    os.symlink(f"{h}/n{i % nd}", f"{t}/luns/{i}/device")
PY
echo "configured $ND devices and $N LUNs in $(( $(date +%s) - start )) s"
sync; echo 3 >/proc/sys/vm/drop_caches
m1=$(cat /tmp/m1) m2=$(mem_kb)
echo "kernel memory: $(( (m1 - m0) * 1024 / ND )) bytes per idle device," \
	"$(( (m2 - m1) * 1024 / N )) bytes per idle LUN"
check "all $N LUNs exist" test "$(ls $T/luns | wc -l)" -eq "$N"

echo 1 >$T/enabled
mkdir $T/sessions/ini
host=$(grep -lx ini /sys/class/scsi_host/host*/scst_initiator | head -n1)
host=${host%/scst_initiator}; host=${host##*host}
echo "0 0 0" >/sys/class/scsi_host/host$host/scan
sg=$(ls /sys/class/scsi_device/$host:0:0:0/device/scsi_generic/ 2>/dev/null)
check "LUN 0 has an sg device" test -n "$sg"
sg_luns --maxlen=65536 /dev/$sg >/tmp/luns.txt 2>&1
head -n 3 /tmp/luns.txt
check "REPORT LUNS lists $N LUNs" \
	grep -q "Lun list length = $((N * 8)) which imples $N lun entries" /tmp/luns.txt
check "REPORT LUNS lists the last LUN in flat space" \
	grep -q "$(printf '4%03x000000000000' $((N - 1)))" /tmp/luns.txt
check "TEST UNIT READY on LUN 0" sg_turs /dev/$sg

start=$(date +%s)
check "teardown" scst_unload
echo "removed $N LUNs in $(( $(date +%s) - start )) s"
finish
