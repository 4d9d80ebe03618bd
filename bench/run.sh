#!/bin/bash
# Usage: bench/run.sh [KVER]          (make bench)
#
# The benchmark: boots ONE VM (tests/vm/run-vm.sh, default the newest
# kernel of tests/vm/kernels.sh) and runs bench/guest.sh there: the same
# fio jobs against each configuration of the local HBA path (raw null_blk,
# scst_local + vdisk_nullio / vdisk_blockio, LIO tcm_loop + rd_mcp
# rd_nullio=1 / iblock) and of the iSCSI path on loopback (scst_iscsi,
# LIO iscsi_target_mod and tgt, each with a null backing and a file in
# tmpfs; open-iscsi initiator).  Then bench/report.py writes
# build/bench/bench-MODE-KVER.md and, with gnuplot, the charts
# build/bench/bench-MODE-KVER-{local,iscsi}.png (MODE = icount | tcg).
# Raw data (fio JSON, CPU samples): build/bench/MODE-KVER/.
# The modules are the DKMS-installed ones (make dkms-install), or
# SCST_KO_DIR's build.
#
# Environment:
#   BENCH_ICOUNT=1   (default) qemu -icount shift=4,sleep=off: guest time
#                    counts instructions (1 instruction = 16 ns), results
#                    repeat and stay valid on a loaded host; needs
#                    single-threaded TCG (qemu refuses MTTCG with it)
#   BENCH_ICOUNT=0   plain multi-threaded TCG (wall-clock guest time;
#                    noisy when other VMs share the host)
#   BENCH_RUNTIME (s per fio run, default 3), BENCH_REPS (default 3),
#   BENCH_CONFIGS, BENCH_JOBS (subsets, see bench/guest.sh, bench/lib.sh),
#   BENCH_ISCSI_JOBS (jobs only for the iSCSI configurations: by default
#   1 MiB sequential read and write; empty: none),
#   BENCH_TIMEOUT (wall-clock limit of the VM run, default 5400 s),
#   BENCH_SMP (vCPUs, default 2; 1 for 6.1 under -icount, see below),
#   SCST_KO_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-$(tests/vm/kernels.sh | tail -n 1)}
ICOUNT=${BENCH_ICOUNT:-1}
mode=$([ "$ICOUNT" = 1 ] && echo icount || echo tcg)
out=build/bench/$mode-$k
rm -rf "$out"
mkdir -p "$out"
gcc -O2 -o build/bench/calib bench/calib.c

# The limit is wall-clock time, kept here: with -icount sleep=off the guest
# clock jumps ahead whenever every vCPU waits for the host (9p reads,
# module loading), so run-vm.sh's guest watchdog, which counts guest
# seconds, gets a deadline it never reaches.
limit=${BENCH_TIMEOUT:-5400}
args=(--kver "$k" --timeout 1000000 --out "$PWD/$out"
	--env "BENCH_CALIB=$PWD/build/bench/calib")
for v in BENCH_RUNTIME BENCH_REPS BENCH_CONFIGS BENCH_JOBS BENCH_TRACE \
	SCST_KO_DIR; do
	[ -n "${!v:-}" ] && args+=(--env "$v=${!v}")
done
# set but empty means none
[ -n "${BENCH_ISCSI_JOBS+set}" ] &&
	args+=(--env "BENCH_ISCSI_JOBS=$BENCH_ISCSI_JOBS")
if [ "$ICOUNT" = 1 ]; then
	export VM_TCG_THREAD=single
	args+=(--qemu-extra "-icount shift=4,sleep=off")
	# Under -icount, 6.1 hangs bringing up its second CPU ("x86: Booting
	# SMP configuration:" is its last line; idle=poll, tsc=unstable and
	# cpu_init_udelay=0 do not help); 6.12 boots with two.
	case $k in
	6.1.*) args+=(--smp "${BENCH_SMP:-1}") ;;
	*) args+=(--smp "${BENCH_SMP:-2}") ;;
	esac
else
	# every host core runs a vCPU
	export VM_TCG_THREAD=multi
	args+=(--smp "${BENCH_SMP:-2}")
fi

start=$(date +%s)
rc=0
timeout -s TERM -k 30 "$limit" tests/vm/run-vm.sh "${args[@]}" -- \
	bench/guest.sh | tee "$out.log" || rc=$?
secs=$(( $(date +%s) - start ))
echo "bench: VM run took ${secs} s (mode $mode, kernel $k, exit $rc)"

md=build/bench/bench-$mode-$k.md
python3 bench/report.py --mode "$mode" --kver "$k" --wall "$secs" \
	"$out/bench" "$md" "build/bench/bench-$mode-$k"
cat "$md"
exit $rc
