#!/bin/bash
# Usage: bench/run-local.sh [KVER]
# The local HBA path of bench/run.sh alone (same environment variables).
BENCH_CONFIGS=${BENCH_CONFIGS:-"null scst-nullio scst-nullio-zero lio-rdnull lio-rdmcp scst-blockio lio-iblock"} \
	exec "$(dirname "$0")/run.sh" "$@"
