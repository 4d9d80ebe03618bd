#!/bin/bash
# Usage: tests/debug/build-kernel.sh            # build (once) and print KVER
#
# Builds the debug kernel of `make check-debug` from Debian's
# linux-source-6.12 package: Debian's own 6.12 configuration, trimmed to
# the modules the VM tests load (make localmodconfig), with KASAN
# (generic, inline), lockdep (PROVE_LOCKING), KMEMLEAK and
# DEBUG_ATOMIC_SLEEP turned on, and no debug info or module signing.
#
# Everything is cached outside the tree, in $SCST_DEBUG_CACHE (default
# /var/cache/scst-debug): the source and build tree, the kernel image
# (vmlinuz-KVER), and a stamp of the inputs; a second call with the same
# inputs (this script, the source tarball) builds nothing.  The modules
# are installed to /lib/modules/KVER, with build -> the cached tree, so
# that the VM (which shares the host root) and our module build find
# them; no vmlinuz goes to /boot, so tests/vm/kernels.sh (and therefore
# `make check`) never lists this kernel.
#
# The last line of output is the kernel release (KVER).  Build time on
# 2 cores: see docs/design.md (Tests).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
CACHE=${SCST_DEBUG_CACHE:-/var/cache/scst-debug}
LOCALVERSION=-scstdebug
JOBS=${JOBS:-$(nproc)}

log() { echo "debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || die "no /usr/src/linux-source-6.12*.tar.xz (apt-get install linux-source-6.12)"
base_cfg=$(ls /boot/config-6.12* 2>/dev/null | grep -v -e "$LOCALVERSION" | sort -V | tail -n 1)
[ -n "$base_cfg" ] || die "no /boot/config-6.12* (apt-get install linux-image-6.12-amd64)"

stamp=$( { sha256sum "${BASH_SOURCE[0]}" "$HERE/modules.list"; stat -L -c '%n %s %Y' "$tarball" "$base_cfg"; } | sha256sum | cut -d' ' -f1)
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9
if [ -f "$CACHE/stamp" ] && [ "$(cat "$CACHE/stamp")" = "$stamp" ] &&
   [ -f "$CACHE/kver" ] && [ -f "$CACHE/vmlinuz-$(cat "$CACHE/kver")" ] &&
   [ -d "/lib/modules/$(cat "$CACHE/kver")/kernel" ]; then
	cat "$CACHE/kver"
	exit 0
fi

src=$CACHE/linux
t0=$SECONDS
if [ ! -f "$src/.extracted" ] || [ "$(cat "$src/.extracted")" != "$tarball" ]; then
	log "extracting $tarball"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	echo "$tarball" > "$src/.extracted"
fi

cd "$src"
cp "$base_cfg" .config
# The modules the VM tests load (and what they need): everything else
# that Debian builds as a module is turned off.
{
	echo "Module Size Used by"
	sed -e 's/#.*//' "$HERE/modules.list" | tr -s ' \t' '\n\n' |
		awk 'NF { printf "%s 16384 0\n", $1 }'
} > "$CACHE/lsmod"
make -s olddefconfig >/dev/null
make -s LSMOD="$CACHE/lsmod" localmodconfig </dev/null >"$CACHE/localmodconfig.log" 2>&1
sc=scripts/config
$sc --set-str LOCALVERSION "$LOCALVERSION" --disable LOCALVERSION_AUTO \
    --set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
    --disable MODULE_SIG --disable MODULE_SIG_ALL --disable SECURITY_LOCKDOWN_LSM \
    --disable DEBUG_INFO --disable DEBUG_INFO_DWARF5 \
    --disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT --disable DEBUG_INFO_BTF \
    --enable DEBUG_INFO_NONE \
    --enable KASAN --enable KASAN_GENERIC --enable KASAN_INLINE \
    --enable KASAN_VMALLOC \
    --enable PROVE_LOCKING --enable DEBUG_LOCKDEP --enable DEBUG_ATOMIC_SLEEP \
    --enable DEBUG_KMEMLEAK --disable DEBUG_KMEMLEAK_DEFAULT_OFF \
    --disable DEBUG_KMEMLEAK_AUTO_SCAN --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 65536 \
    --enable DEBUG_LIST --enable DEBUG_OBJECTS --enable DEBUG_OBJECTS_FREE \
    --enable DEBUG_OBJECTS_TIMERS --enable DEBUG_OBJECTS_WORK \
    --enable SCSI_DEBUG --module SCSI_DEBUG
make -s olddefconfig >/dev/null
for o in KASAN PROVE_LOCKING DEBUG_KMEMLEAK DEBUG_ATOMIC_SLEEP; do
	grep -q "^CONFIG_$o=y" .config || die "CONFIG_$o did not stick (see $src/.config)"
done
# what the harness and the tests cannot do without
for o in NET_9P_VIRTIO 9P_FS OVERLAY_FS CONFIGFS_FS BLK_DEV_SD CHR_DEV_SG \
	 ISCSI_TCP SCSI_DEBUG BLK_DEV_NULL_BLK BLK_DEV_LOOP EXT4_FS; do
	grep -qE "^CONFIG_$o=[ym]" .config || die "CONFIG_$o missing (see $src/.config)"
done
log "building with $JOBS jobs in $src"
make -s -j"$JOBS" bzImage modules >"$CACHE/build.log" 2>&1 ||
	{ tail -n 40 "$CACHE/build.log" >&2; die "build failed (log: $CACHE/build.log)"; }
kver=$(cat include/config/kernel.release)
case $kver in *"$LOCALVERSION") ;; *) die "kernel release $kver lacks $LOCALVERSION" ;; esac
rm -rf "/lib/modules/$kver"
make -s INSTALL_MOD_STRIP=1 modules_install >>"$CACHE/build.log" 2>&1 ||
	die "modules_install failed"
ln -sfn "$src" "/lib/modules/$kver/build"
cp arch/x86/boot/bzImage "$CACHE/vmlinuz-$kver"
cp .config "$CACHE/config-$kver"
echo "$kver" > "$CACHE/kver"
echo "$stamp" > "$CACHE/stamp"
log "built $kver in $((SECONDS - t0)) s"
echo "$kver"
