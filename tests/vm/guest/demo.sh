#!/bin/bash
# The README's demo: apply examples/demo.conf with scstctl, then use the
# LUNs through the local SCSI hosts with sg3_utils and dd.
. "$(dirname "$0")/../guestlib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
SCSTCTL=$PWD/scstctl/scstctl
CONF=examples/demo.conf

# The SCSI disk of initiator $1 at LUN $2, via the host's sysfs attributes.
local_disk() {
	local h dev
	for h in /sys/class/scsi_host/host*; do
		grep -qx "$1" "$h/scst_initiator" 2>/dev/null || continue
		for dev in /sys/class/scsi_disk/"${h##*host}":0:0:"$2"/device/block/*; do
			[ -e "$dev" ] && echo "/dev/${dev##*/}" && return 0
		done
	done
	return 1
}

wait_disk() {
	local i
	for i in $(seq 1 30); do
		local_disk "$1" "$2" && return 0
		sleep 1
	done
	return 1
}

scst_load scst scst_vdisk scst_local
truncate -s 64M /var/tmp/scst-demo.img

echo "== scstctl check $CONF"
check "config is valid" $SCSTCTL check $CONF
echo "== scstctl diff $CONF"
$SCSTCTL diff $CONF
echo "== scstctl apply $CONF"
check "apply" $SCSTCTL apply $CONF
check "second apply makes 0 changes" sh -c "$SCSTCTL apply $CONF | grep -q '0 changes'"
echo "== configfs tree"
find $CFG -maxdepth 6 | sed "s|$CFG/||" | sort | head -60
echo "== scstctl status"
$SCSTCTL status
check "status reads the kernel's runtime state" \
	sh -c "$SCSTCTL status | grep -q 'kernel_runtime: yes'"

check "hostA disk appears" wait_disk hostA 0
check "hostB disk appears" wait_disk hostB 0
A0=$(local_disk hostA 0); B0=$(local_disk hostB 0)
echo "hostA LUN 0: $A0, hostB LUN 0: $B0"
sg_inq "$A0"
sg_readcap "$A0"
sg_luns "$A0"
check "INQUIRY vendor SCST" sh -c "sg_inq $A0 | grep -q 'Vendor identification: SCST'"
check "hostA sees LUNs 0 and 1" sh -c "[ \$(sg_luns $A0 | grep -c 'lun=\|    [0-9]') -ge 2 ] || sg_luns $A0 | grep -q '0001'"
check "hostB sees only LUN 0" sh -c "! sg_luns $B0 | grep -q '0001'"

dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 status=none
check "write 8 MiB through hostA" dd if=/tmp/pattern of="$A0" bs=1M oflag=direct status=none
check "read back equals what was written" \
	bash -c "cmp <(dd if=$A0 bs=1M count=8 iflag=direct status=none) /tmp/pattern"
check "backing file holds the same bytes" \
	bash -c "cmp <(dd if=/var/tmp/scst-demo.img bs=1M count=8 status=none) /tmp/pattern"
check_fails "hostB cannot write (read-only LUN)" \
	dd if=/tmp/pattern of="$B0" bs=4k count=1 oflag=direct status=none

echo "== scstctl clear"
check "clear" $SCSTCTL clear
check "nothing left" \
	test -z "$(find $CFG/handlers $CFG/targets -mindepth 2 -maxdepth 2)"
check "unload" scst_unload
finish
