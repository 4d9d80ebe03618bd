#!/bin/bash
# Usage: tests/vm/run-vm.sh -- tests/vm/guest/pkg-systemd.sh
#
# scst.service without systemd as PID 1: installs what the scstctl package
# installs (build/deb/scstctl_*.deb if PKG_DEB=1 and it exists, else
# "make install" of this tree) into the guest's RAM root, checks the unit
# with systemd-analyze verify, then runs the unit's own ExecStartPre,
# ExecStart, ExecReload and ExecStop command lines (read from the installed
# unit, with /etc/default/scst in the environment) against the real
# configfs and the DKMS-installed modules:
#   - the installed sample /etc/scst.conf (all comments) applies cleanly;
#   - a fileio LUN through scst_local shows up as /dev/sdX;
#   - reload after adding a LUN applies only that difference;
#   - stop clears everything;
#   - a backing file that appears 5 s late is waited for (one "waiting for"
#     line), and one that never appears fails the start naming the device.
set -u
. "$(dirname "$0")/local-lib.sh"

REPO=$(pwd)
UNIT=/lib/systemd/system/scst.service
WORK=/var/tmp/scst-pkg
CONF=/etc/scst.conf
T=pkgtgt

# --- install -------------------------------------------------------------
deb=$(ls build/deb/scstctl_*_amd64.deb 2>/dev/null | tail -n 1)
if [ "${PKG_DEB:-0}" = 1 ] && [ -n "$deb" ]; then
	note "installing $deb"
	check install-deb dpkg -i "$deb"
else
	[ -x scstctl/scstctl ] || make -s -C scstctl scstctl >/dev/null
	note "installing this tree (make install)"
	check install-tree make -s install PREFIX=/usr UNITDIR=/lib/systemd/system
fi
for f in /usr/sbin/scstctl /usr/lib/scst/scst-wait "$UNIT" /etc/default/scst \
	 "$CONF" /usr/share/scst/scst.schema /usr/share/man/man8/scstctl.8* \
	 /usr/share/bash-completion/completions/scstctl; do
	check "installed-${f##*/}" test -e "$f"
done
check sample-conf-mode test "$(stat -c %a "$CONF")" = 600
check sample-conf-valid scstctl check "$CONF"

# --- the unit file -------------------------------------------------------
if out=$(systemd-analyze verify "$UNIT" 2>&1); then
	pass unit-verify
else
	fail unit-verify "$out"
fi
note "systemd-analyze verify: ${out:-no remarks}"
for k in 'Type=oneshot' 'RemainAfterExit=yes' 'Requires=sys-kernel-config.mount' \
	 'Wants=network-online.target' 'WantedBy=multi-user.target'; do
	check "unit-has-$k" grep -qx -- "$k" "$UNIT"
done
check unit-after grep -qE '^After=.*sys-kernel-config.mount.*network-online.target.*local-fs.target' "$UNIT"

# The commands of one Exec*= setting, one per line ("-" prefixes dropped).
unit_cmds() {
	sed -n "s/^$1=-\{0,1\}//p" "$UNIT"
}
# Run the unit's Exec$1 commands as systemd would: environment from the
# EnvironmentFile, stop at the first failure.  Output goes to $OUTF
# (a new one per start, reload or stop).
OUTF=/tmp/unit.out
run_unit() {	# Start|StartPre|Reload|Stop
	local cmd rc=0
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		echo "+ $cmd" >> "$OUTF"
		# shellcheck disable=SC2086 # the unit's word splitting
		( set -a; . /etc/default/scst; set +a
		  [ -n "${WAIT_TIMEOUT:-}" ] && SCST_WAIT_TIMEOUT=$WAIT_TIMEOUT
		  [ -n "${RELOAD_OPTS+set}" ] && SCST_RELOAD_OPTS=$RELOAD_OPTS
		  eval "exec $cmd" ) >> "$OUTF" 2>&1 || { rc=$?; break; }
	done < <(unit_cmds "Exec$1")
	return $rc
}
start() { : > "$OUTF"; run_unit StartPre && run_unit Start; }
reload() { : > "$OUTF"; run_unit Reload; }
stop() { : > "$OUTF"; run_unit Stop; }
show() { sed 's/^/    | /' "$OUTF"; }

check cmds-present test -n "$(unit_cmds ExecStartPre)" -a -n "$(unit_cmds ExecStart)" \
	-a -n "$(unit_cmds ExecReload)" -a -n "$(unit_cmds ExecStop)"

# No udev in the guest: what binds to new SCSI devices.
modprobe -a scsi_mod sd_mod sg 2>/dev/null

# --- 1: the sample configuration (everything commented out) ---------------
check start-sample start
check stop-sample stop

# --- 2: a fileio LUN through scst_local ----------------------------------
mkdir -p "$WORK"
truncate -s 64M "$WORK/disk1.img"
cat > "$CONF" <<CONF
devices = (
	{ name = "pkgdisk"; handler = "vdisk_fileio"; filename = "$WORK/disk1.img"; }
);
targets = (
	{
		driver = "scst_local"; name = "$T";
		luns = ( { lun = 0; device = "pkgdisk"; } );
		sessions = [ "init1" ];
	}
);
CONF
check conf-valid scstctl check "$CONF"
check start start
show
check start-waited-for-nothing bash -c "! grep -q 'waiting for' $OUTF"
check modules-loaded test -d /sys/module/scst_vdisk -a -d /sys/module/scst_local
check device-configured test -d "$CFS/handlers/vdisk_fileio/pkgdisk"
if wait_until 20 host_of "$T" init1 && H=$(host_of "$T" init1) &&
   wait_until 20 sd_of "$H" 0; then
	SD=$(sd_of "$H" 0)
	pass "lun0-is-/dev/$SD"
	check lun0-size test "$(cat "/sys/block/$SD/size")" = $((64 * 2048))
	check lun0-write dd if=/dev/urandom of="/dev/$SD" bs=64k count=16 oflag=direct
	check lun0-data cmp -n 1M "/dev/$SD" "$WORK/disk1.img"
else
	fail lun0-appears "no /dev/sdX for $T/init1 LUN 0"
	H= SD=
fi
check second-start-no-change bash -c "$(unit_cmds ExecStart) | grep -q '^0 changes'"

# --- 3: reload applies the difference only --------------------------------
cat > "$CONF" <<CONF
devices = (
	{ name = "pkgdisk"; handler = "vdisk_fileio"; filename = "$WORK/disk1.img"; },
	{ name = "pkgnull"; handler = "vdisk_nullio"; size = "32M"; }
);
targets = (
	{
		driver = "scst_local"; name = "$T";
		luns = ( { lun = 0; device = "pkgdisk"; }, { lun = 1; device = "pkgnull"; } );
		sessions = [ "init1" ];
	}
);
CONF
check reload reload
show
check reload-adds-device grep -q 'mkdir *handlers/vdisk_nullio/pkgnull' "$OUTF"
check reload-adds-lun1 grep -q 'mkdir *targets/scst_local/pkgtgt/luns/1' "$OUTF"
check reload-leaves-pkgdisk bash -c "! grep -q 'pkgdisk\|luns/0\|sessions/init1\|enabled' $OUTF"
check reload-counts grep -q '^[0-9]* changes' "$OUTF"
note "reload: $(grep -c '^  ' "$OUTF") step(s)"
if [ -n "$H" ]; then
	check reload-same-host test "$(host_of "$T" init1)" = "$H"
	check reload-lun0-kept test -b "/dev/$SD" -a "$(sd_of "$H" 0)" = "$SD"
	rescan "$H" 2>/dev/null
	check reload-lun1-appears wait_until 20 sd_of "$H" 1
fi

# --- 3b: reload removes what left the file, disruptive steps need --yes ----
cat > "$CONF" <<CONF
devices = ( { name = "pkgdisk"; handler = "vdisk_fileio"; filename = "$WORK/disk1.img"; } );
targets = (
	{
		driver = "scst_local"; name = "$T";
		luns = ( { lun = 0; device = "pkgdisk"; } );
		sessions = [ "init1" ];
	}
);
CONF
check_not reload-disruptive-refused reload
show
check reload-refusal-says-why grep -q 'confirm with --yes; nothing changed' "$OUTF"
check reload-refused-changed-nothing test -d "$CFS/targets/scst_local/$T/luns/1"
RELOAD_OPTS=--yes
check reload-disruptive-with-yes reload
unset RELOAD_OPTS
show
check reload-removed-lun1 test ! -e "$CFS/targets/scst_local/$T/luns/1"
check reload-removed-pkgnull test ! -e "$CFS/handlers/vdisk_nullio/pkgnull"
check reload-kept-lun0 test -d "$CFS/targets/scst_local/$T/luns/0"

# --- 4: stop clears ----------------------------------------------------------
check stop stop
check stop-no-devices bash -c "! ls -d $CFS/handlers/*/*/ 2>/dev/null | grep -q ."
check stop-no-targets bash -c "! ls -d $CFS/targets/*/*/ 2>/dev/null | grep -q ."
check stop-host-gone bash -c "! grep -qs . /sys/class/scsi_host/host*/scst_target"

# --- 5: a backing file that appears 5 s late ---------------------------------
# The file appears 5 s after scst-wait has started (modprobe and the
# parse before it take seconds of their own under TCG).
rm -f "$WORK/disk1.img"
(
	for _ in $(seq 300); do
		pgrep -f /usr/lib/scst/scst-wait >/dev/null && break
		sleep 0.1
	done
	sleep 5
	truncate -s 64M "$WORK/disk1.img"
) &
t0=$SECONDS
check late-start start
show
dt=$((SECONDS - t0))
note "start with a late backing file took $dt s"
check late-waited grep -q "waiting for $WORK/disk1.img (device pkgdisk, vdisk_fileio)" "$OUTF"
check late-waited-once test "$(grep -c 'waiting for' "$OUTF")" = 1
check late-is-there grep -q "$WORK/disk1.img is there after" "$OUTF"
check late-took-5s test "$dt" -ge 5
check late-lun0 wait_until 20 host_of "$T" init1
wait
check late-stop stop

# --- 6: a backing file that never appears -------------------------------------
rm -f "$WORK/disk1.img"
t0=$SECONDS
WAIT_TIMEOUT=3
check_not missing-start-fails start
show
unset WAIT_TIMEOUT
dt=$((SECONDS - t0))
check missing-gave-up grep -q "gave up waiting for $WORK/disk1.img (device pkgdisk, vdisk_fileio) after 3 s" "$OUTF"
check missing-bounded test "$dt" -lt 20
check missing-names-object grep -qE "pkgdisk|$WORK/disk1.img" <(sed -n "/scstctl apply/,\$p" "$OUTF")
check missing-rolled-back bash -c "! ls -d $CFS/handlers/*/*/ $CFS/targets/*/*/ 2>/dev/null | grep -q ."
check missing-stop stop

check modules-unload unload_modules
local_finish
