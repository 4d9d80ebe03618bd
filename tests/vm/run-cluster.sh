#!/bin/bash
# Usage: tests/vm/run-cluster.sh [options] [--] SCRIPT [ARGS...]
#
# Boots several guests at once, each with tests/vm/run-vm.sh (so each is
# a run-vm.sh guest: host root read-only with a tmpfs overlay, its own
# artifact directory, kernel-log scan, watchdogs), joined by a private
# Ethernet segment, and runs "bash SCRIPT ARGS..." in every guest; the
# script tells its role from $VM_NODE.  Made for clusters (two target
# nodes and an initiator) on a 2-core machine: 1 vCPU and 1 GiB each.
#
# Options:
#   --guests "A B ..."  guest names (default: the script's
#                       "# cluster-guests:" line, else "node1 node2")
#   --disk MB[:A,B]     a shared raw image of MB MiB attached to guests
#                       A,B (default all; the script's "# cluster-disk:"
#                       line gives the default)
#   --kver KVER         kernel (default as run-vm.sh)
#   --mem MB            memory per guest (default 1024)
#   --smp N             vCPUs per guest (default 1)
#   --timeout SEC       limit per guest boot (default 900)
#   --out DIR           artifact directory (default a new one under
#                       build/vm/runs/); OUT/NAME/ is guest NAME's run-vm.sh
#                       directory (OUT/NAME.boot2/ after a restart),
#                       OUT/NAME.log its output, OUT/shared/ the directory
#                       every guest sees at /mnt/cluster
#   --env NAME=VALUE    exported to the script in every guest (repeatable)
#
# Network: guest number i (1-based, in --guests order) gets a virtio-net
# NIC, MAC 52:54:00:77:00:(10+i), renamed cl0 in the guest with address
# 192.168.77.(10+i)/24; /etc/hosts maps every guest name to its address.
# The NICs are qemu "dgram" netdevs on Unix datagram sockets, joined by
# tests/vm/cluster-hub.py (a learning switch): nothing on the host
# network, not even loopback, and no root needed.
#
# In the guest (set up by tests/vm/cluster-guest.sh before the script):
#   VM_NODE        this guest's name (also the hostname)
#   VM_NODE_INDEX  i, VM_NODE_ADDR its address
#   VM_NODES       all names, in order; VM_NODE_ADDRS their addresses
#   VM_NODE_BOOT   1, or 2, 3... after a restart requested by a guest
#   VM_CLUSTER     /mnt/cluster, shared read-write by all guests (9p,
#                  no caching: what one guest writes the others see)
#   VM_SHARED_DISK the shared disk's /dev/disk node (virtio-blk, serial
#                  scst-shared), if this guest has it
# tests/vm/cluster/cluster-lib.sh has the helpers: barriers, events,
# kill/restart and link down/up requests.
#
# Requests from guests (files in OUT/shared/ctl/, served every 0.2 s):
#   kill.NAME     kill NAME's qemu outright (SIGKILL: a power cut)
#   restart.NAME  the same, then boot NAME again (VM_NODE_BOOT + 1)
#   down.NAME     cut NAME off the network (the hub drops its frames)
#   up.NAME       connect it again
# each answered by done.<request> once carried out.
#
# Results: each guest's PASS/FAIL/SKIP lines, prefixed with its name
# ("PASS node1/name"), and its KERNEL-LOG lines, then
# "checks: N passed, N failed" over all guests.  A guest killed on
# request counts by the checks it printed before.
# Exit status: 0 when every guest's script exited 0 with a clean kernel
# log and no check failed; else the first guest's non-zero run-vm.sh
# status other than 3 (see run-vm.sh), else 3 (kernel log issues), else 1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
BUILD=${VM_BUILD_DIR:-$REPO/build/vm}

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit "${1:-2}"; }
die() { echo "run-cluster: $*" >&2; exit 2; }

GUESTS=
DISK=
KVER=${VM_KVER:-}
MEM=1024
SMP=1
TIMEOUT=900
OUT=
ENVS=()
while [ $# -gt 0 ]; do
	case $1 in
	--guests) GUESTS=${2:?}; shift 2 ;;
	--disk) DISK=${2:?}; shift 2 ;;
	--kver) KVER=${2:?}; shift 2 ;;
	--mem) MEM=${2:?}; shift 2 ;;
	--smp) SMP=${2:?}; shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	--env) [[ ${2:-} == [A-Za-z_]*=* ]] || die "--env wants NAME=VALUE"; ENVS+=(--env "$2"); shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
SCRIPT=$(realpath -e -- "$1") || die "script $1 not found"
shift

header() { sed -n "s/^# $1: *//p" "$SCRIPT" | head -n 1; }
[ -n "$GUESTS" ] || GUESTS=$(header cluster-guests)
[ -n "$GUESTS" ] || GUESTS="node1 node2"
[ -n "$DISK" ] || DISK=$(header cluster-disk)
read -r -a NAMES <<<"$GUESTS"
if [ ${#NAMES[@]} -lt 1 ] || [ ${#NAMES[@]} -gt 9 ]; then die "1 to 9 guests"; fi
for n in "${NAMES[@]}"; do
	[[ $n =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "bad guest name '$n'"
done
[ -n "$KVER" ] || KVER=$("$HERE/kernels.sh" | tail -n 1)
[ -n "$KVER" ] || die "no kernel found"

if [ -z "$OUT" ]; then
	mkdir -p "$BUILD/runs"
	OUT=$(mktemp -d "$BUILD/runs/$(date +%Y%m%d-%H%M%S)-$KVER-cluster.XXXXXX")
else
	mkdir -p "$OUT"
fi
OUT=$(cd "$OUT" && pwd -P)
[[ $OUT != *[[:space:],]* ]] || die "the artifact path must not contain blanks or commas"
SHARED=$OUT/shared
rm -rf "$SHARED"
mkdir -p "$SHARED/ctl"
# Unix socket paths are limited to 107 bytes: keep them short.
NET=$(mktemp -d "${TMPDIR:-/tmp}/scst-cl.XXXXXX")

HUBPID=
# kill_qemu SIGNAL NAME: signal guest NAME's qemu, if it still runs (the
# pid file outlives the process).  Prints the pid.
kill_qemu() {
	local pid
	pid=$(cat "$(cat "$NET/cur.$2" 2>/dev/null)/.vm/qemu.pid" 2>/dev/null) || return 1
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system* ]] || return 1
	kill "-$1" "$pid" 2>/dev/null && echo "$pid"
}
# shellcheck disable=SC2317 # called from the traps
cleanup() {
	[ -n "$HUBPID" ] && kill "$HUBPID" 2>/dev/null
	rm -rf "$NET"
}
# shellcheck disable=SC2317
interrupted() {
	local n
	for n in "${NAMES[@]}"; do
		kill_qemu TERM "$n" >/dev/null || true
	done
	exit "$1"
}
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM HUP

python3 "$HERE/cluster-hub.py" "$NET" "${NAMES[@]}" &
HUBPID=$!

# The shared disk: O_DIRECT where the file system has it.  qemu keeps no
# data cache of its own for a raw file, and both processes go through the
# host's page cache otherwise, so either way a block written by one guest
# is what the other reads (the guests' own caches are theirs to bypass).
DISK_MB=
DISK_ON=
DISK_CACHE=
if [ -n "$DISK" ]; then
	DISK_MB=${DISK%%[: ]*}
	DISK_ON=${DISK#"$DISK_MB"}
	DISK_ON=${DISK_ON#[: ]}
	DISK_ON=${DISK_ON//,/ }
	[ -n "$DISK_ON" ] || DISK_ON=$GUESTS
	[[ $DISK_MB =~ ^[0-9]+$ ]] || die "--disk wants MB[:A,B]"
	truncate -s "${DISK_MB}M" "$OUT/shared.img"
	if dd if=/dev/zero of="$OUT/shared.img" bs=4096 count=1 conv=notrunc \
	      oflag=direct status=none 2>/dev/null; then
		DISK_CACHE=directsync
	else
		DISK_CACHE=writethrough
	fi
fi

addr() { echo "192.168.77.$((10 + $1))"; }
ADDRS=
for i in "${!NAMES[@]}"; do
	ADDRS+="$(addr $((i + 1))) "
done
ADDRS=${ADDRS% }

# One guest: boots it again as long as a restart is asked for.
run_guest() {
	local i=$1 n=${NAMES[$1 - 1]} boot=1 out extra rc
	while :; do
		out=$OUT/$n
		[ "$boot" -gt 1 ] && out=$OUT/$n.boot$boot
		extra="-netdev dgram,id=cl0,local.type=unix,local.path=$NET/$n.sock"
		extra+=",remote.type=unix,remote.path=$NET/hub.sock"
		extra+=" -device virtio-net-pci,netdev=cl0,mac=52:54:00:77:00:$((10 + i))"
		extra+=" -fsdev local,id=clshare,path=$SHARED,security_model=none,multidevs=remap"
		extra+=" -device virtio-9p-pci,fsdev=clshare,mount_tag=clshare"
		if [ -n "$DISK_MB" ] && [[ " $DISK_ON " == *" $n "* ]]; then
			extra+=" -drive if=none,id=shd,format=raw,file=$OUT/shared.img"
			extra+=",cache=$DISK_CACHE,file.locking=off"
			extra+=" -device virtio-blk-pci,drive=shd,share-rw=on,serial=scst-shared"
		fi
		rm -f "$SHARED/ctl/killed.$n"
		echo "$out" > "$NET/cur.$n"
		set +e
		"$HERE/run-vm.sh" --kver "$KVER" --mem "$MEM" --smp "$SMP" \
			--timeout "$TIMEOUT" --out "$out" \
			--append "vm.hostname=$n" --qemu-extra "$extra" \
			--env "VM_NODE=$n" --env "VM_NODE_INDEX=$i" \
			--env "VM_NODE_ADDR=$(addr "$i")" --env "VM_NODES=$GUESTS" \
			--env "VM_NODE_ADDRS=$ADDRS" --env "VM_NODE_BOOT=$boot" \
			--env "VM_CLUSTER=/mnt/cluster" \
			${ENVS[@]+"${ENVS[@]}"} \
			-- "$HERE/cluster-guest.sh" "$SCRIPT" "$@" </dev/null 2>&1 |
			tee "$OUT/$n.boot$boot.log" | sed -u "s/^/[$n] /"
		rc=${PIPESTATUS[0]}
		set -e
		if [ -e "$SHARED/ctl/killed.$n" ]; then
			echo "killed" > "$out/.vm/cluster-rc"
			if [ -e "$SHARED/ctl/restarting.$n" ]; then
				rm -f "$SHARED/ctl/restarting.$n"
				boot=$((boot + 1))
				continue
			fi
		else
			echo "$rc" > "$out/.vm/cluster-rc"
		fi
		return 0
	done
}

# Serve the guests' requests until every guest is done.
serve() {
	local f req n pid
	for f in "$SHARED"/ctl/*.*; do
		[ -e "$f" ] || continue
		req=${f##*/}
		n=${req#*.}
		[[ " $GUESTS " == *" $n "* ]] || continue
		case $req in
		kill.*|restart.*)
			[ "${req%%.*}" = restart ] && : > "$SHARED/ctl/restarting.$n"
			: > "$SHARED/ctl/killed.$n"
			pid=$(kill_qemu KILL "$n") || pid="none (not running)"
			echo "run-cluster: $req: qemu $pid killed at $(date +%T.%N)"
			;;
		down.*) : > "$NET/down.$n"; echo "run-cluster: $req: $n cut off" ;;
		up.*) rm -f "$NET/down.$n"; echo "run-cluster: $req: $n connected" ;;
		*) continue ;;
		esac
		rm -f "$f"
		date +%s.%N > "$SHARED/ctl/done.$req"
	done
}

echo "run-cluster: kernel $KVER, guests: $GUESTS (${SMP} vCPU, ${MEM} MB each)${DISK_MB:+, shared disk ${DISK_MB} MiB on $DISK_ON ($DISK_CACHE)}, artifacts in $OUT"
T0=$SECONDS
PIDS=()
for i in "${!NAMES[@]}"; do
	run_guest $((i + 1)) "$@" &
	PIDS+=($!)
done
while :; do
	serve
	left=0
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && left=$((left + 1))
	done
	[ $left -eq 0 ] && break
	sleep 0.2
done
serve
kill "$HUBPID" 2>/dev/null || true
wait "$HUBPID" 2>/dev/null || true
HUBPID=
[ -f "$NET/hub.stats" ] && cp "$NET/hub.stats" "$OUT/"

echo "run-cluster: results"
RC=0 ISSUES=0 passed=0 failed=0
for n in "${NAMES[@]}"; do
	for log in "$OUT/$n".boot*.log; do
		b=${log%.log}
		b=${b##*.boot}
		d=$OUT/$n
		[ "$b" = 1 ] || d=$OUT/$n.boot$b
		grc=$(cat "$d/.vm/cluster-rc" 2>/dev/null || echo 125)
		tag=$n
		[ "$b" = 1 ] || tag=$n.boot$b
		while IFS= read -r line; do
			case $line in
			PASS\ *) passed=$((passed + 1)); echo "PASS $tag/${line#PASS }" ;;
			FAIL\ *) failed=$((failed + 1)); echo "FAIL $tag/${line#FAIL }" ;;
			SKIP\ *) echo "SKIP $tag/${line#SKIP }" ;;
			KERNEL-LOG:*) echo "KERNEL-LOG: $tag:${line#KERNEL-LOG:}" ;;
			esac
		done < <(tr -d '\r' < "$log" | grep -E '^(PASS|FAIL|SKIP) |^KERNEL-LOG:')
		grep -h '^run-vm: boot-to-script' "$log" | sed "s/^run-vm:/run-cluster: $tag:/" || true
		echo "run-cluster: $tag: ${grc/killed/killed on request} (log $log)"
		case $grc in
		0|killed) ;;
		3) ISSUES=1 ;;
		*) [ "$RC" -eq 0 ] && RC=$grc ;;
		esac
	done
done
echo "run-cluster: total $((SECONDS - T0))s"
echo "checks: $passed passed, $failed failed"
[ "$RC" -eq 0 ] && [ $ISSUES -eq 1 ] && RC=3
[ "$RC" -eq 0 ] && [ $failed -gt 0 ] && RC=1
exit "$RC"
