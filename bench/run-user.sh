#!/bin/bash
# Usage: bench/run-user.sh [KVER]
#
# scst_user benchmark: boots one VM (tests/vm/run-vm.sh, default the
# newest kernel of tests/vm/kernels.sh) and runs bench/user.sh there:
# the same fio jobs against scst_local + vdisk_nullio, scst_local +
# scst_user with the usr/ RAM disk and file disk handlers, and LIO
# tcm_loop + TCMU with tcmu-runner (the file disk's peer: both on a file
# in the same tmpfs).  bench/user-report.py then writes
# build/bench/user-MODE.md with the ratios to vdisk_nullio and scst_user
# file disk / TCMU.  Raw fio JSON: build/bench/user-MODE/bench/.
#
# Environment: BENCH_ICOUNT (1 = -icount shift=4,sleep=off, the default;
# 0 = plain TCG), BENCH_RUNTIME, BENCH_REPS, BENCH_CONFIGS, BENCH_JOBS,
# BENCH_USER_QD, BENCH_TIMEOUT: as for bench/run-local.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-$(tests/vm/kernels.sh | tail -n 1)}
ICOUNT=${BENCH_ICOUNT:-1}
mkdir -p build/bench

timeout=${BENCH_TIMEOUT:-$([ "$ICOUNT" = 1 ] && echo 3600 || echo 2400)}
args=(--kver "$k" --timeout "$timeout")
for v in BENCH_RUNTIME BENCH_REPS BENCH_CONFIGS BENCH_JOBS BENCH_USER_QD \
	SCST_KO_DIR; do
	[ -n "${!v:-}" ] && args+=(--env "$v=${!v}")
done
if [ "$ICOUNT" = 1 ]; then
	mode=icount
	export VM_TCG_THREAD=single	# qemu refuses MTTCG with -icount
	args+=(--qemu-extra "-icount shift=4,sleep=off")
else
	mode=tcg
	export VM_TCG_THREAD=multi
fi
out=build/bench/user-$mode
rm -rf "$out"
mkdir -p "$out"
args+=(--out "$PWD/$out")

start=$(date +%s)
rc=0
tests/vm/run-vm.sh "${args[@]}" -- bench/user.sh | tee build/bench/user-$mode.log || rc=$?
secs=$(( $(date +%s) - start ))
echo "run-user: VM run took ${secs} s (mode $mode, kernel $k, exit $rc)"

python3 bench/user-report.py --mode "$mode" --kver "$k" --wall "$secs" \
	"$out/bench" build/bench/user-$mode.md
cat build/bench/user-$mode.md
exit $rc
