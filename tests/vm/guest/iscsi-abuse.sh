#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-abuse.sh
#
# scst_iscsi's resource limits (docs/iscsi.md, "Resource limits"): while
# a well-behaved initiator (open-iscsi, through its own portal, on its
# own LUN) runs fio --verify, an abusive client (iscsi_raw.py)
#  1. sends WRITE commands of 8 MiB without their data, far beyond the
#     CmdSN window, immediate ones too;
#  2. floods READs, NOP-Outs and unknown opcodes at a receiver that
#     never reads (small SO_RCVBUF);
#  3. opens many connections, trickles a login a byte a second, stalls
#     logins, leaves a discovery session idle.
# For each: MemAvailable stays >= 75% of what it was before, the good
# fio ends without error, the counters of the limit that was hit move.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

TG=iqn.2024-01.org.scst.test:good
TB=iqn.2024-01.org.scst.test:bad
P2=127.0.0.1:3261
PB=$CFG/drivers/iscsi/portals/$P
AB="python3 $(dirname "$0")/iscsi_raw.py"

mem_avail() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

# statv DIR KEY: a counter of DIR/stats
statv() { awk -v k="$2" '$1 == k { print $2 }' "$1/stats"; }

# moved NAME DIR KEY BEFORE MIN: the counter grew by at least MIN
moved() {
	local now
	now=$(statv "$2" "$3")
	if [ -n "$now" ] && [ "$((now - $4))" -ge "$5" ]; then
		pass "$1"
	else
		fail "$1" "$3 went from $4 to ${now:-?} (wanted +$5)"
	fi
}

# abuse_start NAME SECS: sample MemAvailable, start the good fio
abuse_start() {
	MEM0=$(mem_avail)
	(while :; do mem_avail; sleep 0.5; done) >"/tmp/mem.$1" &
	MW=$!
	fio --name=good --filename="$SD" --rw=randrw --bs=16k --size=32M \
		--ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c \
		--do_verify=1 --time_based --runtime="$2" --eta=never \
		--output="/tmp/good.$1.out" &
	GOOD=$!
}

# abuse_end NAME: memory and the good fio
abuse_end() {
	local rc min
	wait "$GOOD"
	rc=$?
	kill "$MW"
	wait "$MW" 2>/dev/null
	min=$(sort -n "/tmp/mem.$1" | head -n1)
	echo "MEM $1: MemAvailable before ${MEM0} kB, lowest ${min} kB," \
		"after $(mem_avail) kB"
	if [ -n "$min" ] && [ "$min" -ge $((MEM0 * 3 / 4)) ]; then
		pass "$1-memory"
	else
		fail "$1-memory" "MemAvailable fell from $MEM0 to ${min:-?} kB"
	fi
	if [ "$rc" -eq 0 ] && grep -q 'err= 0' "/tmp/good.$1.out"; then
		pass "$1-good-fio"
	else
		fail "$1-good-fio" "rc $rc: $(grep -m1 -i 'err' "/tmp/good.$1.out")"
	fi
}

if ! iscsi_setup; then
	fail setup "cannot load modules or start iscsid"
	finish
	exit 1
fi
pass setup
check dev-good fileio_dev good0 64M
check dev-bad nullio_dev bad0 1G
check tgt-good iscsi_target $TG
check tgt-bad iscsi_target $TB
check lun-good map_lun "$ISCSI_CFG/$TG" 0 vdisk_fileio/good0
check lun-bad map_lun "$ISCSI_CFG/$TB" 0 vdisk_nullio/bad0
echo 1 >"$ISCSI_CFG/$TG/enabled"
echo 1 >"$ISCSI_CFG/$TB/enabled"
check portal portal "$P"
check portal-good portal "$P2"

# the limits are attributes with their defaults; bad values refused
check limit-defaults test "$(cat "$ISCSI_CFG/$TB/queue_depth")/$(cat "$ISCSI_CFG/$TB/max_session_data")/$(cat "$PB/login_timeout")/$(cat "$PB/discovery_idle_timeout")" = "128/67108864/15/60"
check_fails limit-bad-depth sh -c "echo 0 >$ISCSI_CFG/$TB/queue_depth"
check_fails limit-bad-timeout sh -c "echo 0 >$PB/login_timeout"
check_fails stats-ro sh -c "echo 1 >$PB/stats"

P=$P2 disc >/dev/null 2>&1
check login-good sh -c "iscsiadm -m node -T $TG -p $P2 --login"
check sd-good wait_until 20 sd_of_target $TG
SD=$(sd_of_target $TG)

# --- 1. commands without data beyond the window ---
S=$ISCSI_CFG/$TB
D0=$(statv "$S" cmdsn_dropped)
F0=$(statv "$S" data_deferred)
T0=$(statv "$S" task_set_full)
I0=$(statv "$S" immediate_rejected)
abuse_start cmds 15
$AB cmd-flood --target $TB --count 2000 --immediate 20 --hold 6 \
	>/tmp/ab1.out 2>&1
check cmds-abuser grep -q 'cmd-flood: sent' /tmp/ab1.out
abuse_end cmds
cat /tmp/ab1.out
# 2000 + 40 sent, at most 128 in the target: the rest dropped/refused
moved cmds-window-dropped "$S" cmdsn_dropped "$D0" 1500
moved cmds-data-deferred "$S" data_deferred "$F0" 50
moved cmds-task-set-full "$S" task_set_full "$T0" 1
moved cmds-immediate-rejected "$S" immediate_rejected "$I0" 1

# --- 2. READs and NOP-Outs/unknown opcodes, never read ---
P0=$(statv "$S" rx_paused)
Q0=$(statv "$S" send_timeouts)
PP0=$(statv "$PB" rx_paused)
PQ0=$(statv "$PB" send_timeouts)
abuse_start tx 33
$AB cmd-flood --read --target $TB --count 2000 --hold 90 \
	>/tmp/ab2a.out 2>&1 &
A2=$!
check tx-pdu-dropped $AB pdu-flood --count 300000 --hold 90
mv /tmp/check.out /tmp/ab2b.out
check tx-read-dropped wait $A2
abuse_end tx
cat /tmp/ab2a.out /tmp/ab2b.out
moved tx-read-paused "$S" rx_paused "$P0" 1
moved tx-read-send-timeout "$S" send_timeouts "$Q0" 1
moved tx-pdu-paused "$PB" rx_paused "$PP0" 1
moved tx-pdu-send-timeout "$PB" send_timeouts "$PQ0" 1
check tx-conns-gone wait_until 20 sh -c "grep -qx 'connections 0' $PB/stats"

# --- 3. connections and logins ---
echo 30 >"$PB/max_connections"
echo 10 >"$PB/max_logins"
echo 5 >"$PB/login_timeout"
echo 5 >"$PB/discovery_idle_timeout"
echo 2 >"$S/max_logins"
C0=$(statv "$PB" connections_refused)
L0=$(statv "$PB" login_timeouts)
Z0=$(statv "$PB" idle_closed)
R0=$(statv "$S" logins_refused)
abuse_start logins 15
$AB conns --count 60 >/tmp/ab3a.out 2>&1
check logins-conns-refused grep -Eq 'conns: 60 connected, (4[0-9]|50) closed' /tmp/ab3a.out
# the 10 logins it left in progress end with its sockets
check logins-slots-free wait_until 15 sh -c "grep -qx 'logins 0' $PB/stats"
$AB trickle --target $TB --hold 20 >/tmp/ab3b.out 2>&1 &
A3=$!
$AB idle --hold 20 >/tmp/ab3c.out 2>&1 &
A4=$!
$AB stall --target $TB --count 4 --hold 8 >/tmp/ab3d.out 2>&1
check logins-trickle-ended wait $A3
check logins-idle-closed wait $A4
abuse_end logins
cat /tmp/ab3a.out /tmp/ab3b.out /tmp/ab3c.out /tmp/ab3d.out
check logins-stall-refused grep -q 'stall: 2 logins in progress, 2 refused' /tmp/ab3d.out
moved logins-portal-refused "$PB" connections_refused "$C0" 40
moved logins-portal-timeouts "$PB" login_timeouts "$L0" 1
moved logins-portal-idle "$PB" idle_closed "$Z0" 1
moved logins-target-refused "$S" logins_refused "$R0" 2
check logins-all-gone wait_until 20 sh -c "grep -qx 'connections 0' $PB/stats"
cat "$PB/stats" "$S/stats" "$ISCSI_CFG/$TG/stats"

# the good session never noticed
check good-untouched test "$(statv "$ISCSI_CFG/$TG" send_timeouts)" = 0
check good-still-there sh -c "iscsiadm -m session | grep -q $TG"
check teardown iscsi_teardown
finish
