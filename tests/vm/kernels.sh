#!/bin/bash
# Usage: tests/vm/kernels.sh            # prints one kernel version per line
#        . tests/vm/kernels.sh; vm_kernels
#
# Lists the installed kernels the VM tests can use: those that have both
# /boot/vmlinuz-VER and /lib/modules/VER/build (headers, needed by dkms),
# sorted by version.  Environment: VM_BOOT_DIR (default /boot) and
# VM_MODULES_DIR (default /lib/modules) for testing.

vm_kernels() {
	local boot=${VM_BOOT_DIR:-/boot} mods=${VM_MODULES_DIR:-/lib/modules}
	local img ver
	for img in "$boot"/vmlinuz-*; do
		[ -e "$img" ] || continue
		ver=${img##*/vmlinuz-}
		[ -d "$mods/$ver/build" ] || continue
		[ -e "$mods/$ver/modules.dep" ] || continue
		printf '%s\n' "$ver"
	done | sort -V
}

# Executed (not sourced): print the list.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	vm_kernels
fi
