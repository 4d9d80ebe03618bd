#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-kill.sh
#
# A connection killed in the middle of a WRITE stream (the TCP socket
# of the initiator is reset while fio writes) must leave the target
# serving its other sessions; the reset is confirmed (ss -K lists the
# socket, the initiator logs the connection error, and it logs in again
# over a new TCP connection); the module unloads afterwards.  No response
# carries another session's data (the core's buffer cache).  Also: a malformed PDU drops only its own
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
# the initiator's end of session 1's connection (local address:port)
conn1() { ss -Htn state established dst 127.0.0.1 dport = :3260 | awk '{ print $3 }' | head -n 1; }
C0=$(conn1)
check conn-before test -n "$C0"
dmesg -c >/dev/null
out=$(ss -K state established dst 127.0.0.1 dport = :3260 2>&1); rc=$?
echo "# ss -K: $(tr '\n' ' ' <<<"$out")"
check kill-connection test "$rc" = 0 -a -n "$C0" -a "$(grep -cF "$C0" <<<"$out")" -ge 1
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
# the connection was really reset: the initiator saw the error and logged
# in again over a new TCP connection
check conn-error-seen sh -c "dmesg | grep -q 'detected conn error'"
check conn-new wait_until 30 sh -c "c=\$(ss -Htn state established dst 127.0.0.1 dport = :3260 | awk '{ print \$3 }' | head -n 1); test -n \"\$c\" -a \"\$c\" != '$C0'"
check sd1-again wait_until 30 sd_of_target $T1
SD1=$(sd_of_target $T1)
check io-after-relogin fio --name=a --filename="$SD1" --rw=randwrite \
	--bs=4k --size=4M --ioengine=libaio --iodepth=8 --direct=1 \
	--verify=crc32c --do_verify=1 --output=/tmp/a.out

# No response carries another session's data: session 2 READs a pattern
# (its buffers go back to the core's cache), session 1 asks for INQUIRY,
# MODE SENSE and REPORT LUNS with allocation lengths far above what they
# return; none of the bytes it gets is the pattern.
sg_of_sd() { ls "/sys/block/${1#/dev/}/device/scsi_generic" 2>/dev/null | sed 's|^|/dev/|'; }
SG1=$(sg_of_sd "$SD1")
SG2=$(sg_of_sd "$SD2")
head -c 65536 /dev/zero | tr '\0' '\245' >/tmp/pat
check leak-pattern-written dd if=/tmp/pat of="$SD2" bs=64k count=1 oflag=direct
: >/tmp/leak.out
for i in $(seq 20); do
	sg_raw -r 4096 -o /tmp/rd4 "$SG2" 28 00 00 00 00 00 00 00 08 00 >/dev/null 2>&1
	sg_raw -r 65536 -o /tmp/rd64 "$SG2" 28 00 00 00 00 00 00 00 80 00 >/dev/null 2>&1
	for cdb in "12 00 00 10 00 00" "1a 00 3f 00 ff 00" \
		"5a 00 3f 00 00 00 00 10 00 00" "a0 00 00 00 00 00 00 00 10 00 00 00" \
		"5a 00 3f 00 00 00 00 ff ff 00"; do
		sg_raw -r 65535 -o /tmp/resp "$SG1" $cdb >/dev/null 2>&1 &&
			cat /tmp/resp >>/tmp/leak.out
	done
done
check leak-reads-pattern cmp /tmp/rd64 /tmp/pat
check leak-responses test "$(stat -c %s /tmp/leak.out)" -gt 1000
check no-leak python3 -c "
import sys
sys.exit(b'\xa5' * 16 in open('/tmp/leak.out', 'rb').read())"

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
