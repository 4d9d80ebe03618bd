#!/bin/bash
# Guest side of bench/run-local.sh (runs in tests/vm/run-vm.sh's VM).
#
# Runs the same fio jobs against, one target at a time:
#   null          raw null_blk (/dev/nullb0), the ceiling
#   scst-nullio   scst_local + vdisk_nullio
#   scst-blockio  scst_local + vdisk_blockio on /dev/nullb0
#   lio-rd        LIO tcm_loop + rd_mcp (ramdisk)
#   lio-iblock    LIO tcm_loop + iblock on /dev/nullb0
# Each fio run writes JSON to $VM_OUT/bench/CONFIG.JOB.REP.json.
#
# Environment: BENCH_RUNTIME (s, default 10), BENCH_REPS (default 3),
# BENCH_CONFIGS (default: all five above), BENCH_JOBS (default: all).
. "$(dirname "$0")/../tests/vm/guestlib.sh"

RUNTIME=${BENCH_RUNTIME:-10}
REPS=${BENCH_REPS:-3}
CONFIGS=${BENCH_CONFIGS:-"null scst-nullio scst-blockio lio-rd lio-iblock"}
JOBS=${BENCH_JOBS:-"randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32-j1 randread-4k-qd32-j2 seqread-128k-qd8 seqwrite-128k-qd8"}
OUT=${VM_OUT:-/tmp}/bench
SIZE_MB=256		# LUN size (rd_mcp allocates it up front)
LIO=/sys/kernel/config/target
WWN=naa.5001405000000b01
NEXUS=naa.5001405000000b02
mkdir -p "$OUT"
rm -f "$OUT"/*.json

log() { echo "bench: $*"; }

job_args() {	# fio options of job $1
	case $1 in
	randread-4k-qd1)	echo "--rw=randread --bs=4k --iodepth=1 --numjobs=1" ;;
	randwrite-4k-qd1)	echo "--rw=randwrite --bs=4k --iodepth=1 --numjobs=1" ;;
	randread-4k-qd32-j1)	echo "--rw=randread --bs=4k --iodepth=32 --numjobs=1" ;;
	randread-4k-qd32-j2)	echo "--rw=randread --bs=4k --iodepth=32 --numjobs=2" ;;
	seqread-128k-qd8)	echo "--rw=read --bs=128k --iodepth=8 --numjobs=1" ;;
	seqwrite-128k-qd8)	echo "--rw=write --bs=128k --iodepth=8 --numjobs=1" ;;
	*) return 1 ;;
	esac
}

wait_for() {	# wait_for SECONDS CMD...: poll CMD every 0.2 s
	local n=$(($1 * 5)); shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2; n=$((n - 1))
	done
	return 1
}

null_load() {
	modprobe null_blk nr_devices=1 gb=1 bs=512 queue_mode=2 irqmode=0 \
		submit_queues=2 hw_queue_depth=128 max_sectors=1024 || return 1
	wait_for 10 test -b /dev/nullb0
}

null_unload() {
	lsmod | grep -q '^null_blk ' && rmmod null_blk
	return 0
}

# --- SCST: scst_local target "bench", initiator "ini", LUN 0 ---

scst_disk() {	# the sd device of initiator "ini", LUN 0
	local h d
	for h in /sys/class/scsi_host/host*; do
		grep -qx ini "$h/scst_initiator" 2>/dev/null || continue
		for d in /sys/class/scsi_disk/"${h##*host}":*:*:0/device/block/*; do
			[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
		done
	done
	return 1
}

scst_setup() {	# scst_setup nullio|blockio
	local h dev
	scst_load scst scst_vdisk scst_local || return 1
	case $1 in
	nullio)
		h=$CFG/handlers/vdisk_nullio/bench
		mkdir "$h" || return 1
		echo $((SIZE_MB << 20)) >"$h/size" || return 1 ;;
	blockio)
		h=$CFG/handlers/vdisk_blockio/bench
		mkdir "$h" || return 1
		echo /dev/nullb0 >"$h/filename" || return 1 ;;
	esac
	echo 1 >"$h/enable" || return 1
	mkdir "$CFG/targets/scst_local/bench" || return 1
	mkdir "$CFG/targets/scst_local/bench/luns/0" || return 1
	ln -s "$h" "$CFG/targets/scst_local/bench/luns/0/device" || return 1
	echo 1 >"$CFG/targets/scst_local/bench/enabled" || return 1
	mkdir "$CFG/targets/scst_local/bench/sessions/ini" || return 1
	wait_for 30 scst_disk >/dev/null
}

scst_teardown() {
	scst_unload
}

# --- LIO: tcm_loop $WWN/tpgt_1, LUN 0 ---

lio_disk() {	# the sd device of the tcm_loop host, LUN 0
	local h d
	for h in /sys/class/scsi_host/host*; do
		grep -qx tcm_loopback "$h/proc_name" 2>/dev/null || continue
		for d in /sys/class/scsi_disk/"${h##*host}":*:*:0/device/block/*; do
			[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
		done
	done
	return 1
}

lio_setup() {	# lio_setup rd|iblock
	local b t
	modprobe -a configfs scsi_mod sd_mod sg 2>/dev/null
	modprobe target_core_mod || return 1
	case $1 in
	rd)
		b=$LIO/core/rd_mcp_0/bench
		mkdir -p "$b" || return 1
		echo "rd_pages=$((SIZE_MB << 8))" >"$b/control" || return 1 ;;
	iblock)
		modprobe target_core_iblock || return 1
		b=$LIO/core/iblock_0/bench
		mkdir -p "$b" || return 1
		echo "udev_path=/dev/nullb0" >"$b/control" || return 1 ;;
	esac
	echo 1 >"$b/enable" || return 1
	modprobe tcm_loop || return 1
	t=$LIO/loopback/$WWN/tpgt_1
	mkdir -p "$t" || return 1
	# The nexus (I_T session) first: linking the LUN scans it.
	echo "$NEXUS" >"$t/nexus" || return 1
	mkdir "$t/lun/lun_0" || return 1
	ln -s "$b" "$t/lun/lun_0/bench_port" || return 1
	wait_for 30 lio_disk >/dev/null
}

lio_teardown() {
	local t=$LIO/loopback/$WWN/tpgt_1 b
	if [ -d "$t" ]; then
		rm -f "$t"/lun/lun_0/bench_port
		rmdir "$t"/lun/lun_0 2>/dev/null
		echo NULL >"$t/nexus" 2>/dev/null
		rmdir "$t" "$LIO/loopback/$WWN" 2>/dev/null
	fi
	for b in "$LIO"/core/rd_mcp_0/bench "$LIO"/core/iblock_0/bench; do
		[ -d "$b" ] && rmdir "$b"
	done
	rmdir "$LIO"/core/rd_mcp_0 "$LIO"/core/iblock_0 2>/dev/null
	rmdir "$LIO/loopback" 2>/dev/null
	local m
	for m in tcm_loop target_core_iblock target_core_file \
		target_core_pscsi target_core_user target_core_mod; do
		lsmod | grep -q "^$m " && rmmod "$m"
	done
	return 0
}

# --- one configuration ---

setup() {	# echo the device to test
	case $1 in
	null)		null_load && echo /dev/nullb0 ;;
	scst-nullio)	scst_setup nullio && scst_disk ;;
	scst-blockio)	null_load && scst_setup blockio && scst_disk ;;
	lio-rd)		lio_setup rd && lio_disk ;;
	lio-iblock)	null_load && lio_setup iblock && lio_disk ;;
	*) return 1 ;;
	esac
}

teardown() {
	case $1 in
	scst-*) scst_teardown ;;
	lio-*) lio_teardown ;;
	esac
	null_unload
}

queue_info() {	# scheduler, nr_requests, max_sectors_kb of $1
	local q=/sys/block/${1##*/}/queue
	echo "sched=$(cat "$q/scheduler") nr_requests=$(cat "$q/nr_requests")" \
		"max_sectors_kb=$(cat "$q/max_sectors_kb")"
}

log "kernel $(uname -r), $(nproc) CPUs, fio $(fio --version)," \
	"runtime ${RUNTIME}s, $REPS repetitions"
{
	echo "kernel=$(uname -r)"
	echo "cpus=$(nproc)"
	echo "fio=$(fio --version)"
	echo "runtime=$RUNTIME"
	echo "reps=$REPS"
} >"$OUT/info.txt"

rc=0
for c in $CONFIGS; do
	t0=$(date +%s)
	[ "${BENCH_TRACE:-0}" = 1 ] && set -x
	dev=$(setup "$c") || dev=
	set +x
	if [ ! -b "$dev" ]; then
		log "$c: setup failed"; echo "$c=setup-failed" >>"$OUT/info.txt"
		rc=1; teardown "$c"; continue
	fi
	# The same block layer settings for every device: no I/O scheduler.
	echo none >"/sys/block/${dev##*/}/queue/scheduler" 2>/dev/null
	log "$c: $dev $(queue_info "$dev")"
	echo "$c=$dev $(queue_info "$dev")" >>"$OUT/info.txt"
	for r in $(seq 1 "$REPS"); do
		for j in $JOBS; do
			# shellcheck disable=SC2046
			fio --name="$j" --filename="$dev" $(job_args "$j") \
				--direct=1 --ioengine=libaio --time_based \
				--runtime="$RUNTIME" --ramp_time=1 \
				--size=${SIZE_MB}M --group_reporting \
				--randrepeat=0 --norandommap --lat_percentiles=1 \
				--output-format=json \
				--output="$OUT/$c.$j.$r.json" >/dev/null 2>"$OUT/$c.$j.$r.err" ||
				{ log "$c $j #$r: fio failed: $(tail -n 2 "$OUT/$c.$j.$r.err")"; rc=1; }
			python3 - "$OUT/$c.$j.$r.json" "$c $j #$r" <<'PY' 2>/dev/null
import json, sys
try:
    d = json.load(open(sys.argv[1]))["jobs"][0]
    s = d["read"] if d["read"]["io_bytes"] else d["write"]
    print(f"bench: {sys.argv[2]}: {s['iops']:.0f} IOPS, {s['bw_bytes']/1e6:.1f} MB/s")
except Exception as e:
    print(f"bench: {sys.argv[2]}: no result ({e})")
PY
		done
	done
	teardown "$c"
	log "$c: done in $(( $(date +%s) - t0 )) s (guest time)"
done
exit $rc
