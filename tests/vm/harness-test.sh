#!/bin/bash
# Usage: tests/vm/harness-test.sh [KVER...]
#
# Host-side test of the VM harness, for each kernel (default: all listed by
# tests/vm/kernels.sh): runs selftest.sh (expects 0), a script doing
# "exit 7" (expects 7), a script that logs a fake kernel WARNING (expects 3),
# a script that panics the guest (expects 125) and one that sleeps past
# --timeout (expects 124; once stopped by the guest-side watchdog, once by the
# host killing qemu); finally the self test for all kernels in parallel.
# run-vm.sh always gets stdin from /dev/null and its output through a pipe,
# as under CI.  Prints a summary; exits non-zero if anything was unexpected.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
RUNVM=$HERE/run-vm.sh
BUILD=${VM_BUILD_DIR:-$REPO/build/vm}

if [ $# -gt 0 ]; then
	KVERS=("$@")
else
	mapfile -t KVERS < <("$HERE/kernels.sh")
fi
[ ${#KVERS[@]} -gt 0 ] || { echo "harness-test: no kernels found" >&2; exit 2; }

mkdir -p "$BUILD"
WORK=$(mktemp -d "$BUILD/harness-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
printf '#!/bin/bash\necho "exiting with 7"\nexit 7\n' > "$WORK/exit7.sh"
printf '#!/bin/bash\necho "<4>WARNING: harness-test: fake kernel warning" > /dev/kmsg\nexit 0\n' > "$WORK/warn.sh"
printf '#!/bin/bash\nsleep 0.5\necho c > /proc/sysrq-trigger\nsleep 60\n' > "$WORK/panic.sh"
printf '#!/bin/bash\necho "sleeping forever"\nsleep 100000\n' > "$WORK/hang.sh"

RESULTS=()
FAILED=0
# run NAME EXPECTED KVER SCRIPT [run-vm options...]
run() {
	local name=$1 want=$2 kver=$3 script=$4 rc t0 t1 log boot
	shift 4
	log=$WORK/$name-$kver.log
	echo "=== $name on $kver (expect exit $want)"
	t0=$SECONDS
	set +e
	"$RUNVM" --kver "$kver" --out "$WORK/out-$name-$kver" "$@" -- "$script" </dev/null 2>&1 |
		cat > "$log"
	rc=${PIPESTATUS[0]}
	set -e
	t1=$SECONDS
	sed 's/^/    /' "$log" | grep -v '^    \[ *[0-9.]*\] ' | tail -n 40 || true
	boot=$(sed -n 's/^run-vm: boot-to-script \([0-9.]*s\).*/\1/p' "$log" | tail -n 1)
	if [ "$rc" = "$want" ]; then
		RESULTS+=("PASS  $(printf '%-10s %-24s exit %-3s (%ss, boot-to-script %s)' "$name" "$kver" "$rc" "$((t1 - t0))" "${boot:-n/a}")")
	else
		RESULTS+=("FAIL  $(printf '%-10s %-24s exit %-3s expected %s (log: %s)' "$name" "$kver" "$rc" "$want" "$log")")
		FAILED=$((FAILED + 1))
		trap - EXIT   # keep the logs
	fi
}

for k in "${KVERS[@]}"; do
	run selftest 0 "$k" "$HERE/selftest.sh" --timeout 300
	run exit7 7 "$k" "$WORK/exit7.sh" --timeout 120
	run kernlog 3 "$k" "$WORK/warn.sh" --timeout 120
	run panic 125 "$k" "$WORK/panic.sh" --timeout 120
	run timeout 124 "$k" "$WORK/hang.sh" --timeout 60   # guest-side watchdog
	run hostkill 124 "$k" "$WORK/hang.sh" --timeout 20  # host kills qemu
done

# All kernels at once: no shared temp files between concurrent runs.
if [ ${#KVERS[@]} -gt 1 ]; then
	echo "=== selftest on ${KVERS[*]} in parallel"
	pids=()
	for k in "${KVERS[@]}"; do
		"$RUNVM" --kver "$k" --timeout 400 --out "$WORK/out-parallel-$k" -- "$HERE/selftest.sh" \
			</dev/null > "$WORK/parallel-$k.log" 2>&1 &
		pids+=($!)
	done
	i=0
	for k in "${KVERS[@]}"; do
		set +e
		wait "${pids[$i]}"
		rc=$?
		set -e
		i=$((i + 1))
		boot=$(sed -n 's/^run-vm: boot-to-script \([0-9.]*s\).*/\1/p' "$WORK/parallel-$k.log" | tail -n 1)
		if [ "$rc" = 0 ] && grep -q 'selftest: all checks passed' "$WORK/parallel-$k.log"; then
			RESULTS+=("PASS  $(printf '%-10s %-24s exit %-3s (boot-to-script %s)' parallel "$k" "$rc" "${boot:-n/a}")")
		else
			RESULTS+=("FAIL  $(printf '%-10s %-24s exit %-3s (log: %s)' parallel "$k" "$rc" "$WORK/parallel-$k.log")")
			FAILED=$((FAILED + 1))
			trap - EXIT
		fi
	done
fi

echo
echo "=== harness-test summary"
printf '%s\n' "${RESULTS[@]}"
if [ "$FAILED" -ne 0 ]; then
	echo "harness-test: $FAILED FAILED (logs in $WORK)"
	exit 1
fi
echo "harness-test: all passed"
