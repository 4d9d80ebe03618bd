#!/bin/bash
# Install what building and testing SCST needs, from Debian bookworm's
# archive (main, updates and security: the 6.12 kernel comes from
# bookworm-security).  corosync, pacemaker, dlm-controld and
# resource-agents are the cluster stack of tests/vm/cluster/.  clang and libclang-rt-14-dev (libFuzzer, ASan and
# UBSan runtimes) build the fuzzers of tests/unit (tests/unit/fuzz.sh).
# Idempotent: does nothing when all is installed.
set -euo pipefail

PKGS=(
	build-essential pkg-config kmod cpio dkms
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	qemu-system-x86 busybox-static
	sg3-utils lsscsi libiscsi-bin open-iscsi fio multipath-tools
	libconfig-dev libnl-3-dev libnl-genl-3-dev libcunit1-dev libcmocka-dev
	clang libclang-rt-14-dev
	python3 util-linux xz-utils zstd binutils
	systemd procps iproute2
	debhelper dh-dkms lintian rpm
	tgt gnuplot-nox tcmu-runner
	corosync pacemaker pacemaker-cli-utils dlm-controld resource-agents
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install: ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
# tgt (a peer in make bench, run by hand in the VM) must not start at
# boot: the VM tests that boot systemd from this root would get a tgtd on
# port 3260.
# tcmu-runner (LIO TCMU's daemon, the peer of bench/run-user.sh, started
# there by hand) likewise, and the cluster stack (corosync, pacemaker,
# dlm_controld, cluster-glue's logd: the guests of tests/vm/run-cluster.sh
# start them by hand).
for s in tgt tcmu-runner corosync pacemaker pacemaker_remote dlm logd; do
	if [ -e /etc/systemd/system/multi-user.target.wants/$s.service ]; then
		systemctl disable $s.service 2>/dev/null ||
			rm -f /etc/systemd/system/multi-user.target.wants/$s.service
	fi
done
