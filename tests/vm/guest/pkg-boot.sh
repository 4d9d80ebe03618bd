#!/bin/bash
# Usage: tests/vm/run-vm.sh -- tests/vm/guest/pkg-boot.sh
#
# scst.service coming up when systemd boots.  The test VM's PID 1 is a
# busybox shell (tests/vm/mkinitramfs.sh), so systemd is started here as
# PID 1 of a new PID and mount namespace (as in a container: container=vm)
# on the guest's own root, kernel, configfs and DKMS-installed modules:
#   - the package files are installed (make install, as in pkg-systemd.sh),
#     scst.service is enabled with "systemctl enable" and /etc/scst.conf
#     exports a fileio LUN through scst_local;
#   - systemd boots multi-user.target: scst.service must become active
#     (after sys-kernel-config.mount) and the LUN a /dev/sdX;
#   - "systemctl reload scst" after an edit applies the difference;
#   - "systemctl poweroff" stops the service, which clears the target.
# The journal of the booted systemd is printed at the end.
set -u
. "$(dirname "$0")/local-lib.sh"

WORK=/var/tmp/scst-boot
CONF=/etc/scst.conf
T=boottgt

[ -x scstctl/scstctl ] || make -s -C scstctl scstctl >/dev/null
check install-tree make -s install PREFIX=/usr UNITDIR=/lib/systemd/system
modprobe -a scsi_mod sd_mod sg 2>/dev/null

mkdir -p "$WORK"
truncate -s 64M "$WORK/disk1.img"
write_conf() {	# extra device lines, extra LUN lines
	cat > "$CONF" <<CONF
devices = (
	{ name = "bootdisk"; handler = "vdisk_fileio"; filename = "$WORK/disk1.img"; }$1
);
targets = (
	{
		driver = "scst_local"; name = "$T";
		luns = ( { lun = 0; device = "bootdisk"; }$2 );
		sessions = [ "init1" ];
	}
);
CONF
}
write_conf "" ""
check enable systemctl enable scst.service
check enabled-link test -L /etc/systemd/system/multi-user.target.wants/scst.service

# A quiet boot: no gettys, no units that need hardware or a network.
# (systemd-tmpfiles would walk the host's whole /tmp and /var over 9p.)
systemctl mask getty.target console-getty.service systemd-logind.service \
	systemd-timesyncd.service cron.service ssh.service \
	systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
	systemd-tmpfiles-clean.timer apt-daily.timer apt-daily-upgrade.timer \
	man-db.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
	logrotate.timer dpkg-db-backup.timer systemd-update-utmp.service \
	systemd-update-utmp-runlevel.service >/dev/null 2>&1
: > /etc/machine-id

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
if wait_until 120 booted; then
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
if wait_until 20 host_of "$T" init1 && H=$(host_of "$T" init1) &&
   wait_until 20 sd_of "$H" 0; then
	pass "boot-lun0-is-/dev/$(sd_of "$H" 0)"
else
	fail boot-lun0 "no /dev/sdX for $T/init1 LUN 0"
	H=
fi

write_conf ',
	{ name = "bootnull"; handler = "vdisk_nullio"; size = "32M"; }' \
	', { lun = 1; device = "bootnull"; }'
check reload in_ns systemctl reload scst.service
check reload-active in_ns systemctl is-active scst.service
check reload-device test -d "$CFS/handlers/vdisk_nullio/bootnull"
check reload-lun1 test -L "$CFS/targets/scst_local/$T/luns/1/device"
[ -n "$H" ] && check reload-same-host test "$(host_of "$T" init1)" = "$H"

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
check stop-cleared bash -c "! ls -d $CFS/handlers/*/*/ $CFS/targets/*/*/ 2>/dev/null | grep -q ."
check stop-host-gone bash -c "! grep -qs . /sys/class/scsi_host/host*/scst_target"
check modules-unload unload_modules
local_finish
