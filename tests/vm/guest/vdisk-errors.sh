#!/bin/bash
# Usage: tests/vm/run-vm.sh [--kver KVER] [--env VDISK_MODDIR=DIR] -- \
#            tests/vm/guest/vdisk-errors.sh
#
# Guest test of how scst_vdisk.ko reports backing store errors: a block
# device that fails every I/O (device-mapper "error" target) gives MEDIUM
# ERROR with UNRECOVERED READ ERROR / WRITE ERROR; a file truncated behind
# the device's back gives MEDIUM ERROR instead of zeros; a full file system
# under a thin fileio device gives DATA PROTECT, SPACE ALLOCATION FAILED
# WRITE PROTECT.  One "PASS name" / "FAIL name: reason" line per check.
set -uo pipefail

. "$(dirname "$0")/vdisk-lib.sh"

load_modules() {
	modprobe dm_mod 2>/dev/null
	vdisk_load_modules
}

setup() {
	local d t=$C/targets/scst_local/t2 dm
	dmsetup create vdisk_err --table "0 65536 error" || return 1
	# no udev in the guest: use the devtmpfs node
	dm=/dev/dm-$(dmsetup info -c --noheadings -o minor vdisk_err | tr -d ' ')
	modprobe brd rd_nr=1 rd_size=16384 && mkfs.ext4 -q /dev/ram0 &&
		mkdir -p "$W/small" && mount /dev/ram0 "$W/small" || return 1
	truncate -s 64M "$W/small/thin.img"
	truncate -s 16M "$W/trunc.img"

	d=$C/handlers/vdisk_blockio/e0
	mkdir "$d" && echo "$dm" > "$d/filename" &&
		echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_fileio/e1
	mkdir "$d" && echo "$W/trunc.img" > "$d/filename" &&
		echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_fileio/e2
	mkdir "$d" && echo "$W/small/thin.img" > "$d/filename" &&
		echo 1 > "$d/thin_provisioned" && echo 1 > "$d/enable" || return 1
	mkdir $t && mkdir $t/luns/0 $t/luns/1 $t/luns/2 || return 1
	ln -s $C/handlers/vdisk_blockio/e0 $t/luns/0/device &&
	ln -s $C/handlers/vdisk_fileio/e1 $t/luns/1/device &&
	ln -s $C/handlers/vdisk_fileio/e2 $t/luns/2/device &&
	echo 1 > $t/enabled && mkdir $t/sessions/i0 || return 1
	for _ in $(seq 50); do
		find_host && [ -n "$(sg_of 0)" ] && [ -n "$(sg_of 1)" ] &&
			[ -n "$(sg_of 2)" ] && return 0
		sleep 0.2
	done
	return 1
}

main() {
	local sg
	if ! load_modules || ! setup; then
		fail setup "cannot load the modules or configure the devices"
		exit 1
	fi
	head -c 4096 /dev/urandom > "$W/blk"

	sg=$(sg_of 0)
	settle "$sg"
	expect_err blockio-read-error "Medium error.*Unrecovered read error|Unrecovered read error" \
		sg_raw -r 512 "$sg" 28 00 00 00 00 10 00 00 01 00
	expect_err blockio-write-error "Write error" \
		sg_raw -s 512 -i "$W/blk" "$sg" 2a 00 00 00 00 10 00 00 01 00

	sg=$(sg_of 1)
	settle "$sg"
	truncate -s 8M "$W/trunc.img"
	expect_err fileio-read-past-eof "Unrecovered read error" \
		sg_raw -r 512 "$sg" 28 00 00 00 4e 20 00 00 01 00
	expect fileio-read-before-eof "Received 512 bytes" \
		sg_raw -r 512 "$sg" 28 00 00 00 00 10 00 00 01 00

	sg=$(sg_of 2)
	settle "$sg"
	dd if=/dev/urandom of="$W/fill" bs=1M count=24 status=none
	sg_dd if="$W/fill" of="$sg" bs=512 count=49152 >/dev/null 2>&1
	expect_err fileio-enospc "Space allocation failed write protect" \
		sg_raw -s 4096 -i "$W/blk" "$sg" 2a 00 00 01 e0 00 00 00 08 00
	echo "vdisk-errors: $PASSES passed, $FAILS failed"
	[ "$FAILS" = 0 ]
}

main "$@"
