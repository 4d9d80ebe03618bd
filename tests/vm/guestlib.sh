# Shared helpers for guest test scripts (tests/vm/guest/*.sh); source it.
#
#   pass NAME / fail NAME REASON / skip NAME REASON   one line per check
#   check NAME CMD...          pass if CMD succeeds, else fail
#   check_fails NAME CMD...    pass if CMD fails
#   finish                     exit 1 if any check failed
#   scst_load MODULE...        modprobe (the DKMS-installed modules)
#   scst_unload                remove every configured object, unload
#   wait_until SECS CMD...     poll CMD until it succeeds (wait.sh)
#
# Environment: SCST_KO_DIR, if set, loads modules with insmod from that
# build directory instead (quick iteration on uninstalled builds).

. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

CFG=/sys/kernel/config/scst
_failed=0
_passed=0

pass() { _passed=$((_passed + 1)); echo "PASS $1"; }
fail() { _failed=$((_failed + 1)); echo "FAIL $1: ${2:-}"; }
skip() { echo "SKIP $1: ${2:-}"; }

check() {
	local name=$1; shift
	if "$@" >/tmp/check.out 2>&1; then pass "$name"
	else fail "$name" "$(tail -n 3 /tmp/check.out | tr '\n' ' ')"; fi
}

check_fails() {
	local name=$1; shift
	if "$@" >/tmp/check.out 2>&1; then fail "$name" "unexpectedly succeeded"
	else pass "$name"; fi
}

finish() {
	echo "checks: $_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ]
}

scst_load() {
	local m
	# No udev in the guest: load what binds to new SCSI devices, and
	# what insmod would not pull in by itself.
	modprobe -a configfs scsi_mod sd_mod sg libcrc32c 2>/dev/null
	for m in "$@"; do
		if [ -n "${SCST_KO_DIR:-}" ]; then
			insmod "$(find "$SCST_KO_DIR" -name "$m.ko" | head -n1)" ||
				return 1
		else
			modprobe "$m" || return 1
		fi
	done
}

# Tear down whatever the test configured, children before parents.
scst_clear() {
	local d
	[ -d "$CFG" ] || return 0
	for d in "$CFG"/targets/*/*/; do
		[ -d "$d" ] || continue
		echo 0 >"$d/enabled" 2>/dev/null
		find "$d" -mindepth 1 -type l -delete 2>/dev/null
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	for d in "$CFG"/handlers/*/*/; do
		[ -d "$d" ] || continue
		echo 0 >"$d/enable" 2>/dev/null
	done
	find "$CFG"/handlers -mindepth 2 -maxdepth 2 -type d -exec rmdir {} +
}

scst_unload() {
	scst_clear
	local m
	for m in scst_iscsi scst_local scst_passthrough scst_vdisk scst; do
		if lsmod | grep -q "^$m "; then
			rmmod "$m" || return 1
		fi
	done
}
