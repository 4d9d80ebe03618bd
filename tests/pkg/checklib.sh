# Sourced by the package checks: pass/fail counters and check().
# Set SUITE (the name in the closing "SUITE: N passed, N failed" line)
# before calling finish.
# shellcheck shell=bash
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: ${2:-}"; }
# check NAME COMMAND...: the command succeeds
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"
	else fail "$name" "$(echo "$out" | tail -n 5 | tr '\n' ' ')"; fi
}
finish() {
	echo "$SUITE: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
