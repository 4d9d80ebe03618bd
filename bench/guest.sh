#!/bin/bash
# Guest side of bench/run.sh (runs in tests/vm/run-vm.sh's VM): the same
# fio jobs (bench/lib.sh) against each configuration of $BENCH_CONFIGS,
# one at a time: the local HBA path (bench/local.sh) and the iSCSI path
# on loopback (bench/iscsi.sh).  Per fio run: $VM_OUT/bench/CFG.JOB.REP.json
# and .cpu (CPU sample); info.txt, calib.*, perf.txt.
#
# Environment: BENCH_RUNTIME (s per run, default 3), BENCH_REPS (default
# 3), BENCH_CONFIGS, BENCH_JOBS (subsets), BENCH_ISCSI_JOBS (jobs added
# for the iSCSI configurations; empty: none), BENCH_CALIB (the calibration
# loop binary), BENCH_TRACE=1 (set -x during set-up).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/vm/guestlib.sh"
. "$here/../tests/vm/guest/iscsi-lib.sh"
. "$here/lib.sh"
. "$here/local.sh"
. "$here/iscsi.sh"

LOCAL_CONFIGS="null scst-nullio scst-nullio-zero lio-rdnull lio-rdmcp scst-blockio lio-iblock"
ISCSI_CONFIGS="iscsi-scst-nullio iscsi-lio-rdnull iscsi-tgt-null iscsi-scst-fileio iscsi-lio-fileio iscsi-tgt-rdwr"
CONFIGS=${BENCH_CONFIGS:-"$LOCAL_CONFIGS $ISCSI_CONFIGS"}
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.cpu "$OUT"/*.err

setup() {
	case $1 in
	iscsi-*) iscsi_bench_setup "$1" ;;
	*) local_setup "$1" ;;
	esac
}

teardown() {
	case $1 in
	iscsi-*) iscsi_bench_teardown "$1" ;;
	*) local_teardown "$1" ;;
	esac
}

bench_info "user_hz=$(getconf CLK_TCK)" \
	"tgt=$(dpkg-query -W -f='${Version}' tgt 2>/dev/null || echo none)" \
	"fio_libiscsi=$(fio --enghelp 2>&1 | grep -qi iscsi && echo yes || echo no)"

calibrate
perf_probe

rc=0
for c in $CONFIGS; do
	t0=$(date +%s)
	[ "${BENCH_TRACE:-0}" = 1 ] && set -x
	dev=$(setup "$c") || dev=
	set +x
	if ! bench_dev "$c" "$dev"; then
		rc=1; teardown "$c"; continue
	fi
	cjobs=$JOBS
	case $c in iscsi-*) cjobs="$JOBS $ISCSI_JOBS" ;; esac
	for r in $(seq 1 "$REPS"); do
		for j in $cjobs; do
			run_job "$c" "$dev" "$j" "$r" || rc=1
		done
	done
	teardown "$c"
	log "$c: done in $(( $(date +%s) - t0 )) s (guest time)"
done
stop_iscsid
exit $rc
