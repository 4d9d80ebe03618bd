#!/bin/bash
# scstctl monitor against the kernel's netlink events (session login and
# logout, LUN set changed, device error, reservation change), and schema-check --defaults:
# the schema's static defaults equal what the kernel gives fresh objects,
# for every module (scst, vdisk, scst_local, iscsi).  The netlink family is
# root's only: as nobody, scstctl status fails with EPERM (message and exit
# status), a raw dump gets EPERM and joining the events group is refused;
# the same probes as root succeed.
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
	mkdir $CFG/drivers/iscsi/portals/127.0.0.1:3261 &&
	mkdir $CFG/targets/iscsi/$T/ports/2 &&
	mkdir $CFG/alua/port_groups/pg0"
L=$CFG/targets/scst_local/l0
check "fresh scst_local target, session, LUN, group" sh -c "
	mkdir $L && mkdir $L/sessions/s0 &&
	mkdir $L/luns/0 && ln -s $CFG/handlers/vdisk_nullio/n0 $L/luns/0/device &&
	mkdir $L/groups/g && mkdir $L/groups/g/initiators/ini1 &&
	mkdir $L/groups/g/luns/0 && ln -s $CFG/handlers/vcdrom/c0 $L/groups/g/luns/0/device &&
	mkdir $L/ports/2"
check "schema-check --defaults of fresh objects" "$S" schema-check --defaults
sed 's/^/# /' /tmp/check.out
check "schema-check --complete" "$S" schema-check --complete
sed 's/^/# /' /tmp/check.out
check "secrets are write-only" sh -c "echo secret-secret-1 >$CFG/targets/iscsi/$T/auth/secret &&
	! cat $CFG/targets/iscsi/$T/auth/secret"
# scstctl does not manage target ports and ALUA port groups yet (issue
# #15, part 4): they go by hand before clear
check "remove the extra ports and the port group" \
	rmdir $CFG/targets/iscsi/$T/ports/2 $L/ports/2 $CFG/alua/port_groups/pg0
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
# the same counters for Prometheus (scstctl metrics)
"$S" metrics >$W/metrics.prom 2>$W/metrics.err
check "metrics: runtime read" grep -qx 'scst_runtime_available 1' $W/metrics.prom
check "metrics: LUN 0 read bytes counted" awk '/^scst_lun_read_bytes_total\{driver="scst_local",target="mon",group="",lun="0",device="bad"\} / { if ($2 >= 65536) ok = 1 } END { exit !ok }' $W/metrics.prom
check "metrics: the MEDIUM ERROR counted" awk '/^scst_lun_errors_total\{driver="scst_local",target="mon",group="",lun="0"/ { if ($2 >= 1) ok = 1 } END { exit !ok }' $W/metrics.prom
check "metrics: session counters" grep -q '^scst_session_commands_total{driver="scst_local",target="mon",initiator="ini0",group=""} [1-9]' $W/metrics.prom
check "metrics: read latency histogram ends at +Inf" grep -q '^scst_lun_latency_seconds_bucket{.*lun="0".*dir="read",le="+Inf"} [1-9]' $W/metrics.prom
check "metrics -o writes the file" "$S" metrics -o $W/scst.prom
check "metrics file has the device" grep -q '^scst_device_commands_total{device="bad",handler="vdisk_blockio"} [1-9]' $W/scst.prom

check "PR register through the session" \
	sg_persist --out --register --param-sark=0x5c57 "$dev"
check "event reservation" wait_event '"event": "reservation".*"device": "bad"'
check "PR reserve (write exclusive)" \
	sg_persist --out --reserve --param-rk=0x5c57 --prout-type=1 "$dev"
check "event reservation names the holder and type" \
	wait_event '"event": "reservation".*"device": "bad".*"pr_holder": "ini0".*"pr_type": "1"'
check "PR release and unregister" sh -c "
	sg_persist --out --release --param-rk=0x5c57 --prout-type=1 $dev &&
	sg_persist --out --register --param-rk=0x5c57 --param-sark=0 $dev"

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

# --- netlink is for CAP_NET_ADMIN only
# genl_probe dump|join: 0 if the kernel allowed a SCST_CMD_GET_SESSIONS
# dump / joining the events group, else 1 with the errno name printed
cat >$W/genl_probe.py <<'PY'
import errno, os, socket, struct, sys

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # NETLINK_GENERIC
s.bind((0, 0))

def attrs(b):
    out, i = {}, 0
    while i + 4 <= len(b):
        ln, ty = struct.unpack_from("=HH", b, i)
        out[ty & 0x3fff] = b[i + 4:i + ln]
        i += (ln + 3) & ~3
    return out

def send(fam, cmd, flags, payload=b""):
    msg = struct.pack("BBH", cmd, 1, 0) + payload
    s.send(struct.pack("=IHHII", 16 + len(msg), fam, flags, 1, 0) + msg)

name = b"scst\0"
send(0x10, 3, 1, struct.pack("=HH", 4 + len(name), 2) + name + b"\0" * 3)
r = s.recv(65536)
a = attrs(r[20:])
fam = struct.unpack("=H", a[1])[0]
grp = None
for g in attrs(a[7]).values():
    ga = attrs(g)
    if ga.get(1, b"").rstrip(b"\0") == b"events":
        grp = struct.unpack("=I", ga[2])[0]
if sys.argv[1] == "join":
    try:
        s.setsockopt(270, 1, grp)   # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
    except OSError as e:
        print("join:", errno.errorcode[e.errno])
        sys.exit(1)
    print("join: ok")
    sys.exit(0)
send(fam, 1, 1 | 0x300)            # SCST_CMD_GET_SESSIONS, NLM_F_DUMP
while True:
    r = s.recv(65536)
    ty = struct.unpack_from("=H", r, 4)[0]
    if ty == 2:                     # NLMSG_ERROR
        err = -struct.unpack_from("=i", r, 16)[0]
        if err:
            print("dump:", errno.errorcode[err])
            sys.exit(1)
    if ty in (2, 3):                # NLMSG_DONE
        print("dump: ok")
        sys.exit(0)
PY
chmod 644 $W/genl_probe.py
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
check "root: netlink dump allowed" python3 $W/genl_probe.py dump
check "root: joining the events group allowed" python3 $W/genl_probe.py join
out=$($NOBODY python3 $W/genl_probe.py dump 2>&1); rc=$?
check "nobody: netlink dump refused with EPERM" test "$rc:$out" = "1:dump: EPERM"
out=$($NOBODY python3 $W/genl_probe.py join 2>&1); rc=$?
check "nobody: joining the events group refused with EPERM" test "$rc:$out" = "1:join: EPERM"
check "root: scstctl status" "$S" status
$NOBODY "$S" status >$W/status.out 2>$W/status.err; rc=$?
sed 's/^/# nobody status: /' $W/status.err
check "nobody: scstctl status exits 1" test "$rc" = 1
check "nobody: scstctl status says Operation not permitted" \
	grep -q "^scstctl: status: netlink query failed: Operation not permitted (needs CAP_NET_ADMIN)$" $W/status.err
# (bounded: a monitor that could join would run on)
$NOBODY timeout 10 "$S" monitor >$W/monitor2.out 2>$W/monitor2.err; rc=$?
sed 's/^/# nobody monitor: /' $W/monitor2.err
check "nobody: scstctl monitor exits 1" test "$rc" = 1
check "nobody: scstctl monitor cannot join" \
	grep -q "^scstctl: monitor: netlink: Operation not permitted" $W/monitor2.err

check "clear" "$S" clear
check "scsi_debug unloads" rmmod scsi_debug
check "unload" scst_unload
finish
