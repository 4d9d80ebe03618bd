#!/bin/bash
# Usage: tests/pkg/build.sh            (tests/run.sh --pkg, part of make check)
#
# Builds the packages as a user would and checks what they hold:
#   - make dist, make deb: the three .debs; lintian reports no error;
#   - dpkg -c scst-dkms lists exactly the module source tree
#     (git ls-files of src/, dkms.conf, VERSION) under /usr/src/scst-VERSION,
#     its postinst/prerm call DKMS (dh_dkms) and it depends on dkms;
#   - scstctl holds the tool, schema, man pages, unit, wait helper,
#     completion and the two conffiles (/etc/scst.conf mode 0600);
#     scst-dev holds scst.h and scst_user.h;
#   - make rpm: rpm -qlp lists the same trees for scst-dkms, scstctl and
#     scst-devel, and scst-dkms' %post runs dkms.
# Needs what tests/install-deps.sh installs (debhelper, dh-dkms, lintian,
# rpm, ...).  Logs in build/test-logs/pkg-*.log.  The last line is
# "N passed, N failed".
set -uo pipefail

cd "$(dirname "$0")/../.."
VER=$(tr -d ' \n' < VERSION)
LOGS=build/test-logs
mkdir -p "$LOGS"
SUITE=pkg
# shellcheck source=tests/pkg/checklib.sh
. tests/pkg/checklib.sh
# same_list NAME EXPECTED-FILE ACTUAL-FILE: the two sorted lists are equal
same_list() {
	local d
	d=$(diff <(sort -u "$2") <(sort -u "$3"))
	if [ -z "$d" ]; then
		pass "$1"
	else
		fail "$1" "missing (<) / unexpected (>): $(echo "$d" | grep '^[<>]' | head -n 8 | tr '\n' ' ')"
	fi
}

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The module source as scst-dkms must ship it.
{
	git ls-files -co --exclude-standard src
	echo dkms.conf
	echo VERSION
} | sed "s|^|/usr/src/scst-$VER/|" > "$T/src.want"

# --- Debian ------------------------------------------------------------------
t0=$SECONDS
if make -s dist >"$LOGS/pkg-dist.log" 2>&1 &&
   make -s deb >"$LOGS/pkg-deb.log" 2>&1; then
	pass "make-deb ($((SECONDS - t0)) s)"
else
	fail make-deb "see $LOGS/pkg-deb.log: $(tail -n 5 "$LOGS/pkg-deb.log" | tr '\n' ' ')"
fi
DKMS_DEB=build/deb/scst-dkms_${VER}-1_all.deb
CTL_DEB=build/deb/scstctl_${VER}-1_amd64.deb
DEV_DEB=build/deb/scst-dev_${VER}-1_all.deb
for d in "$DKMS_DEB" "$CTL_DEB" "$DEV_DEB"; do
	check "deb-exists-${d##*/}" test -s "$d"
done

if [ -s "$DKMS_DEB" ]; then
	lintian --no-tag-display-limit build/deb/scst_${VER}-1_amd64.changes \
		>"$LOGS/pkg-lintian.log" 2>&1
	nerr=$(grep -c '^E: ' "$LOGS/pkg-lintian.log")
	nwarn=$(grep -c '^W: ' "$LOGS/pkg-lintian.log")
	if [ "$nerr" -eq 0 ]; then
		pass "lintian-no-errors ($nwarn warnings)"
	else
		fail lintian-no-errors "$(grep '^E: ' "$LOGS/pkg-lintian.log" | head -n 5 | tr '\n' ' ')"
	fi
fi

# paths listed by dpkg -c, without the leading "." and directories
deb_files() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { p = $6; sub(/^\./, "", p); print p }'
}
deb_mode() {	# DEB PATH: the mode column of PATH
	dpkg-deb -c "$1" | awk -v p=".$2" '$6 == p { print $1 }'
}

if [ -s "$DKMS_DEB" ]; then
	deb_files "$DKMS_DEB" | grep "^/usr/src/" > "$T/dkms.have"
	same_list deb-dkms-full-source-tree "$T/src.want" "$T/dkms.have"
	note_n=$(wc -l < "$T/dkms.have")
	echo "# scst-dkms: $note_n files under /usr/src/scst-$VER"
	dpkg-deb -e "$DKMS_DEB" "$T/dkms.ctrl"
	check deb-dkms-postinst-dkms grep -q '/usr/lib/dkms/common.postinst' "$T/dkms.ctrl/postinst"
	check deb-dkms-prerm-dkms grep -q 'dkms remove' "$T/dkms.ctrl/prerm"
	check deb-dkms-depends-dkms bash -c "dpkg-deb -f $DKMS_DEB Depends | grep -qw dkms"
	check deb-dkms-arch-all test "$(dpkg-deb -f "$DKMS_DEB" Architecture)" = all
	check deb-dkms-conf-version grep -q "PACKAGE_VERSION=\"$VER\"" <(dpkg-deb --fsys-tarfile "$DKMS_DEB" | tar -xOf - "./usr/src/scst-$VER/dkms.conf")
fi

CTL_FILES="/usr/sbin/scstctl /usr/share/scst/scst.schema
/usr/sbin/scst_user_ramdisk /usr/sbin/scst_user_filedisk
/usr/share/man/man8/scstctl.8.gz /usr/share/man/man5/scst.conf.5.gz
/usr/lib/scst/scst-wait /lib/systemd/system/scst.service
/usr/share/bash-completion/completions/scstctl
/etc/scst.conf /etc/default/scst"
if [ -s "$CTL_DEB" ]; then
	deb_files "$CTL_DEB" > "$T/ctl.have"
	for f in $CTL_FILES; do
		check "deb-scstctl-has-$f" grep -qx "$f" "$T/ctl.have"
	done
	check deb-scstctl-conf-mode-0600 test "$(deb_mode "$CTL_DEB" /etc/scst.conf)" = "-rw-------"
	check deb-scstctl-pr-dir-0700 bash -c "dpkg -c $CTL_DEB | grep -q '^drwx------ .* ./var/lib/scst/pr/\$'"
	dpkg-deb -e "$CTL_DEB" "$T/ctl.ctrl"
	check deb-scstctl-conffiles bash -c "grep -qx /etc/scst.conf $T/ctl.ctrl/conffiles && grep -qx /etc/default/scst $T/ctl.ctrl/conffiles"
	check deb-scstctl-no-service-start bash -c "! grep -qs 'deb-systemd-invoke start' $T/ctl.ctrl/postinst"
fi
if [ -s "$DEV_DEB" ]; then
	check deb-dev-has-scst.h bash -c "dpkg-deb -c $DEV_DEB | grep -q '/usr/include/scst/scst.h$'"
	check deb-dev-has-scst_user.h bash -c "dpkg-deb -c $DEV_DEB | grep -q '/usr/include/scst/scst_user.h$'"
fi

# --- RPM ---------------------------------------------------------------------
t0=$SECONDS
if make -s rpm >"$LOGS/pkg-rpm.log" 2>&1; then
	pass "make-rpm ($((SECONDS - t0)) s)"
else
	fail make-rpm "see $LOGS/pkg-rpm.log: $(tail -n 5 "$LOGS/pkg-rpm.log" | tr '\n' ' ')"
fi
DKMS_RPM=$(ls build/rpm/RPMS/noarch/scst-dkms-"$VER"-*.noarch.rpm 2>/dev/null | head -n 1)
CTL_RPM=$(ls build/rpm/RPMS/x86_64/scstctl-"$VER"-*.x86_64.rpm 2>/dev/null | head -n 1)
DEV_RPM=$(ls build/rpm/RPMS/*/scst-devel-"$VER"-*.rpm 2>/dev/null | head -n 1)
check rpm-exists-scst-dkms test -s "${DKMS_RPM:-/nonexistent}"
check rpm-exists-scstctl test -s "${CTL_RPM:-/nonexistent}"
check rpm-exists-scst-devel test -s "${DEV_RPM:-/nonexistent}"
check rpm-srpm-exists bash -c "ls build/rpm/SRPMS/scst-$VER-*.src.rpm"
if [ -n "$DKMS_RPM" ]; then
	# rpm -qlp lists directories too: keep the files of the source tree
	rpm -qlp "$DKMS_RPM" 2>/dev/null > "$T/rdkms.all"
	grep -Fxf "$T/src.want" "$T/rdkms.all" > "$T/rdkms.have"
	same_list rpm-dkms-full-source-tree "$T/src.want" "$T/rdkms.have"
	check rpm-dkms-post-dkms bash -c "rpm -qp --scripts $DKMS_RPM 2>/dev/null | grep -q 'dkms add'"
	check rpm-dkms-preun-dkms bash -c "rpm -qp --scripts $DKMS_RPM 2>/dev/null | grep -q 'dkms remove'"
fi
if [ -n "$CTL_RPM" ]; then
	rpm -qlp "$CTL_RPM" 2>/dev/null > "$T/rctl.have"
	for f in /usr/sbin/scstctl /usr/share/scst/scst.schema /usr/lib/scst/scst-wait \
		 /usr/sbin/scst_user_ramdisk /usr/sbin/scst_user_filedisk \
		 /etc/scst.conf /etc/default/scst /usr/share/bash-completion/completions/scstctl; do
		check "rpm-scstctl-has-$f" grep -qx "$f" "$T/rctl.have"
	done
	check rpm-scstctl-has-pr-dir bash -c "rpm -qlvp $CTL_RPM 2>/dev/null | grep -q '^drwx------ .* /var/lib/scst/pr\$'"
	check rpm-scstctl-has-unit grep -qE '/lib/systemd/system/scst.service$' "$T/rctl.have"
	check rpm-scstctl-has-man grep -qE '/man8/scstctl.8' "$T/rctl.have"
fi
if [ -n "$DEV_RPM" ]; then
	check rpm-devel-has-scst.h bash -c "rpm -qlp $DEV_RPM 2>/dev/null | grep -qx /usr/include/scst/scst.h"
	check rpm-devel-has-scst_user.h bash -c "rpm -qlp $DEV_RPM 2>/dev/null | grep -qx /usr/include/scst/scst_user.h"
fi
finish
