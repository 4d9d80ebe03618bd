#!/bin/bash
# Usage: tests/dkms.sh install KVER...   (re)install this tree with DKMS
#        tests/dkms.sh remove            remove every installed version
#
# Installs exactly as a user's package would: the source goes to
# /usr/src/scst-VERSION and dkms builds and installs it for each kernel,
# into /lib/modules/KVER/updates/dkms.
set -euo pipefail

cd "$(dirname "$0")/.."
VER=$(cat VERSION)

remove_all() {
	local v
	for v in $(dkms status scst 2>/dev/null | sed -n 's|^scst/\([^,:]*\).*|\1|p' | sort -u); do
		dkms remove "scst/$v" --all >/dev/null
	done
	rm -rf /usr/src/scst-*
}

case "${1:-}" in
install)
	shift
	[ $# -gt 0 ] || { echo "dkms.sh: no kernel given" >&2; exit 2; }
	remove_all
	mkdir -p "/usr/src/scst-$VER"
	git ls-files -co --exclude-standard dkms.conf VERSION src |
		cpio -pdm --quiet "/usr/src/scst-$VER"
	dkms add "scst/$VER"
	for k in "$@"; do
		dkms build "scst/$VER" -k "$k"
		dkms install "scst/$VER" -k "$k" --force
	done
	;;
remove)
	remove_all
	;;
*)
	echo "usage: $0 install KVER... | remove" >&2
	exit 2
	;;
esac
