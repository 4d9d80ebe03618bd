#!/bin/bash
# Usage: tests/vm/run-vm.sh [--kver KVER] -- tests/vm/selftest.sh
#
# Guest-side self test of the VM harness: checks the environment that
# run-vm.sh promises (configfs, modules, devtmpfs, loopback, writable
# directories, artifact directory) and exits 0 if everything is in place.
set -euo pipefail

fails=0
ok() { echo "selftest: ok   $*"; }
bad() { echo "selftest: FAIL $*"; fails=$((fails + 1)); }
check() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}

kver=$(uname -r)
echo "selftest: kernel $kver (VM_KVER $VM_KVER), root $VM_ROOTMODE, cwd $PWD, out $VM_OUT"
check "uname -r matches VM_KVER" test "$kver" = "$VM_KVER"
check "running as root" test "$(id -u)" = 0
check "/lib/modules/$kver exists" test -f "/lib/modules/$kver/modules.dep"
check "configfs mounted on /sys/kernel/config" grep -q '^configfs /sys/kernel/config configfs' /proc/mounts
check "debugfs mounted" grep -q ' /sys/kernel/debug debugfs' /proc/mounts
check "proc and sysfs mounted" test -e /proc/self/stat -a -d /sys/class/block
check "devtmpfs on /dev" grep -q '^devtmpfs /dev devtmpfs' /proc/mounts
check "/dev/null and /dev/fd usable" bash -c 'echo x > /dev/null && cat <(echo y) >/dev/null'
check "hostname set" test "$(hostname)" = scst-vm
case :$PATH: in *:/usr/sbin:*) ok "PATH has /usr/sbin" ;; *) bad "PATH has /usr/sbin" ;; esac
check "cwd is the repo" test -f tests/vm/run-vm.sh

if ip -o link show lo | grep -q 'LOOPBACK,UP'; then ok "lo is up"; else bad "lo is up"; fi
check "127.0.0.1 on lo" bash -c 'ip -o -4 addr show lo | grep -q "inet 127.0.0.1/8"'
if command -v python3 >/dev/null; then
	check "TCP over loopback" python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname(), timeout=5)
a, _ = s.accept(); c.sendall(b"ping"); assert a.recv(4) == b"ping"'
fi

for d in /tmp /var/tmp /run /root /var/lib /etc "$VM_OUT"; do
	f=$d/.selftest.$$
	if echo "hello $d" > "$f" && [ "$(cat "$f")" = "hello $d" ] && rm -f "$f"; then
		ok "$d writable"
	else
		bad "$d writable"
	fi
done
echo "written by the guest" > "$VM_OUT/selftest-artifact.txt"

# A module from /lib/modules/KVER via modprobe, creating a block device
# without udev.
if modprobe null_blk nr_devices=1 gb=1; then
	for _ in $(seq 50); do [ -b /dev/nullb0 ] && break; sleep 0.1; done
	check "null_blk creates /dev/nullb0" test -b /dev/nullb0
	check "read from /dev/nullb0" dd if=/dev/nullb0 of=/dev/null bs=64k count=16
	check "rmmod null_blk" rmmod null_blk
else
	bad "modprobe null_blk"
fi
if modprobe brd rd_nr=1 rd_size=8192; then
	for _ in $(seq 50); do [ -b /dev/ram0 ] && break; sleep 0.1; done
	check "brd creates /dev/ram0" test -b /dev/ram0
	check "write+read /dev/ram0" bash -c '
		head -c 1048576 /dev/urandom > /tmp/pattern
		dd if=/tmp/pattern of=/dev/ram0 bs=64k oflag=direct status=none
		dd if=/dev/ram0 bs=64k count=16 iflag=direct status=none | cmp - /tmp/pattern'
	check "rmmod brd" rmmod brd
else
	bad "modprobe brd"
fi

if [ "$fails" -ne 0 ]; then
	echo "selftest: $fails check(s) FAILED"
	exit 1
fi
echo "selftest: all checks passed"
