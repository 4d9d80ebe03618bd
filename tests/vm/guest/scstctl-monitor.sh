#!/bin/bash
# scstctl monitor against the kernel's netlink events (session login and
# logout, LUN set changed, device error), and schema-check --defaults:
# the schema's static defaults equal what the kernel gives fresh objects,
# for every module (scst, vdisk, scst_local, iscsi).
. "$(dirname "$0")/../guestlib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
S=$PWD/scstctl/scstctl
W=/tmp/monitor-test
M=$W/events.json
mkdir -p $W
truncate -s 16M $W/f0.img

# wait_event PATTERN: the monitor printed a line matching PATTERN (10 s)
wait_event() {
	local i
	for i in $(seq 50); do
		grep -q -- "$1" $M && return 0
		sleep 0.2
	done
	return 1
}

check "load" scst_load scst scst_vdisk scst_local scst_iscsi

# --- defaults of fresh objects
T=iqn.2026-01.org.example:mon
check "fresh fileio device" sh -c "mkdir $CFG/handlers/vdisk_fileio/f0 &&
	echo $W/f0.img >$CFG/handlers/vdisk_fileio/f0/filename"
check "fresh nullio device" mkdir $CFG/handlers/vdisk_nullio/n0
check "fresh blockio device" mkdir $CFG/handlers/vdisk_blockio/b0
check "fresh cdrom device" mkdir $CFG/handlers/vcdrom/c0
check "fresh iscsi target, group, LUN, portal" sh -c "
	mkdir $CFG/targets/iscsi/$T &&
	mkdir $CFG/targets/iscsi/$T/groups/g &&
	mkdir $CFG/targets/iscsi/$T/groups/g/initiators/iqn.x &&
	mkdir $CFG/targets/iscsi/$T/groups/g/luns/0 &&
	ln -s $CFG/handlers/vdisk_fileio/f0 $CFG/targets/iscsi/$T/groups/g/luns/0/device &&
	mkdir $CFG/targets/iscsi/$T/luns/0 &&
	ln -s $CFG/handlers/vdisk_nullio/n0 $CFG/targets/iscsi/$T/luns/0/device &&
	mkdir $CFG/drivers/iscsi/portals/127.0.0.1:3261"
L=$CFG/targets/scst_local/l0
check "fresh scst_local target, session, LUN, group" sh -c "
	mkdir $L && mkdir $L/sessions/s0 &&
	mkdir $L/luns/0 && ln -s $CFG/handlers/vdisk_nullio/n0 $L/luns/0/device &&
	mkdir $L/groups/g && mkdir $L/groups/g/initiators/ini1 &&
	mkdir $L/groups/g/luns/0 && ln -s $CFG/handlers/vcdrom/c0 $L/groups/g/luns/0/device"
check "schema-check --defaults of fresh objects" "$S" schema-check --defaults
sed 's/^/# /' /tmp/check.out
check "schema-check --complete" "$S" schema-check --complete
sed 's/^/# /' /tmp/check.out
check "secrets are write-only" sh -c "echo secret-secret-1 >$CFG/targets/iscsi/$T/auth/secret &&
	! cat $CFG/targets/iscsi/$T/auth/secret"
check "clear" "$S" clear

# --- events
"$S" monitor --json >$M 2>$W/monitor.err &
MON=$!
sleep 1
check "monitor is running" kill -0 $MON

# A SCSI disk that fails reads of LBA 0x1234 with MEDIUM ERROR, behind a
# blockio LUN of scst_local.
check "scsi_debug with medium errors" modprobe scsi_debug dev_size_mb=8 opts=2
SD=
for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*/block/*; do
	[ -e "$d" ] && SD=/dev/${d##*/}
done
check "scsi_debug disk found" test -b "$SD"

cat >$W/mon.conf <<CONF
devices = ( { name = "bad"; handler = "vdisk_blockio"; filename = "$SD"; } );
targets = ( { driver = "scst_local"; name = "mon"; sessions = [ "ini0" ];
	      luns = ( { lun = 0; device = "bad"; } ); } );
CONF
check "apply a target with one session" "$S" apply $W/mon.conf
check "event session_add" wait_event '"event": "session_add".*"target": "mon".*"initiator": "ini0"'

check "add a LUN" sh -c "mkdir $CFG/targets/scst_local/mon/luns/1 &&
	ln -s $CFG/handlers/vdisk_blockio/bad $CFG/targets/scst_local/mon/luns/1/device"
check "event luns_changed" wait_event '"event": "luns_changed".*"target": "mon"'

host=
for h in /sys/class/scsi_host/host*; do
	[ "$(cat $h/scst_target 2>/dev/null)" = mon ] && host=${h##*/host}
done
dev=
for i in $(seq 50); do
	for b in /sys/class/scsi_host/host$host/device/target$host:0:0/$host:0:0:0/block/*; do
		[ -b "/dev/${b##*/}" ] && dev=/dev/${b##*/}
	done
	[ -n "$dev" ] && break
	sleep 0.2
done
check "scst_local disk of LUN 0 found" test -b "$dev"
check_fails "reading the bad LBA fails" dd if="$dev" of=/dev/null bs=512 skip=$((0x1234)) count=1 iflag=direct
check "event dev_error with MEDIUM ERROR" \
	wait_event '"event": "dev_error".*"device": "bad".*"sense_key": "0x03"'
check "dev_error carries the ASC (unrecovered read error)" \
	wait_event '"event": "dev_error".*"asc": "0x11"'
check "a good read gives no further dev_error" sh -c "
	n=\$(grep -c dev_error $M)
	dd if=$dev of=/dev/null bs=4096 count=16 iflag=direct 2>/dev/null
	sleep 1
	test \$(grep -c dev_error $M) = \$n"

check "remove the session" rmdir $CFG/targets/scst_local/mon/sessions/ini0
check "event session_del" wait_event '"event": "session_del".*"initiator": "ini0"'
check "every line is one JSON object" python3 -c "
import json, sys
for line in open('$M'):
    json.loads(line)
"
kill $MON 2>/dev/null
wait $MON 2>/dev/null
sed 's/^/# /' $M

check "clear" "$S" clear
check "scsi_debug unloads" rmmod scsi_debug
check "unload" scst_unload
finish
