#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-basic.sh
#
# scst_iscsi with open-iscsi over loopback: discovery, login, a disk
# that passes fio --verify, logout and login again, digests, CHAP
# (right, wrong, mutual, discovery), LUN masking by initiator group,
# and module unload at the end.  One PASS/FAIL line per check.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

T1=iqn.2024-01.org.scst.test:disk1
T2=iqn.2024-01.org.scst.test:disk2
T3=iqn.2024-01.org.scst.test:hidden

if ! iscsi_setup; then
	fail setup "cannot load modules or start iscsid"
	dmesg | tail -n 20
	finish
	exit 1
fi
pass setup

check dev-fileio fileio_dev fdisk0 64M
check dev-nullio nullio_dev ndisk0 32M
check target-mkdir iscsi_target $T1
check_fails target-bad-name mkdir "$ISCSI_CFG/not-an-iqn"
check target-attrs test "$(cat $ISCSI_CFG/$T1/max_burst_length)" -gt 0
check lun-map map_lun "$ISCSI_CFG/$T1" 0 vdisk_fileio/fdisk0
check target-enable sh -c "echo 1 > $ISCSI_CFG/$T1/enabled"
check iscsi_target2 iscsi_target $T2
check lun-map2 map_lun "$ISCSI_CFG/$T2" 0 vdisk_nullio/ndisk0
check target2-enable sh -c "echo 1 > $ISCSI_CFG/$T2/enabled"
check target3-disabled iscsi_target $T3
check portal portal "$P"
check_fails portal-bad portal "not-an-address"

# discovery lists the enabled targets only
disc >/tmp/disc.out 2>&1
check discovery grep -q "$T1" /tmp/disc.out
check discovery-t2 grep -q "$T2" /tmp/disc.out
check_fails discovery-hides-disabled grep -q "$T3" /tmp/disc.out

check login login $T1
if wait_until 20 sd_of_target $T1; then
	pass sd-appears
else
	fail sd-appears "no block device"
fi
SD=$(sd_of_target $T1)
check sd-size test "$(dev_size "$SD")" = $((64 << 20))
check fio-verify fio --name=v --filename="$SD" --rw=randwrite --bs=4k \
	--size=16M --ioengine=libaio --iodepth=16 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/fio1.out
check fio-big-io fio --name=b --filename="$SD" --rw=write --bs=1M \
	--size=16M --ioengine=libaio --iodepth=4 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/fio2.out
check logout logout $T1
check session-gone sh -c "! iscsiadm -m session 2>/dev/null | grep -q $T1"
check relogin login $T1
check relogin-sd wait_until 20 sd_of_target $T1
SD=$(sd_of_target $T1)
check relogin-data-kept fio --name=b --filename="$SD" --rw=write --bs=1M \
	--size=16M --ioengine=libaio --iodepth=4 --direct=1 \
	--verify=crc32c --verify_only=1 --output=/tmp/fio3.out
check logout2 logout $T1

# header and data digests
node_set $T1 node.conn[0].iscsi.HeaderDigest CRC32C
node_set $T1 node.conn[0].iscsi.DataDigest CRC32C
check digest-login login $T1
check digest-sd wait_until 20 sd_of_target $T1
SD=$(sd_of_target $T1)
check digest-fio fio --name=d --filename="$SD" --rw=randrw --bs=64k \
	--size=8M --ioengine=libaio --iodepth=8 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/fio4.out
check digest-logout logout $T1
node_set $T1 node.conn[0].iscsi.HeaderDigest None
node_set $T1 node.conn[0].iscsi.DataDigest None

# InitialR2T=Yes, no immediate data, small bursts: everything by R2T
echo Yes >"$ISCSI_CFG/$T1/initial_r2t"
echo No >"$ISCSI_CFG/$T1/immediate_data"
echo 8192 >"$ISCSI_CFG/$T1/max_burst_length"
echo 4 >"$ISCSI_CFG/$T1/max_outstanding_r2t"
check r2t-login login $T1
check r2t-sd wait_until 20 sd_of_target $T1
SD=$(sd_of_target $T1)
check r2t-fio fio --name=r --filename="$SD" --rw=randwrite --bs=128k \
	--size=8M --ioengine=libaio --iodepth=8 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/fio5.out
check r2t-logout logout $T1
echo No >"$ISCSI_CFG/$T1/initial_r2t"
echo Yes >"$ISCSI_CFG/$T1/immediate_data"
echo 1048576 >"$ISCSI_CFG/$T1/max_burst_length"

# CHAP
A=$ISCSI_CFG/$T1/auth
check chap-set-user sh -c "echo user1 > $A/userid"
check_fails chap-short-secret sh -c "echo short > $A/secret"
check chap-set-secret sh -c "echo secret-secret-1 > $A/secret"
check_fails chap-secret-unreadable cat $A/secret
check_fails chap-none-refused login $T1
node_set $T1 node.session.auth.authmethod CHAP
node_set $T1 node.session.auth.username user1
node_set $T1 node.session.auth.password wrong-secret-1
check_fails chap-wrong-refused login $T1
node_set $T1 node.session.auth.password secret-secret-1
check chap-login login $T1
check chap-logout logout $T1
echo target1 >"$A/mutual_userid"
echo mutual-secret-2 >"$A/mutual_secret"
node_set $T1 node.session.auth.username_in target1
node_set $T1 node.session.auth.password_in mutual-secret-2
check chap-mutual-login login $T1
check chap-mutual-logout logout $T1
node_set $T1 node.session.auth.password_in wrong-mutual-2
check_fails chap-mutual-wrong-refused login $T1
for f in userid secret mutual_userid mutual_secret; do echo >"$A/$f"; done
node_set $T1 node.session.auth.authmethod None

# discovery CHAP
DA=$CFG/drivers/iscsi/discovery_auth
echo duser >"$DA/userid"
echo disc-secret-123 >"$DA/secret"
check_fails disc-chap-required disc
iscsiadm -m discoverydb -t st -p "$P" -o new >/dev/null 2>&1
iscsiadm -m discoverydb -t st -p "$P" -o update -n discovery.sendtargets.auth.authmethod -v CHAP
iscsiadm -m discoverydb -t st -p "$P" -o update -n discovery.sendtargets.auth.username -v duser
iscsiadm -m discoverydb -t st -p "$P" -o update -n discovery.sendtargets.auth.password -v disc-secret-123
check disc-chap iscsiadm -m discoverydb -t st -p "$P" --discover
echo >"$DA/userid"
echo >"$DA/secret"
iscsiadm -m discoverydb -t st -p "$P" -o delete >/dev/null 2>&1
disc >/dev/null 2>&1

# LUN masking: initiator2 is in a group with a 64M LUN 0; initiator1
# is in no group and sees the default set (T2's nullio, 32M).
G=$ISCSI_CFG/$T2/groups/g2
fileio_dev fdisk1 48M
mkdir -p "$G/initiators/iqn.2024-01.org.scst.test:initiator2"
check group-lun map_lun "$G" 0 vdisk_fileio/fdisk1
check mask-login login $T2
check mask-sd wait_until 20 sd_of_target $T2
check mask-default-set test "$(dev_size "$(sd_of_target $T2)")" = $((32 << 20))
check mask-logout logout $T2
stop_iscsid
INI=iqn.2024-01.org.scst.test:initiator2 start_iscsid
check mask-login2 login $T2
check mask-sd2 wait_until 20 sd_of_target $T2
check mask-group-set test "$(dev_size "$(sd_of_target $T2)")" = $((48 << 20))
check mask-logout2 logout $T2

check teardown iscsi_teardown
check unloaded sh -c "! lsmod | grep -q scst_iscsi"
finish
