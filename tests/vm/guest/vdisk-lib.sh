# Shared by the vdisk-*.sh guest tests; source it.
#
#   pass/fail/expect/expect_err/expect_quiet
#                         one "PASS name" / "FAIL name: reason" per check
#   vdisk_load_modules    scsi drivers, then scst, scst_local, scst_vdisk
#                         from VDISK_MODDIR or SCST_KO_DIR (a build tree)
#                         or modprobe (DKMS install)
#   find_host, sg_of N, blk_of N, settle DEV   the scst_local host and its
#                         LUN N's sg and block devices
C=/sys/kernel/config/scst
W=$(mktemp -d /tmp/vdisk.XXXXXX)
FAILS=0
PASSES=0

pass() { echo "PASS $1"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL $1: $2"; FAILS=$((FAILS + 1)); }

# _expect WANT NAME PATTERN CMD...: WANT 0: CMD must exit 0, 1: non-zero;
# and its output (stdout and stderr) must match PATTERN, never empty
_expect() {
	local want=$1 name=$2 pat=$3 out rc
	shift 3
	if [ -z "$pat" ]; then
		fail "$name" "empty pattern: a check that cannot fail"
		return 1
	fi
	out=$("$@" 2>&1)
	rc=$?
	if [ "$want" = 0 ] && [ $rc != 0 ]; then
		fail "$name" "exit status $rc: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	elif [ "$want" = 1 ] && [ $rc = 0 ]; then
		fail "$name" "exit status 0, want an error: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	elif grep -Eqi -- "$pat" <<<"$out"; then
		pass "$name"
		return 0
	else
		fail "$name" "no /$pat/ in: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	fi
	return 1
}

# expect NAME PATTERN CMD...: CMD succeeds and prints PATTERN
expect() { _expect 0 "$@"; }
# expect_err NAME PATTERN CMD...: CMD fails (e.g. CHECK CONDITION) and
# prints PATTERN (e.g. the sense)
expect_err() { _expect 1 "$@"; }

# expect_quiet NAME CMD...: CMD succeeds and prints nothing
expect_quiet() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ] && [ -z "$out" ]; then
		pass "$name"
	else
		fail "$name" "exit status $rc, output: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	fi
}

# blkstat DEV FIELD: field FIELD of /sys/block/DEV/stat (DEV without
# /dev/): 12 discards, 14 discarded sectors, 16 flushes completed
blkstat() { awk -v f="$2" '{ print $f }' "/sys/block/${1#/dev/}/stat"; }

# expect_delta NAME "BEFORE-AFTER CMD" COND CMD...: CMD succeeds, and the
# growth of the number the first command prints satisfies COND (awk,
# e.g. ">= 8")
expect_delta() {
	local name=$1 ctr=$2 cond=$3 a b out rc
	shift 3
	a=$(eval "$ctr")
	out=$("$@" 2>&1)
	rc=$?
	b=$(eval "$ctr")
	if [ $rc != 0 ]; then
		fail "$name" "exit status $rc: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	elif [ -n "$a" ] && [ -n "$b" ] &&
		awk -v d=$((b - a)) "BEGIN { exit !(d $cond) }"; then
		pass "$name"
	else
		fail "$name" "$ctr: $a -> $b, want growth $cond"
	fi
}

vdisk_load_modules() {
	local d=${VDISK_MODDIR:-${SCST_KO_DIR:-}}
	modprobe -a scsi_mod sd_mod sr_mod sg 2>/dev/null
	if [ -n "$d" ]; then
		insmod "$d/scst.ko" && insmod "$d/targets/local/scst_local.ko" &&
			insmod "$d/handlers/vdisk/scst_vdisk.ko"
	else
		modprobe scst_local && modprobe scst_vdisk
	fi
}

H=
find_host() {
	local h
	for h in /sys/class/scsi_host/host*; do
		if grep -q scst_local "$h/proc_name" 2>/dev/null; then
			H=${h##*host}
			return 0
		fi
	done
	return 1
}
sg_of() { ls "/sys/bus/scsi/devices/$H:0:0:$1/scsi_generic" 2>/dev/null | sed 's|^|/dev/|'; }
blk_of() { ls "/sys/bus/scsi/devices/$H:0:0:$1/block" 2>/dev/null | sed 's|^|/dev/|'; }
settle() { for _ in 1 2 3 4; do sg_turs "$1" >/dev/null 2>&1 && return; done; }
