# Shared by the vdisk-*.sh guest tests; source it.
#
#   pass/fail/expect      one "PASS name" / "FAIL name: reason" per check
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

expect() {
	local name=$1 pat=$2 out
	shift 2
	out=$("$@" 2>&1)
	if grep -Eqi -- "$pat" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "no /$pat/ in: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
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
