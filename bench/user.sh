#!/bin/bash
# Guest side of bench/run-user.sh (runs in tests/vm/run-vm.sh's VM).
#
# The same fio jobs against, one target at a time:
#   scst-nullio   scst_local + vdisk_nullio (kernel handler, no data)
#   scst-user-ram scst_local + scst_user + usr/ scst_user_ramdisk
#                 (user-space handler, data copied to/from its memory)
# Each fio run (bench/lib.sh's run_job) writes JSON to
# $VM_OUT/bench/CONFIG.JOB.REP.json, for bench/user-report.py.
#
# Environment: BENCH_RUNTIME (s, default 10), BENCH_REPS (default 3),
# BENCH_CONFIGS, BENCH_JOBS (subsets), BENCH_USER_QD (handler queue
# depth, default 64).
. "$(dirname "$0")/../tests/vm/guestlib.sh"
. "$(dirname "$0")/lib.sh"

RUNTIME=${BENCH_RUNTIME:-10}
REPS=${BENCH_REPS:-3}
CONFIGS=${BENCH_CONFIGS:-"scst-nullio scst-user-ram"}
JOBS=${BENCH_JOBS:-"randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32-j1 randwrite-4k-qd32-j1 seqread-128k-qd8 seqwrite-128k-qd8"}
OUT=${VM_OUT:-/tmp}/bench
SIZE_MB=256
UPID=
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cpu

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
		wait_until 20 test -d "$h" || return 1
		if [ -e "$h/enable" ] && [ "$(cat "$h/enable")" = 0 ]; then
			echo 1 >"$h/enable" || return 1
		fi ;;
	esac
	scst_local_export "$h"
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

if ! make -C usr >"$OUT/../usr-build.log" 2>&1; then
	log "make -C usr failed"
	exit 1
fi
bench_info "user_qd=${BENCH_USER_QD:-64}"

rc=0
for c in $CONFIGS; do
	t0=$(date +%s)
	dev=$(setup "$c") || dev=
	if ! bench_dev "$c" "$dev"; then
		rc=1; scst_teardown; continue
	fi
	for r in $(seq 1 "$REPS"); do
		for j in $JOBS; do
			run_job "$c" "$dev" "$j" "$r" || rc=1
		done
	done
	scst_teardown
	log "$c: done in $(( $(date +%s) - t0 )) s (guest time)"
done
exit $rc
