#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: packaging/build-deb.sh          (make deb, after make dist)
#
# Unpacks build/scst-VERSION.tar.gz into build/deb/scst-VERSION/, copies
# packaging/debian/ to debian/ there, writes debian/changelog for VERSION
# and runs dpkg-buildpackage -us -uc -b.  The Debian version is VERSION-1;
# the tarball is linked as the .orig.tar.gz (so dpkg-buildpackage -S works
# there too).  The packages (scst-dkms, scstctl, scst-dev) land in
# build/deb/.
# Needs: dpkg-dev debhelper dh-dkms pkg-config libconfig-dev
# libnl-genl-3-dev systemd (dpkg-checkbuilddeps says what is missing).
set -euo pipefail

cd "$(dirname "$0")/.."
VER=$(tr -d ' \n' < VERSION)
NAME=scst-$VER
TARBALL=build/$NAME.tar.gz
[ -f "$TARBALL" ] || { echo "build-deb: $TARBALL missing (make dist)" >&2; exit 1; }

rm -rf build/deb
mkdir -p build/deb
tar -C build/deb -xzf "$TARBALL"
SRC=build/deb/$NAME
cp -a packaging/debian "$SRC/debian"
ln -s "../$NAME.tar.gz" "build/deb/scst_$VER.orig.tar.gz"

# The changelog is generated: the version comes from VERSION only.
maint=$(sed -n 's/^Maintainer: //p' packaging/debian/control)
date=$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
cat > "$SRC/debian/changelog" <<CHANGES
scst ($VER-1) unstable; urgency=medium

  * Packaging of release $VER, built from git $rev (the changes are in
    /usr/share/doc/scstctl/changelog.gz).

 -- $maint  $date
CHANGES

cd "$SRC"
dpkg-buildpackage -us -uc -b
cd ..
ls -l ./*.deb
