#!/bin/bash
# Usage: tests/run.sh [--unit] [--pkg] [--vm] [--cluster|--cluster-check] [--kver KVER]...
#                     [--only GLOB] [--parallel-kernels]
#
# Runs the host unit tests and fuzzers (--unit), the package build checks (--pkg:
# tests/pkg/build.sh: make deb, lintian, make rpm, package contents)
# and/or every VM test (tests/vm/guest/*.sh but the *-lib.sh files they
# source) on
# every supported kernel, one VM boot per test and kernel.  A VM test
# passes when its script exits 0 and the guest kernel log is clean
# (tests/vm/run-vm.sh checks it).  Logs go to build/test-logs/.
# --parallel-kernels runs the VM tests of each kernel in its own
# sequence, the kernels side by side (one VM per kernel at a time); the
# output of each kernel is printed when it ends.
# --cluster runs the multi-VM tests (tests/vm/cluster/*.sh but *-lib.sh,
# each through tests/vm/run-cluster.sh) on the kernels that match the
# script's "# cluster-kernels:" globs (all when it has none), one test at a
# time, after the other VM tests (make check-cluster); --cluster-check
# only those with a "# cluster-in-check: yes" line (make check).
# A VM test whose script has a line "# vm-smoke: GLOB NAME=VALUE..." runs
# with those variables on the kernels matching GLOB: a smaller run of a
# long scenario there (the full one on the other kernel), to keep make
# check within its time budget.
# The last line is "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
LOGS=$REPO/build/test-logs
mkdir -p "$LOGS"

unit=0 pkg=0 vm=0 cluster=0 only='*' par=0
kvers=()
while [ $# -gt 0 ]; do
	case "$1" in
	--unit) unit=1 ;;
	--pkg) pkg=1 ;;
	--vm) vm=1 ;;
	--cluster) cluster=1 ;;
	--cluster-check) cluster=2 ;;
	--kver) kvers+=("$2"); shift ;;
	--only) only=$2; shift ;;
	--parallel-kernels) par=1 ;;
	*) echo "usage: $0 [--unit] [--pkg] [--vm] [--cluster|--cluster-check] [--kver KVER]... [--only GLOB] [--parallel-kernels]" >&2
	   exit 2 ;;
	esac
	shift
done
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < <(tests/vm/kernels.sh)

passed=0 failed=0
failures=()

record() {	# name status
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $1"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL $1 (exit $2)"
	fi
}

# A suite counts with its own "N passed, N failed" line.
run_unit_suite() {	# name dir
	run_suite "unit-$1" make -C "$2" check
}

run_suite() {	# name command...
	local name=$1 log=$LOGS/$1.log line p f rc t0=$SECONDS
	shift
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		passed=$((passed + p))
		failed=$((failed + f))
		echo "$name: $line ($((SECONDS - t0)) s)"
		[ "$f" -eq 0 ] && [ $rc -eq 0 ] && return
		grep '^FAIL' "$log"
	fi
	record "$name" $((rc ? rc : 1))
	tail -n 20 "$log"
}

if [ $unit -eq 1 ]; then
	run_unit_suite lib tests/unit/lib
	run_unit_suite iscsi tests/unit/iscsi
	run_unit_suite user tests/unit/user
	run_unit_suite vdisk tests/unit/vdisk
	run_unit_suite scstctl scstctl
	# every tests/unit/*/fuzz_*.c, FUZZ_SECONDS (15) each: tests/unit/fuzz.sh
	run_suite fuzz bash tests/unit/fuzz.sh
fi

if [ $pkg -eq 1 ]; then
	run_suite pkg-build bash tests/pkg/build.sh
fi

# The --env options of test $1 on kernel $2 (its "# vm-smoke:" line).
smoke_env() {
	local glob vars v
	read -r glob vars < <(sed -n 's/^# vm-smoke: *//p' "$1" | head -n 1)
	[ -n "${glob:-}" ] || return 0
	# shellcheck disable=SC2254
	case $2 in $glob) ;; *) return 0 ;; esac
	for v in $vars; do
		printf -- '--env\n%s\n' "$v"
	done
}

# One kernel's VM tests, one VM at a time.
run_vm_kernel() {	# kver
	local k=$1 t name log rc t0 env
	for t in tests/vm/guest/$only.sh; do
		[ -e "$t" ] || continue
		case $t in *-lib.sh) continue ;; esac	# sourced, not run
		name=$(basename "$t" .sh)@$k
		log=$LOGS/vm-$name.log
		t0=$SECONDS
		mapfile -t env < <(smoke_env "$t" "$k")
		echo "--- $name${env[*]:+ (smoke:${env[*]//--env/})}"
		tests/vm/run-vm.sh --kver "$k" --timeout "${VM_TEST_TIMEOUT:-900}" \
			"${env[@]}" -- "$t" >"$log" 2>&1 </dev/null
		rc=$?
		grep -E '^(PASS|FAIL|SKIP|KERNEL-LOG)' "$log" | sed 's/^/    /'
		echo "    ($((SECONDS - t0)) s)"
		record "$name" $rc
		[ $rc -eq 0 ] || tail -n 30 "$log"
	done
}

if [ $vm -eq 1 ] && [ $par -eq 0 ]; then
	for k in "${kvers[@]}"; do
		run_vm_kernel "$k"
	done
elif [ $vm -eq 1 ]; then
	# each kernel in a subshell; its counts come back in a state file
	for k in "${kvers[@]}"; do
		(
			passed=0 failed=0 failures=()
			run_vm_kernel "$k" >"$LOGS/vm-run-$k.out" 2>&1
			echo "$passed $failed ${failures[*]}" >"$LOGS/vm-run-$k.state"
		) &
	done
	wait
	for k in "${kvers[@]}"; do
		cat "$LOGS/vm-run-$k.out"
		read -r p f rest <"$LOGS/vm-run-$k.state" || { p=0 f=1 rest="vm@$k"; }
		passed=$((passed + p))
		failed=$((failed + f))
		# shellcheck disable=SC2206
		[ -z "$rest" ] || failures+=($rest)
	done
fi

# The multi-VM tests, each on the kernels its "# cluster-kernels:" line
# names (globs; all kernels without one).
run_cluster_tests() {
	local t k g globs name log rc t0 want
	for t in tests/vm/cluster/$only.sh; do
		[ -e "$t" ] || continue
		case $t in *-lib.sh) continue ;; esac
		if [ $cluster = 2 ] && ! grep -q '^# cluster-in-check: yes' "$t"; then
			continue
		fi
		globs=$(sed -n 's/^# cluster-kernels: *//p' "$t" | head -n 1)
		for k in "${kvers[@]}"; do
			want=0
			[ -z "$globs" ] && want=1
			for g in $globs; do
				# shellcheck disable=SC2053 # a glob
				[[ $k == $g ]] && want=1
			done
			[ $want = 1 ] || continue
			name=$(basename "$t" .sh)@$k
			log=$LOGS/vm-$name.log
			t0=$SECONDS
			echo "--- $name"
			tests/vm/run-cluster.sh --kver "$k" --timeout "${VM_TEST_TIMEOUT:-900}" -- "$t" \
				>"$log" 2>&1 </dev/null
			rc=$?
			grep -E '^(PASS|FAIL|SKIP|KERNEL-LOG)' "$log" | sed 's/^/    /'
			echo "    ($((SECONDS - t0)) s)"
			record "$name" $rc
			[ $rc -eq 0 ] || grep -E '^run-cluster: ' "$log" | tail -n 30
		done
	done
}

[ $cluster -ge 1 ] && run_cluster_tests

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
