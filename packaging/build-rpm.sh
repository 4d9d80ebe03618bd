#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: packaging/build-rpm.sh          (make rpm, after make dist)
#
# rpmbuild -ba of the spec inside build/scst-VERSION.tar.gz (made from
# packaging/rpm/scst.spec with the version from VERSION), with
# %_topdir build/rpm: the packages land in build/rpm/RPMS/{noarch,ARCH}/,
# the source package in build/rpm/SRPMS/.
#
# --nodeps: on a Debian build host the BuildRequires (libconfig and libnl
# devel, systemd-rpm-macros) are installed as .debs, not rpms, so rpm's
# dependency check cannot see them.  Set RPMBUILD_NODEPS= (empty) to check
# them on an rpm-based host.
set -euo pipefail

cd "$(dirname "$0")/.."
VER=$(tr -d ' \n' < VERSION)
NAME=scst-$VER
TARBALL=build/$NAME.tar.gz
[ -f "$TARBALL" ] || { echo "build-rpm: $TARBALL missing (make dist)" >&2; exit 1; }
command -v rpmbuild >/dev/null || { echo "build-rpm: rpmbuild missing (apt-get install rpm)" >&2; exit 1; }

TOP=$(pwd)/build/rpm
rm -rf "$TOP"
mkdir -p "$TOP"/{BUILD,BUILDROOT,RPMS,SOURCES,SPECS,SRPMS}
cp "$TARBALL" "$TOP/SOURCES/"
tar -xzOf "$TARBALL" "$NAME/scst.spec" > "$TOP/SPECS/scst.spec"

rpmbuild -ba ${RPMBUILD_NODEPS---nodeps} --define "_topdir $TOP" \
	"$TOP/SPECS/scst.spec"
find "$TOP/RPMS" "$TOP/SRPMS" -name '*.rpm' -exec ls -l {} +
