#!/bin/bash
# Usage: tests/vm/mkinitramfs.sh KVER OUT
#
# Builds OUT (a gzip'ed newc cpio) for booting /boot/vmlinuz-KVER under qemu
# with the host's root filesystem shared read-only over virtio-9p (mount tag
# "hostroot") and a per-run output directory shared read-write (tag "vmout").
# Contents: busybox-static, the modules needed to mount 9p and overlayfs plus
# configfs (resolved from /lib/modules/KVER/modules.dep, built-ins skipped,
# .ko.xz/.ko.zst decompressed), /init and /stage2.
#
# /init (stage 1, busybox sh, PID 1):
#   - loads the modules in dependency order, brings up lo, sets the hostname;
#   - mounts the host root read-only (9p2000.L, msize 512000, cache=loose) and
#     an overlayfs on top of it with a tmpfs upper layer, so the whole guest
#     root is writable (vm.rootmode=tmpfs, or a failing overlay mount, uses a
#     read-only root with tmpfs on /tmp, /var/tmp, /root, /mnt, ... instead);
#   - mounts vmout at /mnt/out, tmpfs on /run, and proc, sysfs, devtmpfs,
#     devpts, /dev/shm, configfs, debugfs, tracefs, cgroup2 in the new root;
#   - switch_roots, running /run/vm/stage2 with busybox sh as PID 1.
# /stage2 runs /mnt/out/.vm/job.sh (written by run-vm.sh) with the host's
# bash, saves dmesg to /mnt/out/dmesg.txt, writes the exit status to
# /mnt/out/.vm/rc, prints "VM-RESULT <nonce> rc=N" and powers off.
# Kernel command line knobs understood by /init:
#   vm.rootmode=overlay|tmpfs  writable-root method (default overlay)
#   vm.hostname=NAME           guest hostname (default scst-vm)
#   vm.ovlopts=OPT,OPT         extra overlayfs mount options
#
# The image is cached: if OUT exists and OUT.stamp matches the inputs
# (this script, busybox, the module files), nothing is done.  A list of the
# modules goes to OUT.modules.
# Environment: VM_MODULES_DIR (default /lib/modules), BUSYBOX (default
# /bin/busybox, must be static).
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 KVER OUT" >&2
	exit 2
fi
KVER=$1
OUT=$2
MODDIR=${VM_MODULES_DIR:-/lib/modules}/$KVER

# Modules wanted for 9p root + overlay.  Names are given with '_'; the lookup
# treats '-' and '_' as equal.  Optional ones may be absent or built in.
REQUIRED_MODS="virtio virtio_ring virtio_pci 9pnet 9pnet_virtio 9p overlay configfs"
OPTIONAL_MODS="netfs fscache virtio_pci_modern_dev virtio_pci_legacy_dev"

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ -f "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep not found"
[ -f "$MODDIR/modules.builtin" ] || die "$MODDIR/modules.builtin not found"

find_busybox() {
	local b
	for b in ${BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
		if [ -z "$b" ] || [ ! -x "$b" ]; then
			continue
		fi
		# Must be static: it runs in an initramfs without libc.
		if LC_ALL=C grep -qa '/ld-linux' "$b"; then
			continue
		fi
		echo "$b"
		return 0
	done
	return 1
}
BB=$(find_busybox) || die "static busybox not found (apt-get install busybox-static)"

# Map: normalised module name -> path relative to MODDIR, and its deps.
declare -A MODPATH MODDEPS BUILTIN
while IFS= read -r line; do
	f=${line%%:*}
	deps=${line#*:}
	b=${f##*/}
	b=${b%%.ko*}
	n=${b//-/_}
	MODPATH[$n]=$f
	MODDEPS[$n]=$deps
done < "$MODDIR/modules.dep"
while IFS= read -r f; do
	b=${f##*/}
	b=${b%%.ko*}
	BUILTIN[${b//-/_}]=1
done < "$MODDIR/modules.builtin"

# Depth-first, dependencies before dependants.
declare -A SEEN
ORDER=()
visit() {
	local n=${1//-/_} d dn
	[ -n "${SEEN[$n]:-}" ] && return 0
	SEEN[$n]=1
	for d in ${MODDEPS[$n]}; do
		dn=${d##*/}
		dn=${dn%%.ko*}
		visit "$dn"
	done
	ORDER+=("${MODPATH[$n]}")
}
want() {
	local n=${1//-/_}
	if [ -n "${BUILTIN[$n]:-}" ]; then
		return 0
	fi
	if [ -z "${MODPATH[$n]:-}" ]; then
		[ "$2" = required ] && die "module $1 is neither built in nor in modules.dep for $KVER"
		return 0
	fi
	visit "$n"
}
for m in $REQUIRED_MODS; do want "$m" required; done
for m in $OPTIONAL_MODS; do want "$m" optional; done

# Cache check.
SELF=$(readlink -f "${BASH_SOURCE[0]}")
stamp_input() {
	echo "kver $KVER"
	sha256sum "$SELF" | cut -d' ' -f1
	stat -L -c 'bb %s %Y %n' "$BB"
	local f
	for f in "${ORDER[@]}"; do
		stat -L -c 'mod %s %Y %n' "$MODDIR/$f"
	done
}
STAMP=$(stamp_input | sha256sum | cut -d' ' -f1)

mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock 9
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$STAMP" ]; then
	exit 0
fi

TMPOUT=
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/scst-initramfs.XXXXXX")
trap 'rm -rf "$STAGE" ${TMPOUT:+"$TMPOUT"}' EXIT
mkdir -p "$STAGE"/{bin,dev,proc,sys,lower,rw,newroot,lib/modules}
cp "$BB" "$STAGE/bin/busybox"
# Only the applets /init uses ("busybox --install" at boot costs ~0.5 s).
for a in sh mount insmod ip usleep sleep poweroff mkdir cp ln switch_root cat; do
	ln -s busybox "$STAGE/bin/$a"
done

: > "$STAGE/modules.order"
for f in "${ORDER[@]}"; do
	b=${f##*/}
	case $b in
	*.ko.xz)  xz -dc "$MODDIR/$f" > "$STAGE/lib/modules/${b%.xz}" ;;
	*.ko.zst) zstd -qdc "$MODDIR/$f" > "$STAGE/lib/modules/${b%.zst}" ;;
	*.ko.gz)  gzip -dc "$MODDIR/$f" > "$STAGE/lib/modules/${b%.gz}" ;;
	*.ko)     cp "$MODDIR/$f" "$STAGE/lib/modules/$b" ;;
	*)        die "unexpected module file $f" ;;
	esac
	echo "${b%%.ko*}.ko" >> "$STAGE/modules.order"
done

cat > "$STAGE/init" <<'INIT'
#!/bin/sh
# Stage 1 of the SCST test VM (generated by tests/vm/mkinitramfs.sh).
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

say() { echo "vm-init: $*" > /dev/console; }
log() {
	if [ -e /dev/kmsg ]; then echo "<6>vm-init: $*" > /dev/kmsg
	else echo "<6>vm-init: $*" > /newroot/dev/kmsg; fi
}
fail() {
	say "FATAL: $*"
	sleep 1
	poweroff -f
}

rootmode=overlay
hostname=scst-vm
ovlopts=
for a in $(cat /proc/cmdline); do
	case $a in
	vm.rootmode=*) rootmode=${a#*=} ;;
	vm.hostname=*) hostname=${a#*=} ;;
	vm.ovlopts=*) ovlopts=,${a#*=} ;;
	esac
done

for m in $(cat /modules.order); do
	log "insmod $m"
	insmod /lib/modules/$m || fail "insmod $m failed"
done
ip link set lo up || fail "cannot bring up lo"
log "modules loaded"
echo "$hostname" > /proc/sys/kernel/hostname

# Host root, read-only.  cache=loose: the host tree does not change under
# a running test, and it makes exec and lookups much cheaper.
o9p="trans=virtio,version=9p2000.L,msize=512000"
n=0
until mount -t 9p -o "$o9p,cache=loose,ro" hostroot /lower 2>/dev/null; do
	n=$((n + 1))
	[ $n -ge 50 ] && fail "cannot mount 9p tag hostroot"
	usleep 100000
done
mount -t tmpfs -o mode=0755 rwroot /rw || fail "tmpfs"

R=/newroot
if [ "$rootmode" = overlay ]; then
	mkdir -p /rw/upper /rw/work
	if ! mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work$ovlopts overlay $R; then
		say "overlay over 9p failed, falling back to tmpfs mounts"
		rootmode=tmpfs
	fi
fi
if [ "$rootmode" != overlay ]; then
	# Read-only root with tmpfs on the places tests write to; the /etc
	# and /var/lib ones start as copies of the host's.  Note that this
	# hides the host's /tmp.
	rootmode=tmpfs
	mount --bind /lower $R || fail "bind root"
	for d in tmp var/tmp var/log var/cache root mnt; do
		[ -d $R/$d ] || continue
		mkdir -p /rw/$d
		mount --bind /rw/$d $R/$d
	done
	for d in etc/iscsi etc/scst var/lib/iscsi var/lib/scst; do
		[ -d $R/$d ] || continue
		mkdir -p /rw/$d
		cp -a $R/$d/. /rw/$d/ 2>/dev/null
		mount --bind /rw/$d $R/$d
	done
fi

log "root mounted ($rootmode)"
mkdir -p $R/mnt/out 2>/dev/null
mount -t 9p -o "$o9p,cache=none" vmout $R/mnt/out || fail "cannot mount 9p tag vmout"

mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs $R/run || fail "tmpfs /run"
mkdir -p $R/run/vm $R/run/user $R/run/udev /dev/pts /dev/shm /dev/mqueue
mkdir -m 1777 $R/run/lock
cp /bin/busybox /stage2 $R/run/vm/
echo $rootmode > $R/run/vm/rootmode

mount --move /proc $R/proc
mount --move /sys $R/sys
mount --move /dev $R/dev
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $R/dev/shm
mount -t mqueue mqueue $R/dev/mqueue 2>/dev/null
ln -sfn /proc/self/fd $R/dev/fd
ln -sfn /proc/self/fd/0 $R/dev/stdin
ln -sfn /proc/self/fd/1 $R/dev/stdout
ln -sfn /proc/self/fd/2 $R/dev/stderr
mount -t configfs configfs $R/sys/kernel/config || say "WARNING: cannot mount configfs"
[ -d $R/sys/kernel/debug ] && mount -t debugfs debugfs $R/sys/kernel/debug
[ -d $R/sys/kernel/tracing ] && mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
[ -d $R/sys/fs/cgroup ] && mount -t cgroup2 cgroup2 $R/sys/fs/cgroup 2>/dev/null

if [ "$rootmode" = overlay ]; then
	echo "$hostname" > $R/etc/hostname
	printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
		"$hostname" > $R/etc/hosts
	: > $R/etc/fstab
fi

log "switching root"
exec switch_root $R /run/vm/busybox sh /run/vm/stage2
INIT

cat > "$STAGE/stage2" <<'STAGE2'
# Stage 2 of the SCST test VM: PID 1 after switch_root (busybox sh).
# Runs /mnt/out/.vm/job.sh (written by run-vm.sh) with bash, saves the
# kernel log, reports the exit status and powers off.
BB=/run/vm/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8 SHELL=/bin/bash USER=root LOGNAME=root
cd /
rc=
# kmemleak: what boot left behind is not the test's (scan, then clear).
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi
if [ -x /bin/bash ] && [ -f /mnt/out/.vm/job.sh ]; then
	echo "<6>vm-stage2: starting job" > /dev/kmsg
	/bin/bash /mnt/out/.vm/job.sh < /dev/null
	rc=$?
else
	echo "vm-stage2: /bin/bash or /mnt/out/.vm/job.sh missing"
fi
# A kernel with kmemleak: what the test leaked is reported in the log
# ("N new suspected memory leaks") and the objects go to kmemleak.txt.
# Two scans, some time apart, as the kmemleak documentation advises.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	$BB sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	$BB cat /sys/kernel/debug/kmemleak > /mnt/out/kmemleak.txt 2>&1
fi
$BB dmesg > /mnt/out/dmesg.txt 2>&1
if [ -n "$rc" ]; then
	echo "$rc" > /mnt/out/.vm/rc
	echo "VM-RESULT $($BB cat /mnt/out/.vm/nonce) rc=$rc"
fi
$BB sync
$BB poweroff -f
STAGE2
chmod 755 "$STAGE/init"

TMPOUT=$(mktemp "$OUT.tmp.XXXXXX")
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 > "$TMPOUT"
chmod 644 "$TMPOUT"
mv -f "$TMPOUT" "$OUT"
echo "$STAMP" > "$OUT.stamp"
{
	echo "# initramfs for $KVER, busybox $BB"
	cat "$STAGE/modules.order"
} > "$OUT.modules"
echo "mkinitramfs: built $OUT ($(wc -c < "$OUT") bytes; modules: $(tr '\n' ' ' < "$STAGE/modules.order"))" >&2
