#!/bin/bash
# Usage: bench/run-passthrough.sh [KVER]
#
# Pass-through benchmark: boots one VM and runs bench/passthrough.sh
# there: six fio jobs (4k random read and write at queue depth 1 and 32,
# 128k sequential read and write at queue depth 8) against a scsi_debug
# disk directly (its sd, the ceiling), through scst_local + dev_disk, and
# through LIO tcm_loop + pscsi.  bench/pt-report.py then prints Markdown
# rows (median with range, ratios to LIO and to the raw disk, CPU cost,
# context switches and softirqs per I/O), kept with the console log in
# build/bench/passthrough-MODE.{md,log}; raw data in
# build/bench/passthrough-MODE/.
#
# Environment: BENCH_ICOUNT (default 1: qemu -icount, see bench/run-local.sh),
# BENCH_RUNTIME, BENCH_REPS, BENCH_CONFIGS, BENCH_JOBS, BENCH_PERF
# (bench/passthrough.sh),
# BENCH_TIMEOUT (default 2400 s), SCST_KO_DIR (uninstalled modules).
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-$(tests/vm/kernels.sh | tail -n 1)}
ICOUNT=${BENCH_ICOUNT:-1}
mkdir -p build/bench

args=(--kver "$k" --timeout "${BENCH_TIMEOUT:-2400}")
for v in BENCH_RUNTIME BENCH_REPS BENCH_CONFIGS BENCH_JOBS BENCH_PERF SCST_KO_DIR; do
	[ -n "${!v:-}" ] && args+=(--env "$v=${!v}")
done
if [ "$ICOUNT" = 1 ]; then
	mode=icount
	export VM_TCG_THREAD=single
	args+=(--qemu-extra "-icount shift=4,sleep=off")
else
	mode=tcg
	export VM_TCG_THREAD=multi
fi
out=build/bench/passthrough-$mode
rm -rf "$out"
mkdir -p "$out"
args+=(--out "$PWD/$out")
rc=0
tests/vm/run-vm.sh "${args[@]}" -- bench/passthrough.sh |
	tee build/bench/passthrough-$mode.log || rc=$?
python3 bench/pt-report.py --mode "$mode" "$out/bench" |
	tee build/bench/passthrough-$mode.md
exit $rc
