#!/bin/bash
# Usage (in a guest of tests/vm/run-cluster.sh): cluster-guest.sh SCRIPT [ARGS...]
#
# Sets up this guest's part of the cluster, then runs "bash SCRIPT ARGS...":
#   - the cluster NIC (MAC 52:54:00:77:00:(10+VM_NODE_INDEX)) renamed cl0,
#     up, with VM_NODE_ADDR/24; IPv6 off on it (no DAD wait);
#   - /etc/hosts: every guest name at its address (the own name too,
#     instead of 127.0.1.1, as on a real cluster node);
#   - the shared directory (9p tag clshare) at /mnt/cluster, without
#     caching, and VM_SHARED_DISK if the shared disk is attached;
#   - on exit, /mnt/cluster/exit.NAME holds the script's status, so that
#     peers waiting at a barrier give up at once (cluster-lib.sh).
set -uo pipefail

say() { echo "cluster-guest[$VM_NODE]: $*"; }

setup() {
	local mac dev i a n
	mac=52:54:00:77:00:$((10 + VM_NODE_INDEX))
	modprobe -a virtio_net virtio_blk || return 1
	for i in $(seq 50); do
		dev=$(grep -l "^$mac\$" /sys/class/net/*/address 2>/dev/null | head -n 1)
		[ -n "$dev" ] && break
		sleep 0.1
	done
	[ -n "$dev" ] || { say "no NIC with MAC $mac"; return 1; }
	dev=${dev%/address}
	dev=${dev##*/}
	if [ "$dev" != cl0 ]; then
		ip link set "$dev" name cl0 || return 1
	fi
	sysctl -qw net.ipv6.conf.cl0.disable_ipv6=1 2>/dev/null
	ip addr add "$VM_NODE_ADDR/24" dev cl0 || return 1
	ip link set cl0 up || return 1

	sed -i '/^127\.0\.1\.1[[:space:]]/d' /etc/hosts
	read -r -a a <<<"$VM_NODE_ADDRS"
	i=0
	for n in $VM_NODES; do
		printf '%s\t%s\n' "${a[$i]}" "$n" >> /etc/hosts
		i=$((i + 1))
	done

	mkdir -p /mnt/cluster
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none \
		clshare /mnt/cluster || return 1
	# No udev: find the virtio disk by its serial.
	for n in /sys/block/vd*; do
		[ "$(cat "$n/serial" 2>/dev/null)" = scst-shared ] || continue
		export VM_SHARED_DISK=/dev/${n##*/}
	done
	return 0
}

if ! setup; then
	say "setup failed"
	echo 2 > "/mnt/cluster/exit.$VM_NODE" 2>/dev/null
	exit 2
fi
say "cl0 $VM_NODE_ADDR, boot $VM_NODE_BOOT${VM_SHARED_DISK:+, shared disk $VM_SHARED_DISK}"
rm -f "/mnt/cluster/exit.$VM_NODE"
bash "$@"
rc=$?
echo "$rc" > "/mnt/cluster/exit.$VM_NODE"
exit $rc
