#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/pt-tape.sh
#
# A tape (peripheral type 1) through dev_tape and scst_local: whatever the
# device answers must reach the initiator unchanged.  The device is
# scsi_debug ptype=1.  Up to Linux 6.14 scsi_debug emulates no tape
# command (READ BLOCK LIMITS, REWIND, WRITE FILEMARKS, SPACE, READ
# POSITION, ... came with 6.15): it answers them as a disk would (most
# with ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE; 34h is PRE-FETCH
# to it, 08h/0Ah are disk READ/WRITE(6)).  So this test asserts:
#   - INQUIRY through the export reports peripheral type 1 and the
#     device's identification;
#   - for each tape command: status, sense (key, ASC/ASCQ, the whole
#     sense bytes) and data are the same through SCST as sent directly to
#     the device's sg node, and the command reached the device (its
#     iorequest_cnt grew by one);
#   - st (mt-gnu status, rewind) on the export fails or succeeds as st
#     on the device itself does, with the same message;
#   - per command, whether the emulation really carries it out: PASS
#     when the device answers GOOD (with data where the command returns
#     some), SKIP with the device's answer otherwise, and SKIP too where
#     the opcode is an SBC disk command scsi_debug runs instead (01h
#     REZERO UNIT, 1Bh START STOP UNIT, 34h PRE-FETCH(10), 08h/0Ah).
# Prints PASS/FAIL/SKIP lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"
. "$(dirname "$0")/pt-lib.sh"

T=pt_tape
TD=$CFS/targets/scst_local/$T
W=/tmp/pt-tape
mkdir -p "$W"
skip() { echo "SKIP $1: $2"; }

if ! pt_load; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
modprobe st 2>/dev/null

check sdebug-tape sdebug_load dev_size_mb=16 ptype=1
HCTL=$(sdebug_hctl)
RSG=$(sgdev_of "$HCTL")
D=$CFS/handlers/dev_tape/$HCTL
check tape-mkdir mkdir "$D"
check tape-enable cfs_write "$D/enable" 1
mkdir "$TD" && mkdir "$TD/luns/0" && ln -s "$D" "$TD/luns/0/device" &&
	cfs_write "$TD/enabled" 1 && mkdir "$TD/sessions/A"
check tape-host wait_until 10 host_of "$T" A
HA=$(host_of "$T" A)
check tape-sg wait_until 20 sg_of "$HA" 0
SGA=$(sg_of "$HA" 0)
note "kernel $(uname -r): scsi_debug tape $HCTL (/dev/$RSG), export /dev/$SGA"

# answer SG NAME CDB/OPTIONS...: run the command, write its status,
# sense bytes and data (hex) to $W/NAME.SG, print the one-line summary
answer() {
	local g=$1 n=$2 out
	shift 2
	rm -f "$W/$n.$g.data"
	out=$(sg_raw -vvv -o "$W/$n.$g.data" "/dev/$g" "$@" 2>&1)
	{
		echo "$out" | grep -iE 'status:|sense key|additional sense|info field|received' |
			sed 's/^ *//'
		# the sense bytes as sg_raw dumps them (-vvv)
		echo "$out" | sed -n '/[Ss]ense [Ii]nformation/,/^ *$/p'
		echo "data: $(od -An -tx1 "$W/$n.$g.data" 2>/dev/null | tr -s ' \n' ' ')"
	} >"$W/$n.$g"
	sense_line "$W/$n.$g"
}

sense_line() {
	local key add
	key=$(sed -n 's/.*[Ss]ense key: *//p' "$1" | head -n 1)
	add=$(sed -n 's/.*[Aa]dditional sense: *//p' "$1" | head -n 1)
	if [ -n "$key" ]; then
		echo "$key: $add" | tr '[:upper:]' '[:lower:]'
	elif grep -qi 'status: *good' "$1"; then
		echo good
	else
		echo "other: $(grep -i status "$1" | head -n 1)"
	fi
}

# clear the UNIT ATTENTIONs (power on of the device, new session)
for g in "$RSG" "$RSG" "$SGA" "$SGA"; do
	sg_raw "/dev/$g" 00 00 00 00 00 00 >/dev/null 2>&1
done

inq=$(sg_inq "/dev/$SGA" 2>&1)
check inquiry-pdt-1 bash -c "sg_inq -H /dev/$SGA 2>/dev/null | head -n 1 | grep -qE '^ *00 +01 '"
check inquiry-tape-text bash -c "echo '$inq' | grep -qi 'tape'"
check inquiry-vendor bash -c "echo '$inq' | grep -q 'Vendor identification: Linux'"
check inquiry-product bash -c "echo '$inq' | grep -q 'Product identification: scsi_debug'"

# same NAME CDB/OPTIONS...: the device's answer, directly and through SCST
same() {
	local n=$1 a b n0 n1
	shift
	a=$(answer "$RSG" "$n" "$@")
	n0=$(dev_count "$HCTL")
	b=$(answer "$SGA" "$n" "$@")
	n1=$(dev_count "$HCTL")
	note "$n: device '$a', through SCST '$b'"
	check "$n-same" cmp "$W/$n.$RSG" "$W/$n.$SGA"
	check "$n-reached-device" test $((n1 - n0)) = 1
	LAST=$a
}

# emulated NAME [data] [SBC-NAME]: whether the device carried the tape
# command out.  PASS if it answered GOOD (with data if asked); SKIP with
# its answer otherwise, and also when GOOD proves nothing because the
# opcode is a disk command in SBC, which scsi_debug implements instead.
emulated() {
	local v="scsi_debug on $(uname -r)"
	if [ "$LAST" != good ]; then
		skip "$1-emulated" "$v answers '$LAST': not emulated"
	elif [ -n "${3:-}" ]; then
		skip "$1-emulated" "$v answers GOOD, but ${3}: no proof of tape semantics"
	elif [ "${2:-}" = data ] && [ ! -s "$W/$1.$RSG.data" ]; then
		skip "$1-emulated" "$v answers GOOD without data"
	else
		pass "$1-emulated"
	fi
}

same tur 00 00 00 00 00 00
same rewind 01 00 00 00 00 00
emulated rewind "" "01h is REZERO UNIT in SBC"
same read-block-limits 05 00 00 00 00 00 -r 6
emulated read-block-limits data
same write-filemarks 10 00 00 00 01 00
emulated write-filemarks
same space-filemark 11 01 00 00 01 00
emulated space-filemark
same read-position 34 00 00 00 00 00 00 00 00 00 -r 20
emulated read-position data "34h is PRE-FETCH(10) in SBC"
same load 1b 00 00 00 01 00
emulated load "" "1Bh is START STOP UNIT in SBC"
# MODE SENSE(6) with the block descriptor (density code, block length)
same mode-sense-bd 1a 00 00 00 0c 00 -r 12
emulated mode-sense-bd data
head -c 512 /dev/urandom >"$W/blk"
# WRITE(6) and READ(6), variable block mode, 512 bytes
same write6 0a 00 00 02 00 00 -s 512 -i "$W/blk"
emulated write6 "" "0Ah is WRITE(6) of an LBA in SBC"
same read6 08 00 00 02 00 00 -r 512
emulated read6 data "08h is READ(6) of an LBA in SBC"
if [ "$LAST" = good ]; then
	check read6-data cmp "$W/blk" "$W/read6.$RSG.data"
fi

# st on the device and on the export: same result
st_dev() {	# st_dev SG: the nstN of the SCSI device behind sgN
	local e
	for e in /sys/class/scsi_generic/"$1"/device/scsi_tape/nst*; do
		[ -e "$e" ] && echo "${e##*/}" && return 0
	done
	return 1
}
if RST=$(st_dev "$RSG") && AST=$(st_dev "$SGA") && [ -c "/dev/$RST" ] && [ -c "/dev/$AST" ]; then
	# Both paths drive the same scsi_debug device: each operation starts
	# from a started unit (START STOP UNIT, START=1) on both sides.
	for op in status rewind; do
		sg_raw "/dev/$RSG" 1b 00 00 00 01 00 >/dev/null 2>&1
		a=$(timeout 60 mt -f "/dev/$RST" "$op" 2>&1; echo "rc=$?")
		sg_raw "/dev/$RSG" 1b 00 00 00 01 00 >/dev/null 2>&1
		b=$(timeout 60 mt -f "/dev/$AST" "$op" 2>&1; echo "rc=$?")
		a=${a//$RST/DEV} b=${b//$AST/DEV}
		note "mt $op: device '$(echo "$a" | tr '\n' ' ')', through SCST '$(echo "$b" | tr '\n' ' ')'"
		check "mt-$op-same" test "$a" = "$b"
	done
else
	skip mt "st did not attach to both devices (device ${RST:-none}, export ${AST:-none})"
fi

check tape-sess-rmdir rmdir "$TD/sessions/A"
cfs_write "$TD/enabled" 0
rm -f "$TD/luns/0/device" && rmdir "$TD/luns/0" "$TD"
check tape-dev-rmdir rmdir "$D"
check sdebug-unload wait_until 10 rmmod scsi_debug
rmmod st 2>/dev/null
check unload pt_unload
local_finish
