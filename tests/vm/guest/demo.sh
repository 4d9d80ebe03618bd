#!/bin/bash
# Usage: tests/vm/run-vm.sh -- tests/vm/guest/demo.sh     (what make demo runs)
#
# The README's demo: apply examples/demo.conf (a fileio LUN behind a
# CHAP-protected iSCSI target on 127.0.0.1:3260) with scstctl, then, as an
# iSCSI initiator would, with open-iscsi in the same VM: discovery, a login
# without CHAP and one with a wrong secret (both refused), the login with
# the right secret, 8 MiB written to the new /dev/sdX and read back
# (sha256), logout; then scstctl clear and module unload.
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
SCSTCTL=$PWD/scstctl/scstctl
CONF=examples/demo.conf
IMG=/var/tmp/scst-demo.img
TGT=iqn.2024-01.org.scst.demo:disk0
P=127.0.0.1:3260
INI=iqn.2024-01.org.scst.demo:initiator
CHAP_USER=demo-initiator
CHAP_SECRET=demo-secret-123

[ -x "$SCSTCTL" ] || make -s -C scstctl scstctl >/dev/null

say() { echo "== $*"; }

# scstctl apply loads the modules itself (modprobe); loading them first
# lets SCST_KO_DIR builds be used instead of the installed ones.
modprobe -a libcrc32c crc32c_generic iscsi_tcp sd_mod sg 2>/dev/null
check "load modules" scst_load scst scst_vdisk scst_iscsi
truncate -s 64M "$IMG"

say "scstctl check $CONF"
check "config is valid" $SCSTCTL check $CONF
say "scstctl apply $CONF"
$SCSTCTL apply $CONF
check "second apply makes 0 changes" sh -c "$SCSTCTL apply $CONF | grep -q '0 changes'"
say "configfs tree"
find "$CFG/targets" "$CFG/drivers" -maxdepth 4 | sed "s|$CFG/||" | sort
check_fails "CHAP secret cannot be read back" \
	grep -qF "$CHAP_SECRET" "$CFG/targets/iscsi/$TGT/auth/secret"
say "scstctl status"
$SCSTCTL status

say "open-iscsi: iscsid, discovery on $P"
start_iscsid
iscsiadm -m discovery -t sendtargets -p $P | tee /tmp/demo-disc.out
check "discovery lists the target" grep -q "$TGT" /tmp/demo-disc.out

say "login without CHAP, then with a wrong secret (both refused)"
check_fails "login without CHAP is refused" login $TGT
node_set $TGT node.session.auth.authmethod CHAP
node_set $TGT node.session.auth.username $CHAP_USER
node_set $TGT node.session.auth.password wrong-secret-12
check_fails "login with a wrong secret is refused" login $TGT

say "login with CHAP user $CHAP_USER"
node_set $TGT node.session.auth.password $CHAP_SECRET
check "CHAP login" login $TGT
iscsiadm -m session
check "disk appears" wait_until 30 sd_of_target $TGT
SD=$(sd_of_target $TGT)
say "the LUN is $SD"
lsscsi 2>/dev/null | grep -i scst
sg_inq "$SD" | sed -n '/Vendor/,/revision/p'
check "INQUIRY vendor SCST" sh -c "sg_inq $SD | grep -q 'Vendor identification: SCST'"
check "size 64 MiB" test "$(blockdev --getsize64 "$SD")" = $((64 << 20))

say "write 8 MiB of random data to $SD, read it back"
dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 status=none
want=$(sha256sum </tmp/pattern | cut -d' ' -f1)
check "write" dd if=/tmp/pattern of="$SD" bs=1M oflag=direct status=none
got=$(dd if="$SD" bs=1M count=8 iflag=direct status=none | sha256sum | cut -d' ' -f1)
echo "sha256 written:   $want"
echo "sha256 read back: $got"
check "read back equals what was written" test "$got" = "$want"
check "backing file holds the same bytes" \
	test "$(head -c 8M "$IMG" | sha256sum | cut -d' ' -f1)" = "$want"

say "logout"
check "logout" logout $TGT
check "session gone" sh -c "! iscsiadm -m session 2>/dev/null | grep -q $TGT"
stop_iscsid

say "scstctl clear"
check "clear" $SCSTCTL clear
check "nothing left" \
	test -z "$(find $CFG/handlers $CFG/targets -mindepth 2 -maxdepth 2)$(find $CFG/drivers/iscsi/portals -mindepth 1 -maxdepth 1)"
check "unload" scst_unload
finish
