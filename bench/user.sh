#!/bin/bash
# Guest side of bench/run-user.sh (runs in tests/vm/run-vm.sh's VM).
#
# The same fio jobs against, one target at a time:
#   scst-nullio   scst_local + vdisk_nullio (kernel handler, no data)
#   scst-user-ram scst_local + scst_user + usr/ scst_user_ramdisk
#                 (user-space handler, data copied to/from its memory)
#   scst-user-file scst_local + scst_user + usr/ scst_user_filedisk on a
#                 file in tmpfs (pread/pwrite)
#   lio-tcmu      LIO tcm_loop + target_core_user + tcmu-runner's qcow
#                 handler on a raw file in the same tmpfs (pread/pwrite):
#                 Debian packages no plain "file" handler, and qcow
#                 opens an image that is not qcow/qcow2 as raw
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
CONFIGS=${BENCH_CONFIGS:-"scst-nullio scst-user-ram scst-user-file lio-tcmu"}
JOBS=${BENCH_JOBS:-"randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32-j1 randwrite-4k-qd32-j1 seqread-128k-qd8 seqwrite-128k-qd8"}
OUT=${VM_OUT:-/tmp}/bench
SIZE_MB=256
UPID=		# the scst_user handler, logging to ULOG
ULOG=
RPID=		# tcmu-runner
LIO=/sys/kernel/config/target
WWN=naa.5001405000000b01
NEXUS=naa.5001405000000b02
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cpu

scst_setup() {	# scst_setup nullio|user|file
	local h f
	scst_load scst scst_vdisk scst_local scst_user || return 1
	case $1 in
	nullio)
		h=$CFG/handlers/vdisk_nullio/bench
		mkdir "$h" || return 1
		echo $((SIZE_MB << 20)) >"$h/size" || return 1
		echo 1 >"$h/enable" || return 1 ;;
	user)
		h=$CFG/handlers/scst_user/bench
		ULOG=$OUT/../user-ramdisk.log
		usr/build/scst_user_ramdisk -n bench -s ${SIZE_MB}M \
			-q "${BENCH_USER_QD:-64}" >"$ULOG" 2>&1 &
		UPID=$!
		wait_until 20 test -d "$h" || return 1
		user_enable "$h" || return 1 ;;
	file)
		h=$CFG/handlers/scst_user/bench
		f=$(tmpfs_file user) || return 1
		ULOG=$OUT/../user-filedisk.log
		usr/build/scst_user_filedisk -n bench -f "$f" \
			-q "${BENCH_USER_QD:-64}" >"$ULOG" 2>&1 &
		UPID=$!
		user_enable "$h" || return 1 ;;
	esac
	scst_local_export "$h"
}

user_enable() {	# user_enable DEVICE_DIR: wait for the handler's device
	wait_until 20 test -d "$1" || return 1
	if [ -e "$1/enable" ] && [ "$(cat "$1/enable")" = 0 ]; then
		echo 1 >"$1/enable" || return 1
	fi
}

scst_teardown() {
	local m
	scst_clear
	if [ -n "$UPID" ]; then
		kill -TERM "$UPID"
		wait "$UPID"
		UPID=
		tail -n 1 "$ULOG"
	fi
	for m in scst_local scst_user scst_vdisk scst; do
		lsmod | grep -q "^$m " && rmmod "$m"
	done
	tmpfs_clear
	return 0
}

# LIO's TCMU: tcmu-runner (it runs without a D-Bus system bus: it only
# offers its D-Bus API there) serves the backstore user_0/bench, whose
# dev_config "qcow/PATH" names its handler and the handler's config
# string.  hw_max_sectors=2048: 1 MiB per command, as scst_local's LUNs
# have (TCMU's default is 64 KiB, which would split the 128k jobs).
tcmu_setup() {
	local b=$LIO/core/user_0/bench f log=$OUT/../tcmu-runner
	modprobe -a configfs scsi_mod sd_mod sg 2>/dev/null
	modprobe target_core_user || return 1
	f=$(tmpfs_file tcmu) || return 1
	mkdir -p "$log"
	tcmu-runner -l "$log" >"$log/stdout" 2>&1 &
	RPID=$!
	wait_until 30 grep -q 'Handler qcow is registered' \
		"$log/tcmu-runner.log" || return 1
	mkdir -p "$b" || return 1
	echo "dev_config=qcow/$f" >"$b/control" &&
		echo "dev_size=$((SIZE_MB << 20))" >"$b/control" &&
		echo "hw_max_sectors=2048" >"$b/control" &&
		echo 1 >"$b/enable" || return 1
	lio_loop_export "$b"
}

tcmu_teardown() {
	lio_teardown
	if [ -n "$RPID" ]; then
		kill -TERM "$RPID"
		wait "$RPID"
		RPID=
		grep ERROR "$OUT/../tcmu-runner/tcmu-runner.log"
	fi
	lsmod | grep -q '^target_core_user ' && rmmod target_core_user
	tmpfs_clear
	return 0
}

setup() {	# echo the device to test
	case $1 in
	scst-nullio)	scst_setup nullio && scst_disk ;;
	scst-user-ram)	scst_setup user && scst_disk ;;
	scst-user-file)	scst_setup file && scst_disk ;;
	lio-tcmu)	tcmu_setup && lio_disk ;;
	*) return 1 ;;
	esac
}

teardown() {
	case $1 in
	lio-*) tcmu_teardown ;;
	*) scst_teardown ;;
	esac
}

if ! make -C usr >"$OUT/../usr-build.log" 2>&1; then
	log "make -C usr failed"
	exit 1
fi
bench_info "user_qd=${BENCH_USER_QD:-64}" "tcmu=$(tcmu-runner -V 2>&1 |
	head -n 1), qcow handler on a raw file, hw_max_sectors=2048"

rc=0
for c in $CONFIGS; do
	t0=$(date +%s)
	# Not dev=$(setup ...): setup starts the handler daemons, whose
	# pids (UPID, RPID) teardown needs in this shell.
	dev=
	setup "$c" >"$OUT/../setup.out" && dev=$(tail -n 1 "$OUT/../setup.out")
	if ! bench_dev "$c" "$dev"; then
		rc=1; teardown "$c"; continue
	fi
	for r in $(seq 1 "$REPS"); do
		for j in $JOBS; do
			run_job "$c" "$dev" "$j" "$r" || rc=1
		done
	done
	teardown "$c"
	log "$c: done in $(( $(date +%s) - t0 )) s (guest time)"
done
exit $rc
