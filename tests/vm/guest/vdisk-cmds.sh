#!/bin/bash
# Usage: tests/vm/run-vm.sh [--kver KVER] [--env VDISK_MODDIR=DIR] -- \
#            tests/vm/guest/vdisk-cmds.sh
#
# Guest test of scst_vdisk.ko through scst_local and sg3_utils: one target
# with LUN 0 = vdisk_fileio (thin), 1 = vdisk_nullio, 2 = vdisk_blockio
# on null_blk, 3 = vcdrom.  Modules come from VDISK_MODDIR (a build tree:
# DIR/scst.ko, DIR/targets/local/scst_local.ko,
# DIR/handlers/vdisk/scst_vdisk.ko) or from modprobe (dkms install).
# Prints one "PASS name" or "FAIL name: reason" line per check; exits 1
# if any check failed.
set -uo pipefail

. "$(dirname "$0")/vdisk-lib.sh"

# refuse NAME ERRNO-TEXT FILE VALUE: writing VALUE to FILE fails
refuse() {
	local name=$1 err=$2 file=$3 val=$4 out
	if [ -z "$err" ]; then
		fail "$name" "empty pattern: a check that cannot fail"
	elif out=$( (echo "$val" > "$file") 2>&1); then
		fail "$name" "write of '$val' to $file succeeded"
	elif grep -qi -- "$err" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "unexpected error: $out"
	fi
}

load_modules() {
	modprobe -q null_blk nr_devices=1 gb=1 memory_backed=1 discard=1 bs=512 \
		cache_size=64 ||
		return 1
	vdisk_load_modules
}

setup() {
	local d
	truncate -s 64M "$W/d0.img"
	dd if=/dev/urandom of="$W/c0.iso" bs=1M count=4 status=none
	dd if=/dev/urandom of="$W/c1.iso" bs=1M count=2 status=none

	d=$C/handlers/vdisk_fileio/d0
	mkdir "$d" && echo "$W/d0.img" > "$d/filename" &&
		echo 1 > "$d/thin_provisioned" && echo 0 > "$d/rotational" &&
		echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_nullio/n0
	mkdir "$d" && echo 1G > "$d/size" && echo 4096 > "$d/blocksize" &&
		echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_blockio/b0
	mkdir "$d" && echo /dev/nullb0 > "$d/filename" &&
		echo 1 > "$d/thin_provisioned" && echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_nullio/r0
	mkdir "$d" && echo 16M > "$d/size" && echo 1 > "$d/read_only" &&
		echo 1 > "$d/thin_provisioned" && echo 1 > "$d/enable" || return 1
	d=$C/handlers/vcdrom/c0
	mkdir "$d" && echo "$W/c0.iso" > "$d/filename" &&
		echo 1 > "$d/enable" || return 1

	mkdir $C/targets/scst_local/t0 || return 1
	for l in 0 1 2 3 4; do mkdir $C/targets/scst_local/t0/luns/$l || return 1; done
	ln -s $C/handlers/vdisk_fileio/d0 $C/targets/scst_local/t0/luns/0/device &&
	ln -s $C/handlers/vdisk_nullio/n0 $C/targets/scst_local/t0/luns/1/device &&
	ln -s $C/handlers/vdisk_blockio/b0 $C/targets/scst_local/t0/luns/2/device &&
	ln -s $C/handlers/vcdrom/c0 $C/targets/scst_local/t0/luns/3/device &&
	ln -s $C/handlers/vdisk_nullio/r0 $C/targets/scst_local/t0/luns/4/device &&
	echo 1 > $C/targets/scst_local/t0/enabled &&
	mkdir $C/targets/scst_local/t0/sessions/i0 || return 1
	for _ in $(seq 50); do
		find_host && [ -n "$(sg_of 3)" ] && [ -n "$(sg_of 4)" ] && [ -n "$(blk_of 0)" ] && return 0
		sleep 0.2
	done
	return 1
}

# clear pending UNIT ATTENTIONs on a device

test_inquiry() {
	local sg=$1
	expect inquiry-vendor "Vendor identification: SCST" sg_inq "$sg"
	expect inquiry-product "Product identification: VDISK-FILEIO" sg_inq "$sg"
	expect inquiry-version "version=0x06" sg_inq "$sg"
	expect inquiry-cmdque "CmdQue=1" sg_inq "$sg"
	expect vpd-supported "Block limits" sg_vpd -p sv "$sg"
	expect vpd-usn "Unit serial number: $(cat "$C/handlers/vdisk_fileio/d0/usn")" sg_vpd -p sn "$sg"
	expect vpd-devid-t10 "vendor specific: d0" sg_vpd -p di "$sg"
	expect vpd-devid-reltp "Relative target port: 0x1" sg_vpd -p di "$sg"
	expect vpd-devid-name "SCSI name string" sg_vpd -p di "$sg"
	expect vpd-ext-inq "HEADSUP=1 ORDSUP=1 SIMPSUP=1" sg_vpd -p ei "$sg"
	expect vpd-bl-caw "Maximum compare and write length: 255 blocks" sg_vpd -p bl "$sg"
	expect vpd-bl-unmap "Maximum unmap LBA count: 8388608" sg_vpd -p bl "$sg"
	expect vpd-bdc-nonrot "Non-rotating medium" sg_vpd -p bdc "$sg"
	expect vpd-lbpv "Unmap command supported \(LBPU\): 1" sg_vpd -p lbpv "$sg"
	expect_err vpd-unknown "Invalid field in cdb" sg_raw "$sg" 12 01 c7 00 ff 00
	expect_err inquiry-evpd0-page "Invalid field in cdb" sg_raw "$sg" 12 00 80 00 60 00
	expect inquiry-alloc-trunc "Received 5 bytes" sg_raw -r 5 "$sg" 12 00 00 00 05 00
}

test_naa() {
	local d=$C/handlers/vdisk_fileio/d0 sg=$1
	refuse naa-bad-prefix "Invalid argument" "$d/naa_id" 1234567890abcdef
	if echo 5001405abcdef012 > "$d/naa_id"; then
		settle "$sg"
		expect vpd-devid-naa "0x5001405abcdef012" sg_vpd -p di "$sg"
	else
		fail vpd-devid-naa "cannot set naa_id"
	fi
}

test_capacity() {
	local sg=$1
	expect readcap16-size "Last LBA=131071" sg_readcap -l "$sg"
	expect readcap16-lbp "lbpme=1, lbprz=1" sg_readcap -l "$sg"
	expect readcap10-size "Last LBA=131071" sg_readcap "$sg"
}

# the sg device of LUN $1 on a second session's host
sg_other() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ "${h##*host}" = "$H" ] && continue
		grep -q scst_local "$h/proc_name" 2>/dev/null || continue
		ls "/sys/bus/scsi/devices/${h##*host}:0:0:$1/scsi_generic" 2>/dev/null |
			sed 's|^|/dev/|'
	done
}

test_mode() {
	local sg=$1 blk=$2 sd sg2=
	mkdir $C/targets/scst_local/t0/sessions/i1
	for _ in $(seq 50); do
		sg2=$(sg_other 0)
		[ -n "$sg2" ] && break
		sleep 0.2
	done
	settle "$sg2"
	expect mode-caching-wce0 " 08 12 00 " sg_modes -p 8 "$sg"
	expect mode-control " 0a 0a 02 00 " sg_modes -p 0x0a "$sg"
	expect mode-changeable " 08 12 04 00 " sg_modes -c 1 -p 8 "$sg"
	expect mode-all-pages "Informational exceptions" sg_modes -a "$sg"
	expect_err mode-saved "Saving parameters not supported" sg_raw "$sg" 1a 00 c8 00 ff 00
	expect_err mode-bad-page "Invalid field in cdb" sg_raw "$sg" 1a 00 05 00 ff 00
	sd=/sys/class/scsi_disk/$H:0:0:0/cache_type
	if echo "write back" > "$sd" 2>/dev/null; then
		expect mode-select-wce " 08 12 04 " sg_modes -p 8 "$sg"
		expect_err mode-select-ua-other "Mode parameters changed" sg_turs -v "$sg2"
		settle "$sg"
		echo "write through" > "$sd"
	else
		fail mode-select-wce "cannot write $sd"
	fi
	# SP=1: INVALID FIELD IN CDB
	expect_err mode-select-sp "Invalid field in cdb" \
		sg_raw -s 4 -i /dev/zero "$sg" 15 11 00 00 04 00
	# changing a bit that is not changeable (caching page RCD)
	printf '\0\0\0\0\x08\x12\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$W/ms"
	expect_err mode-select-unchangeable "Invalid field in parameter list" \
		sg_raw -s 24 -i "$W/ms" "$sg" 15 10 00 00 18 00
	rmdir $C/targets/scst_local/t0/sessions/i1
}

test_data_fileio() {
	local sg=$1 blk=$2
	dd if=/dev/urandom of="$W/data" bs=1M count=8 status=none
	dd if="$W/data" of="$blk" bs=1M oflag=direct status=none
	if cmp -s -n $((8 << 20)) "$W/data" "$W/d0.img"; then
		pass fileio-write-backing
	else
		fail fileio-write-backing "backing file differs from what was written"
	fi
	if cmp -s -n $((8 << 20)) "$W/data" <(dd if="$blk" bs=1M count=8 iflag=direct status=none); then
		pass fileio-read-back
	else
		fail fileio-read-back "read back differs"
	fi
	expect lba-status-mapped "mapped" sg_get_lba_status --lba=0 "$sg"
	# the backing file's blocks are deallocated (hole punched)
	expect_delta unmap-ok "stat -c %b $W/d0.img" "<= -2048" \
		sg_unmap --lba=0 --num=2048 "$sg"
	expect lba-status-dealloc "deallocated" sg_get_lba_status --lba=0 "$sg"
	if cmp -s -n $((1 << 20)) /dev/zero <(dd if="$blk" bs=1M count=1 iflag=direct status=none); then
		pass unmap-reads-zero
	else
		fail unmap-reads-zero "unmapped blocks do not read as zeros"
	fi
	expect_err unmap-range "LBA out of range" sg_unmap --lba=131071 --num=2 "$sg"
	expect ws-unmap-dealloc "deallocated" bash -c \
		"sg_write_same --unmap --lba=4096 --num=1024 $sg && sg_get_lba_status --lba=4096 $sg"
	head -c 512 /dev/zero | tr '\0' '\253' > "$W/pat"
	sg_write_same --in="$W/pat" --lba=8192 --num=16 "$sg" >/dev/null 2>&1
	if cmp -s <(for _ in $(seq 16); do cat "$W/pat"; done) \
		<(dd if="$blk" bs=512 skip=8192 count=16 iflag=direct status=none); then
		pass write-same-pattern
	else
		fail write-same-pattern "pattern not written"
	fi
	expect_err ws-zero-blocks "Invalid field in cdb" \
		sg_raw -s 512 -i "$W/pat" "$sg" 41 00 00 00 00 00 00 00 00 00
	expect_err lba-status-range "LBA out of range" sg_get_lba_status --lba=200000 "$sg"
	expect_err bad-opcode "Invalid command operation code" \
		sg_raw "$sg" 3e 00 00 00 00 00 00 00 00 00
}

test_caw() {
	local sg=$1 blk=$2 rc
	head -c 512 /dev/urandom > "$W/old"
	head -c 512 /dev/urandom > "$W/new"
	dd if="$W/old" of="$blk" bs=512 seek=100 oflag=direct status=none
	cat "$W/old" "$W/new" > "$W/caw"
	sg_compare_and_write --in="$W/caw" --lba=100 --num=1 "$sg" >/dev/null 2>&1
	rc=$?
	if [ $rc = 0 ] && cmp -s "$W/new" <(dd if="$blk" bs=512 skip=100 count=1 iflag=direct status=none); then
		pass caw-match
	else
		fail caw-match "rc=$rc or data not written"
	fi
	sg_compare_and_write --in="$W/caw" --lba=100 --num=1 "$sg" >/dev/null 2>&1
	rc=$?
	if [ $rc = 14 ] && cmp -s "$W/new" <(dd if="$blk" bs=512 skip=100 count=1 iflag=direct status=none); then
		pass caw-miscompare
	else
		fail caw-miscompare "rc=$rc (want 14) or data changed"
	fi
	expect_err caw-info "Miscompare during verify" \
		sg_compare_and_write -v --in="$W/caw" --lba=100 --num=1 "$sg"
	expect_quiet verify-match sg_verify --ndo=512 --in="$W/new" --lba=100 --count=1 "$sg"
	sg_verify --ndo=512 --in="$W/old" --lba=100 --count=1 "$sg" >/dev/null 2>&1
	rc=$?
	if [ $rc = 14 ]; then pass verify-miscompare; else fail verify-miscompare "rc=$rc (want 14)"; fi
	expect_quiet verify-medium sg_verify --lba=0 --count=2048 "$sg"
	expect_err verify-medium-range "LBA out of range" \
		sg_verify --lba=131071 --count=2 "$sg"
}

test_fio() {
	local name=$1 blk=$2 out
	out=$(fio --name="$name" --filename="$blk" --rw=randwrite --bs=4k \
		--size=32M --direct=1 --ioengine=libaio --iodepth=16 \
		--verify=crc32c --do_verify=1 --output-format=terse 2>&1)
	if [ $? = 0 ] && ! grep -qi "verify.*bad\|error" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "$(tail -c 300 <<<"$out")"
	fi
}

test_blockio() {
	local sg=$1 blk=$2
	expect blockio-product "VDISK-BLOCKIO" sg_inq "$sg"
	test_fio fio-blockio "$blk"
	dd if=/dev/urandom of="$W/bdata" bs=1M count=4 status=none
	dd if="$W/bdata" of="$blk" bs=1M seek=40 oflag=direct status=none
	if cmp -s "$W/bdata" <(dd if=/dev/nullb0 bs=1M skip=40 count=4 iflag=direct status=none); then
		pass blockio-backing
	else
		fail blockio-backing "null_blk differs from what was written"
	fi
	# null_blk (memory_backed, discard=1) sees the discard and frees the
	# blocks: they read as zeros
	dd if=/dev/urandom of="$W/b4k" bs=4096 count=1 status=none
	dd if="$W/b4k" of="$blk" bs=4096 oflag=direct status=none
	expect_delta blockio-unmap "blkstat nullb0 14" ">= 8" \
		sg_unmap --lba=0 --num=8 "$sg"
	if cmp -s -n 4096 /dev/zero <(dd if=/dev/nullb0 bs=4096 count=1 iflag=direct status=none); then
		pass blockio-unmap-reads-zero
	else
		fail blockio-unmap-reads-zero "discarded blocks of null_blk do not read as zeros"
	fi
	# null_blk has a write cache (cache_size): the flush reaches it
	expect_delta blockio-sync-cache "blkstat nullb0 16" ">= 1" sg_sync "$sg"
	test_blockio_caw "$sg" "$blk"
}

# COMPARE AND WRITE on blockio while fio writes elsewhere: WRITEs complete
# from their bio completion, and every COMPARE AND WRITE must wait for
# those in flight, then let the next ones through.
test_blockio_caw() {
	local sg=$1 blk=$2 pid i ok=0 rc
	head -c 512 /dev/urandom > "$W/ca"
	head -c 512 /dev/urandom > "$W/cb"
	cat "$W/ca" "$W/cb" > "$W/cab"
	cat "$W/cb" "$W/ca" > "$W/cba"
	dd if="$W/ca" of="$blk" bs=512 seek=200 oflag=direct status=none
	fio --name=cawload --filename="$blk" --rw=randwrite --bs=4k \
		--offset=1M --size=16M --direct=1 --ioengine=libaio --iodepth=16 \
		--time_based --runtime=60 --verify=crc32c --do_verify=0 \
		--output-format=terse >"$W/cawload.out" 2>&1 &
	pid=$!
	sleep 1
	for i in $(seq 1 10); do
		sg_compare_and_write --in="$W/cab" --lba=200 --num=1 "$sg" \
			>/dev/null 2>&1 &&
		sg_compare_and_write --in="$W/cba" --lba=200 --num=1 "$sg" \
			>/dev/null 2>&1 && ok=$((ok + 1))
	done
	kill "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	if [ "$ok" = 10 ] && cmp -s "$W/ca" <(dd if="$blk" bs=512 skip=200 count=1 iflag=direct status=none); then
		pass blockio-caw-under-writes
	else
		fail blockio-caw-under-writes "$ok of 10 round trips (fio rc=$rc)"
	fi
	if [ -n "$(tail -c 300 "$W/cawload.out")" ] && ! grep -qi "error" "$W/cawload.out"; then
		pass blockio-writes-beside-caw
	else
		fail blockio-writes-beside-caw "$(tail -c 300 "$W/cawload.out")"
	fi
}

test_nullio() {
	local sg=$1 blk=$2
	expect nullio-readcap "Logical block length=4096" sg_readcap -l "$sg"
	dd if=/dev/urandom of="$blk" bs=1M count=1 oflag=direct status=none
	if cmp -s -n $((1 << 20)) /dev/zero <(dd if="$blk" bs=1M count=1 iflag=direct status=none); then
		pass nullio-reads-zero
	else
		fail nullio-reads-zero "data read is not zero"
	fi
}

# REPORT SUPPORTED OPERATION CODES, all_commands: one "op" or "op/sa"
# (hex) per line, then "rctd" if every descriptor had a timeouts
# descriptor of length 0Ah
rsoc_list() {
	sg_opcodes -r "$@" | python3 -c '
import sys
d = sys.stdin.buffer.read()
n = int.from_bytes(d[0:4], "big") + 4
i, ctd = 4, True
while i < n:
    op, sa, fl = d[i], int.from_bytes(d[i+2:i+4], "big"), d[i+5]
    print("%02x/%x" % (op, sa) if fl & 1 else "%02x" % op)
    if fl & 2:
        ctd = ctd and int.from_bytes(d[i+8:i+10], "big") == 10
        i += 20
    else:
        ctd = False
        i += 8
if ctd:
    print("rctd")'
}

# one_command parameter data, bytes in hex on one line
rsoc_one() {
	sg_opcodes -r "$@" | od -An -tx1 -v | tr -s ' \n' ' ' |
		sed 's/^ //; s/ $//'
}

# the data-in of a command (sg_raw -r 64 ARGS...) in hex on one line
raw_hex() {
	rm -f "$W/raw.bin"
	sg_raw -r 64 -o "$W/raw.bin" "$@" >/dev/null 2>&1
	od -An -tx1 -v "$W/raw.bin" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# has NAME LIST WORD...: every WORD is a line of LIST
has() {
	local name=$1 list=$2 w
	shift 2
	for w in "$@"; do
		grep -qx -- "$w" <<<"$list" || {
			fail "$name" "$w not listed: $(tr '\n' ' ' <<<"$list")"
			return
		}
	done
	pass "$name"
}

# lacks NAME LIST WORD...: no WORD is a line of LIST
lacks() {
	local name=$1 list=$2 w
	shift 2
	for w in "$@"; do
		! grep -qx -- "$w" <<<"$list" || {
			fail "$name" "$w listed"
			return
		}
	done
	pass "$name"
}

# thin fileio, fully provisioned nullio, vcdrom
test_rsoc() {
	local thin=$1 thick=$2 cd=$3 l
	settle "$thin"
	settle "$thick"
	l=$(rsoc_list "$thin")
	# core commands, vdisk commands, UNMAP on a thin LU
	has rsoc-all-core "$l" a0 03 5e/0 5e/3 5f/0 5f/7 16 57 a3/c a3/d
	has rsoc-all-vdisk "$l" 00 12 28 2a 2e 2f 35 41 42 89 93 9e/10 9e/12 \
		1a 5a 15 55 04 1b 1e
	# in the decode table, but vdisk answers INVALID COMMAND OPERATION CODE
	lacks rsoc-all-not-vdisk "$l" 4d 4c 3b 3c 1c 1d 34 90 a3/a 43
	expect_err rsoc-not-vdisk-really "Invalid command operation code" \
		sg_raw -r 64 "$thin" 4d 00 40 00 00 00 00 00 40 00
	l=$(rsoc_list "$thick")
	lacks rsoc-all-thick-no-unmap "$l" 42
	has rsoc-all-thick "$l" 41 93 28
	l=$(rsoc_list -R "$thin")
	has rsoc-all-rctd "$l" rctd 28 5e/1
	# READ(10): DPO, FUA, RARC, FUA_NV; LBA; GROUP NUMBER; length
	expect rsoc-one-read10 "^00 03 00 0a 28 1e ff ff ff ff 1f ff ff 00$" \
		rsoc_one -o 0x28 "$thin"
	# with RCTD: CTDP set, a 12-byte timeouts descriptor after the usage
	expect rsoc-one-rctd "^00 83 00 0a 28 1e ff ff ff ff 1f ff ff 00 00 0a( 00){10}$" \
		raw_hex "$thin" a3 0c 81 28 00 00 00 00 00 40 00 00
	expect rsoc-one-sa "^00 03 00 0a 5e 01 00 00 00 00 00 ff ff 00$" \
		rsoc_one -o 0x5e,1 "$thin"
	expect_err rsoc-one-sa-needed "Invalid field in cdb" \
		sg_raw -r 64 "$thin" a3 0c 01 5e 00 00 00 00 00 40 00 00
	expect_err rsoc-one-sa-none "Invalid field in cdb" \
		sg_raw -r 64 "$thin" a3 0c 02 28 00 00 00 00 00 40 00 00
	expect rsoc-one-unsupported "^00 01( 00)*$" rsoc_one -o 0x4d "$thin"
	expect rsoc-one-unmap-thick "^00 01( 00)*$" rsoc_one -o 0x42 "$thick"
	# WRITE SAME(16): UNMAP only with thin provisioning, never ANCHOR
	expect rsoc-one-ws16-thin "^00 03 00 10 93 09 " rsoc_one -o 0x93 "$thin"
	expect rsoc-one-ws16-thick "^00 03 00 10 93 01 " rsoc_one -o 0x93 "$thick"
	expect rsoc-one-ws10-thick "^00 03 00 0a 41 00 " rsoc_one -o 0x41 "$thick"
	head -c 4096 /dev/zero > "$W/zero4k"
	expect_err ws-unmap-thick-refused "Invalid field in cdb" \
		sg_raw -s 4096 -i "$W/zero4k" "$thick" 41 08 00 00 00 00 00 00 01 00
	expect_err ws16-unmap-thick-refused "Invalid field in cdb" sg_raw -s 4096 \
		-i "$W/zero4k" "$thick" 93 08 00 00 00 00 00 00 00 00 00 00 00 01 00 00
	expect_err ws-anchor-refused "Invalid field in cdb" sg_raw -s 512 \
		-i "$W/zero4k" "$thin" 93 18 00 00 00 00 00 00 00 00 00 00 00 01 00 00
	expect ws-thick-ok "^$" sg_write_same --lba=0 --num=1 "$thick"
	expect rstmf "^fe 07 00 00$" rsoc_one -t "$thin"
	expect rstmf-repd "^fe 07 00 0c( 00){12}$" rsoc_one -t -q "$thin"
	settle "$cd"
	l=$(rsoc_list "$cd")
	has rsoc-cdrom "$l" 43 46 4a 51 52 bd 28 a3/c
	lacks rsoc-cdrom-no-write "$l" 2a 41 35
	expect rsoc-one-disc-info "^00 03 00 0a 51 00 " rsoc_one -o 0x51 "$cd"
}

test_attrs() {
	local d=$C/handlers/vdisk_fileio/d0
	refuse attr-creation-busy "busy" "$d/read_only" 1
	refuse attr-blocksize-bad "Invalid argument" $C/handlers/vdisk_nullio/n0/blocksize 1024
	refuse attr-vend-long "Invalid argument" "$d/t10_vend_id" 123456789
	refuse attr-resync-bad "Invalid argument" "$d/resync_size" 2
	expect attr-size "^67108864$" cat "$d/size"
}

test_resync() {
	local sg=$1 d=$C/handlers/vdisk_fileio/d0
	settle "$sg"
	truncate -s 80M "$W/d0.img"
	echo 1 > "$d/resync_size"
	expect_err resync-ua "Capacity data has changed" sg_turs -v "$sg"
	settle "$sg"
	expect resync-size "Last LBA=163839" sg_readcap -l "$sg"
}

test_cdrom() {
	local sg=$1 d=$C/handlers/vcdrom/c0 sr
	sr=$(blk_of 3)
	expect cdrom-type "cd/dvd" sg_inq "$sg"
	expect cdrom-rmb "RMB=1" sg_inq "$sg"
	settle "$sg"
	expect cdrom-readcap "Last LBA=2047" sg_readcap "$sg"
	expect cdrom-toc "Received 20 bytes" sg_raw -r 20 "$sg" 43 00 00 00 00 00 00 00 14 00
	expect cdrom-config "Current profile: CD-ROM" sg_get_config "$sg"
	expect cdrom-gesn "Received 8 bytes" sg_raw -r 8 "$sg" 4a 01 00 00 10 00 00 00 08 00
	expect_err cdrom-gesn-async "Invalid field in cdb" sg_raw -r 8 "$sg" 4a 00 00 00 10 00 00 00 08 00
	expect cdrom-disc-info "Received 34 bytes" sg_raw -r 34 "$sg" 51 00 00 00 00 00 00 00 22 00
	expect cdrom-track-info "Received 36 bytes" sg_raw -r 36 "$sg" 52 01 00 00 00 01 00 00 24 00
	expect cdrom-mech-status "Received 8 bytes" sg_raw -r 8 "$sg" bd 00 00 00 00 00 00 00 00 08 00 00
	expect_err cdrom-write "Data protect|Invalid command operation code" \
		sg_raw -s 2048 -i "$W/c0.iso" "$sg" 2a 00 00 00 00 00 00 00 01 00
	if [ -n "$sr" ] && cmp -s "$W/c0.iso" <(dd if="$sr" bs=2048 status=none); then
		pass cdrom-read
	else
		fail cdrom-read "image differs from $sr"
	fi
	echo "" > "$d/filename"
	expect_err cdrom-no-medium "Medium not present" sg_turs -v "$sg"
	echo "$W/c1.iso" > "$d/filename"
	expect_err cdrom-load-ua "Not ready to ready change" sg_turs -v "$sg"
	settle "$sg"
	expect cdrom-new-size "Last LBA=1023" sg_readcap "$sg"
	expect_quiet cdrom-prevent sg_prevent --prevent=1 "$sg"
	refuse cdrom-prevented "busy" "$d/filename" ""
	expect_err cdrom-eject-prevented "removal prevented" sg_raw "$sg" 1b 00 00 00 02 00
	sg_prevent --allow "$sg" >/dev/null 2>&1
	expect_quiet cdrom-eject sg_start --eject "$sg"
	expect_err cdrom-tray-open "Medium not present" sg_turs -v "$sg"
}

test_read_only() {
	local sg=$1
	head -c 512 /dev/zero > "$W/z"
	expect_err ro-write "Data protect" sg_raw -s 512 -i "$W/z" "$sg" 2a 00 00 00 00 00 00 00 01 00
	expect_err ro-write-same "Data protect" sg_raw -s 512 -i "$W/z" "$sg" 41 08 00 00 00 00 00 00 01 00
	printf '\0\x16\0\x10\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0\0' > "$W/um"
	expect_err ro-unmap "Data protect" sg_raw -s 24 -i "$W/um" "$sg" 42 00 00 00 00 00 00 00 18 00
	cat "$W/z" "$W/z" > "$W/z2"
	expect_err ro-caw "Data protect" sg_raw -s 1024 -i "$W/z2" "$sg" 89 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00
	expect ro-mode-wp "WP=1" sg_modes -p 8 "$sg"
}

main() {
	if ! load_modules; then
		fail setup "cannot load the modules"
		exit 1
	fi
	if ! setup; then
		fail setup "cannot configure the devices"
		exit 1
	fi
	local sg0 blk0
	sg0=$(sg_of 0)
	blk0=$(blk_of 0)
	settle "$sg0"
	test_inquiry "$sg0"
	test_capacity "$sg0"
	test_mode "$sg0" "$blk0"
	test_data_fileio "$sg0" "$blk0"
	test_caw "$sg0" "$blk0"
	test_fio fio-fileio "$blk0"
	test_attrs
	test_naa "$sg0"
	test_resync "$sg0"
	settle "$(sg_of 1)"
	test_nullio "$(sg_of 1)" "$(blk_of 1)"
	settle "$(sg_of 2)"
	test_blockio "$(sg_of 2)" "$(blk_of 2)"
	test_cdrom "$(sg_of 3)"
	test_rsoc "$sg0" "$(sg_of 1)" "$(sg_of 3)"
	settle "$(sg_of 4)"
	test_read_only "$(sg_of 4)"
	echo "vdisk-cmds: $PASSES passed, $FAILS failed"
	[ "$FAILS" = 0 ]
}

main "$@"
