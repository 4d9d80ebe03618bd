#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/pt-disk.sh
#
# Pass-through handlers (scst_passthrough) on scsi_debug, exported through
# scst_local:
#  1. handlers dev_disk .. dev_raid exist; mkdir validates the name (EINVAL),
#     the device (ENODEV, one log line) and its type (EINVAL).
#  2. a scsi_debug disk (statistics=1) as dev_disk, LUN 0 of a target with
#     two sessions A and B (and as LUN 7): INQUIRY data is scsi_debug's,
#     REPORT LUNS is the target's (0 and 7), a service action the
#     command table lacks gets the device's answer, fio --verify=crc32c passes, and data written through
#     the export is on the device (read back through the local sd).
#  3. max_xfer_kb=64: a 1 MiB READ(10) is split (the device's iorequest_cnt
#     grows by >= 16) and returns the device's data; a 1 MiB transfer through
#     sd verifies.
#  4. RESERVE(6/10), RELEASE, PERSISTENT RESERVE IN/OUT are the core's:
#     A's RESERVE gives B RESERVATION CONFLICT, B's persistent WRITE
#     EXCLUSIVE reservation conflicts A's WRITE, and the device never sees
#     any of them (its iorequest_cnt does not move).
#  4b. commands that change the medium without data-out, or that the
#     command table does not know (SANITIZE, WRITE LONG WR_UNCOR, ATA
#     PASS-THROUGH non-data, a vendor opcode) are DATA PROTECT / WRITE
#     PROTECTED on a read-only LUN and RESERVATION CONFLICT from a nexus
#     without the Write Exclusive reservation; none reaches the device.
#     READ DEFECT DATA (unknown to the table, on the allow list) still does.
#  5. a UNIT ATTENTION of the device (scsi_debug virtual_gb change:
#     CAPACITY DATA HAS CHANGED) reaches the session whose command got it
#     and, queued, the other session; the capacity is re-read.
#  5b. with scsi_debug answering after 10 s, a LUN RESET (sg_reset -d)
#     aborts the READ at the device (returns in < 6 s), B gets the reset
#     UNIT ATTENTION, I/O works afterwards.
#  6. scsi_debug ptype=1 (a "tape": scsi_debug does not emulate tape
#     commands, only the type): dev_tape accepts it, dev_disk refuses it,
#     a WRITE(6) larger than max_xfer_kb is refused with ILLEGAL REQUEST,
#     INVALID FIELD IN CDB and logged once, a small one reaches the device;
#     on a read-only LUN, WRITE FILEMARKS and FORMAT MEDIUM (no data-out)
#     are WRITE PROTECTED, READ POSITION is not.
#  7. scstctl apply creates and enables a dev_disk device from scst.conf;
#     schema-check agrees with the live tree.
# Prints PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"
. "$(dirname "$0")/pt-lib.sh"

T=pt_tgt
TD=$CFS/targets/scst_local/$T
H_ALL="dev_disk dev_tape dev_processor dev_cdrom dev_modisk dev_changer dev_raid"

if ! pt_load; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
missing=
for h in $H_ALL; do
	[ -d "$CFS/handlers/$h" ] || missing="$missing $h"
done
check handlers test -z "$missing"

check sdebug-load sdebug_load dev_size_mb=64
HCTL=$(sdebug_hctl)
SH=${HCTL%%:*}
RAW=$(block_of "$HCTL")
note "scsi_debug $HCTL, local $RAW"

# --- 1. mkdir validation ---
check_not name-invalid mkdir "$CFS/handlers/dev_disk/foo"
check_not name-sign mkdir "$CFS/handlers/dev_disk/+$HCTL"
dmesg -c >/dev/null
err=$(mkdir "$CFS/handlers/dev_disk/99:0:0:0" 2>&1)
check nodev-errno bash -c "echo '$err' | grep -q 'No such device'"
check nodev-logged test "$(dmesg | grep -c 'dev_disk/99:0:0:0: no such SCSI device')" = 1
err=$(mkdir "$CFS/handlers/dev_cdrom/$HCTL" 2>&1)
check type-mismatch bash -c "echo '$err' | grep -q 'Invalid argument'"
check_not type-mismatch-gone test -d "$CFS/handlers/dev_cdrom/$HCTL"

# --- 2. export ---
D=$CFS/handlers/dev_disk/$HCTL
check dev-mkdir mkdir "$D"
check dev-enable cfs_write "$D/enable" 1
check max-xfer-default test "$(cat "$D/max_xfer_kb")" = 0
check_not max-xfer-invalid cfs_write "$D/max_xfer_kb" 2
check target-mkdir mkdir "$TD"
mkdir "$TD/luns/0" && ln -s "$D" "$TD/luns/0/device"
check lun0 test -L "$TD/luns/0/device"
# The same device as LUN 7 too: REPORT LUNS must list 0 and 7 (the target's
# answer; scsi_debug, which has only LUN 0, would list 0 alone).
mkdir "$TD/luns/7" && ln -s "$D" "$TD/luns/7/device"
check lun7 test -L "$TD/luns/7/device"
check enable cfs_write "$TD/enabled" 1
check sess-A mkdir "$TD/sessions/A"
check sess-B mkdir "$TD/sessions/B"
check hosts wait_until 10 bash -c ". $(dirname "$0")/local-lib.sh; host_of $T A && host_of $T B"
HA=$(host_of "$T" A) HB=$(host_of "$T" B)
check devices wait_until 20 bash -c ". $(dirname "$0")/local-lib.sh; sd_of $HA 0 && sg_of $HA 0 && sg_of $HB 0"
SDA=$(sd_of "$HA" 0) SGA=$(sg_of "$HA" 0) SGB=$(sg_of "$HB" 0)
note "A: $SDA $SGA, B: $SGB"

check local-sd-kept test -b "/dev/$RAW"
inq=$(sg_inq "/dev/$SGA" 2>&1)
check inquiry-vendor bash -c "echo '$inq' | grep -q 'Vendor identification: Linux'"
check inquiry-product bash -c "echo '$inq' | grep -q 'Product identification: scsi_debug'"
check report-luns test "$(report_luns "$SGA")" = "0 7"
# GET STREAM STATUS (SERVICE ACTION IN(16) 16h), a service action the
# command table lacks: the export answers what the device answers.
RSG=$(sgdev_of "$HCTL")
a=$(sense_of "$SGA" 9e 16 00 00 00 00 00 00 00 00 00 00 00 40 00 00 -r 64)
b=$(sense_of "$RSG" 9e 16 00 00 00 00 00 00 00 00 00 00 00 40 00 00 -r 64)
note "GET STREAM STATUS: export '$a', device '$b'"
check unknown-sa-passed-through test "$a" = "$b"
check size test "$(blockdev --getsize64 "/dev/$SDA")" = "$(blockdev --getsize64 "/dev/$RAW")"

check fio-verify fio --name=pt --filename="/dev/$SDA" --direct=1 \
	--ioengine=libaio --iodepth=8 --rw=randwrite --bsrange=4k-256k \
	--size=32M --verify=crc32c --do_verify=1 --verify_fatal=1 \
	--randrepeat=0 --output=/dev/null
dd if=/dev/urandom of=/tmp/pt.pat bs=1M count=2 2>/dev/null
dd if=/tmp/pt.pat of="/dev/$SDA" bs=1M seek=40 oflag=direct conv=fsync 2>/dev/null
check written-on-device cmp /tmp/pt.pat <(dd if="/dev/$RAW" bs=1M skip=40 count=2 iflag=direct 2>/dev/null)

# --- 3. splitting ---
check max-xfer-set cfs_write "$D/max_xfer_kb" 64
n0=$(dev_count "$HCTL")
sg_raw -r 1M -o /tmp/pt.rd "/dev/$SGA" 28 00 00 01 40 00 00 08 00 00 >/dev/null 2>&1
n1=$(dev_count "$HCTL")
note "1 MiB READ(10): the device got $((n1 - n0)) commands"
check split-count test $((n1 - n0)) -ge 16
check split-data cmp /tmp/pt.rd <(dd if=/tmp/pt.pat bs=1M count=1 2>/dev/null)
check split-write-verify bash -c "dd if=/tmp/pt.pat of=/dev/$SDA bs=2M seek=10 oflag=direct 2>/dev/null &&
	cmp /tmp/pt.pat <(dd if=/dev/$SDA bs=2M skip=10 count=1 iflag=direct 2>/dev/null) &&
	cmp /tmp/pt.pat <(dd if=/dev/$RAW bs=2M skip=10 count=1 iflag=direct 2>/dev/null)"
check fio-verify-split fio --name=pts --filename="/dev/$SDA" --direct=1 \
	--ioengine=libaio --iodepth=4 --rw=randwrite --bsrange=64k-1m \
	--size=16M --verify=crc32c --do_verify=1 --verify_fatal=1 \
	--output=/dev/null
cfs_write "$D/max_xfer_kb" 0

# --- 4. reservations are the target's: they never reach the device ---
# prout_param FILE RK SARK: a 24-byte PERSISTENT RESERVE OUT parameter list
prout_param() {
	printf "$(printf '%016x%016x%016x' "$2" "$3" 0 | sed 's/../\\x&/g')" >"$1"
}
conflict() {	# conflict SG CDB...: the command ends with RESERVATION CONFLICT
	local g=$1
	shift
	sg_raw -v "/dev/$g" "$@" 2>&1 | grep -qi 'reservation conflict'
}
prout_param /tmp/pt.reg 0 0x1234
prout_param /tmp/pt.key 0x1234 0
prout_param /tmp/pt.unreg 0x1234 0
n0=$(dev_count "$HCTL")
check reserve6-A test "$(sense_of "$SGA" 16 00 00 00 00 00)" = good
check reserve10-B-conflict conflict "$SGB" 56 00 00 00 00 00 00 00 00 00
check read-B-conflict conflict "$SGB" 28 00 00 00 00 00 00 00 01 00 -r 512
check release6-A test "$(sense_of "$SGA" 17 00 00 00 00 00)" = good
check prin-readkeys test "$(sense_of "$SGA" 5e 00 00 00 00 00 00 00 08 00 -r 8)" = good
check prout-register-B test "$(sense_of "$SGB" 5f 00 00 00 00 00 00 00 18 00 -s 24 -i /tmp/pt.reg)" = good
check prout-reserve-we-B test "$(sense_of "$SGB" 5f 01 01 00 00 00 00 00 18 00 -s 24 -i /tmp/pt.key)" = good
check write-A-conflict conflict "$SGA" 2a 00 00 00 00 00 00 00 01 00 -s 512 -i /dev/zero
# no data-out, unknown to the table: writing all the same
check sanitize-A-conflict conflict "$SGA" 48 01 00 00 00 00 00 00 00 00
check write-long-A-conflict conflict "$SGA" 3f 80 00 00 00 00 00 00 00 00
check ata-pt-A-conflict conflict "$SGA" 85 06 20 00 00 00 00 00 00 00 00 00 00 00 e7 00
check vendor-A-conflict conflict "$SGA" c0 00 00 00 00 00 00 00 00 00
check reserve6-A-conflict conflict "$SGA" 16 00 00 00 00 00
check prout-release-B test "$(sense_of "$SGB" 5f 02 01 00 00 00 00 00 18 00 -s 24 -i /tmp/pt.key)" = good
check prout-unregister-B test "$(sense_of "$SGB" 5f 00 00 00 00 00 00 00 18 00 -s 24 -i /tmp/pt.unreg)" = good
n1=$(dev_count "$HCTL")
check resv-not-on-device test -n "$n0" -a "$n1" = "$n0"

# --- 4b. read-only LUN: unknown commands count as writing ---
check lun7-ro cfs_write "$TD/luns/7/read_only" 1
check lun7-sg wait_until 20 bash -c ". $(dirname "$0")/local-lib.sh; sg_of $HA 7"
SG7=$(sg_of "$HA" 7)
WP="data protect: write protected"
n0=$(dev_count "$HCTL")
check ro-sanitize test "$(sense_of "$SG7" 48 01 00 00 00 00 00 00 00 00)" = "$WP"
check ro-write-long test "$(sense_of "$SG7" 3f 80 00 00 00 00 00 00 00 00)" = "$WP"
check ro-ata-pt test "$(sense_of "$SG7" 85 06 20 00 00 00 00 00 00 00 00 00 00 00 e7 00)" = "$WP"
check ro-vendor test "$(sense_of "$SG7" c0 00 00 00 00 00 00 00 00 00)" = "$WP"
check ro-vendor-in test "$(sense_of "$SG7" c1 00 00 00 00 00 00 00 40 00 -r 64)" = "$WP"
check ro-write test "$(sense_of "$SG7" 2a 00 00 00 00 00 00 00 01 00 -s 512 -i /dev/zero)" = "$WP"
n1=$(dev_count "$HCTL")
check ro-refused-not-on-device test -n "$n0" -a "$n1" = "$n0"
check ro-read test "$(sense_of "$SG7" 28 00 00 00 00 00 00 00 01 00 -r 512)" = good
# on the allow list: reaches the device, whatever it answers
s=$(sense_of "$SG7" 37 00 18 00 00 00 00 00 04 00 -r 4)
n2=$(dev_count "$HCTL")
note "READ DEFECT DATA on the read-only LUN: $s"
check ro-harmless-not-refused test "$s" != "$WP"
check ro-harmless-reaches-device test "$n2" -gt "$n1"
check lun7-rw cfs_write "$TD/luns/7/read_only" 0

# --- 5. unit attentions fan out ---
check tur-A test "$(sense_of "$SGA" 00 00 00 00 00 00)" = good
check tur-B test "$(sense_of "$SGB" 00 00 00 00 00 00)" = good
echo 1 > /sys/bus/pseudo/drivers/scsi_debug/virtual_gb
ua=$(sense_of "$SGA" 00 00 00 00 00 00)
note "A after virtual_gb=1: $ua"
check ua-A bash -c "echo '$ua' | grep -q 'unit attention: capacity data has changed'"
ua=$(sense_of "$SGB" 00 00 00 00 00 00)
note "B: $ua"
check ua-B-fanned-out bash -c "echo '$ua' | grep -q 'unit attention: capacity data has changed'"
check ua-A-once test "$(sense_of "$SGA" 00 00 00 00 00 00)" = good
# 1 GiB now: block 1048576 (512 MiB) is in range after the re-read
check capacity-reread wait_until 5 bash -c "sg_raw -r 512 /dev/$SGA 28 00 00 10 00 00 00 00 01 00 >/dev/null 2>&1"

# --- 5b. task management reaches the device ---
# scsi_debug answers after 10 s (2500 jiffies at HZ=250); a LUN RESET from
# A aborts A's READ at the device instead of waiting for it.
check sdebug-delay bash -c "echo 2500 > /sys/bus/pseudo/drivers/scsi_debug/delay"
sg_raw -t 60 -r 4096 "/dev/$SGA" 28 00 00 00 00 00 00 00 08 00 >/tmp/pt.slow 2>&1 &
SLOW=$!
sleep 2
t0=$(date +%s%N)
check lun-reset sg_reset -d "/dev/$SGA"
t1=$(date +%s%N)
wait $SLOW
note "LUN RESET took $(((t1 - t0) / 1000000)) ms; the READ: $(grep -i 'status\|sense' /tmp/pt.slow | head -n 2 | tr '\n' ' ')"
check lun-reset-aborts-device-cmd test $(((t1 - t0) / 1000000)) -lt 6000
echo 0 > /sys/bus/pseudo/drivers/scsi_debug/delay
check lun-reset-ua-B bash -c ". $(dirname "$0")/local-lib.sh; sense_of $SGB 00 00 00 00 00 00 | grep -q 'unit attention: .*reset'"
sense_of "$SGA" 00 00 00 00 00 00 >/dev/null
check after-reset-io cmp <(dd if="/dev/$RAW" bs=1M skip=40 count=1 iflag=direct 2>/dev/null) \
	<(dd if="/dev/$SDA" bs=1M skip=40 count=1 iflag=direct 2>/dev/null)

# --- teardown of the disk ---
check sess-rmdir rmdir "$TD/sessions/A" "$TD/sessions/B"
cfs_write "$TD/enabled" 0
rm -f "$TD/luns/0/device" "$TD/luns/7/device" && rmdir "$TD/luns/0" "$TD/luns/7" "$TD"
check dev-rmdir rmdir "$D"
check sdebug-unload wait_until 10 rmmod scsi_debug

# --- 6. a tape-typed device ---
modprobe st 2>/dev/null
check sdebug-tape sdebug_load dev_size_mb=16 ptype=1
HCTL=$(sdebug_hctl)
SH=${HCTL%%:*}
note "scsi_debug ptype=1 at $HCTL ($(st_of "$HCTL" || echo no st))"
check_not tape-as-disk mkdir "$CFS/handlers/dev_disk/$HCTL"
D=$CFS/handlers/dev_tape/$HCTL
check tape-mkdir mkdir "$D"
check tape-enable cfs_write "$D/enable" 1
check tape-max-xfer cfs_write "$D/max_xfer_kb" 64
mkdir "$TD" && mkdir "$TD/luns/0" && ln -s "$D" "$TD/luns/0/device" &&
	cfs_write "$TD/enabled" 1 && mkdir "$TD/sessions/A"
check tape-host wait_until 10 host_of "$T" A
HA=$(host_of "$T" A)
check tape-sg wait_until 20 sg_of "$HA" 0
SGA=$(sg_of "$HA" 0)
inq=$(sg_inq "/dev/$SGA" 2>&1)
check tape-inquiry-type bash -c "echo '$inq' | grep -qi 'tape'"
# clear the UNIT ATTENTIONs of the new session and of the new device
sense_of "$SGA" 00 00 00 00 00 00 >/dev/null
sense_of "$SGA" 00 00 00 00 00 00 >/dev/null
check tape-tur test "$(sense_of "$SGA" 00 00 00 00 00 00)" = good
dmesg -c >/dev/null
# WRITE(6), variable block, 128 KiB: twice the limit, refused twice, logged once
for i in 1 2; do
	s=$(sense_of "$SGA" 0a 00 02 00 00 00 -s 131072 -i /dev/zero)
	check tape-write-big-refused-$i test "$s" = "illegal request: invalid field in cdb"
done
check tape-big-logged-once test "$(dmesg | grep -c 'exceeds the device')" = 1
n0=$(dev_count "$HCTL")
s=$(sense_of "$SGA" 0a 00 00 00 08 00 -s 4096 -i /dev/zero)
n1=$(dev_count "$HCTL")
note "small WRITE(6) to the tape-typed device: $s"
check tape-write-small-reaches-device test "$n1" -gt "$n0"
check tape-lun-ro cfs_write "$TD/luns/0/read_only" 1
check tape-ro-wfm test "$(sense_of "$SGA" 10 00 00 00 01 00)" = "data protect: write protected"
check tape-ro-format test "$(sense_of "$SGA" 04 00 00 00 00 00)" = "data protect: write protected"
n2=$(dev_count "$HCTL")
check tape-ro-not-on-device test "$n2" = "$n1"
s=$(sense_of "$SGA" 34 00 00 00 00 00 00 00 00 00 -r 20)
note "READ POSITION on the read-only tape LUN: $s"
check tape-ro-read-position test "$s" != "data protect: write protected"
check tape-ro-read-position-reaches-device test "$(dev_count "$HCTL")" -gt "$n2"

check tape-sess-rmdir rmdir "$TD/sessions/A"
cfs_write "$TD/enabled" 0
rm -f "$TD/luns/0/device" && rmdir "$TD/luns/0" "$TD"
check tape-dev-rmdir rmdir "$D"
check sdebug-unload-2 rmmod scsi_debug

# --- 7. scstctl: a dev_disk device from scst.conf ---
S=$PWD/scstctl/scstctl
export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
if [ -x "$S" ]; then
	check sdebug-conf sdebug_load dev_size_mb=16
	HCTL=$(sdebug_hctl)
	cat >/tmp/pt.conf <<CONF
devices = ( { name = "$HCTL"; handler = "dev_disk"; max_xfer_kb = 128; } );
targets = ( { driver = "scst_local"; name = "ptconf";
	      luns = ( { lun = 0; device = "$HCTL"; } );
	      sessions = [ "C" ]; } );
CONF
	check scstctl-apply "$S" apply /tmp/pt.conf
	check scstctl-enabled test "$(cat "$CFS/handlers/dev_disk/$HCTL/enable")" = 1
	check scstctl-attr test "$(cat "$CFS/handlers/dev_disk/$HCTL/max_xfer_kb")" = 128
	check scstctl-no-diff bash -c "'$S' diff /tmp/pt.conf | grep -q '^0 changes'"
	check scstctl-schema-check "$S" schema-check
	HC=$(host_of ptconf C)
	check scstctl-lun wait_until 20 sg_of "$HC" 0
	check scstctl-inquiry bash -c "sg_inq /dev/$(sg_of "$HC" 0) | grep -q 'scsi_debug'"
	check scstctl-clear "$S" clear
	check sdebug-unload-3 rmmod scsi_debug
else
	note "SKIP scstctl: $S not built"
fi
check unload pt_unload
local_finish
