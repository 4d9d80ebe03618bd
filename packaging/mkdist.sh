#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: packaging/mkdist.sh            (make dist)
#
# Writes build/scst-VERSION.tar.gz: every file git tracks or that is
# untracked but not ignored (git ls-files -co --exclude-standard), as in
# the working tree, under scst-VERSION/.  VERSION is the only place the
# version is written by hand; in the tarball it is also put into
#   dkms.conf   PACKAGE_VERSION (checked: a different literal is replaced,
#               with a note)
#   scst.spec   (top level, from packaging/rpm/scst.spec, @VERSION@), so
#               that "rpmbuild -ta scst-VERSION.tar.gz" works too.
set -euo pipefail

cd "$(dirname "$0")/.."
VER=$(tr -d ' \n' < VERSION)
[[ $VER =~ ^[0-9]+(\.[0-9]+)*([~+][A-Za-z0-9.]+)?$ ]] ||
	{ echo "mkdist: VERSION '$VER' is not a version number" >&2; exit 1; }
NAME=scst-$VER
STAGE=build/dist
rm -rf "$STAGE"
mkdir -p "$STAGE/$NAME"

# Deleted-but-tracked files (and files that vanish meanwhile) are
# skipped; build/ is ignored anyway.
git ls-files -co --exclude-standard -z |
	tar --null --no-recursion --ignore-failed-read -cf - -T - 2>/dev/null |
	tar -x -C "$STAGE/$NAME"

cur=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' dkms.conf)
if [ "$cur" != "$VER" ]; then
	echo "mkdist: dkms.conf says PACKAGE_VERSION=$cur, VERSION says $VER: using $VER" >&2
fi
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$VER\"/" "$STAGE/$NAME/dkms.conf"
sed "s/@VERSION@/$VER/g" packaging/rpm/scst.spec > "$STAGE/$NAME/scst.spec"

# Reproducible: fixed owner, sorted names, mtime of the last commit.
epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --sort=name \
	--mtime="@$epoch" -cf - "$NAME" | gzip -n -9 > "build/$NAME.tar.gz"
rm -rf "$STAGE"
echo "mkdist: build/$NAME.tar.gz ($(tar -tzf "build/$NAME.tar.gz" | grep -vc '/$') files)"
