#!/bin/bash
# Usage: tests/vm/run-vm.sh [options] [--] SCRIPT [ARGS...]
#
# Boots /boot/vmlinuz-KVER under qemu (TCG) with the host root shared
# read-only over virtio-9p and made writable in the guest with overlayfs
# (tmpfs upper layer), then runs "bash SCRIPT ARGS..." as root in the guest,
# in the repository directory (same path as on the host).  The guest console
# (kernel messages up to KERN_WARNING and the script's stdout/stderr) is
# streamed to stdout.  No TTY or stdin is needed (qemu gets /dev/null).
#
# Options:
#   --kver KVER         kernel to boot (default: $VM_KVER, else the newest
#                       listed by tests/vm/kernels.sh)
#   --mem MB            guest memory (default 2048)
#   --smp N             guest vCPUs (default 2)
#   --timeout SEC       wall-clock limit for the whole VM run (default 600)
#   --qemu-extra "..."  extra qemu arguments (word-split)
#   --append "..."      extra kernel command line arguments
#   --out DIR           artifact directory (default: a new directory under
#                       build/vm/runs/); shared read-write with the guest
#   --env NAME=VALUE    export NAME=VALUE to the script (repeatable)
#   --cwd DIR           working directory of the script (default: repo root)
#
# In the guest the script sees: VM_OUT=/mnt/out (the artifact directory),
# VM_HOST_OUT (its path on the host), VM_KVER, VM_ROOTMODE (overlay|tmpfs);
# /lib/modules/KVER is the host's (modprobe finds dkms-installed modules),
# configfs, debugfs, tracefs are mounted, /dev is devtmpfs (no udev), lo is
# up, the hostname is scst-vm, and all of / is writable (changes go to RAM).
# Artifacts: OUT/console.log (full console), OUT/dmesg.txt (guest kernel log
# at the end of the script), OUT/kernel-log-issues.txt, OUT/.vm/ (internals),
# plus anything the script writes to /mnt/out.
#
# After the script, the kernel log is scanned for BUG:, WARNING:, Oops,
# general protection, KASAN, UBSAN, list_del corruption, refcount_t, hung
# tasks, soft/hard lockups, RCU stalls, Call Trace, Kernel panic, lockdep
# reports, debug-objects (ODEBUG) and kmemleak findings (on a kernel with
# kmemleak, the guest scans twice after the script); matches are printed
# prefixed "KERNEL-LOG:".
#
# If the script runs into the deadline (TIMEOUT - 20 s), a guest watchdog
# dumps blocked tasks (sysrq w), saves dmesg and kills the script; at
# TIMEOUT the host kills qemu.  With -icount in --qemu-extra the deadline
# is the host's (it creates .vm/deadline, the guest polls for it): the
# guest clock then runs ahead of the host's.
#
# Exit status: the script's exit status, or
#   3    the script exited 0 but the guest kernel log has issues (see above)
#   124  timeout (guest watchdog fired, or qemu killed by the host)
#        (a boot that does not reach the script within VM_BOOT_LIMIT
#        seconds, default 300, is killed and retried once)
#   The guest runs under single-threaded TCG by default (one host thread
#   takes turns among the vCPUs; VM_TCG_THREAD=multi for one thread per
#   vCPU).  Multi-threaded TCG crashed guests in CI: int3 Oopses in
#   kernel code patched at run time (static keys, jump labels) while
#   another vCPU executed it, at boot and later in the TCP stack.
#   A guest that hangs or crashes is booted once more with
#   single-threaded TCG (-accel tcg,thread=single) when either the kernel
#   log shows a soft lockup or RCU stall while no SCST module was loaded,
#   or the script timed out after no console output for VM_QUIET_LIMIT
#   seconds (default 300), or the kernel crashed (Oops, panic) while
#   booting, before the script started.  The first attempt's console is kept as
#   console.attempt1.log (and its dmesg as dmesg.attempt1.txt); the exit
#   status is the second attempt's.  VM_FORCE_RETRY=1 retries
#   unconditionally (to test this logic).
#   125  the guest never reported a result (boot failure, panic, qemu error)
#   2    bad usage / setup error on the host
#   130/143  interrupted (SIGINT / SIGTERM, qemu is killed)
#
# Environment: VM_KVER (default kernel), QEMU (default qemu-system-x86_64),
# VM_BOOT_LIMIT, VM_QUIET_LIMIT, VM_FORCE_RETRY, VM_TCG_THREAD (above),
# VM_BUILD_DIR (cache and runs, default REPO/build/vm), VM_NO_PVH=1 (boot the
# bzImage instead of the extracted vmlinux), VM_BOOT_DIR (where
# vmlinuz-KVER is, default /boot: the debug kernel of make check-debug).
# Needs: qemu-system-x86, busybox-static, cpio, xz-utils, zstd and binutils
# (for the PVH fast path; without them the bzImage is booted), and root or
# read access to /boot/vmlinuz-*.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
BUILD=${VM_BUILD_DIR:-$REPO/build/vm}

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit "${1:-2}"; }
die() { echo "run-vm: $*" >&2; exit 2; }

KVER=${VM_KVER:-}
MEM=2048
SMP=2
TIMEOUT=600
QEMU_EXTRA=
APPEND=
OUT=
CWD=$REPO
ENVS=()
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVER=${2:?}; shift 2 ;;
	--mem) MEM=${2:?}; shift 2 ;;
	--smp) SMP=${2:?}; shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--qemu-extra) QEMU_EXTRA=${2?}; shift 2 ;;
	--append) APPEND=${2?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--env) [[ ${2:-} == [A-Za-z_]*=* ]] || die "--env wants NAME=VALUE"; ENVS+=("$2"); shift 2 ;;
	--cwd) CWD=${2:?}; shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
[[ $MEM =~ ^[0-9]+$ && $SMP =~ ^[0-9]+$ && $TIMEOUT =~ ^[0-9]+$ ]] || die "--mem/--smp/--timeout want numbers"

SCRIPT=$(realpath -e -- "$1") || die "script $1 not found"
shift
SCRIPT_ARGS=("$@")
CWD=$(cd "$CWD" && pwd -P) || die "bad --cwd"

if [ -z "$KVER" ]; then
	KVER=$("$HERE/kernels.sh" | tail -n 1)
	[ -n "$KVER" ] || die "no usable kernel found (need /boot/vmlinuz-VER and /lib/modules/VER/build)"
fi
KERNEL=${VM_BOOT_DIR:-/boot}/vmlinuz-$KVER
[ -r "$KERNEL" ] || die "$KERNEL not readable"
[ -d "/lib/modules/$KVER" ] || die "/lib/modules/$KVER missing"
QEMU=${QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"

INITRD=$BUILD/initramfs-$KVER.cpio.gz
"$HERE/mkinitramfs.sh" "$KVER" "$INITRD" || die "initramfs build failed"

# Debian's bzImage decompresses itself slowly under TCG (xz on 6.1, ~5 s):
# extract the ELF vmlinux once and boot it through its PVH entry point.
extract_vmlinux() {
	local img=$1 tmp off magic dec
	tmp=$(mktemp "$img.tmp.XXXXXX")
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00|\x28\xb5\x2f\xfd|\x1f\x8b\x08\x00' "$KERNEL" |
			cut -d: -f1 | head -n 8); do
		magic=$(od -An -tx1 -j "$off" -N2 "$KERNEL" | tr -d ' \n')
		case $magic in
		fd37) dec="xz -dcq --single-stream" ;;
		28b5) dec="zstd -dcq" ;;
		1f8b) dec="gzip -dcq" ;;
		*) continue ;;
		esac
		command -v "${dec%% *}" >/dev/null || continue
		tail -c +$((off + 1)) "$KERNEL" | $dec > "$tmp" 2>/dev/null || true
		# An ELF with the PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY = 18).
		if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] &&
		   readelf -n "$tmp" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
			chmod 644 "$tmp"
			mv -f "$tmp" "$img"
			return 0
		fi
	done
	rm -f "$tmp"
	return 1
}
boot_image() {
	local img=$BUILD/vmlinux-$KVER stamp
	[ -n "${VM_NO_PVH:-}" ] && { echo "$KERNEL"; return; }
	stamp=$(stat -L -c '%s %Y' "$KERNEL")
	(
		flock 8
		if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
			exit 0
		fi
		rm -f "$img" "$img.stamp"
		extract_vmlinux "$img" && echo "$stamp" > "$img.stamp"
	) 8>"$img.lock" || true
	if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$img"
	else
		echo "$KERNEL"
	fi
}
mkdir -p "$BUILD"
BOOTIMG=$(boot_image)

if [ -z "$OUT" ]; then
	mkdir -p "$BUILD/runs"
	OUT=$(mktemp -d "$BUILD/runs/$(date +%Y%m%d-%H%M%S)-$KVER.XXXXXX")
else
	mkdir -p "$OUT"
fi
OUT=$(cd "$OUT" && pwd -P)
VMDIR=$OUT/.vm
rm -rf "$VMDIR"
mkdir -p "$VMDIR"
rm -f "$OUT/console.log" "$OUT/dmesg.txt" "$OUT/kernel-log-issues.txt"

NONCE=$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')
# Guest-side watchdog: the guest stops the script 20 s before the host
# would kill qemu, so that blocked tasks get dumped and dmesg gets saved.
# The guest clock starts from the (host's) RTC, so pass the wall-clock
# deadline.
echo "$NONCE" > "$VMDIR/nonce"
# The guest's stage 2 (busybox, in the initramfs) runs this with bash.
# Written again for each boot: the deadline counts from that boot.
write_job() {
DEADLINE=$(( $(date +%s) + TIMEOUT - 20 ))
{
	echo "# generated by run-vm.sh; run by the guest's stage 2 with bash"
	printf 'export VM_OUT=/mnt/out VM_HOST_OUT=%q VM_KVER=%q\n' "$OUT" "$KVER"
	# shellcheck disable=SC2016 # expanded in the guest
	echo 'VM_ROOTMODE=$(< /run/vm/rootmode); export VM_ROOTMODE'
	for e in ${ENVS[@]+"${ENVS[@]}"}; do
		printf 'export %q\n' "$e"
	done
	printf 'VM_SCRIPT=%q\n' "$SCRIPT"
	printf 'VM_ARGS=('; [ ${#SCRIPT_ARGS[@]} -gt 0 ] && printf '%q ' "${SCRIPT_ARGS[@]}"; printf ')\n'
	printf 'VM_CWD=%q\n' "$CWD"
	printf 'VM_DEADLINE=%q\n' "$DEADLINE"
	printf 'VM_HOST_DEADLINE=%q\n' "$HOST_DEADLINE"
	cat <<'JOB'
read -r up _ < /proc/uptime
echo "$up" > /mnt/out/.vm/started
echo "run-vm[guest]: kernel $VM_KVER, root=$VM_ROOTMODE, script starts at ${up}s guest uptime"
cd "$VM_CWD" || exit 2
# The script runs in its own session so that the watchdog can kill all of
# it.  The watchdog fires 20 s before the host would kill qemu: it dumps the
# blocked tasks, saves dmesg (even if the script is stuck in the kernel) and
# kills the script.
setsid -w bash "$VM_SCRIPT" "${VM_ARGS[@]}" &
spid=$!
wpid=
watchdog_fire() {
	echo "run-vm[guest]: script timed out; dumping blocked tasks, killing it"
	: > /mnt/out/.vm/timedout
	echo w > /proc/sysrq-trigger
	/run/vm/busybox dmesg > /mnt/out/dmesg.txt 2>&1
	kill -TERM -- -$spid
	sleep 5
	kill -KILL -- -$spid
}
left=$((VM_DEADLINE - EPOCHSECONDS))
if [ "$VM_HOST_DEADLINE" = 1 ]; then
	# Under -icount the guest clock is no measure of the host's: the
	# host creates .vm/deadline when the time is up.  The poll forks
	# nothing (read -t on a FIFO opened read-write never sees data):
	# a "sleep" every guest second took 11 % of a benchmark's samples.
	mkfifo /run/vm/wd.fifo
	(
		exec 9<>/run/vm/wd.fifo
		while [ ! -e /mnt/out/.vm/deadline ]; do
			read -r -t 5 -u 9
		done
		watchdog_fire
	) &
	wpid=$!
elif [ $left -gt 10 ]; then
	(
		sleep $left
		watchdog_fire
	) &
	wpid=$!
fi
wait $spid
rc=$?
if [ -n "$wpid" ]; then
	kill $wpid 2>/dev/null
	wait $wpid 2>/dev/null
fi
[ -e /mnt/out/.vm/timedout ] && rc=124
read -r up _ < /proc/uptime
echo "$up" > /mnt/out/.vm/ended
exit $rc
JOB
} > "$VMDIR/job.sh"
}

# Kernel command line: serial console, reboot (= qemu exit) on panic,
# warnings on the console, no mitigations and no crypto self-tests (much
# faster under TCG).
CMDLINE="console=ttyS0,115200 panic=-1 loglevel=5 mitigations=off cryptomgr.notests"
CMDLINE+=" 8250.nr_uarts=1 i8042.noaux i8042.nokbd i8042.nopnp no_timer_check tsc=reliable"
CMDLINE+=" rdinit=/init ${APPEND}"

# shellcheck disable=SC2054 # the commas are qemu's
QEMU_ARGS=(
	-accel "tcg,thread=${VM_TCG_THREAD:-single}" -cpu max -machine q35
	-smp "$SMP" -m "$MEM"
	-nodefaults -no-user-config -display none -no-reboot
	-serial stdio
	-kernel "$BOOTIMG" -initrd "$INITRD" -append "$CMDLINE"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=vmout,path=${OUT//,/,,},security_model=none,multidevs=remap"
	-device virtio-9p-pci,fsdev=vmout,mount_tag=vmout
	-pidfile "$VMDIR/qemu.pid"
)
# shellcheck disable=SC2206 # word splitting intended
[ -n "$QEMU_EXTRA" ] && QEMU_ARGS+=($QEMU_EXTRA)
printf '%q ' "$QEMU" "${QEMU_ARGS[@]}" > "$VMDIR/qemu.cmd"
echo >> "$VMDIR/qemu.cmd"

# shellcheck disable=SC2317 # called from the traps
cleanup() {
	local pid
	pid=$(cat "$VMDIR/qemu.pid" 2>/dev/null) || return 0
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
	fi
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

# Boot watchdog: under TCG the guest kernel has been seen to spin before
# it reaches user space (both vCPUs busy, no console output after the
# early MTRR lines). If the test script has not started BOOT_LIMIT
# seconds after qemu did, qemu is killed and the VM booted once more;
# the console log of the hung attempt is kept as console.hung.log.
BOOT_LIMIT=${VM_BOOT_LIMIT:-300}
boot_watch() {
	local i pid
	for ((i = 0; i < BOOT_LIMIT; i++)); do
		sleep 1
		[ -f "$VMDIR/started" ] && return 0
		[ -f "$VMDIR/qemu.rc" ] && return 0
	done
	pid=$(cat "$VMDIR/qemu.pid" 2>/dev/null) || return 0
	echo "run-vm: the guest did not start the script within ${BOOT_LIMIT}s: boot hang, qemu killed" > "$VMDIR/boot-hang"
	kill "$pid" 2>/dev/null || true
}

# Quiet watch: the longest stretch without console output (seconds),
# kept in $VMDIR/quiet-max for the hang retry below.
quiet_watch() {
	local last size prev=-1 now max=0
	last=$(date +%s)
	while :; do
		sleep 5
		size=$(stat -c %s "$OUT/console.log" 2>/dev/null || echo 0)
		now=$(date +%s)
		if [ "$size" != "$prev" ]; then
			prev=$size
			last=$now
		elif [ $((now - last)) -gt "$max" ]; then
			max=$((now - last))
			echo "$max" > "$VMDIR/quiet-max"
		fi
	done
}

# Under -icount (sleep=off) the guest's clock runs ahead of the host's:
# whenever the vCPUs are idle (waiting for 9p, say) virtual time jumps to
# the next timer, so a guest running 4 minutes of host time has seen 15
# minutes.  A deadline measured on the guest clock would kill the script
# long before TIMEOUT; the host tells the guest instead (.vm/deadline).
HOST_DEADLINE=0
[[ " $QEMU_EXTRA " == *" -icount "* ]] && HOST_DEADLINE=1

deadline_watch() {
	local i
	for ((i = 0; i < TIMEOUT - 20; i++)); do
		sleep 1
	done
	: > "$VMDIR/deadline"
}

# One boot, with boot-hang retry; sets QRC, T0, T1.
run_qemu() {
	local attempt wpid qpid dpid=
	for attempt in 1 2; do
		rm -f "$VMDIR/qemu.rc" "$VMDIR/boot-hang" "$VMDIR/started" \
		      "$VMDIR/qemu.pid" "$VMDIR/rc" "$VMDIR/ended" \
		      "$VMDIR/timedout" "$VMDIR/quiet-max" "$VMDIR/deadline" \
		      "$OUT/dmesg.txt"
		write_job
		T0=$(date +%s.%N)
		if [ "$HOST_DEADLINE" = 1 ]; then
			deadline_watch &
			dpid=$!
		fi
		boot_watch &
		wpid=$!
		quiet_watch &
		qpid=$!
		# Run in the background and wait, so that the signal traps fire at once.
		{
			qrc=0
			timeout --foreground -k 10 "$TIMEOUT" "$QEMU" "${QEMU_ARGS[@]}" </dev/null 2>&1 || qrc=$?
			echo $qrc > "$VMDIR/qemu.rc"
		} | tee "$OUT/console.log" &
		wait $! || true
		kill "$wpid" "$qpid" $dpid 2>/dev/null || true
		wait "$wpid" "$qpid" $dpid 2>/dev/null || true
		QRC=$(cat "$VMDIR/qemu.rc" 2>/dev/null || echo 255)
		T1=$(date +%s.%N)
		[ -f "$VMDIR/boot-hang" ] || return 0
		cat "$VMDIR/boot-hang"
		mv "$OUT/console.log" "$OUT/console.hung.log"
		[ "$attempt" = 1 ] && echo "run-vm: booting again"
	done
	echo "run-vm: the guest hung while booting twice (artifacts in $OUT)"
	exit 125
}

script_rc() {
RC=
if [ -s "$VMDIR/rc" ]; then
	RC=$(tr -dc '0-9' < "$VMDIR/rc")
fi
if [ -z "$RC" ]; then
	RC=$(tr -d '\r' < "$OUT/console.log" | sed -n "s/^VM-RESULT $NONCE rc=\([0-9]*\)\$/\1/p" | tail -n 1)
fi
}

# Why the attempt that just ended looks like a TCG hang rather than a
# test result (printed; status 0), or status 1.  A soft lockup or RCU
# stall counts only while no SCST module was loaded: before the first
# report no kernel line of an SCST module (nor its out-of-tree taint
# message), and no scst module in the report's "Modules linked in".
tcg_hang() {
	local log=$OUT/console.log quiet
	[ -s "$OUT/dmesg.txt" ] && log=$OUT/dmesg.txt
	if [ "${VM_FORCE_RETRY:-0}" = 1 ]; then
		echo "forced by VM_FORCE_RETRY=1"
		return 0
	fi
	if tr -d '\r' < "$log" | awk '
		/soft lockup|detected stall|self-detected stall/ { if (!hit) { hit = 1; n = 0 } }
		!hit && (/^\[ *[0-9.]+\] scst[a-z_]*: / || /scst[a-z_]*: loading out-of-tree module/) { scst = 1 }
		hit && n++ < 200 && /Modules linked in:.*scst/ { scst = 1 }
		END { exit !(hit && !scst) }'; then
		echo "soft lockup / RCU stall in the kernel log with no SCST module loaded"
		return 0
	fi
	# A crash before the test script started cannot be ours: our modules
	# are loaded by the script.  Seen in CI: an int3 Oops in
	# sched_clock_cpu at 1.9 s of boot (a patched static branch racing
	# another vCPU under multi-threaded TCG), then a panic.
	if [ -z "${RC:-}" ] && [ ! -f "$VMDIR/started" ] &&
	   tr -d '\r' < "$log" | grep -Eq 'Oops|Kernel panic|general protection|kernel BUG' &&
	   ! tr -d '\r' < "$log" | grep -Eq '^\[ *[0-9.]+\] scst[a-z_]*: |Modules linked in:.*scst'; then
		echo "the kernel crashed while booting, before the test script started"
		return 0
	fi
	quiet=$(cat "$VMDIR/quiet-max" 2>/dev/null || echo 0)
	if { [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ] || [ "${RC:-}" = 124 ]; } &&
	   [ "$quiet" -ge "${VM_QUIET_LIMIT:-300}" ]; then
		echo "the script timed out after ${quiet}s without console output"
		return 0
	fi
	return 1
}

echo "run-vm: kernel $KVER, ${SMP} vCPUs, ${MEM} MB, timeout ${TIMEOUT}s, artifacts in $OUT"
run_qemu
script_rc
if why=$(tcg_hang); then
	echo "run-vm: first attempt looks like a TCG failure ($why):" \
	     "kept as console.attempt1.log; booting again with single-threaded TCG"
	mv "$OUT/console.log" "$OUT/console.attempt1.log"
	[ -f "$OUT/dmesg.txt" ] && mv "$OUT/dmesg.txt" "$OUT/dmesg.attempt1.txt"
	for i in "${!QEMU_ARGS[@]}"; do
		[[ ${QEMU_ARGS[$i]} == tcg,*thread=multi* ]] &&
			QEMU_ARGS[i]=${QEMU_ARGS[i]//thread=multi/thread=single}
	done
	printf '%q ' "$QEMU" "${QEMU_ARGS[@]}" > "$VMDIR/qemu.cmd"
	echo >> "$VMDIR/qemu.cmd"
	run_qemu
	script_rc
fi

timing() {
	local started=$VMDIR/started ended=$VMDIR/ended
	if [ -f "$started" ]; then
		awk -v t0="$T0" -v t1="$T1" -v ts="$(stat -c %.9Y "$started")" \
			-v up="$(cat "$started")" -v end="$(cat "$ended" 2>/dev/null || echo 0)" \
			'BEGIN { printf "run-vm: boot-to-script %.1fs (guest uptime %.1fs)%s, total %.1fs\n", ts - t0, up, (end > 0 ? sprintf(", script %.1fs", end - up) : ""), t1 - t0 }'
	fi
}

# Kernel log scan: the saved dmesg if the guest got that far, else the
# console (which carries messages up to KERN_WARNING).
PATTERN='BUG:|WARNING:|Oops|general protection|KASAN|list_del corruption|list_add corruption|refcount_t|INFO: task .* blocked for more than|kernel BUG|UBSAN|Call Trace|Kernel panic|detected stall|soft lockup|hard LOCKUP|suspected memory leak|unreferenced object|possible circular locking|possible recursive locking|inconsistent lock state|ODEBUG|BUG kmalloc|Unable to handle kernel'
if [ -s "$OUT/dmesg.txt" ]; then
	LOGSRC=$OUT/dmesg.txt
else
	LOGSRC=$OUT/console.log
fi
ISSUES=0
if tr -d '\r' < "$LOGSRC" | grep -E -e "$PATTERN" > "$OUT/kernel-log-issues.txt"; then
	ISSUES=$(wc -l < "$OUT/kernel-log-issues.txt")
	echo "run-vm: kernel log ($LOGSRC) has $ISSUES suspicious line(s):"
	head -n 100 "$OUT/kernel-log-issues.txt" | sed 's/^/KERNEL-LOG: /'
else
	rm -f "$OUT/kernel-log-issues.txt"
fi

timing || true
if [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ]; then
	echo "run-vm: TIMEOUT after ${TIMEOUT}s, qemu killed (artifacts in $OUT)"
	exit 124
fi
if [ -z "$RC" ]; then
	if grep -q 'Kernel panic' "$OUT/console.log"; then
		echo "run-vm: guest kernel panicked (artifacts in $OUT)"
	else
		echo "run-vm: guest did not report a result, qemu exit status $QRC (artifacts in $OUT)"
	fi
	exit 125
fi
echo "run-vm: script exit status $RC, artifacts in $OUT"
if [ "$RC" -eq 0 ] && [ "$ISSUES" -gt 0 ]; then
	echo "run-vm: FAIL: kernel log issues (exit 3)"
	exit 3
fi
exit "$RC"
