#!/bin/bash
# Usage: tests/debug/check.sh [--only GLOB]       (make check-debug)
#
# The VM test suite on a debug kernel: builds (once, cached in
# $SCST_DEBUG_CACHE, see build-kernel.sh) Debian's 6.12 with KASAN,
# lockdep, kmemleak and DEBUG_ATOMIC_SLEEP, installs this tree with DKMS
# for it (and again for the regular kernels, so that their install stays
# as `make check` left it), then runs every VM test on it.  A test fails
# on any KASAN, lockdep, debug-objects or kmemleak report in its guest's
# kernel log (tests/vm/run-vm.sh); the guest scans for leaks after each
# test.  The last line reads "N passed, N failed".  Root; not part of
# make check (hours: see docs/design.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE=${SCST_DEBUG_CACHE:-/var/cache/scst-debug}
if ! ls /usr/src/linux-source-6.12*.tar.xz >/dev/null 2>&1; then
	apt-get install -y --no-install-recommends linux-source-6.12 bc bison flex \
		libelf-dev libssl-dev rsync
fi
for p in bc bison flex libelf-dev libssl-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		apt-get install -y --no-install-recommends "$p"
done
kver=$(bash tests/debug/build-kernel.sh | tail -n 1)
echo "check-debug: kernel $kver"
# shellcheck disable=SC2046
bash tests/dkms.sh install $(tests/vm/kernels.sh) "$kver"
export VM_BOOT_DIR=$CACHE VM_TEST_TIMEOUT=${VM_TEST_TIMEOUT:-2700}
exec bash tests/run.sh --vm --kver "$kver" "$@"
