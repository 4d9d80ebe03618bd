#!/bin/bash
# QEMU wrapper for bench/run.sh (and run-passthrough.sh): tests/vm/run-vm.sh always passes
# "-accel tcg,thread=multi", which qemu refuses together with -icount
# ("No MTTCG when icount is enabled"), and a second -accel option does not
# override it.  This runs the real qemu (BENCH_QEMU_REAL, default
# qemu-system-x86_64) with every tcg accelerator switched to single-threaded.
args=()
for a in "$@"; do
	case $a in
	tcg,*thread=multi*) a=${a//thread=multi/thread=single} ;;
	esac
	args+=("$a")
done
exec "${BENCH_QEMU_REAL:-qemu-system-x86_64}" "${args[@]}"
