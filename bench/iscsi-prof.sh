#!/bin/bash
# Counted breakdown of the iSCSI path per I/O (guest side; perf does not
# work in this guest, see bench/results/fast-profile.md).  Run it as
# bench/run.sh runs bench/guest.sh, e.g. under icount:
#
#   VM_TCG_THREAD=single tests/vm/run-vm.sh --kver K --timeout 100000 --out DIR \
#     --qemu-extra "-icount shift=4,sleep=off" \
#     --env PROF_CONFIGS="iscsi-scst-nullio@/path/ko iscsi-lio-rdnull" \
#     --env PROF_JOBS=seqwrite-128k-qd8 -- bench/iscsi-prof.sh
#
# PROF_CONFIGS: configurations of bench/iscsi.sh, each optionally
# followed by @DIR (SCST_KO_DIR for that one: before/after in one VM).
# Per configuration and job, one fio run of PROF_RUNTIME s (default 8);
# in a window of PROF_RUNTIME - 3 s inside it, from /proc/stat,
# /proc/softirqs, /proc/net/snmp and the device's stat: per I/O the
# guest's instructions (busy time / 16 ns, lower-upper bound as in
# bench/report.py), context switches, NET_RX, NET_TX and BLOCK softirqs,
# TCP segments received and sent (loopback: both ends count).
# Writes $VM_OUT/bench/prof.md (a Markdown table).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/vm/guestlib.sh"
. "$here/../tests/vm/guest/iscsi-lib.sh"
. "$here/lib.sh"
. "$here/iscsi.sh"

PROF_RUNTIME=${PROF_RUNTIME:-8}
PROF_JOBS=${PROF_JOBS:-seqwrite-128k-qd8}
mkdir -p "$OUT"

# "NS IOS CTXT NETRX NETTX BLOCK INSEGS OUTSEGS BUSY0 BUSY1 ..." with
# the busy time of each CPU in USER_HZ ticks; bash built-ins only.
psnap() {
	local f ios now ctxt=0 nrx=0 ntx=0 blk=0 ins=0 outs=0 i
	local -a busy=() hdr=()
	local tot
	read -r -a f <"/sys/block/${1##*/}/stat"
	ios=$((f[0] + f[4]))
	now=$EPOCHREALTIME
	while read -r -a f; do
		case ${f[0]} in
		cpu[0-9]*)
			tot=0
			for i in 1 2 3 4 5 6 7 8; do tot=$((tot + f[i])); done
			busy+=("$((tot - f[4] - f[5]))") ;;
		ctxt) ctxt=${f[1]} ;;
		esac
	done </proc/stat
	while read -r -a f; do
		case ${f[0]} in
		NET_RX:) for i in "${f[@]:1}"; do nrx=$((nrx + i)); done ;;
		NET_TX:) for i in "${f[@]:1}"; do ntx=$((ntx + i)); done ;;
		BLOCK:) for i in "${f[@]:1}"; do blk=$((blk + i)); done ;;
		esac
	done </proc/softirqs
	while read -r -a f; do
		[ "${f[0]}" = Tcp: ] || continue
		if [ ${#hdr[@]} = 0 ]; then hdr=("${f[@]}"); continue; fi
		for i in "${!hdr[@]}"; do
			case ${hdr[i]} in
			InSegs) ins=${f[i]} ;;
			OutSegs) outs=${f[i]} ;;
			esac
		done
	done </proc/net/snmp
	echo "${now/./}000 $ios $ctxt $nrx $ntx $blk $ins $outs ${busy[*]}"
}

prof_job() {	# prof_job CFG DEV JOB
	local c=$1 dev=$2 j=$3 pid s0 s1 base=$OUT/prof.$1.$3
	# shellcheck disable=SC2046
	fio --name="$j" --filename="$dev" $(job_args "$j") \
		--direct=1 --ioengine=libaio --time_based \
		--runtime="$PROF_RUNTIME" --ramp_time=500ms \
		--size=${SIZE_MB}M --group_reporting --randrepeat=0 \
		--norandommap --output-format=json --output="$base.json" \
		>/dev/null 2>"$base.err" &
	pid=$!
	wait_io "$dev" "$pid"
	nap 1
	s0=$(psnap "$dev")
	nap $((PROF_RUNTIME - 3))
	s1=$(psnap "$dev")
	wait "$pid"
	# ticks -> ns: 1e9 / USER_HZ; instructions = ns / 16
	awk -v c="$c" -v j="$j" -v hz="$(getconf CLK_TCK)" \
		-v a="$s0" -v b="$s1" 'BEGIN {
		split(a, x); split(b, y)
		ios = y[2] - x[2]; if (ios <= 0) { print "| " c " | " j " | no I/O |"; exit }
		win = (y[1] - x[1]) / 1e9
		lo = 0; hi = 0
		for (i = 9; i in y; i++) {
			d = (y[i] - x[i]) / hz; hi += d; if (d > lo) lo = d
		}
		if (hi > win) hi = win
		printf "| %s | %s | %.0f | %.0fk-%.0fk | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f |\n",
			c, j, ios / win, lo * 1e9 / 16 / ios / 1000,
			hi * 1e9 / 16 / ios / 1000, (y[3] - x[3]) / ios,
			(y[4] - x[4]) / ios, (y[5] - x[5]) / ios,
			(y[6] - x[6]) / ios, (y[7] - x[7]) / ios,
			(y[8] - x[8]) / ios }' >>"$OUT/prof.md"
	log "$c $j: $(tail -n 1 "$OUT/prof.md")"
}

{
	echo "kernel $(uname -r), fio window $((PROF_RUNTIME - 3)) s inside a ${PROF_RUNTIME} s run"
	echo
	echo "| config | job | IOPS (window) | insn/IO | ctx sw/IO | NET_RX/IO | NET_TX/IO | BLOCK/IO | TCP in segs/IO | TCP out segs/IO |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT/prof.md"

rc=0
for spec in ${PROF_CONFIGS:-iscsi-scst-nullio iscsi-lio-rdnull}; do
	c=${spec%%@*}
	if [ "$spec" != "$c" ]; then
		export SCST_KO_DIR=${spec#*@}
	fi
	dev=$(iscsi_bench_setup "$c") || dev=
	if [ ! -b "$dev" ]; then
		log "$c: setup failed"; rc=1; iscsi_bench_teardown "$c"; continue
	fi
	echo none >"/sys/block/${dev##*/}/queue/scheduler" 2>/dev/null
	log "$spec: $dev"
	for j in $PROF_JOBS; do
		prof_job "$c" "$dev" "$j" || rc=1
	done
	iscsi_bench_teardown "$c"
done
stop_iscsid
cat "$OUT/prof.md"
exit $rc
