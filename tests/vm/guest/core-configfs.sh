#!/bin/bash
# The core's configfs tree: load, layout, registration of handlers and
# drivers, error paths, clean unload.
. "$(dirname "$0")/../guestlib.sh"

check "load scst" scst_load scst
check "tree has handlers/" test -d $CFG/handlers
check "tree has targets/" test -d $CFG/targets
check "version readable" grep -qx "$(cat VERSION)" $CFG/version
check_fails "version is read-only" sh -c "echo 1 > $CFG/version"
check "setup_id write" sh -c "echo 42 > $CFG/setup_id && grep -qx 42 $CFG/setup_id"
check_fails "setup_id rejects text" sh -c "echo abc > $CFG/setup_id"
check "invalid write logs one line naming object and attribute" \
	sh -c "dmesg | grep -q 'scst: scst: setup_id: not a 32-bit number'"

check "load scst_vdisk" scst_load scst_vdisk
check "load scst_local" scst_load scst_local
check "handler dir vdisk_fileio" test -d $CFG/handlers/vdisk_fileio
check "handler dir vdisk_nullio" test -d $CFG/handlers/vdisk_nullio
check "driver dir scst_local" test -d $CFG/targets/scst_local

# Devices: unique names across handlers, creation attributes gated.
check "mkdir nullio device" mkdir $CFG/handlers/vdisk_nullio/d0
check_fails "same name under another handler is refused" \
	mkdir $CFG/handlers/vdisk_fileio/d0
check_fails "nullio without size cannot be enabled" \
	sh -c "echo 1 > $CFG/handlers/vdisk_nullio/d0/enable"
check "set nullio size" sh -c "echo 1048576 > $CFG/handlers/vdisk_nullio/d0/size"
check "enable device" sh -c "echo 1 > $CFG/handlers/vdisk_nullio/d0/enable"
check_fails "creation attribute busy while enabled" \
	sh -c "echo 4096 > $CFG/handlers/vdisk_nullio/d0/blocksize"
check_fails "enable rejects garbage" \
	sh -c "echo maybe > $CFG/handlers/vdisk_nullio/d0/enable"

# Targets and LUNs.
T=$CFG/targets/scst_local/t0
check "mkdir target" mkdir $T
check "target has luns/ groups/ sessions/" \
	test -d $T/luns -a -d $T/groups -a -d $T/sessions
check "rel_tgt_id assigned" grep -qE '^[1-9][0-9]*$' $T/rel_tgt_id
check "mkdir lun 0" mkdir $T/luns/0
check_fails "lun 16384 refused" mkdir $T/luns/16384
check_fails "lun 007 refused (not canonical)" mkdir $T/luns/007
check "link lun 0 to device" \
	ln -s $CFG/handlers/vdisk_nullio/d0 $T/luns/0/device
check "link resolves to the device" \
	test "$(readlink -f $T/luns/0/device)" = $CFG/handlers/vdisk_nullio/d0
check_fails "second link on one LUN refused" \
	ln -s $CFG/handlers/vdisk_nullio/d0 $T/luns/0/device2
check_fails "device in use cannot be removed" rmdir $CFG/handlers/vdisk_nullio/d0
check "mkdir lun 1" mkdir $T/luns/1
check_fails "link to a non-device refused" ln -s $T/groups $T/luns/1/device
check "group with initiator pattern" \
	sh -c "mkdir -p $T/groups/g1 && mkdir '$T/groups/g1/initiators/iqn.*'"
check_fails "same initiator in two groups refused" \
	sh -c "mkdir -p $T/groups/g2 && mkdir '$T/groups/g2/initiators/iqn.*'"
check_fails "module in use cannot be unloaded" rmmod scst_vdisk

# Teardown in reverse order, then unload.
check "unlink lun" rm $T/luns/0/device
check "rmdir luns" rmdir $T/luns/0 $T/luns/1
check "remove groups" sh -c "rmdir '$T/groups/g1/initiators/iqn.*' && rmdir $T/groups/g1 $T/groups/g2"
check "rmdir target" rmdir $T
check "disable and rmdir device" \
	sh -c "echo 0 > $CFG/handlers/vdisk_nullio/d0/enable && rmdir $CFG/handlers/vdisk_nullio/d0"
check "unload all" scst_unload
check "configfs subsystem gone" test ! -d $CFG
finish
