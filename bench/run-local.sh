#!/bin/bash
# Usage: bench/run-local.sh [KVER]
#
# The local HBA benchmark: boots one VM (tests/vm/run-vm.sh, default the
# newest kernel of tests/vm/kernels.sh) and runs bench/local.sh there: the
# same fio jobs against raw null_blk, scst_local + vdisk_nullio,
# scst_local + vdisk_blockio on null_blk, LIO tcm_loop + rd_mcp and
# LIO tcm_loop + iblock on null_blk.  Then bench/local-report.py writes
# build/bench/local.md (and a copy local-MODE.md, MODE = icount | tcg) and,
# with gnuplot, build/bench/local-MODE.png.  Raw fio JSON: build/bench/local-MODE/.
#
# Environment:
#   BENCH_ICOUNT=1   (default) qemu -icount shift=4,sleep=off: guest time
#                    counts instructions, results are repeatable; needs
#                    single-threaded TCG (see bench/qemu-single.sh)
#   BENCH_ICOUNT=0   plain multi-threaded TCG (wall-clock guest time)
#   BENCH_RUNTIME (s per fio run, default 10), BENCH_REPS (default 3),
#   BENCH_CONFIGS, BENCH_JOBS (subsets, see bench/local.sh),
#   BENCH_TIMEOUT (VM time limit, default 2400 s, 3600 s with icount:
#                    run-vm.sh's guest watchdog counts guest seconds, which
#                    run ~2.7x faster than wall-clock seconds with icount)
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-$(tests/vm/kernels.sh | tail -n 1)}
ICOUNT=${BENCH_ICOUNT:-1}
mkdir -p build/bench

timeout=${BENCH_TIMEOUT:-$([ "$ICOUNT" = 1 ] && echo 3600 || echo 2400)}
args=(--kver "$k" --timeout "$timeout")
for v in BENCH_RUNTIME BENCH_REPS BENCH_CONFIGS BENCH_JOBS BENCH_TRACE; do
	[ -n "${!v:-}" ] && args+=(--env "$v=${!v}")
done
if [ "$ICOUNT" = 1 ]; then
	mode=icount
	# run-vm.sh passes "-accel tcg,thread=multi", which qemu refuses
	# with -icount; the wrapper makes it thread=single.
	export BENCH_QEMU_REAL=${QEMU:-qemu-system-x86_64}
	export QEMU=$PWD/bench/qemu-single.sh
	args+=(--qemu-extra "-icount shift=4,sleep=off")
else
	mode=tcg
fi
out=build/bench/local-$mode
rm -rf "$out"
mkdir -p "$out"
args+=(--out "$PWD/$out")

start=$(date +%s)
rc=0
tests/vm/run-vm.sh "${args[@]}" -- bench/local.sh | tee build/bench/local-$mode.log || rc=$?
secs=$(( $(date +%s) - start ))
echo "run-local: VM run took ${secs} s (mode $mode, kernel $k, exit $rc)"

python3 bench/local-report.py --mode "$mode" --kver "$k" --wall "$secs" \
	"$out/bench" build/bench/local-$mode.md build/bench/local-$mode.png
cp build/bench/local-$mode.md build/bench/local.md
cat build/bench/local.md
exit $rc
