#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-kill.sh
#
# A connection killed in the middle of a WRITE stream (the TCP socket
# of the initiator is reset while fio writes) must leave the target
# serving its other sessions; the killed initiator logs in again; the
# module unloads afterwards.  Also: a malformed PDU drops only its own
# connection.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

T1=iqn.2024-01.org.scst.test:kill1
T2=iqn.2024-01.org.scst.test:kill2

if ! iscsi_setup; then
	fail setup "cannot load modules or start iscsid"
	finish
	exit 1
fi
pass setup
check dev1 fileio_dev kdisk1 64M
check dev2 fileio_dev kdisk2 64M
check tgt1 iscsi_target $T1
check tgt2 iscsi_target $T2
check lun1 map_lun "$ISCSI_CFG/$T1" 0 vdisk_fileio/kdisk1
check lun2 map_lun "$ISCSI_CFG/$T2" 0 vdisk_fileio/kdisk2
echo 1 >"$ISCSI_CFG/$T1/enabled"
echo 1 >"$ISCSI_CFG/$T2/enabled"
# session 1 through port 3260, session 2 through 3261: killing the
# sockets to port 3260 hits session 1 only
P2=127.0.0.1:3261
check portal portal "$P"
check portal2 portal "$P2"
disc >/dev/null 2>&1
P=$P2 disc >/dev/null 2>&1
iscsiadm -m node -T $T1 -p "$P2" -o delete >/dev/null 2>&1
iscsiadm -m node -T $T2 -p "$P" -o delete >/dev/null 2>&1
node_set $T1 node.session.timeo.replacement_timeout 30
check login1 login $T1
P=$P2 check login2 login $T2
check sd1 wait_until 20 sd_of_target $T1
check sd2 wait_until 20 sd_of_target $T2
SD1=$(sd_of_target $T1)
SD2=$(sd_of_target $T2)
SID1=$(sid_of $T1)

# session 2 writes and verifies in the background the whole time
fio --name=bg --filename="$SD2" --rw=randwrite --bs=16k --size=32M \
	--ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c \
	--do_verify=1 --time_based --runtime=40 --eta=never --output=/tmp/bg.out &
BG=$!
# session 1 writes; its TCP connection is reset underneath
fio --name=k --filename="$SD1" --rw=write --bs=256k --size=60M \
	--ioengine=libaio --iodepth=16 --direct=1 --time_based \
	--runtime=20 --output=/tmp/k.out >/dev/null 2>&1 &
K=$!
sleep 5
check kill-connection ss -K dst 127.0.0.1 dport = :3260
wait $K
if wait $BG; then
	pass other-session-survives
else
	fail other-session-survives "$(grep -m3 -i err /tmp/bg.out)"
fi
# iscsid logs in again by itself (session recovery)
logged_in() {
	iscsiadm -m session -r "$SID1" -P 1 2>/dev/null |
		grep -q "iSCSI Session State: LOGGED_IN"
}
check relogin-after-kill wait_until 60 logged_in
check sd1-again wait_until 30 sd_of_target $T1
SD1=$(sd_of_target $T1)
check io-after-relogin fio --name=a --filename="$SD1" --rw=randwrite \
	--bs=4k --size=4M --ioengine=libaio --iodepth=8 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/a.out

# a malformed PDU (a 1 MB data segment in a login) drops only its own
# connection
python3 - <<'PY' >/tmp/bad.out 2>&1
import socket, struct
s = socket.create_connection(("127.0.0.1", 3260), timeout=5)
bhs = bytearray(48)
bhs[0] = 0x43; bhs[1] = 0x87
bhs[5:8] = (0xfffff).to_bytes(3, "big")
s.sendall(bytes(bhs) + b"x" * 1000)
try:
    print("got", len(s.recv(100)))
except Exception as e:
    print("closed", e)
s.close()
# garbage, then close
s = socket.create_connection(("127.0.0.1", 3260), timeout=5)
s.sendall(bytes(range(256)) * 4)
s.close()
PY
check malformed-survives fio --name=m --filename="$SD1" --rw=read --bs=64k \
	--size=4M --ioengine=libaio --iodepth=4 --direct=1 --output=/tmp/m.out

check logout1 logout $T1
P=$P2 check logout2 logout $T2
check teardown iscsi_teardown
check unloaded sh -c "! lsmod | grep -q scst_iscsi"
finish
