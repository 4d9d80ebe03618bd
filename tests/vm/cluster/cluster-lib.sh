# shellcheck shell=bash
# Helpers for the scripts of tests/vm/cluster/ (run in every guest of
# tests/vm/run-cluster.sh); source it.  guestlib.sh comes with it (check,
# pass, fail, finish, scst_load, wait_until).
#
# Coordination between guests, through /mnt/cluster (VM_CLUSTER):
#   cl_barrier NAME [SECS] [NODES]  wait until every node of NODES
#                          (default VM_NODES) has reached barrier NAME;
#                          fails at once if one of them has exited
#   cl_signal NAME [VALUE] publish event NAME (with VALUE)
#   cl_wait NAME [SECS]    wait for event NAME; prints its VALUE
#   cl_ping ADDR [COUNT]   ping (busybox's: iputils may not be installed)
#   cl_request ACTION NODE [SECS]  ask the host to kill|restart NODE (its
#                          qemu gets SIGKILL) or to cut it off the
#                          network (down) or connect it again (up); returns
#                          once done
#
# The cluster stack (Debian's corosync, pacemaker, dlm-controld, started by
# hand: there is no systemd in the guest):
#   cl_corosync_start [NODES]  corosync.conf for NODES (default VM_NODES;
#                          nodeid = position in VM_NODES), knet over cl0,
#                          no crypto, two_node when there are two; starts
#                          corosync and waits for its IPC
#   cl_pacemaker_start [OPT=VALUE...]  starts pacemakerd with a first CIB
#                          holding these cluster options (crm_config), and
#                          dc-deadtime=5s (not 20 s: no waiting for a DC
#                          at start) and load-threshold=10000% (under TCG
#                          the load is always "high", and pacemaker would
#                          throttle its actions); waits until the CIB
#                          answers
#   cl_dlm_start           loads dlm, starts dlm_controld (fencing off
#                          unless CL_DLM_FENCING=1), waits for it;
#                          /dev/misc is a link to /dev (no udev)
#   cl_stop                stops what was started, in reverse order
#   cl_dlm_comms NODE...   the kernel DLM knows how to reach every NODE
#   cl_wait_online SECS NODE...  until crm_mon shows every NODE online
#   cl_resource_node RSC   the node RSC runs on (crm_resource --locate)
# Logs go to /var/log/{corosync,pacemaker,dlm} and are copied to
# $VM_OUT/logs/ by cl_save_logs (called by cl_stop).

. "$(dirname "${BASH_SOURCE[0]}")/../guestlib.sh"

CL=${VM_CLUSTER:-/mnt/cluster}
CL_TOKEN=${CL_TOKEN:-5000}

cl_barrier() {
	local name=$1 secs=${2:-300} nodes=${3:-$VM_NODES} n all tries
	tries=$((secs * 5))
	: > "$CL/bar.$name.$VM_NODE"
	while :; do
		all=1
		for n in $nodes; do
			[ -e "$CL/bar.$name.$n" ] && continue
			all=0
			if [ -e "$CL/exit.$n" ]; then
				echo "cl_barrier $name: $n has exited (status $(cat "$CL/exit.$n"))"
				return 1
			fi
		done
		[ $all = 1 ] && return 0
		tries=$((tries - 1))
		if [ $tries -le 0 ]; then
			echo "cl_barrier $name: timed out after ${secs}s"
			return 1
		fi
		sleep 0.2
	done
}

cl_signal() {
	echo "${2:-}" > "$CL/ev.$1.tmp.$VM_NODE" &&
		mv -f "$CL/ev.$1.tmp.$VM_NODE" "$CL/ev.$1"
}

cl_wait() {
	wait_until "${2:-300}" test -e "$CL/ev.$1" || {
		echo "cl_wait $1: timed out" >&2
		return 1
	}
	cat "$CL/ev.$1"
}

cl_ping() {
	/run/vm/busybox ping -c "${2:-3}" -W 5 "$1"
}

cl_request() {
	local req=$1.$2
	case $1 in kill|restart|down|up) ;; *) echo "cl_request: bad action $1" >&2; return 2 ;; esac
	rm -f "$CL/ctl/done.$req"
	: > "$CL/ctl/$req"
	wait_until "${3:-30}" test -e "$CL/ctl/done.$req" || {
		echo "cl_request $req: the host did not answer" >&2
		return 1
	}
	rm -f "$CL/ctl/done.$req"
}

# nodeid of a node: its position in VM_NODES.
cl_nodeid() {
	local n i=0
	for n in $VM_NODES; do
		i=$((i + 1))
		[ "$n" = "$1" ] && { echo $i; return 0; }
	done
	return 1
}

cl_addr() { echo "192.168.77.$((10 + $(cl_nodeid "$1")))"; }

cl_corosync_conf() {
	local nodes=${1:-$VM_NODES} n count=0
	echo "totem {"
	echo "	version: 2"
	echo "	cluster_name: scst-test"
	echo "	transport: knet"
	echo "	crypto_cipher: none"
	echo "	crypto_hash: none"
	echo "	token: $CL_TOKEN"
	echo "}"
	echo "nodelist {"
	for n in $nodes; do
		count=$((count + 1))
		echo "	node {"
		echo "		name: $n"
		echo "		nodeid: $(cl_nodeid "$n")"
		echo "		ring0_addr: $(cl_addr "$n")"
		echo "	}"
	done
	echo "}"
	echo "quorum {"
	echo "	provider: corosync_votequorum"
	[ $count = 2 ] && echo "	two_node: 1"
	echo "}"
	echo "logging {"
	echo "	to_logfile: yes"
	echo "	logfile: /var/log/corosync/corosync.log"
	echo "	to_stderr: no"
	echo "	to_syslog: no"
	echo "	timestamp: on"
	echo "}"
}

cl_corosync_start() {
	mkdir -p /etc/corosync /var/log/corosync /var/lib/corosync
	cl_corosync_conf "$@" > /etc/corosync/corosync.conf || return 1
	corosync || return 1
	wait_until 60 corosync-cfgtool -s
}

cl_pacemaker_start() {
	local kv
	mkdir -p /var/log/pacemaker /var/lib/pacemaker/cib /run/crm
	# The first CIB, with the cluster options wanted from the start.
	{
		echo '<cib validate-with="pacemaker-3.0" epoch="1" num_updates="0" admin_epoch="0">'
		echo '<configuration><crm_config><cluster_property_set id="cib-bootstrap-options">'
		for kv in dc-deadtime=5s load-threshold=10000% "$@"; do
			echo "<nvpair id=\"opt-${kv%%=*}\" name=\"${kv%%=*}\" value=\"${kv#*=}\"/>"
		done
		echo '</cluster_property_set></crm_config>'
		echo '<nodes/><resources/><constraints/></configuration><status/></cib>'
	} > /var/lib/pacemaker/cib/cib.xml
	chown -R hacluster:haclient /var/log/pacemaker /var/lib/pacemaker
	PCMK_logfile=/var/log/pacemaker/pacemaker.log \
		setsid pacemakerd </dev/null >/var/log/pacemaker/pacemakerd.out 2>&1 &
	wait_until 120 cibadmin --query --scope nodes
}

cl_dlm_start() {
	local fencing=${CL_DLM_FENCING:-0}
	mkdir -p /var/log/dlm_controld /run/dlm_controld
	# libdlm opens /dev/misc/dlm-control and /dev/misc/dlm_<lockspace>,
	# which udev would create; devtmpfs has them in /dev.
	[ -e /dev/misc ] || ln -s . /dev/misc
	modprobe dlm || return 1
	dlm_controld --enable_fencing "$fencing" --debug_logfile 1 || return 1
	wait_until 60 cl_dlm_comms "$VM_NODE"
}

# cl_dlm_comms NODE...: dlm_controld has told the kernel how to reach
# each NODE (configfs comms/<nodeid>), this node's own entry marked local.
# Joining a lockspace before that fails with ENOTCONN.
cl_dlm_comms() {
	local n d=/sys/kernel/config/dlm/cluster/comms
	[ "$(cat "$d/$(cl_nodeid "$VM_NODE")/local" 2>/dev/null)" = 1 ] || return 1
	for n in "$@"; do
		[ -d "$d/$(cl_nodeid "$n")" ] || return 1
	done
}

cl_wait_online() {
	local secs=$1 n
	shift
	for n in "$@"; do
		wait_until "$secs" cl_online "$n" || {
			echo "cl_wait_online: $n not online" >&2
			return 1
		}
	done
}

cl_online() {
	crm_mon -1 -X 2>/dev/null | grep -q "<node name=\"$1\" [^>]*online=\"true\""
}

cl_resource_node() {
	crm_resource --resource "$1" --locate 2>/dev/null |
		sed -n 's/^resource .* is running on: \([^ ]*\).*/\1/p'
}

cl_save_logs() {
	[ -n "${VM_OUT:-}" ] || return 0
	mkdir -p "$VM_OUT/logs"
	cp -a /var/log/corosync /var/log/pacemaker /var/log/dlm_controld \
		/etc/corosync/corosync.conf "$VM_OUT/logs/" 2>/dev/null
	if pgrep -x dlm_controld >/dev/null; then
		timeout 10 dlm_tool dump > "$VM_OUT/logs/dlm_tool-dump.txt" 2>&1
		timeout 10 dlm_tool status > "$VM_OUT/logs/dlm_tool-status.txt" 2>&1
	fi
	if pgrep -x pacemakerd >/dev/null; then
		timeout 20 crm_mon -1 > "$VM_OUT/logs/crm_mon.txt" 2>&1
		timeout 20 cibadmin --query > "$VM_OUT/logs/cib.xml" 2>&1
	fi
	return 0
}

cl_stop() {
	cl_save_logs
	pkill -x dlm_controld 2>/dev/null
	if pgrep -x pacemakerd >/dev/null; then
		pkill -TERM -x pacemakerd
		wait_until 120 sh -c '! pgrep -x pacemakerd'
	fi
	if pgrep -x corosync >/dev/null; then
		corosync-cfgtool -H 2>/dev/null || pkill -TERM -x corosync
		wait_until 60 sh -c '! pgrep -x corosync'
	fi
	cp -a /var/log/corosync /var/log/pacemaker "$VM_OUT/logs/" 2>/dev/null
	return 0
}
