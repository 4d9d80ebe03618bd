#!/bin/bash
# Helpers for the scst_local guest tests (sourced, not run).
#
# Environment:
#   SCST_KO_DIR   directory with scst.ko, scst_vdisk.ko and scst_local.ko
#                 to insmod (quick iterations); unset: modprobe the
#                 installed (dkms) modules
#   LOCAL_VERBOSE 1 = trace the configfs writes

. "$(dirname "${BASH_SOURCE[0]}")/../wait.sh"

CFS=/sys/kernel/config/scst
LOCAL_FAILS=0
LOCAL_PASSES=0

pass() { echo "PASS $1"; LOCAL_PASSES=$((LOCAL_PASSES + 1)); }
fail() { echo "FAIL $1: $2"; LOCAL_FAILS=$((LOCAL_FAILS + 1)); }
note() { echo "# $*"; }

# check NAME CMD...: PASS if CMD succeeds, else FAIL with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "'$*' failed: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	fi
}

# check_not NAME CMD...: PASS if CMD fails.
check_not() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		fail "$name" "'$*' succeeded"
	else
		pass "$name"
	fi
}

# cfs_write FILE VALUE: write to a configfs attribute, report errors.
cfs_write() {
	[ "${LOCAL_VERBOSE:-0}" = 1 ] && note "echo $2 > $1"
	echo "$2" > "$1"
}

local_finish() {
	echo "RESULT $(basename "$0"): $LOCAL_PASSES passed, $LOCAL_FAILS failed"
	[ "$LOCAL_FAILS" -eq 0 ]
}

# --- modules ---

load_modules() {
	modprobe scsi_mod 2>/dev/null
	modprobe sd_mod
	modprobe sg
	modprobe configfs 2>/dev/null
	if [ -n "${SCST_KO_DIR:-}" ]; then
		note "insmod from $SCST_KO_DIR"
		local m ko
		for m in scst scst_vdisk scst_local; do
			ko=$(find "$SCST_KO_DIR" -name "$m.ko" | head -n 1)
			insmod "$ko" || return 1
		done
	else
		modprobe scst || return 1
		modprobe scst_vdisk 2>/dev/null
		modprobe scst_local || return 1
	fi
}

have_vdisk() {
	[ -d "$CFS/handlers/vdisk_nullio" ]
}

unload_modules() {
	local m rc=0
	for m in scst_local scst_vdisk scst; do
		[ -d "/sys/module/$m" ] || continue
		rmmod "$m" || rc=1
	done
	return $rc
}

# --- configfs objects ---

# nullio_dev NAME SIZE [BLOCKSIZE]: declare and enable a vdisk_nullio device
nullio_dev() {
	local d=$CFS/handlers/vdisk_nullio/$1
	mkdir "$d" &&
	cfs_write "$d/size" "$2" &&
	{ [ -z "${3:-}" ] || cfs_write "$d/blocksize" "$3"; } &&
	cfs_write "$d/enable" 1
}

# map_lun LUNSDIR N DEVNAME [ro]: mkdir LUNSDIR/N and link the device
map_lun() {
	local l=$1/$2
	mkdir "$l" &&
	{ [ "${4:-}" != ro ] || cfs_write "$l/read_only" 1; } &&
	ln -s "$CFS/handlers/vdisk_nullio/$3" "$l/device"
}

unmap_lun() {
	rm -f "$1/$2/device" && rmdir "$1/$2"
}

# --- SCSI hosts of scst_local sessions ---

# host_of TARGET INITIATOR: print N of the Linux SCSI host hostN, if any
host_of() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h/scst_target" ] || continue
		if [ "$(cat "$h/scst_target")" = "$1" ] &&
		   [ "$(cat "$h/scst_initiator")" = "$2" ]; then
			echo "${h##*/host}"
			return 0
		fi
	done
	return 1
}

# scsi_dir HOST LUN: sysfs directory of the SCSI device H:0:0:LUN
scsi_dir() {
	echo "/sys/class/scsi_host/host$1/device/target$1:0:0/$1:0:0:$2"
}

# sd_of HOST LUN: print sdX of H:0:0:LUN
sd_of() {
	local b
	for b in "$(scsi_dir "$1" "$2")"/block/*; do
		[ -e "$b" ] || return 1
		[ -b "/dev/${b##*/}" ] || return 1
		echo "${b##*/}"
		return 0
	done
	return 1
}

# sg_of HOST LUN: print sgN of H:0:0:LUN
sg_of() {
	local g
	for g in "$(scsi_dir "$1" "$2")"/scsi_generic/*; do
		[ -e "$g" ] || return 1
		[ -c "/dev/${g##*/}" ] || return 1
		echo "${g##*/}"
		return 0
	done
	return 1
}

# luns_of HOST: the Linux LUN numbers of the host's devices, sorted
luns_of() {
	local d
	for d in /sys/class/scsi_host/host"$1"/device/target"$1":0:0/"$1":0:0:*; do
		[ -e "$d" ] || continue
		echo "${d##*:}"
	done | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# rescan HOST: scan every LUN of the host again (REPORT LUNS)
rescan() {
	echo "- - -" > "/sys/class/scsi_host/host$1/scan"
}

# report_luns SG: the LUNs of REPORT LUNS as decimal numbers, sorted
report_luns() {
	sg_luns "/dev/$1" 2>/dev/null |
		grep -oE '^[[:space:]]+[0-9a-fA-F]{16}' | tr -d ' \t' |
		while read -r hex; do
			local b0=$((16#${hex:0:2})) b1=$((16#${hex:2:2}))
			case $((b0 >> 6)) in
			0) echo "$b1" ;;
			1) echo $((((b0 & 0x3f) << 8) | b1)) ;;
			*) echo "?$hex" ;;
			esac
		done | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# serial_of SG: the unit serial number (VPD page 0x80); vdisk uses the
# device name
serial_of() {
	sg_inq -p 0x80 "/dev/$1" 2>/dev/null |
		sed -n 's/^ *Unit serial number: *//p' | head -n 1
}

# sense_of SG CDB-BYTES... [-- SG_RAW-OPTIONS]: run a CDB with sg_raw and
# print "good" or "<sense key>: <additional sense>", lower case
sense_of() {
	local dev=/dev/$1 out key add
	shift
	out=$(sg_raw -v "$dev" "$@" 2>&1)
	key=$(echo "$out" | sed -n 's/.*[Ss]ense key: *//p' | head -n 1)
	add=$(echo "$out" | sed -n 's/.*[Aa]dditional sense: *//p' | head -n 1)
	if [ -n "$key" ]; then
		echo "$key: $add" | tr 'A-Z' 'a-z'
	elif echo "$out" | grep -qi 'status: *good'; then
		echo good
	else
		echo "other: $(echo "$out" | grep -i status | head -n 1)"
	fi
}
