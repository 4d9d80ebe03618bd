#!/bin/bash
# Usage: bench/run-scstctl.sh [KVER]
# Boots the VM once and times scstctl apply / re-apply / clear of 4096 LUNs
# on 64 targets with the DKMS-installed modules; the table goes to
# build/bench/scstctl-apply.md.
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-$(tests/vm/kernels.sh | tail -n 1)}
mkdir -p build/bench
tests/vm/run-vm.sh --kver "$k" --timeout 1500 -- bench/scstctl-apply.sh |
	tee build/bench/scstctl-apply.log
grep '^|' build/bench/scstctl-apply.log >build/bench/scstctl-apply.md
cat build/bench/scstctl-apply.md
