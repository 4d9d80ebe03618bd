#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/local-basic.sh
#
# scst_local basics: a target with LUNs 0 and 1 (vdisk_nullio), a session
# that becomes a Linux SCSI host, INQUIRY / REPORT LUNS / TEST UNIT READY
# and I/O through sd and sg, sessions of a disabled target, a flat space
# LUN, module pinning, and an orderly teardown.  Prints PASS/FAIL lines;
# exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/local-lib.sh"

T=basic_tgt
TD=$CFS/targets/scst_local/$T

if ! load_modules; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
check driver-dir test -d "$CFS/targets/scst_local"

if ! have_vdisk; then
	fail vdisk "handlers/vdisk_nullio missing: scst_vdisk not loaded, no LUN can be mapped"
	local_finish
	exit 1
fi
check dev-nd0 nullio_dev basic_nd0 64M
check dev-nd1 nullio_dev basic_nd1 32M 4096

check target-mkdir mkdir "$TD"
check target-has-sessions-dir test -d "$TD/sessions"
check lun0-map map_lun "$TD/luns" 0 basic_nd0
check lun1-map map_lun "$TD/luns" 1 basic_nd1

# A session of a disabled target exists in configfs but has no host.
check sess-mkdir-disabled mkdir "$TD/sessions/A"
check_not sess-disabled-no-host host_of "$T" A
check enable cfs_write "$TD/enabled" 1
if wait_until 10 host_of "$T" A; then
	pass host-appears
else
	fail host-appears "no SCSI host with scst_target=$T scst_initiator=A"
	local_finish
	exit 1
fi
H=$(host_of "$T" A)
note "session A is host$H"
check host-attr-target test "$(cat /sys/class/scsi_host/host"$H"/scst_target)" = "$T"
check host-attr-initiator test "$(cat /sys/class/scsi_host/host"$H"/scst_initiator)" = A
check host-proc-name test "$(cat /sys/class/scsi_host/host"$H"/proc_name)" = scst_local

if wait_until 20 sd_of "$H" 0 && wait_until 20 sd_of "$H" 1; then
	pass sd-devices
else
	fail sd-devices "LUNs seen: '$(luns_of "$H")'"
fi
if wait_until 10 sg_of "$H" 0 && wait_until 10 sg_of "$H" 1; then
	pass sg-devices
else
	fail sg-devices "no sg node for LUN 0 or 1"
fi
SD0=$(sd_of "$H" 0)
SD1=$(sd_of "$H" 1)
SG0=$(sg_of "$H" 0)
SG1=$(sg_of "$H" 1)
note "LUN 0: $SD0 $SG0, LUN 1: $SD1 $SG1"
check luns-scanned test "$(luns_of "$H")" = "0 1"

check sg_inq sg_inq "/dev/$SG0"
inq=$(sg_inq "/dev/$SG0" 2>/dev/null)
if echo "$inq" | grep -q 'Vendor identification: *SCST'; then
	pass inquiry-vendor
else
	fail inquiry-vendor "$(echo "$inq" | grep -i vendor)"
fi
luns=$(report_luns "$SG0")
if [ "$luns" = "0 1" ]; then
	pass report-luns
else
	fail report-luns "REPORT LUNS gave '$luns', expected '0 1'"
fi
sg_turs "/dev/$SG1" >/dev/null 2>&1	# may report a UNIT ATTENTION once
check sg_turs sg_turs -n 3 "/dev/$SG1"

# Capacity as the block layer sees it
check size-lun0 test "$(cat /sys/block/"$SD0"/size)" = $((64 * 2048))
check size-lun1 test "$(cat /sys/block/"$SD1"/size)" = $((32 * 2048))
check blocksize-lun1 test "$(cat /sys/block/"$SD1"/queue/logical_block_size)" = 4096

# I/O: buffered and direct, large requests (max_sectors 1 MiB)
check dd-write-direct dd if=/dev/zero of="/dev/$SD0" bs=1M count=8 oflag=direct
check dd-read-direct dd if="/dev/$SD0" of=/dev/null bs=1M count=8 iflag=direct
check dd-write-buffered dd if=/dev/urandom of="/dev/$SD1" bs=64k count=64 conv=fsync
check dd-read-buffered dd if="/dev/$SD1" of=/dev/null bs=4k count=2048
check dd-read-odd dd if="/dev/$SD0" of=/dev/null bs=3584 count=100 iflag=direct
check sg_dd-read sg_dd if="/dev/$SG0" of=/dev/null bs=512 count=4096 bpt=256
# A data-out CDB that comes without data (the core asks ->rdy_to_xfer()
# for it): ABORTED COMMAND, nothing else happens.
s=$(sense_of "$SG0" 2a 00 00 00 00 00 00 00 01 00)
case $s in
"aborted command"*) pass write-without-data ;;
*) fail write-without-data "WRITE(10) of 1 block without data gave '$s'" ;;
esac
check read-short-buffer test "$(sense_of "$SG1" 28 00 00 00 00 00 00 00 01 00 -r 512)" = good
check max-sectors test "$(cat /sys/block/"$SD0"/queue/max_hw_sectors_kb)" -ge 1024

# A flat space LUN: 16383 is the integer 0x7fff = 32767 in Linux.
check lun16383-map map_lun "$TD/luns" 16383 basic_nd1
sg_turs "/dev/$SG0" >/dev/null 2>&1	# REPORTED LUNS DATA HAS CHANGED
rescan "$H"
if wait_until 20 sg_of "$H" 32767; then
	pass lun16383-scanned
	check lun16383-inq sg_inq "/dev/$(sg_of "$H" 32767)"
	check lun16383-read dd if="/dev/$(sd_of "$H" 32767)" of=/dev/null bs=4k count=16 iflag=direct
else
	fail lun16383-scanned "LUNs seen: '$(luns_of "$H")'"
fi
luns=$(report_luns "$SG0")
check report-luns-16383 test "$luns" = "0 1 16383"
if [ -e "$(scsi_dir "$H" 32767)/delete" ]; then
	echo 1 > "$(scsi_dir "$H" 32767)/delete"
fi
check lun16383-unmap unmap_lun "$TD/luns" 16383

# The module is pinned while a session exists.
check_not rmmod-refused-with-session rmmod scst_local
check module-still-loaded test -d /sys/module/scst_local

# A second session while enabled gets a host at once; disable and
# enable take every host down and up again; the session dirs stay.
check sess-B-mkdir mkdir "$TD/sessions/B"
check sess-B-host wait_until 10 host_of "$T" B
HB=$(host_of "$T" B)
check disable cfs_write "$TD/enabled" 0
check_not disable-removes-host-A host_of "$T" A
check_not disable-removes-host-B host_of "$T" B
check disable-keeps-sessions test -d "$TD/sessions/A" -a -d "$TD/sessions/B"
check_not disabled-host-gone test -e "/sys/class/scsi_host/host$H"
check enable-again cfs_write "$TD/enabled" 1
check enable-again-host-A wait_until 10 host_of "$T" A
check enable-again-host-B wait_until 10 host_of "$T" B
H=$(host_of "$T" A)
check enable-again-sd wait_until 20 sd_of "$H" 1
check enable-again-io dd if="/dev/$(sd_of "$H" 1)" of=/dev/null bs=64k count=16 iflag=direct
note "hosts after re-enable: A=host$H B=host$(host_of "$T" B) (B was host$HB)"

# Invalid session names are refused.
check_not sess-name-too-long mkdir "$TD/sessions/$(printf "a%.0s" $(seq 224))"
check_not sess-bad-char mkdir "$TD/sessions/bad#name"

# rmdir of a session removes its host; the other one stays.
SDA=$(sd_of "$H" 0)
check sess-A-rmdir rmdir "$TD/sessions/A"
check_not sess-A-host-gone host_of "$T" A
check_not sess-A-sd-gone test -b "/dev/$SDA" -a -e "/sys/block/$SDA"
check sess-B-still-there host_of "$T" B
check_not target-rmdir-busy rmdir "$TD"
check sess-B-rmdir rmdir "$TD/sessions/B"

# Teardown
check disable-final cfs_write "$TD/enabled" 0
check lun0-unmap unmap_lun "$TD/luns" 0
check lun1-unmap unmap_lun "$TD/luns" 1
check target-rmdir rmdir "$TD"
for d in basic_nd0 basic_nd1; do
	cfs_write "$CFS/handlers/vdisk_nullio/$d/enable" 0
	check "dev-rmdir-$d" rmdir "$CFS/handlers/vdisk_nullio/$d"
done
check no-scst-host-left bash -c '! grep -qs . /sys/class/scsi_host/host*/scst_target'
check modules-unload unload_modules
local_finish
