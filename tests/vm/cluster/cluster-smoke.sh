#!/bin/bash
# Usage: tests/vm/run-cluster.sh tests/vm/cluster/cluster-smoke.sh
#
# The cluster stack comes up in two guests: corosync forms a two-node
# membership (quorate with two_node), pacemaker sees both nodes online,
# dlm_controld joins both to a DLM lockspace, and a dummy resource
# (ocf:pacemaker:Dummy) started by pacemaker moves from one node to the
# other on crm_resource --move.  Fencing is off (stonith-enabled=false,
# dlm_controld --enable_fencing 0): see docs/design.md for what a
# failover test needs instead.
# cluster-guests: node1 node2
# cluster-kernels: 6.12*
# cluster-in-check: yes
. "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

me=$VM_NODE
peer=node2
[ "$me" = node2 ] && peer=node1
t0=$SECONDS
stamp() { echo "cluster-smoke[$me]: $* at $((SECONDS - t0))s"; }
# After a stage that failed, the next ones would only wait out their
# timeouts: save the logs and stop (the peer's barriers see the exit).
stage_done() {
	stamp "$1"
	[ "$_failed" -eq 0 ] && return 0
	cl_stop
	finish
	exit
}

check "corosync starts" cl_corosync_start
check "barrier corosync" cl_barrier corosync 300

# Membership: both nodes, quorate, two-node mode.
quorum_ok() {
	corosync-quorumtool -s > /tmp/quorum.txt 2>&1
	grep -Eq '^Nodes: +2$' /tmp/quorum.txt &&
		grep -Eq '^Quorate: +Yes$' /tmp/quorum.txt
}
wait_until 120 quorum_ok
check "corosync membership: 2 nodes, quorate" quorum_ok
check "corosync quorum flags: 2Node" grep -Eq '^Flags: .*\b2Node\b' /tmp/quorum.txt
check "corosync-quorumtool lists $peer" sh -c "corosync-quorumtool -l | grep -Eq '^ +[0-9]+ +1 +$peer\$'"
stage_done membership

check "pacemaker starts" cl_pacemaker_start stonith-enabled=false
check "both nodes online in pacemaker" cl_wait_online 240 node1 node2
crm_mon -1 > /tmp/crm_mon.txt 2>&1
check "crm_mon -1: Online: [ node1 node2 ]" grep -Eq 'Online: \[ node1 node2 \]' /tmp/crm_mon.txt
check "crm_mon -1: 2 nodes configured" grep -Eq '2 nodes configured' /tmp/crm_mon.txt
stage_done pacemaker

# DLM: both nodes join lockspace "smoke".
check "dlm_controld starts" cl_dlm_start
check "barrier dlm" cl_barrier dlm 120
wait_until 60 cl_dlm_comms node1 node2
check "dlm comms set up for node1 and node2" cl_dlm_comms node1 node2
check "dlm_tool join smoke" timeout 120 dlm_tool join smoke
check "barrier joined" cl_barrier joined 120
ls_members() { timeout 10 dlm_tool ls > /tmp/dlm_ls.txt 2>&1 && grep -Eq '^members +1 2 *$' /tmp/dlm_ls.txt; }
wait_until 60 ls_members
check "dlm_tool ls: lockspace smoke" grep -Eq '^name +smoke$' /tmp/dlm_ls.txt
check "dlm_tool ls: members 1 2" ls_members
check "kernel lockspace smoke in sysfs" test -d /sys/kernel/dlm/smoke
stage_done dlm

# Pacemaker: node1 configures a dummy resource, then moves it to the
# node it does not run on; each node checks where the resource agent's
# state file is.
dummy_state=/run/cluster-smoke-dummy.state
dummy_on() { [ "$(cl_resource_node dummy)" = "$1" ]; }
dummy_placed() { [ -n "$(cl_resource_node dummy)" ]; }
if [ "$me" = node1 ]; then
	check "stonith-enabled=false in effect" sh -c \
		"crm_attribute --type crm_config --name stonith-enabled --query | grep -q 'value=false'"
	check "create ocf:pacemaker:Dummy" cibadmin --create --scope resources \
		--xml-text '<primitive id="dummy" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="dummy-ia"><nvpair id="dummy-state" name="state" value="'"$dummy_state"'"/></instance_attributes><operations><op id="dummy-monitor" name="monitor" interval="10s"/></operations></primitive>'
	wait_until 120 dummy_placed
	first=$(cl_resource_node dummy)
	check "dummy started on a node ($first)" test "$first" = node1 -o "$first" = node2
	cl_signal started "$first"
	other=node1
	[ "$first" = node1 ] && other=node2
	cl_barrier checked-start 120
	check "crm_resource --move dummy to $other" crm_resource --resource dummy --move --node "$other"
	wait_until 120 dummy_on "$other"
	check "dummy runs on $other after the move" dummy_on "$other"
	check "crm_resource --clear dummy" crm_resource --resource dummy --clear
	check "no location constraint left" sh -c '! cibadmin --query --scope constraints | grep -q rsc_location'
	cl_signal moved "$other"
	stamp "move"
	cl_barrier checked-move 120
else
	first=$(cl_wait started 200)
	wait_until 30 dummy_on "$first"
	check "$me sees dummy on $first" dummy_on "$first"
	cl_barrier checked-start 120
	other=$(cl_wait moved 200)
	check "$me sees dummy on $other after the move" dummy_on "$other"
	cl_barrier checked-move 120
fi
first=$(cl_wait started 5)
other=$(cl_wait moved 5)
if [ "$me" = "$other" ]; then
	check "Dummy state file here ($me, moved to)" test -e "$dummy_state"
else
	check "no Dummy state file here ($me, moved from)" test ! -e "$dummy_state"
fi

check "barrier finished" cl_barrier finished 300
[ "$me" = node1 ] && crm_resource --resource dummy --set-parameter target-role --meta --parameter-value Stopped >/dev/null 2>&1
check "dlm_tool leave smoke" timeout 120 dlm_tool leave smoke
check "barrier left" cl_barrier left 120
cl_stop
check "cluster stack stopped" sh -c '! pgrep -x "corosync|pacemakerd|dlm_controld"'
stamp "stopped"
finish
