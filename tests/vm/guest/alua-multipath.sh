#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/alua-multipath.sh
#
# ALUA over two iSCSI paths: one target, one LUN (vdisk_fileio, alua
# implicit; both for the sg_stpg checks), reachable through two portals,
# 127.0.0.1:3260 (tpgt 1, target port 1, port group pgA id 10) and
# 127.0.0.2:3260 (tpgt 2, port 2, pgB id 20).  open-iscsi logs in on both; dm-multipath with scsi_dh_alua
# makes one device of the two paths.  sg_inq (TPGS, VPD 83h designators),
# sg_rtpg and sg_stpg are checked against the configuration in each
# state.  fio --verify runs on the multipath device while the groups
# flip (A optimized / B standby -> A standby / B optimized -> back), then
# while portal 1 is removed (B made optimized, as a failover would) and
# restored; after each step the per-port counters
# (targets/iscsi/<t>/ports/<tpgt>/stats) must show the I/O on the
# optimized path.  `multipath -ll` before and after the flip and the
# per-port split go to the log.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

T=iqn.2024-01.org.scst.test:alua
P1=127.0.0.1:3260
P2=127.0.0.2:3260
ALUA=$CFG/alua/port_groups
TGT=$ISCSI_CFG/$T

setup() {
	iscsi_setup || return 1
	modprobe -a dm_mod dm_multipath scsi_dh_alua || return 1
	fileio_dev adisk 64M || return 1
	echo implicit >"$CFG/handlers/vdisk_fileio/adisk/alua" &&
	iscsi_target $T && map_lun "$TGT" 0 vdisk_fileio/adisk &&
	mkdir "$TGT/ports/2" &&
	mkdir "$ALUA/pgA" "$ALUA/pgB" &&
	echo 10 >"$ALUA/pgA/group_id" && echo 20 >"$ALUA/pgB/group_id" &&
	echo standby >"$ALUA/pgB/state" &&
	echo pgA >"$TGT/ports/1/port_group" &&
	echo pgB >"$TGT/ports/2/port_group" &&
	echo 1 >"$TGT/enabled" &&
	portal $P1 && portal $P2 &&
	echo 2 >"$CFG/drivers/iscsi/portals/$P2/tpgt"
}

if ! setup; then
	fail setup "cannot configure target, ALUA groups or portals"
	dmesg | tail -n 20
	finish
	exit 1
fi
pass setup

# --- configfs ---
check_fails grp-state-bad sh -c "echo optimal > $ALUA/pgA/state"
check_fails grp-id-dup sh -c "echo 10 > $ALUA/pgB/group_id"
check_fails port-group-unknown sh -c "echo nosuch > $TGT/ports/2/port_group"
check_fails port-tpgt-1-mkdir mkdir "$TGT/ports/1x"
check_fails dev-alua-bad sh -c "echo sometimes > $CFG/handlers/vdisk_fileio/adisk/alua"
check grp-ports grep -q "iscsi/$T/2 " "$ALUA/pgB/ports"
check rel-tgt-id-2 test "$(cat "$TGT/ports/2/rel_tgt_id")" != "$(cat "$TGT/rel_tgt_id")"
R1=$(cat "$TGT/ports/1/rel_tgt_id")
R2=$(cat "$TGT/ports/2/rel_tgt_id")

# --- discovery and login on both portals ---
disc_tpgt() {
	iscsiadm -m discovery -t st -p "$1" 2>&1 | grep "$T"
}
check disc-p1-tpgt1 sh -c "iscsiadm -m discovery -t st -p $P1 | grep -q '$P1,1 $T'"
check disc-p2-tpgt2 sh -c "iscsiadm -m discovery -t st -p $P2 | grep -q '$P2,2 $T'"
for p in $P1 $P2; do
	iscsiadm -m node -T $T -p $p -o update \
		-n node.session.timeo.replacement_timeout -v 5 >/dev/null
	iscsiadm -m node -T $T -p $p -o update \
		-n node.conn[0].timeo.noop_out_interval -v 2 >/dev/null
	iscsiadm -m node -T $T -p $p -o update \
		-n node.conn[0].timeo.noop_out_timeout -v 2 >/dev/null
done
check login-p1 iscsiadm -m node -T $T -p $P1 --login
check login-p2 iscsiadm -m node -T $T -p $P2 --login

# sd of the session that came in through portal $1
sd_of_portal() {
	local s h d
	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/targetname" 2>/dev/null)" = $T ] || continue
		c=$(ls -d "$s"/device/connection*/iscsi_connection/connection* 2>/dev/null | head -n1)
		[ "$(cat "$c/persistent_address"):$(cat "$c/persistent_port")" = "$1" ] || continue
		h=$(ls -d "$s"/device/target*/*:0 2>/dev/null | head -n1)
		d=$(ls "$h/block" 2>/dev/null | head -n1)
		[ -n "$d" ] && { echo "/dev/$d"; return 0; }
	done
	return 1
}
wait_until 30 sd_of_portal $P1 && wait_until 30 sd_of_portal $P2
SD1=$(sd_of_portal $P1)
SD2=$(sd_of_portal $P2)
check two-sds test -n "$SD1" -a -n "$SD2" -a "$SD1" != "$SD2"
echo "paths: $P1 -> $SD1, $P2 -> $SD2"

# --- INQUIRY, VPD 83h, RTPG ---
check inq-tpgs-implicit sh -c "sg_inq $SD1 | grep -q 'TPGS=1'"
# explicit ALUA for sg_stpg below; scsi_dh_alua keeps the implicit it
# saw at attach and so never sends SET TARGET PORT GROUPS itself
sg_stpg --optimized --tp=20 "$SD1" >/tmp/stpg-impl.out 2>&1
sed 's/^/  sg_stpg with implicit ALUA: /' /tmp/stpg-impl.out | head -n 3
check stpg-implicit-no-change grep -qx standby "$ALUA/pgB/state"
echo both >"$CFG/handlers/vdisk_fileio/adisk/alua"
check inq-tpgs-both sh -c "sg_inq $SD1 | grep -q 'TPGS=3'"
sg_inq -p 0x83 "$SD2" >/tmp/vpd83.out 2>&1
check vpd83-rel-port sh -c "grep -A1 -i 'Relative target port' /tmp/vpd83.out | grep -qi '0x$(printf %x "$R2")\b'"
check vpd83-tpg sh -c "grep -A1 -i 'Target port group' /tmp/vpd83.out | grep -qi '0x14\b'"

# state of group $2 (decimal id) as sg_rtpg through $1 reports it
rtpg_state() {
	sg_rtpg -d "$1" 2>/dev/null | awk -v id="$(printf '0x%x' "$2")" '
		/target port group id/ { f = index($0, "id : " id " ") > 0 }
		f && /asymmetric access state/ { sub(/.*\(/, ""); sub(/\).*/, ""); print; exit }'
}
expect_states() {	# $1 = state of pgA, $2 = of pgB, as sg_rtpg names them
	[ "$(rtpg_state "$SD1" 10)" = "$1" ] && [ "$(rtpg_state "$SD1" 20)" = "$2" ] &&
	[ "$(rtpg_state "$SD2" 10)" = "$1" ] && [ "$(rtpg_state "$SD2" 20)" = "$2" ]
}
sg_rtpg -d "$SD1" 2>&1 | head -n 20
check rtpg-initial wait_until 10 expect_states active/optimized standby
check rtpg-ports sh -c "sg_rtpg -d $SD1 | grep -qi '0x$(printf %02x "$R1")'"
check rtpg-extended sh -c "sg_rtpg -e -d $SD1 | grep -qi 'transition time'"

# standby path: READ refused with NOT READY, ALUA standby (04h/0Bh)
check standby-refuses sh -c "! sg_turs -v $SD2 >/tmp/sbtur.out 2>&1; cat /tmp/sbtur.out; grep -qi 'standby' /tmp/sbtur.out"
check standby-readcap sg_readcap "$SD2"
check optimized-reads sg_dd if="$SD1" of=/dev/null bs=512 count=1

# --- multipath ---
mpath_setup() {
	cat >/etc/multipath.conf <<'EOF'
defaults {
	user_friendly_names no
	find_multipaths no
	polling_interval 2
}
blacklist {
	devnode "^(ram|loop|fd|md|sr|scd|st|vd|nvme)"
}
devices {
	device {
		vendor "SCST"
		product ".*"
		path_grouping_policy group_by_prio
		prio alua
		hardware_handler "1 alua"
		path_checker tur
		failback immediate
		no_path_retry 30
	}
}
EOF
	/lib/systemd/systemd-udevd --daemon >/dev/null 2>&1
	udevadm trigger --action=add --subsystem-match=block >/dev/null 2>&1
	udevadm settle -t 20
	multipathd -d -s >/tmp/multipathd.log 2>&1 &
	MPD=$!
	sleep 3
	multipath -r >/dev/null 2>&1
	udevadm settle -t 20
}
mpath_dev() {
	local n
	n=$(multipath -ll 2>/dev/null | awk '/dm-[0-9]/ { print $1; exit }')
	[ -n "$n" ] && [ -b "/dev/mapper/$n" ] && echo "/dev/mapper/$n"
}
mpath_setup
wait_until 30 mpath_dev
MP=$(mpath_dev)
check mpath-device test -n "$MP"
multipath -ll >/tmp/mp.before 2>&1
echo "--- multipath -ll before the flip ---"
cat /tmp/mp.before
check mpath-two-paths sh -c "grep -cE 'sd[a-z]+ .*(active ready|active ghost) running' /tmp/mp.before | grep -qx 2"
check mpath-standby-ghost sh -c "grep -A1 'prio=1 ' /tmp/mp.before | grep -q '${SD2#/dev/} .*ghost'"
check mpath-groups-by-prio sh -c "grep -E 'prio=50' /tmp/mp.before && grep -E 'prio=1\b' /tmp/mp.before"
check mpath-hwhandler sh -c "grep -q \"hwhandler='1 alua'\" /tmp/mp.before"
# the optimized group (prio 50) holds the path of portal 1
check mpath-optimized-is-p1 sh -c "grep -A1 'prio=50' /tmp/mp.before | grep -q '${SD1#/dev/} '"

wbytes() {
	awk '$1 == "write_bytes" { print $2 }' "$TGT/ports/$1/stats"
}
split() {	# print and remember the per-port write bytes
	W1=$(wbytes 1)
	W2=$(wbytes 2)
	echo "per-port I/O ($1): port 1 ($P1) write_bytes $W1, port 2 ($P2) write_bytes $W2"
}
# I/O of the next $2 seconds goes through port $1 only
io_on_port() {
	local a1 a2 b1 b2 other=$(( $1 == 1 ? 2 : 1 ))
	a1=$(wbytes "$1"); a2=$(wbytes $other)
	sleep "$2"
	b1=$(wbytes "$1"); b2=$(wbytes $other)
	echo "port $1: +$((b1 - a1)) bytes, port $other: +$((b2 - a2)) bytes in $2 s"
	[ $((b1 - a1)) -gt 0 ] && [ $((b2 - a2)) -eq 0 ]
}
settle_on_port() {	# wait up to $2 s for I/O to stay on port $1 for 3 s
	local i
	for i in $(seq 1 $(($2 / 3))); do
		io_on_port "$1" 3 && return 0
	done
	return 1
}

# fio --verify in 20 s rounds until the flips are done (rm /tmp/fio-go):
# I/O runs through every step, and the test lasts as long as the steps
# take, not a fixed time long enough for a slow host.  Every round's exit
# status is kept; one that fails fails fio-verify.
touch /tmp/fio-go
: >/tmp/fio-mp.out
(
	rounds=0
	while [ -e /tmp/fio-go ]; do
		fio --name=mp --filename="$MP" --rw=randwrite --bs=4k --size=32M \
			--ioengine=libaio --iodepth=8 --direct=1 --verify=crc32c \
			--verify_backlog=128 --verify_fatal=1 --time_based --runtime=20 \
			--eta=never >>/tmp/fio-mp.out 2>&1 || exit 1
		rounds=$((rounds + 1))
	done
	echo "fio rounds: $rounds" >>/tmp/fio-mp.out
	[ "$rounds" -gt 0 ]
) &
FIO=$!
sleep 5
split "start, A optimized, B standby"
check io-on-p1 settle_on_port 1 30

# flip: A standby, B optimized
echo standby >"$ALUA/pgA/state"
echo active_optimized >"$ALUA/pgB/state"
check io-moves-to-p2 settle_on_port 2 45
split "after flip to B"
multipath -ll >/tmp/mp.after 2>&1
echo "--- multipath -ll after the flip ---"
cat /tmp/mp.after
check mpath-after-flip sh -c "grep -A1 'prio=50' /tmp/mp.after | grep -q '${SD2#/dev/} '"
check rtpg-flipped wait_until 10 expect_states standby active/optimized

# flip back through SET TARGET PORT GROUPS (explicit ALUA) from path 1
check stpg sg_stpg --optimized --tp=10 "$SD1"
check stpg-b sg_stpg --standby --tp=20 "$SD1"
check stpg-configfs sh -c "grep -qx active_optimized $ALUA/pgA/state && grep -qx standby $ALUA/pgB/state"
check io-back-to-p1 settle_on_port 1 45
split "after STPG back to A"

# portal 1 goes away; B takes over (as a failover would)
rmdir "$CFG/drivers/iscsi/portals/$P1"
echo active_optimized >"$ALUA/pgB/state"
echo standby >"$ALUA/pgA/state"
check io-failover-p2 settle_on_port 2 60
split "portal 1 removed"
multipath -ll 2>&1 | sed 's/^/  /'

# portal 1 back, A optimized again
portal $P1
echo active_optimized >"$ALUA/pgA/state"
echo standby >"$ALUA/pgB/state"
check io-restored-p1 settle_on_port 1 90
split "portal 1 restored"
multipath -ll 2>&1 | sed 's/^/  /'

rm -f /tmp/fio-go
check fio-verify wait $FIO
grep "fio rounds" /tmp/fio-mp.out
grep -E "err=|WRITE:|verify" /tmp/fio-mp.out | head -n 5
check fio-no-verify-error sh -c "! grep -qi 'verify.*fail\|bad magic\|crc32c.*mismatch' /tmp/fio-mp.out"
check rtpg-final wait_until 10 expect_states active/optimized standby

# the unit attention and netlink are exercised above; a standby port
# group removed: its ports are active/optimized again
multipath -F >/dev/null 2>&1
kill "$MPD" 2>/dev/null
wait "$MPD" 2>/dev/null
iscsiadm -m node --logoutall=all >/dev/null 2>&1
echo "" >"$TGT/ports/1/port_group"
echo "" >"$TGT/ports/2/port_group"
check grp-rmdir rmdir "$ALUA/pgA" "$ALUA/pgB"
iscsi_teardown
udevadm control --exit >/dev/null 2>&1
finish
