#!/bin/bash
# Guest side of bench/run-user.sh (runs in tests/vm/run-vm.sh's VM).
#
# The same fio jobs against, one target at a time:
#   scst-nullio   scst_local + vdisk_nullio (kernel handler, no data)
#   scst-user-ram scst_local + scst_user + usr/ scst_user_ramdisk
#                 (user-space handler, data copied to/from its memory)
# Each fio run writes JSON to $VM_OUT/bench/CONFIG.JOB.REP.json, with the
# fio options of bench/local.sh, for bench/user-report.py.
#
# Environment: BENCH_RUNTIME (s, default 10), BENCH_REPS (default 3),
# BENCH_CONFIGS, BENCH_JOBS (subsets), BENCH_USER_QD (handler queue
# depth, default 64).
. "$(dirname "$0")/../tests/vm/guestlib.sh"

RUNTIME=${BENCH_RUNTIME:-10}
REPS=${BENCH_REPS:-3}
CONFIGS=${BENCH_CONFIGS:-"scst-nullio scst-user-ram"}
JOBS=${BENCH_JOBS:-"randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32 randwrite-4k-qd32 seqread-128k-qd8 seqwrite-128k-qd8"}
OUT=${VM_OUT:-/tmp}/bench
SIZE_MB=256
UPID=
mkdir -p "$OUT"
rm -f "$OUT"/*.json

log() { echo "bench: $*"; }

job_args() {	# fio options of job $1
	case $1 in
	randread-4k-qd1)	echo "--rw=randread --bs=4k --iodepth=1" ;;
	randwrite-4k-qd1)	echo "--rw=randwrite --bs=4k --iodepth=1" ;;
	randread-4k-qd32)	echo "--rw=randread --bs=4k --iodepth=32" ;;
	randwrite-4k-qd32)	echo "--rw=randwrite --bs=4k --iodepth=32" ;;
	seqread-128k-qd8)	echo "--rw=read --bs=128k --iodepth=8" ;;
	seqwrite-128k-qd8)	echo "--rw=write --bs=128k --iodepth=8" ;;
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

scst_setup() {	# scst_setup nullio|user
	local h
	scst_load scst scst_vdisk scst_local scst_user || return 1
	case $1 in
	nullio)
		h=$CFG/handlers/vdisk_nullio/bench
		mkdir "$h" || return 1
		echo $((SIZE_MB << 20)) >"$h/size" || return 1
		echo 1 >"$h/enable" || return 1 ;;
	user)
		h=$CFG/handlers/scst_user/bench
		usr/build/scst_user_ramdisk -n bench -s ${SIZE_MB}M \
			-q "${BENCH_USER_QD:-64}" >"$OUT/../user-ramdisk.log" 2>&1 &
		UPID=$!
		wait_for 20 test -d "$h" || return 1
		if [ -e "$h/enable" ] && [ "$(cat "$h/enable")" = 0 ]; then
			echo 1 >"$h/enable" || return 1
		fi ;;
	esac
	mkdir "$CFG/targets/scst_local/bench" || return 1
	mkdir "$CFG/targets/scst_local/bench/luns/0" || return 1
	ln -s "$h" "$CFG/targets/scst_local/bench/luns/0/device" || return 1
	echo 1 >"$CFG/targets/scst_local/bench/enabled" || return 1
	mkdir "$CFG/targets/scst_local/bench/sessions/ini" || return 1
	wait_for 30 scst_disk >/dev/null
}

scst_teardown() {
	local m
	scst_clear
	if [ -n "$UPID" ]; then
		kill -TERM "$UPID"
		wait "$UPID"
		UPID=
		tail -n 1 "$OUT/../user-ramdisk.log"
	fi
	for m in scst_local scst_user scst_vdisk scst; do
		lsmod | grep -q "^$m " && rmmod "$m"
	done
	return 0
}

setup() {	# echo the device to test
	case $1 in
	scst-nullio)	scst_setup nullio && scst_disk ;;
	scst-user-ram)	scst_setup user && scst_disk ;;
	*) return 1 ;;
	esac
}

queue_info() {	# scheduler, nr_requests, max_sectors_kb of $1
	local q=/sys/block/${1##*/}/queue
	echo "sched=$(cat "$q/scheduler") nr_requests=$(cat "$q/nr_requests")" \
		"max_sectors_kb=$(cat "$q/max_sectors_kb")"
}

if ! make -C usr >"$OUT/../usr-build.log" 2>&1; then
	log "make -C usr failed"
	exit 1
fi
log "kernel $(uname -r), $(nproc) CPUs, fio $(fio --version)," \
	"runtime ${RUNTIME}s, $REPS repetitions"
{
	echo "kernel=$(uname -r)"
	echo "cpus=$(nproc)"
	echo "fio=$(fio --version)"
	echo "runtime=$RUNTIME"
	echo "reps=$REPS"
	echo "user_qd=${BENCH_USER_QD:-64}"
} >"$OUT/info.txt"

rc=0
for c in $CONFIGS; do
	t0=$(date +%s)
	dev=$(setup "$c") || dev=
	if [ ! -b "$dev" ]; then
		log "$c: setup failed"; echo "$c=setup-failed" >>"$OUT/info.txt"
		rc=1; scst_teardown; continue
	fi
	echo none >"/sys/block/${dev##*/}/queue/scheduler" 2>/dev/null
	log "$c: $dev $(queue_info "$dev")"
	echo "$c=$dev $(queue_info "$dev")" >>"$OUT/info.txt"
	for r in $(seq 1 "$REPS"); do
		for j in $JOBS; do
			# shellcheck disable=SC2046
			fio --name="$j" --filename="$dev" $(job_args "$j") \
				--numjobs=1 --direct=1 --ioengine=libaio \
				--time_based --runtime="$RUNTIME" --ramp_time=1 \
				--size=${SIZE_MB}M --group_reporting \
				--randrepeat=0 --norandommap --lat_percentiles=1 \
				--output-format=json \
				--output="$OUT/$c.$j.$r.json" >/dev/null 2>"$OUT/$c.$j.$r.err" ||
				{ log "$c $j #$r: fio failed: $(tail -n 2 "$OUT/$c.$j.$r.err")"; rc=1; }
		done
	done
	scst_teardown
	log "$c: done in $(( $(date +%s) - t0 )) s (guest time)"
done
exit $rc
