# Guest-side helpers of the benchmark (sourced by bench/guest.sh,
# bench/passthrough.sh and bench/user.sh, after tests/vm/guestlib.sh):
#
#   job_args JOB           fio options of one job of $JOBS
#   scst_local_export / lio_loop_export / lio_teardown   LUN 0 of the
#                          scst_local and tcm_loop targets; scst_disk, lio_disk
#   bench_info, bench_dev  info.txt and the log
#   null_load / null_unload   null_blk /dev/nullb0 (the ceiling and the
#                          blockio/iblock backing)
#   run_job CFG DEV JOB REP   one fio run, JSON to $OUT/CFG.JOB.REP.json,
#                          CPU sample of its steady state to .cpu
#   calibrate              the /proc/stat busy-time arithmetic checked
#                          against a loop of known instruction count
#   perf_probe             does perf stat -e instructions work here?

RUNTIME=${BENCH_RUNTIME:-3}
REPS=${BENCH_REPS:-3}
JOBS=${BENCH_JOBS:-"randread-4k-qd1 randwrite-4k-qd1 randread-4k-qd32-j1 randread-4k-qd32-j2 seqread-128k-qd8 seqwrite-128k-qd8"}
# and for the iSCSI configurations only (large transfers: the Data-In
# and Data-Out paths per byte)
ISCSI_JOBS=${BENCH_ISCSI_JOBS-"seqread-1m-qd4 seqwrite-1m-qd4"}
OUT=${VM_OUT:-/tmp}/bench
SIZE_MB=64		# LUN size of every target (and fio --size)
BENCH_TMP=/mnt/benchtmp	# tmpfs for the fileio backing files

log() { echo "bench: $*"; }

job_args() {
	case $1 in
	randread-4k-qd1)	echo "--rw=randread --bs=4k --iodepth=1 --numjobs=1" ;;
	randwrite-4k-qd1)	echo "--rw=randwrite --bs=4k --iodepth=1 --numjobs=1" ;;
	randread-4k-qd32-j1)	echo "--rw=randread --bs=4k --iodepth=32 --numjobs=1" ;;
	randread-4k-qd32-j2)	echo "--rw=randread --bs=4k --iodepth=32 --numjobs=2" ;;
	randwrite-4k-qd32-j1)	echo "--rw=randwrite --bs=4k --iodepth=32 --numjobs=1" ;;
	seqread-128k-qd8)	echo "--rw=read --bs=128k --iodepth=8 --numjobs=1" ;;
	seqwrite-128k-qd8)	echo "--rw=write --bs=128k --iodepth=8 --numjobs=1" ;;
	seqread-1m-qd4)		echo "--rw=read --bs=1m --iodepth=4 --numjobs=1" ;;
	seqwrite-1m-qd4)	echo "--rw=write --bs=1m --iodepth=4 --numjobs=1" ;;
	*) return 1 ;;
	esac
}

# --- the targets under test: scst_local target "bench" (initiator
# "ini") and LIO tcm_loop $WWN/tpgt_1, both with LUN 0 (LIO through its
# configfs directly: targetcli needs D-Bus) ---

host_disk() {	# host_disk ATTR VALUE: sd of LUN 0 of the host whose ATTR is VALUE
	local h d
	for h in /sys/class/scsi_host/host*; do
		grep -qx "$2" "$h/$1" 2>/dev/null || continue
		for d in /sys/class/scsi_disk/"${h##*host}":*:*:0/device/block/*; do
			[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
		done
	done
	return 1
}

scst_disk() { host_disk scst_initiator ini; }
lio_disk() { host_disk proc_name tcm_loopback; }

scst_local_export() {	# scst_local_export DEVICE_DIR: as LUN 0, wait for its sd
	local t=$CFG/targets/scst_local/bench
	mkdir "$t" && mkdir "$t/luns/0" && ln -s "$1" "$t/luns/0/device" &&
		echo 1 >"$t/enabled" && mkdir "$t/sessions/ini" || return 1
	wait_until 30 scst_disk
}

lio_loop_export() {	# lio_loop_export BACKSTORE_DIR: as LUN 0, wait for its sd
	local t=$LIO/loopback/$WWN/tpgt_1
	modprobe tcm_loop || return 1
	# The nexus (I_T session) first: linking the LUN scans it.
	mkdir -p "$t" && echo "$NEXUS" >"$t/nexus" && mkdir "$t/lun/lun_0" &&
		ln -s "$1" "$t/lun/lun_0/bench_port" || return 1
	wait_until 30 lio_disk
}

lio_teardown() {	# the tcm_loop target, every "bench" backstore, LIO's modules
	local t=$LIO/loopback/$WWN/tpgt_1 b m
	if [ -d "$t" ]; then
		rm -f "$t"/lun/lun_0/bench_port
		rmdir "$t"/lun/lun_0 2>/dev/null
		echo NULL >"$t/nexus" 2>/dev/null
		rmdir "$t" "$LIO/loopback/$WWN" 2>/dev/null
	fi
	rmdir "$LIO/loopback" 2>/dev/null
	for b in "$LIO"/core/*/bench; do
		[ -d "$b" ] && rmdir "$b"
	done
	# the HBAs (rd_mcp_0, iblock_0, pscsi_0)
	rmdir "$LIO"/core/*_[0-9]* 2>/dev/null
	for m in tcm_loop target_core_iblock target_core_file \
		target_core_pscsi target_core_user target_core_mod; do
		lsmod | grep -q "^$m " && rmmod "$m"
	done
	return 0
}

# --- what a run writes besides the fio results ---

queue_info() {	# scheduler, nr_requests, max_sectors_kb of $1
	local q=/sys/block/${1##*/}/queue
	echo "sched=$(cat "$q/scheduler") nr_requests=$(cat "$q/nr_requests")" \
		"max_sectors_kb=$(cat "$q/max_sectors_kb")"
}

bench_info() {	# bench_info [KEY=VALUE...]: log the settings, write info.txt
	log "kernel $(uname -r), $(nproc) CPUs, fio $(fio --version)," \
		"runtime ${RUNTIME}s, $REPS repetitions"
	{
		echo "kernel=$(uname -r)"
		echo "cpus=$(nproc)"
		echo "fio=$(fio --version)"
		echo "runtime=$RUNTIME"
		echo "reps=$REPS"
		printf '%s\n' "$@"
	} >"$OUT/info.txt"
}

bench_dev() {	# bench_dev CONFIG DEV: 1 if DEV is no disk, else record it
	if [ ! -b "$2" ]; then
		log "$1: setup failed"
		echo "$1=setup-failed" >>"$OUT/info.txt"
		return 1
	fi
	# The same block layer settings for every device: no I/O scheduler.
	echo none >"/sys/block/${2##*/}/queue/scheduler" 2>/dev/null
	log "$1: $2 $(queue_info "$2")"
	echo "$1=$2 $(queue_info "$2")" >>"$OUT/info.txt"
}

null_load() {
	modprobe null_blk nr_devices=1 gb=1 bs=512 queue_mode=2 irqmode=0 \
		submit_queues=2 hw_queue_depth=128 max_sectors=1024 || return 1
	wait_until 10 test -b /dev/nullb0
}

null_unload() {
	lsmod | grep -q '^null_blk ' && rmmod null_blk
	return 0
}

tmpfs_file() {	# tmpfs_file NAME: a $SIZE_MB file in $BENCH_TMP, echo its path
	mkdir -p "$BENCH_TMP"
	mountpoint -q "$BENCH_TMP" || mount -t tmpfs -o size=$((SIZE_MB + 64))m \
		benchtmp "$BENCH_TMP" || return 1
	rm -f "$BENCH_TMP/$1.img"
	# Written, not sparse: every read finds its pages.
	dd if=/dev/zero of="$BENCH_TMP/$1.img" bs=1M count=$SIZE_MB \
		status=none || return 1
	echo "$BENCH_TMP/$1.img"
}

tmpfs_clear() {
	rm -f "$BENCH_TMP"/*.img 2>/dev/null
	return 0
}

# --- CPU sample: "NS IOS IDLE0 IDLE1 ... ctxt=N" (IDLE in USER_HZ ticks,
# idle + iowait of each CPU; IOS = reads + writes completed on the device;
# N = context switches since boot, all CPUs).
# Builtins only (no fork), so sampling adds next to nothing.
snap() {	# snap DEV
	local line f ios now ctxt=
	read -r -a f <"/sys/block/${1##*/}/stat"
	ios=$((f[0] + f[4]))
	now=$EPOCHREALTIME
	line="${now/./}000 $ios"
	while read -r -a f; do
		case ${f[0]} in
		cpu[0-9]*) line+=" $((f[4] + f[5]))" ;;
		ctxt) ctxt=${f[1]} ;;
		esac
	done </proc/stat
	echo "$line${ctxt:+ ctxt=$ctxt}"
}

# sleep without an exec (/usr/bin/sleep would be read over 9p in the
# measured window): read with a timeout from a FIFO nobody writes.
nap() {
	[ -p /run/bench.fifo ] || mkfifo /run/bench.fifo
	[ -e /proc/$$/fd/9 ] || exec 9<>/run/bench.fifo
	read -r -t "$1" -u 9 _ || true
}

ios_of() {	# reads + writes completed on $1
	local f
	read -r -a f <"/sys/block/${1##*/}/stat"
	echo $((f[0] + f[4]))
}

wait_io() {	# wait_io DEV PID: until DEV's I/O count moves (or PID ends)
	local n0 n=0
	n0=$(ios_of "$1")
	while [ "$n" -lt 600 ] && kill -0 "$2" 2>/dev/null; do
		[ "$(ios_of "$1")" != "$n0" ] && return 0
		nap 0.05; n=$((n + 1))
	done
}

run_job() {	# run_job CFG DEV JOB REP
	local c=$1 dev=$2 j=$3 r=$4 base pid s0 s1 win
	base=$OUT/$c.$j.$r
	# shellcheck disable=SC2046
	fio --name="$j" --filename="$dev" $(job_args "$j") \
		--direct=1 --ioengine=libaio --time_based \
		--runtime="$RUNTIME" --ramp_time=500ms \
		--size=${SIZE_MB}M --group_reporting \
		--randrepeat=0 --norandommap --lat_percentiles=1 \
		--output-format=json --output="$base.json" \
		>/dev/null 2>"$base.err" &
	pid=$!
	# The CPU window: inside fio's measured time (from its first I/O +
	# the 0.5 s ramp + 0.2 s to RUNTIME - 0.3 s), so it holds neither
	# fio's start-up nor its exit.
	win=$(awk -v r="$RUNTIME" 'BEGIN { w = r - 1; print (w < 0.5 ? 0.5 : w) }')
	wait_io "$dev" "$pid"
	nap 0.7
	s0=$(snap "$dev")
	nap "$win"
	s1=$(snap "$dev")
	echo "$s0" >"$base.cpu"
	echo "$s1" >>"$base.cpu"
	if ! wait "$pid"; then
		log "$c $j #$r: fio failed: $(tail -n 2 "$base.err")"
		return 1
	fi
	# (no python here: every exec reads its files over 9p)
	log "$c $j #$r: $(grep -m 1 -o '"iops" : [1-9][0-9.]*' "$base.json")"
}

# Checks busy-ns/16 = instructions (qemu -icount shift=4) against a loop
# of 2 instructions per iteration (bench/calib.c, built by bench/run.sh):
# once on one CPU (the other idle), once on both CPUs at the same time.
# Writes calib.one and calib.two: two snap lines each and "insns N".
calibrate() {
	local bin=${BENCH_CALIB:-} n=50000000 dev
	[ -x "$bin" ] || { log "calibration: no calib binary"; return 0; }
	dev=$(ls /sys/block | head -n 1)	# any device, for snap
	"$bin" 1	# its pages in the guest's cache
	calib_run "$dev" one-base 1 1
	calib_run "$dev" one 1 $n
	if [ "$(nproc)" -gt 1 ]; then
		calib_run "$dev" two-base 2 1
		calib_run "$dev" two 2 $n
	fi
	log "calibration done (loops of $((2 * n)) instructions)"
}

# calib_run DEV NAME CPUS N: the loop of N iterations on the last CPU, or
# on CPUs 0 and 1 at once; writes $OUT/calib.NAME (two snap lines, "insns" = the
# loop instructions).  The -base runs (N = 1) measure what starting
# the processes costs.
calib_run() {
	local bin=$BENCH_CALIB s0 s1
	s0=$(snap "$1")
	if [ "$3" = 2 ]; then
		taskset -c 0 "$bin" "$4" & taskset -c 1 "$bin" "$4"; wait
	else
		taskset -c $(($(nproc) - 1)) "$bin" "$4"
	fi
	s1=$(snap "$1")
	printf '%s\n%s\ninsns %d\n' "$s0" "$s1" $((2 * $4 * $3)) \
		>"$OUT/calib.$2"
}

perf_probe() {
	local out=$OUT/perf.txt
	{
		echo "# perf stat -e instructions,cycles -a -- sleep 1"
		perf stat -e instructions,cycles -a -- sleep 1 2>&1
		echo "# exit $?"
	} >"$out" 2>&1
	log "perf: $(grep -E 'instructions|not supported|not found|Error' "$out" |
		head -n 2 | tr -s ' ' | tr '\n' ';')"
}
