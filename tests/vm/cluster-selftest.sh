#!/bin/bash
# Usage: tests/vm/run-cluster.sh tests/vm/cluster-selftest.sh
#
# Self test of the multi-VM harness (not part of make check): the
# private network (addresses, names, ping both ways), barriers and events
# through /mnt/cluster, the shared disk (a block written with O_DIRECT on
# one guest read back on the other, both ways), cutting a guest off the
# network and connecting it again, and a restart (node1 has node2's qemu
# killed and booted again; node2's second boot reports in).
# cluster-guests: node1 node2
# cluster-disk: 16
. "$(dirname "${BASH_SOURCE[0]}")/cluster/cluster-lib.sh"

peer=node2
[ "$VM_NODE" = node2 ] && peer=node1
peer_addr=$(cl_addr $peer)

if [ "$VM_NODE_BOOT" -gt 1 ]; then
	check "second boot of $VM_NODE reached the script" test "$VM_NODE_BOOT" = 2
	check "ping $peer after the restart" cl_ping "$peer_addr" 1
	cl_signal rebooted "$VM_NODE boot $VM_NODE_BOOT"
	finish
	exit
fi

check "hostname is $VM_NODE" test "$(hostname)" = "$VM_NODE"
check "cl0 has $VM_NODE_ADDR" sh -c "ip -4 -o addr show cl0 | grep -q ' $VM_NODE_ADDR/24 '"
check "$peer resolves to $peer_addr" test "$(getent hosts $peer | cut -d' ' -f1)" = "$peer_addr"
check "barrier net" cl_barrier net 300
check "ping $peer" cl_ping "$peer_addr"

# Shared disk: each guest writes its own block, the other reads it.
blk=1
[ "$VM_NODE" = node2 ] && blk=2
check "shared disk present: $VM_SHARED_DISK" test -b "${VM_SHARED_DISK:-/nonexistent}"
head -c 65536 /dev/urandom > /tmp/mine
dd if=/tmp/mine of="$VM_SHARED_DISK" bs=65536 seek=$blk oflag=direct status=none
cl_signal "disk.$VM_NODE" "$(sha256sum < /tmp/mine | cut -d' ' -f1)"
want=$(cl_wait "disk.$peer" 120)
got=$(dd if="$VM_SHARED_DISK" bs=65536 skip=$((3 - blk)) count=1 iflag=direct status=none |
	sha256sum | cut -d' ' -f1)
check "block written by $peer read here" test -n "$want" -a "$got" = "$want"

check "barrier disk" cl_barrier disk 120
if [ "$VM_NODE" = node1 ]; then
	check "cut node2 off" cl_request down node2
	check_fails "no ping to node2 while it is cut off" cl_ping "$peer_addr" 2
	check "connect node2 again" cl_request up node2
	check "ping node2 again" cl_ping "$peer_addr"
	cl_signal linktest ok
	check "restart node2" cl_request restart node2
	got=$(cl_wait rebooted 400)
	check "node2's second boot reports in" test "$got" = "node2 boot 2"
else
	# Wait to be killed; node1 carries on.
	cl_wait linktest 120 >/dev/null
	sleep 600
	fail "still running after the restart request"
fi
finish
