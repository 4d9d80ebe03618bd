#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/local-masking.sh
#
# LUN masking seen through scst_local sessions.  Target T:
#   luns/0 -> X, luns/1 -> Y                      (initiator A: default set)
#   groups/gB/initiators/B, groups/gB/luns/0 -> Y read-only, luns/1 -> Z
# Checks that each host sees its own LUN set, that B cannot write Y (DATA
# PROTECT), that LUN set changes raise REPORTED LUNS DATA HAS CHANGED and
# show after a rescan without dropping the session, and that moving B out
# of its group switches it to the default set.  Prints PASS/FAIL lines;
# exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"

T=mask_tgt
TD=$CFS/targets/scst_local/$T
G=$TD/groups/gB

if ! load_modules; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
if ! have_vdisk; then
	fail vdisk "handlers/vdisk_nullio missing: scst_vdisk not loaded"
	local_finish
	exit 1
fi

# Devices told apart by their unit serial number (the device name).
check dev-X nullio_dev mask_X 16M
check dev-Y nullio_dev mask_Y 32M
check dev-Z nullio_dev mask_Z 48M
# the unit serial number vdisk made for a device (derived from setup_id
# or the host name, and the device name)
usn_of() {
	cat "$CFS/handlers/vdisk_nullio/$1/usn"
}

check target-mkdir mkdir "$TD"
check def-lun0 map_lun "$TD/luns" 0 mask_X
check def-lun1 map_lun "$TD/luns" 1 mask_Y
check group-mkdir mkdir "$G"
check group-initiator mkdir "$G/initiators/B"
check group-lun0-ro map_lun "$G/luns" 0 mask_Y ro
check group-lun1 map_lun "$G/luns" 1 mask_Z
check enable cfs_write "$TD/enabled" 1
check sess-A mkdir "$TD/sessions/A"
check sess-B mkdir "$TD/sessions/B"
check host-A wait_until 10 host_of "$T" A
check host-B wait_until 10 host_of "$T" B
HA=$(host_of "$T" A)
HB=$(host_of "$T" B)
note "A is host$HA, B is host$HB"
for h in "$HA" "$HB"; do
	for l in 0 1; do
		wait_until 20 sg_of "$h" "$l" && wait_until 20 sd_of "$h" "$l" ||
			fail "devices-host$h" "LUN $l missing (seen: $(luns_of "$h"))"
	done
done
SGA0=$(sg_of "$HA" 0) SGA1=$(sg_of "$HA" 1)
SGB0=$(sg_of "$HB" 0) SGB1=$(sg_of "$HB" 1)
SDA1=$(sd_of "$HA" 1) SDB0=$(sd_of "$HB" 0) SDB1=$(sd_of "$HB" 1)
note "A: $SGA0 $SGA1 ($SDA1)  B: $SGB0 $SGB1 ($SDB0 $SDB1)"

# Who sees what
check A-luns test "$(report_luns "$SGA0")" = "0 1"
check B-luns test "$(report_luns "$SGB0")" = "0 1"
check A-lun0-is-X test "$(serial_of "$SGA0")" = "$(usn_of mask_X)"
check A-lun1-is-Y test "$(serial_of "$SGA1")" = "$(usn_of mask_Y)"
check B-lun0-is-Y test "$(serial_of "$SGB0")" = "$(usn_of mask_Y)"
check B-lun1-is-Z test "$(serial_of "$SGB1")" = "$(usn_of mask_Z)"

# Read-only for B on Y, read-write for A on Y and for B on Z
WRITE10_1="2a 00 00 00 00 00 00 00 01 00"
check B-lun0-ro-flag test "$(cat /sys/block/"$SDB0"/ro)" = 1
check A-lun1-rw-flag test "$(cat /sys/block/"$SDA1"/ro)" = 0
s=$(sense_of "$SGB0" $WRITE10_1 -s 512 -i /dev/zero)
case $s in
*"data protect"*"write protected"*) pass B-write-Y-data-protect ;;
*) fail B-write-Y-data-protect "WRITE(10) by B to Y gave '$s'" ;;
esac
check_not B-dd-write-Y dd if=/dev/zero of="/dev/$SDB0" bs=4k count=1 oflag=direct
check B-read-Y dd if="/dev/$SDB0" of=/dev/null bs=4k count=16 iflag=direct
check A-write-Y test "$(sense_of "$SGA1" $WRITE10_1 -s 512 -i /dev/zero)" = good
check A-dd-write-Y dd if=/dev/zero of="/dev/$SDA1" bs=64k count=16 oflag=direct
check B-dd-write-Z dd if=/dev/zero of="/dev/$SDB1" bs=64k count=16 oflag=direct

# Add a LUN to A's set while the sessions run.
TUR="00 00 00 00 00 00"
check def-lun2-add map_lun "$TD/luns" 2 mask_Z
s=$(sense_of "$SGA0" $TUR)
case $s in
*"unit attention"*"reported luns data has changed"*) pass A-ua-luns-changed ;;
*) fail A-ua-luns-changed "TEST UNIT READY after adding a LUN gave '$s'" ;;
esac
check B-no-ua test "$(sense_of "$SGB0" $TUR)" = good
rescan "$HA"
if wait_until 20 sg_of "$HA" 2; then
	pass A-rescan-sees-lun2
else
	fail A-rescan-sees-lun2 "LUNs seen: $(luns_of "$HA")"
fi
check A-lun2-is-Z test "$(serial_of "$(sg_of "$HA" 2)")" = "$(usn_of mask_Z)"
check A-luns-after-add test "$(report_luns "$SGA0")" = "0 1 2"
check A-same-host test "$(host_of "$T" A)" = "$HA"
check A-old-device-kept test "$(sg_of "$HA" 0)" = "$SGA0"
check A-io-after-add dd if="/dev/$SDA1" of=/dev/null bs=64k count=16 iflag=direct
check B-luns-unchanged test "$(report_luns "$SGB0")" = "0 1"

# Remove LUN 1 from A's set.
check def-lun1-remove unmap_lun "$TD/luns" 1
s=$(sense_of "$SGA0" $TUR)
case $s in
*"unit attention"*"reported luns data has changed"*) pass A-ua-luns-changed-remove ;;
*) fail A-ua-luns-changed-remove "TEST UNIT READY after removing a LUN gave '$s'" ;;
esac
check A-luns-after-remove test "$(report_luns "$SGA0")" = "0 2"
s=$(sense_of "$SGA1" $TUR)
case $s in
*"illegal request"*"not supported"*) pass A-lun1-gone ;;
*) fail A-lun1-gone "TEST UNIT READY to the removed LUN gave '$s'" ;;
esac
echo 1 > "$(scsi_dir "$HA" 1)/delete"
rescan "$HA"
sleep 1
check A-devices-after-remove test "$(luns_of "$HA")" = "0 2"
check A-same-host-2 test "$(host_of "$T" A)" = "$HA"

# B leaves its group: it sees the default set (X at 0, Z at 2).
check B-leave-group rmdir "$G/initiators/B"
s=$(sense_of "$SGB0" $TUR)
case $s in
*"unit attention"*"reported luns data has changed"*) pass B-ua-group-change ;;
*) fail B-ua-group-change "TEST UNIT READY after the group change gave '$s'" ;;
esac
check B-luns-default test "$(report_luns "$SGB0")" = "0 2"
check B-lun0-now-X test "$(serial_of "$SGB0")" = "$(usn_of mask_X)"
check B-lun0-now-writable test "$(sense_of "$SGB0" $WRITE10_1 -s 512 -i /dev/zero)" = good
# ... and back, by pattern this time.
check B-pattern mkdir "$G/initiators/[AB]"
sense_of "$SGB0" $TUR >/dev/null
check B-luns-group-again test "$(report_luns "$SGB0")" = "0 1"
check B-lun0-Y-again test "$(serial_of "$SGB0")" = "$(usn_of mask_Y)"
check A-also-in-group test "$(report_luns "$SGA0")" = "0 1"
check pattern-rmdir rmdir "$G/initiators/[AB]"

# Teardown
check sess-A-rmdir rmdir "$TD/sessions/A"
check sess-B-rmdir rmdir "$TD/sessions/B"
check disable cfs_write "$TD/enabled" 0
check group-luns-unmap bash -c ". $(dirname "$0")/local-lib.sh; unmap_lun $G/luns 0 && unmap_lun $G/luns 1"
check group-rmdir rmdir "$G"
check def-luns-unmap bash -c ". $(dirname "$0")/local-lib.sh; unmap_lun $TD/luns 0 && unmap_lun $TD/luns 2"
check target-rmdir rmdir "$TD"
for d in mask_X mask_Y mask_Z; do
	cfs_write "$CFS/handlers/vdisk_nullio/$d/enable" 0
	check "dev-rmdir-$d" rmdir "$CFS/handlers/vdisk_nullio/$d"
done
check modules-unload unload_modules
local_finish
