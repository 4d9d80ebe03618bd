#!/bin/bash
# Usage: tests/vm/run-cluster.sh tests/vm/cluster/cluster-fence.sh
#
# Node loss with fencing (the ground of a failover test): two nodes with
# stonith enabled and the harness's fence agent (fence_scstvm), a DLM
# lockspace with dlm_controld's fencing on, a dummy resource on node1;
# node2 has node1's qemu killed outright.  Node2 must then fence node1
# (through pacemaker's fencer and the agent), take over the dummy
# resource and recover the lockspace.  Prints the time from the kill to
# the resource running on node2.
# cluster-guests: node1 node2
# cluster-kernels: 6.12*
. "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

me=$VM_NODE
t0=$SECONDS
stamp() { echo "cluster-fence[$me]: $* at $((SECONDS - t0))s"; }

cp "$(dirname "${BASH_SOURCE[0]}")/fence_scstvm" /usr/sbin/fence_scstvm
check "fence_scstvm metadata" sh -c "fence_scstvm -o metadata | grep -q 'resource-agent name=\"fence_scstvm\"'"
check "corosync starts" cl_corosync_start
check "barrier corosync" cl_barrier corosync 300
check "pacemaker starts" cl_pacemaker_start stonith-enabled=true stonith-timeout=120s
check "both nodes online" cl_wait_online 240 node1 node2
check "barrier online" cl_barrier online 300
CL_DLM_FENCING=1 check "dlm_controld starts (fencing on)" cl_dlm_start
check "barrier dlm" cl_barrier dlm 120
wait_until 60 cl_dlm_comms node1 node2
check "dlm_tool join fence" timeout 120 dlm_tool join fence
check "barrier joined" cl_barrier joined 120
stamp "stack up"
[ "$_failed" -eq 0 ] || { cl_stop; finish; exit; }

dummy_on() { [ "$(cl_resource_node dummy)" = "$1" ]; }
if [ "$me" = node1 ]; then
	check "create the fence device" cibadmin --create --scope resources --xml-text \
		'<primitive id="fence" class="stonith" type="fence_scstvm"><instance_attributes id="fence-ia"><nvpair id="fence-hosts" name="pcmk_host_list" value="node1 node2"/></instance_attributes></primitive>'
	check "create dummy" cibadmin --create --scope resources --xml-text \
		'<primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="dummy-monitor" name="monitor" interval="10s"/></operations></primitive>'
	check "dummy prefers node1" cibadmin --create --scope constraints --xml-text \
		'<rsc_location id="dummy-on-node1" rsc="dummy" node="node1" score="100"/>'
	wait_until 180 dummy_on node1
	check "dummy runs on node1" dummy_on node1
	wait_until 120 sh -c "crm_mon -1 | grep -Eq 'fence.*Started'"
	check "fence device started" sh -c "crm_mon -1 | grep -Eq 'fence.*Started'"
	cl_signal ready
	stamp "ready; waiting to be killed"
	sleep 600
	fail "node1 still running" "it should have been killed"
	finish
	exit
fi

cl_wait ready 400 >/dev/null
check "node2 sees dummy on node1" dummy_on node1
t_kill=$(date +%s.%N)
check "node1 killed" cl_request kill node1
stamp "node1 killed"
wait_until 300 dummy_on node2
t_up=$(date +%s.%N)
check "dummy runs on node2 after node1's loss" dummy_on node2
echo "cluster-fence: failover (kill to dummy running on node2): $(echo "$t_up - $t_kill" | bc 2>/dev/null || awk "BEGIN { print $t_up - $t_kill }") s"
check "stonith history: node1 fenced" sh -c "stonith_admin --history node1 2>&1 | tee /tmp/fence-history.txt | grep -Eiq 'reboot of node1.*successful|successfully.*node1|node1.*(rebooted|fenced)'"
cat /tmp/fence-history.txt
check "crm_mon: node1 OFFLINE" sh -c "crm_mon -1 | grep -Eq 'OFFLINE: \[ node1 \]'"
ls_node2() { timeout 10 dlm_tool ls > /tmp/dlm_ls.txt 2>&1 && grep -Eq '^members +2 *$' /tmp/dlm_ls.txt; }
wait_until 120 ls_node2
check "dlm lockspace recovered with node2 alone" ls_node2
cat /tmp/dlm_ls.txt
stamp "recovered"
cl_stop
finish
