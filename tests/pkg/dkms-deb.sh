#!/bin/bash
# Usage: sudo tests/pkg/dkms-deb.sh [--no-restore]      (after make deb)
#
# The scst-dkms .deb on this machine, as a user gets it (host side, root;
# changes the system's DKMS state, not for a shared machine in use):
#   1. apt install ./scst-dkms_*.deb ./scstctl_*.deb builds and installs
#      the modules (scst, scst_vdisk, scst_local, scst_iscsi) with DKMS for
#      every supported installed kernel (tests/vm/kernels.sh: 6.1, 6.12);
#   2. "installing another kernel's headers afterwards builds for it": the
#      newest kernel's modules are removed from DKMS (dkms remove -k KVER),
#      so that kernel is one scst was never built for, then its headers
#      package is reinstalled with apt-get install --reinstall
#      linux-headers-KVER (from the apt cache or the archive).  Its postinst
#      is what runs when headers are installed: on bookworm
#      "linux-run-hooks headers postinst KVER" (6.12) or run-parts (6.1) of
#      /etc/kernel/header_postinst.d, whose "dkms" hook runs
#      dkms_autoinstaller for KVER.  The modules must be back for KVER, the
#      other kernel's untouched.  (What this does not show: a headers
#      package for a kernel that was never on the machine.)
#   3. apt remove scst-dkms removes the modules of every kernel, the DKMS
#      registration and /usr/src/scst-VERSION;
#   4. scstctl is purged again if it was not installed before, and unless
#      --no-restore the tree's modules are put back with
#      tests/dkms.sh install (as make check / make demo expect them).
# Logs: build/test-logs/pkg-dkms-*.log.  The last line is "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/../.."
VER=$(tr -d ' \n' < VERSION)
LOGS=$PWD/build/test-logs
mkdir -p "$LOGS"
restore=1
[ "${1:-}" = --no-restore ] && restore=0
mapfile -t KVERS < <(tests/vm/kernels.sh)
NEW=${KVERS[${#KVERS[@]} - 1]}
# every module dkms.conf builds
MODS=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\{0,1\}\([a-z_]*\)"\{0,1\}$/\1/p' dkms.conf)
SUITE=pkg-dkms
# shellcheck source=tests/pkg/checklib.sh
. tests/pkg/checklib.sh

[ "$(id -u)" -eq 0 ] || { echo "dkms-deb: needs root" >&2; exit 2; }
DKMS_DEB=build/deb/scst-dkms_${VER}-1_all.deb
CTL_DEB=build/deb/scstctl_${VER}-1_amd64.deb
if [ ! -s "$DKMS_DEB" ] || [ ! -s "$CTL_DEB" ]; then
	make -s dist deb >"$LOGS/pkg-dkms-build.log" 2>&1 ||
		{ fail make-deb "see $LOGS/pkg-dkms-build.log"; finish; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
ctl_before=0
dpkg-query -W -f='${Status}' scstctl 2>/dev/null | grep -q "install ok installed" && ctl_before=1

# the module as modinfo finds it for kernel $1: "VERSION FILENAME"
mod_of() {	# KVER MODULE
	modinfo -k "$1" -F version "$2" 2>/dev/null | head -n 1 | tr '\n' ' '
	modinfo -k "$1" -n "$2" 2>/dev/null
}
has_mods() {	# KVER: every module installed by DKMS, with our version
	local m v
	for m in $MODS; do
		v=$(mod_of "$1" "$m")
		case $v in
		"$VER /lib/modules/$1/updates/dkms/$m.ko"*) ;;
		*) echo "$m for $1: '${v:-not found}'"; return 1 ;;
		esac
	done
}
no_mods() {	# KVER
	local m
	for m in $MODS; do
		ls /lib/modules/"$1"/updates/dkms/"$m".ko* 2>/dev/null && return 1
	done
	return 0
}
dkms_installed() {	# KVER
	dkms status "scst/$VER" -k "$1" 2>/dev/null | grep -q ": installed"
}

# Start from a machine without scst in DKMS (make check installs the tree).
bash tests/dkms.sh remove >"$LOGS/pkg-dkms-clean.log" 2>&1

# --- 1: install ----------------------------------------------------------------
t0=$SECONDS
if "${APT[@]}" install "./$DKMS_DEB" "./$CTL_DEB" >"$LOGS/pkg-dkms-install.log" 2>&1; then
	pass "apt-install ($((SECONDS - t0)) s)"
else
	fail apt-install "$(tail -n 5 "$LOGS/pkg-dkms-install.log" | tr '\n' ' ')"
fi
check source-in-usr-src test -f "/usr/src/scst-$VER/dkms.conf"
check source-owned-by-package dpkg -S "/usr/src/scst-$VER/dkms.conf"
for k in "${KVERS[@]}"; do
	check "installed-for-$k" dkms_installed "$k"
	check "modules-for-$k" has_mods "$k"
done
check scstctl-installed /usr/sbin/scstctl --version

# --- 2: headers installed afterwards ---------------------------------------------
check "dkms-remove-$NEW" dkms remove "scst/$VER" -k "$NEW"
check "no-modules-for-$NEW" no_mods "$NEW"
check "not-installed-for-$NEW" bash -c "! dkms status scst/$VER -k $NEW | grep -q installed"
t0=$SECONDS
if "${APT[@]}" install --reinstall "linux-headers-$NEW" \
	>"$LOGS/pkg-dkms-headers.log" 2>&1; then
	pass "reinstall-linux-headers-$NEW ($((SECONDS - t0)) s)"
else
	fail "reinstall-linux-headers-$NEW" "$(tail -n 5 "$LOGS/pkg-dkms-headers.log" | tr '\n' ' ')"
fi
grep -iE "Setting up linux-headers|dkms|autoinstall|scst" "$LOGS/pkg-dkms-headers.log" | sed 's/^/    | /' | head -n 20
check "headers-postinst-ran-dkms" grep -q "autoinstall for kernel: $NEW" "$LOGS/pkg-dkms-headers.log"
check "installed-again-for-$NEW" dkms_installed "$NEW"
check "modules-again-for-$NEW" has_mods "$NEW"
for k in "${KVERS[@]}"; do
	[ "$k" = "$NEW" ] && continue
	check "still-installed-for-$k" has_mods "$k"
done

# --- 3: remove --------------------------------------------------------------------
t0=$SECONDS
if "${APT[@]}" remove scst-dkms >"$LOGS/pkg-dkms-remove.log" 2>&1; then
	pass "apt-remove ($((SECONDS - t0)) s)"
else
	fail apt-remove "$(tail -n 5 "$LOGS/pkg-dkms-remove.log" | tr '\n' ' ')"
fi
for k in "${KVERS[@]}"; do
	check "removed-for-$k" no_mods "$k"
done
check dkms-forgets-scst bash -c "! dkms status scst 2>/dev/null | grep -q ."
check source-removed test ! -e "/usr/src/scst-$VER"

# --- 4: back to how it was ----------------------------------------------------------
[ $ctl_before -eq 1 ] || "${APT[@]}" purge scstctl >"$LOGS/pkg-dkms-purge.log" 2>&1
if [ $restore -eq 1 ]; then
	if bash tests/dkms.sh install "${KVERS[@]}" >"$LOGS/pkg-dkms-restore.log" 2>&1; then
		echo "# the tree's modules are DKMS-installed again (tests/dkms.sh install)"
	else
		fail restore "tests/dkms.sh install: see $LOGS/pkg-dkms-restore.log"
	fi
fi
finish
