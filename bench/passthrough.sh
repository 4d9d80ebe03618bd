#!/bin/bash
# Guest side of bench/run-passthrough.sh (runs in tests/vm/run-vm.sh's VM).
#
# The same fio jobs (bench/lib.sh's job_args and run_job) against, one at
# a time:
#   raw         the scsi_debug disk through its own sd (the ceiling)
#   scst-pt     scst_local + dev_disk (scst_passthrough) on that disk
#   lio-pscsi   LIO tcm_loop + pscsi on that disk (configured through
#               LIO's configfs directly: targetcli needs D-Bus)
# scsi_debug answers at once (delay=0): the numbers compare the paths,
# not a medium.  Each fio run leaves in $VM_OUT/bench/CONFIG.JOB.REP:
# .json (fio), .cpu (run_job's CPU sample of the steady state) and .cnt
# (two lines "IOS CTXT BLOCK_SOFTIRQS KSOFTIRQD_SWITCHES" before and after
# the whole run: I/Os done on the device, context switches, BLOCK
# softirqs handled, times ksoftirqd was switched out).  The host side
# (bench/run-passthrough.sh) summarises them.
#
# Environment: BENCH_RUNTIME (s, default 5), BENCH_REPS (default 3),
# BENCH_CONFIGS (default: all three), BENCH_JOBS (default: the six of
# PT_JOBS below), BENCH_PERF (job names): after the repetitions, each of
# these jobs runs once more under "perf record -e cpu-clock -a" (not
# counted in the results); the profile by module and by symbol goes to
# $VM_OUT/bench/perf.CONFIG.JOB.txt and its head to the console.
. "$(dirname "$0")/../tests/vm/guestlib.sh"
. "$(dirname "$0")/lib.sh"

PT_JOBS="randread-4k-qd1 randread-4k-qd32-j1 randwrite-4k-qd1 randwrite-4k-qd32-j1 seqread-128k-qd8 seqwrite-128k-qd8"
RUNTIME=${BENCH_RUNTIME:-5}
JOBS=${BENCH_JOBS:-$PT_JOBS}
CONFIGS=${BENCH_CONFIGS:-"raw scst-pt lio-pscsi"}
SIZE_MB=256		# the scsi_debug disk (fio --size of run_job)
LIO=/sys/kernel/config/target
WWN=naa.5001405000000c01
NEXUS=naa.5001405000000c02
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cpu "$OUT"/*.cnt

HCTL=
sdebug_up() {
	local d
	modprobe -a sd_mod sg 2>/dev/null
	modprobe scsi_debug dev_size_mb=256 delay=0 max_queue=64 || return 1
	wait_until 10 ls /sys/bus/pseudo/drivers/scsi_debug/adapter0/host*/target*
	for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*:*:*:*; do
		[ -e "$d" ] && HCTL=${d##*/} && break
	done
	[ -n "$HCTL" ] && wait_until 10 raw_disk
}

raw_disk() {
	local b
	for b in /sys/class/scsi_device/"$HCTL"/device/block/*; do
		[ -e "$b" ] && echo "/dev/${b##*/}" && return 0
	done
	return 1
}

scst_setup() {
	local h=$CFG/handlers/dev_disk/$HCTL
	scst_load scst scst_local scst_passthrough || return 1
	mkdir "$h" && echo 1 >"$h/enable" || return 1
	scst_local_export "$h"
}

lio_setup() {
	local b=$LIO/core/pscsi_0/bench
	local h c i l
	IFS=: read -r h c i l <<<"$HCTL"
	modprobe target_core_mod && modprobe target_core_pscsi || return 1
	mkdir -p "$b" || return 1
	echo "scsi_host_id=$h,scsi_channel_id=$c,scsi_target_id=$i,scsi_lun_id=$l" \
		>"$b/control" || return 1
	# pscsi opens a disk through its block device (udev_path), exclusively
	raw_disk >"$b/udev_path" || return 1
	echo 1 >"$b/enable" || return 1
	lio_loop_export "$b"
}

setup() {
	case $1 in
	raw)		raw_disk ;;
	scst-pt)	scst_setup && scst_disk ;;
	lio-pscsi)	lio_setup && lio_disk ;;
	*) return 1 ;;
	esac
}

teardown() {
	case $1 in
	scst-*) scst_unload ;;
	lio-*) lio_teardown ;;
	esac
}

KSOFTIRQD=
for p in /proc/[0-9]*; do
	read -r comm <"$p/comm" 2>/dev/null || continue
	case $comm in ksoftirqd/*) KSOFTIRQD+=" ${p#/proc/}" ;; esac
done

# counters DEV: "IOS CTXT BLOCK_SOFTIRQS KSOFTIRQD_SWITCHES" (builtins only)
counters() {
	local f x ctxt=0 blk=0 ksw=0 p
	while read -r -a f; do
		[ "${f[0]}" = ctxt ] && ctxt=${f[1]}
	done </proc/stat
	while read -r -a f; do
		[ "${f[0]}" = BLOCK: ] || continue
		for x in "${f[@]:1}"; do blk=$((blk + x)); done
	done </proc/softirqs
	for p in $KSOFTIRQD; do
		while read -r -a f; do
			case ${f[0]} in
			voluntary_ctxt_switches:|nonvoluntary_ctxt_switches:)
				ksw=$((ksw + f[1])) ;;
			esac
		done <"/proc/$p/status"
	done
	echo "$(ios_of "$1") $ctxt $blk $ksw"
}

# profile CONFIG JOB DEV: one more run of JOB under perf (cpu-clock)
profile() {
	local pf=$OUT/perf.$1.$2
	# shellcheck disable=SC2046
	perf record -q -e cpu-clock -F 2000 -a -o "$pf.data" -- \
		fio --name="$2" --filename="$3" $(job_args "$2") \
		--direct=1 --ioengine=libaio --time_based \
		--runtime="$RUNTIME" --size=${SIZE_MB}M --randrepeat=0 --norandommap \
		--output-format=json --output="$pf.json" >/dev/null 2>&1 ||
		{ log "$1 $2: perf record failed"; return 1; }
	{
		perf report -i "$pf.data" --stdio --sort dso --percent-limit 1 2>/dev/null
		perf report -i "$pf.data" --stdio --sort dso,sym --percent-limit 0.7 2>/dev/null
	} | grep -v '^$' >"$pf.txt"
	grep -E '^ +[0-9.]+%' "$pf.txt" | head -n 40 | sed "s/^/bench: perf $1 $2: /"
}

if ! sdebug_up; then
	log "scsi_debug: setup failed"
	exit 1
fi
bench_info "scsi_debug=$HCTL $(raw_disk)"
rc=0
for c in $CONFIGS; do
	dev=$(setup "$c") || dev=
	if ! bench_dev "$c" "$dev"; then
		rc=1; teardown "$c"; continue
	fi
	for r in $(seq 1 "$REPS"); do
		for j in $JOBS; do
			counters "$dev" >"$OUT/$c.$j.$r.cnt"
			run_job "$c" "$dev" "$j" "$r" || rc=1
			counters "$dev" >>"$OUT/$c.$j.$r.cnt"
		done
	done
	for j in ${BENCH_PERF:-}; do
		profile "$c" "$j" "$dev"
	done
	teardown "$c"
done
rmmod scsi_debug
exit $rc
