#!/bin/bash
# Usage: tests/vm/run-vm.sh -- tests/vm/guest/pkg-boot.sh
#
# scst.service coming up when systemd boots, and an iSCSI initiator using
# what it configured.  The test VM's PID 1 is a busybox shell
# (tests/vm/mkinitramfs.sh), so systemd is started here as PID 1 of a new
# PID and mount namespace (as in a container: container=vm) on the guest's
# own root, kernel, configfs, network (loopback) and DKMS-installed
# modules:
#   - the package files are installed (make install, as in pkg-systemd.sh),
#     scst.service is enabled with "systemctl enable"; /etc/scst.conf
#     exports a fileio LUN through scst_local and another fileio LUN
#     through an iSCSI target on portal 127.0.0.1:3260, whose backing file
#     only appears 5 s after scst.service started waiting for it;
#   - systemd boots multi-user.target: scst.service must become active
#     (after sys-kernel-config.mount), having waited for the late file (its
#     journal says so), the scst_local LUN must be a /dev/sdX;
#   - open-iscsi (iscsid and iscsiadm run outside the namespace: same
#     kernel and network) discovers the target, logs in, writes 8 MiB and
#     reads them back (sha256);
#   - "systemctl reload scst" after an edit (a nullio LUN 1 on both
#     targets) applies only the difference: no removal in the journal, the
#     iSCSI session and the scst_local host survive, LUN 1 appears after a
#     rescan and LUN 0 still holds the data;
#   - logout, "systemctl stop scst" clears the whole configuration (no
#     device, target or portal left), "systemctl poweroff" ends systemd.
# The journal of scst.service is printed at the end.
set -u
. "$(dirname "$0")/local-lib.sh"
CFG=$CFS
. "$(dirname "$0")/iscsi-lib.sh"

WORK=/var/tmp/scst-boot
CONF=/etc/scst.conf
T=boottgt
IQN=iqn.2024-01.org.scst.test:boot
P=127.0.0.1:3260
LATE=$WORK/late.img

[ -x scstctl/scstctl ] || make -s -C scstctl scstctl >/dev/null
check install-tree make -s install PREFIX=/usr UNITDIR=/lib/systemd/system
# The guest can be very slow (TCG on a loaded host): give scst-wait more
# than its default 60 s, the late file is created 5 s into its wait.
# (pkg-systemd.sh checks what happens at the timeout.)
sed -i 's/^SCST_WAIT_TIMEOUT=.*/SCST_WAIT_TIMEOUT=600/' /etc/default/scst
modprobe -a scsi_mod sd_mod sg libcrc32c crc32c_generic iscsi_tcp 2>/dev/null

mkdir -p "$WORK"
rm -f "$LATE"
truncate -s 64M "$WORK/disk1.img"
write_conf() {	# extra device lines, extra scst_local LUN, extra iSCSI LUN
	cat > "$CONF" <<CONF
devices = (
	{ name = "bootdisk"; handler = "vdisk_fileio"; filename = "$WORK/disk1.img"; },
	{ name = "latedisk"; handler = "vdisk_fileio"; filename = "$LATE"; }$1
);
targets = (
	{
		driver = "scst_local"; name = "$T";
		luns = ( { lun = 0; device = "bootdisk"; }$2 );
		sessions = [ "init1" ];
	},
	{
		driver = "iscsi"; name = "$IQN";
		luns = ( { lun = 0; device = "latedisk"; }$3 );
	}
);
drivers = { iscsi = { portals = [ "$P" ]; }; };
CONF
}
write_conf "" "" ""
check enable systemctl enable scst.service
check enabled-link test -L /etc/systemd/system/multi-user.target.wants/scst.service

# A quiet boot: no gettys, no units that need hardware or a network, no
# other storage services of the host (open-iscsi runs outside, LIO's
# restore unit would load target_core_mod).
# (systemd-tmpfiles would walk the host's whole /tmp and /var over 9p.)
systemctl mask getty.target console-getty.service systemd-logind.service \
	systemd-timesyncd.service cron.service ssh.service \
	systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
	systemd-tmpfiles-clean.timer apt-daily.timer apt-daily-upgrade.timer \
	man-db.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
	logrotate.timer dpkg-db-backup.timer systemd-update-utmp.service \
	systemd-update-utmp-runlevel.service postgresql.service \
	iscsid.socket iscsid.service open-iscsi.service \
	rtslib-fb-targetctl.service >/dev/null 2>&1
: > /etc/machine-id

# The late backing file: created (atomically, full size) 5 s after
# scst-wait, started by scst.service, is in its waiting loop (it runs
# "sleep" between polls, after it has said what it waits for).
(
	for _ in $(seq 1200); do
		w=$(pgrep -f /usr/lib/scst/scst-wait | head -n 1)
		[ -n "$w" ] && pgrep -P "$w" -x sleep >/dev/null && break
		sleep 0.5
	done
	sleep 5
	truncate -s 64M "$LATE.tmp" && mv "$LATE.tmp" "$LATE"
	date +%s > "$WORK/late-created"
) &
LATE_PID=$!

SYSTEMD=/lib/systemd/systemd
unshare --pid --mount --fork --mount-proc --propagation private \
	env -i container=vm PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	"$SYSTEMD" --unit=multi-user.target --show-status=0 \
	--log-target=journal-or-kmsg --log-level=notice \
	> /tmp/systemd.out 2>&1 &
UPID=$!
PID1=
for _ in $(seq 50); do
	PID1=$(pgrep -P "$UPID" -x systemd) && break
	sleep 0.2
done
if [ -z "$PID1" ]; then
	fail systemd-started "$(tail -n 20 /tmp/systemd.out)"
	kill "$LATE_PID" 2>/dev/null
	local_finish
	exit 1
fi
pass systemd-started
in_ns() { nsenter --target "$PID1" --mount --pid -- "$@"; }

booted() {
	local s
	s=$(in_ns systemctl is-system-running 2>/dev/null)
	case $s in running|degraded) return 0 ;; esac
	return 1
}
note "t=${SECONDS}s: systemd started"
if wait_until 600 booted; then
	pass boot-finished
else
	fail boot-finished "state: $(in_ns systemctl is-system-running 2>&1)"
fi
note "system state: $(in_ns systemctl is-system-running 2>&1)"
in_ns systemctl --no-pager --failed 2>&1 | sed 's/^/    | /'
check config-mount-active in_ns systemctl is-active sys-kernel-config.mount
check scst-active in_ns systemctl is-active scst.service
in_ns systemctl --no-pager status scst.service 2>&1 | sed 's/^/    | /'
check scst-after-configfs bash -c "nsenter -t $PID1 -m -p systemctl show -p After scst.service | grep -q sys-kernel-config.mount"
in_ns journalctl --no-pager -b -u scst.service > /tmp/journal-start 2>&1
check late-waited grep -q "waiting for $LATE (device latedisk, vdisk_fileio)" /tmp/journal-start
check late-is-there grep -q "$LATE is there after" /tmp/journal-start
late_s=$(sed -n "s|.*$LATE is there after \([0-9]*\) s.*|\1|p" /tmp/journal-start)
note "scst-wait: $LATE is there after ${late_s:-?} s"
check late-waited-5s test "${late_s:-0}" -ge 5
check late-lun-size test "$(cat "$CFS/handlers/vdisk_fileio/latedisk/size" 2>/dev/null)" = $((64 << 20))
if wait_until 20 host_of "$T" init1 && H=$(host_of "$T" init1) &&
   wait_until 20 sd_of "$H" 0; then
	pass "boot-lun0-is-/dev/$(sd_of "$H" 0)"
else
	fail boot-lun0 "no /dev/sdX for $T/init1 LUN 0"
	H=
fi

# --- the iSCSI initiator ---------------------------------------------------
note "t=${SECONDS}s: booted; starting iscsid"
start_iscsid
note "t=${SECONDS}s: iscsid up"
disc > /tmp/disc.out 2>&1
check iscsi-discovery grep -q "$IQN" /tmp/disc.out
check iscsi-login login "$IQN"
SID=$(sid_of "$IQN")
if wait_until 30 sd_of_target "$IQN"; then
	SD=$(sd_of_target "$IQN")
	pass "iscsi-lun0-is-$SD"
else
	fail iscsi-lun0 "no block device for $IQN LUN 0"
	SD=/dev/null
fi
dd if=/dev/urandom of=/tmp/pattern bs=1M count=8 status=none
want=$(sha256sum < /tmp/pattern | cut -d' ' -f1)
check iscsi-write dd if=/tmp/pattern of="$SD" bs=1M oflag=direct status=none
readback() { dd if="$SD" bs=1M count=8 iflag=direct status=none | sha256sum | cut -d' ' -f1; }
check iscsi-read-back test "$(readback)" = "$want"
check iscsi-backing-file test "$(head -c 8M "$LATE" | sha256sum | cut -d' ' -f1)" = "$want"

# --- reload after an edit --------------------------------------------------
note "t=${SECONDS}s: reload"
nj=$(in_ns journalctl --no-pager -b -u scst.service 2>/dev/null | wc -l)
write_conf ',
	{ name = "bootnull"; handler = "vdisk_nullio"; size = "32M"; }' \
	', { lun = 1; device = "bootnull"; }' ', { lun = 1; device = "bootnull"; }'
check reload in_ns systemctl reload scst.service
check reload-active in_ns systemctl is-active scst.service
check reload-device test -d "$CFS/handlers/vdisk_nullio/bootnull"
check reload-lun1 test -L "$CFS/targets/scst_local/$T/luns/1/device"
check reload-iscsi-lun1 test -L "$CFS/targets/iscsi/$IQN/luns/1/device"
[ -n "$H" ] && check reload-same-host test "$(host_of "$T" init1)" = "$H"
# the reload's part of the journal, once its last line ("N changes") is in
reload_logged() {
	in_ns journalctl --no-pager -b -u scst.service 2>&1 |
		tail -n +$((nj + 1)) > /tmp/journal-reload.tail
	grep -qE '(^|[^0-9])[0-9]+ changes' /tmp/journal-reload.tail
}
wait_until 20 reload_logged
sed 's/^/    reload| /' /tmp/journal-reload.tail
check reload-7-changes grep -qE '(^|[^0-9])7 changes' /tmp/journal-reload.tail
check reload-no-removal bash -c "! grep -qE 'rmdir|unlink|disruptive' /tmp/journal-reload.tail"
check reload-same-session test "$(sid_of "$IQN")" = "$SID"
iscsiadm -m session -r "$SID" --rescan >/dev/null 2>&1
check reload-iscsi-lun1-seen wait_until 20 sd_of_target "$IQN" 1
check reload-lun0-data-kept test "$(readback)" = "$want"

# --- logout, stop, poweroff ------------------------------------------------
note "t=${SECONDS}s: logout, stop"
check iscsi-logout logout "$IQN"
stop_iscsid
check stop in_ns systemctl stop scst.service
check stop-inactive bash -c "! nsenter -t $PID1 -m -p systemctl is-active scst.service"
check stop-cleared bash -c "! ls -d $CFS/handlers/*/*/ $CFS/targets/*/*/ $CFS/drivers/*/portals/*/ 2>/dev/null | grep -q ."
check stop-host-gone bash -c "! grep -qs . /sys/class/scsi_host/host*/scst_target"

in_ns journalctl --no-pager -b -u scst.service 2>&1 | sed 's/^/    journal| /'

in_ns systemctl poweroff >/dev/null 2>&1
for _ in $(seq 100); do
	kill -0 "$UPID" 2>/dev/null || break
	sleep 0.2
done
if kill -0 "$UPID" 2>/dev/null; then
	fail systemd-poweroff "systemd did not exit"
	kill -KILL "$UPID" 2>/dev/null
else
	pass systemd-poweroff
fi
kill "$LATE_PID" 2>/dev/null
unload_all() { rmmod scst_iscsi && unload_modules; }
check modules-unload unload_all
local_finish
