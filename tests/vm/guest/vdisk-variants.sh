#!/bin/bash
# Usage: tests/vm/run-vm.sh [--kver KVER] [--env VDISK_MODDIR=DIR] -- \
#            tests/vm/guest/vdisk-variants.sh
#
# Guest test of scst_vdisk.ko configurations that vdisk-cmds.sh does not
# cover: fileio with o_direct and 4096-byte blocks, nv_cache=1 (WCE=1),
# SYNCHRONIZE CACHE with IMMED, attribute defaults, enable errors, a
# DVD-sized vcdrom image and vdisk_nullio read_zero=0.  fileio's
# asynchronous reads (io_stats): an ext4 file with o_direct completes
# from ->ki_complete(), the page cache and tmpfs synchronously, 512-byte
# blocks on a 4096-byte device fall back from O_DIRECT to the page cache,
# and truncating the file behind the device's back still gives MEDIUM
# ERROR on the asynchronous path.  fileio WRITEs likewise (o_direct from
# ->ki_complete(), the page cache at once, IOCB_NOWAIT with nv_cache=1),
# and read back.  Same module loading and output
# conventions as
# vdisk-cmds.sh: one "PASS name" / "FAIL name: reason" line per check.
set -uo pipefail

. "$(dirname "$0")/vdisk-lib.sh"

load_modules() { vdisk_load_modules; }

test_defaults() {
	local d=$C/handlers/vdisk_fileio/x0
	mkdir "$d" || { fail defaults "mkdir"; return; }
	expect default-blocksize "^512$" cat "$d/blocksize"
	expect default-rotational "^1$" cat "$d/rotational"
	expect default-nv-cache "^0$" cat "$d/nv_cache"
	expect default-vend "^SCST$" cat "$d/t10_vend_id"
	expect default-prod "^VDISK-FILEIO$" cat "$d/t10_prod_id"
	expect default-dev-id "^x0$" cat "$d/t10_dev_id"
	expect default-usn "^[0-9a-f]{24}$" cat "$d/usn"
	expect default-naa "^6[0-9a-f]{31}$" cat "$d/naa_id"
	expect default-eui64 "^025343[0-9a-f]{10}$" cat "$d/eui64_id"
	if (echo 1 > "$d/enable") 2>/dev/null; then
		fail enable-no-filename "enable without filename succeeded"
	else
		pass enable-no-filename
	fi
	echo /nonexistent > "$d/filename"
	if (echo 1 > "$d/enable") 2>/dev/null; then
		fail enable-missing-file "enable with a missing file succeeded"
	else
		pass enable-missing-file
	fi
	expect enable-error-logged "handlers/vdisk_fileio/x0: enable: cannot open /nonexistent" dmesg
	rmdir "$d"
	expect nullio-rotational "^0$" bash -c "mkdir $C/handlers/vdisk_nullio/x1 && cat $C/handlers/vdisk_nullio/x1/rotational; rmdir $C/handlers/vdisk_nullio/x1"
	d=$C/handlers/vdisk_nullio/x2
	mkdir "$d" || { fail defaults "mkdir nullio"; return; }
	expect nullio-read-zero-default "^1$" cat "$d/read_zero"
	if (echo 2 > "$d/read_zero") 2>/dev/null; then
		fail read-zero-invalid "read_zero=2 accepted"
	else
		pass read-zero-invalid
	fi
	expect read-zero-invalid-logged "handlers/vdisk_nullio/x2: read_zero: expected 0 or 1" dmesg
	echo 1M > "$d/size" && echo 1 > "$d/enable"
	if (echo 0 > "$d/read_zero") 2>/dev/null; then
		fail read-zero-enabled "read_zero changed while enabled"
	else
		pass read-zero-enabled
	fi
	echo 0 > "$d/enable"
	rmdir "$d"
}

setup() {
	local d t=$C/targets/scst_local/t1
	# o_direct needs a file system that supports it (tmpfs in 6.1 does
	# not); on a loop device its bios complete in another thread, so
	# O_DIRECT reads are really asynchronous (a ram disk completes them
	# before submit_bio() returns)
	modprobe loop 2>/dev/null
	truncate -s 128M "$W/ext4.img"
	LOOP=$(losetup -f --show "$W/ext4.img") && mkfs.ext4 -q "$LOOP" &&
		mkdir -p "$W/ext4" && mount "$LOOP" "$W/ext4" || return 1
	truncate -s 64M "$W/ext4/f0.img"
	truncate -s 64M "$W/f1.img"
	truncate -s 800M "$W/dvd.iso"
	# a device with 4096-byte logical blocks, for O_DIRECT with 512
	truncate -s 96M "$W/4kn.img"
	LOOP4K=$(losetup -b 4096 -f --show "$W/4kn.img") &&
		mkfs.ext4 -q "$LOOP4K" && mkdir -p "$W/e4k" &&
		mount "$LOOP4K" "$W/e4k" || return 1
	truncate -s 32M "$W/e4k/f3.img"
	truncate -s 32M "$W/f4.img"

	d=$C/handlers/vdisk_fileio/f0
	mkdir "$d" && echo "$W/ext4/f0.img" > "$d/filename" && echo 1 > "$d/o_direct" &&
		echo 4096 > "$d/blocksize" && echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_fileio/f1
	mkdir "$d" && echo "$W/f1.img" > "$d/filename" && echo 1 > "$d/nv_cache" &&
		echo 1 > "$d/enable" || return 1
	d=$C/handlers/vcdrom/dvd
	mkdir "$d" && echo "$W/dvd.iso" > "$d/filename" && echo 1 > "$d/enable" ||
		return 1
	d=$C/handlers/vdisk_fileio/f3
	mkdir "$d" && echo "$W/e4k/f3.img" > "$d/filename" &&
		echo 1 > "$d/o_direct" && echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_nullio/z0
	mkdir "$d" && echo 64M > "$d/size" && echo 0 > "$d/read_zero" &&
		echo 1 > "$d/thin_provisioned" && echo 1 > "$d/enable" || return 1
	d=$C/handlers/vdisk_nullio/z1
	mkdir "$d" && echo 64M > "$d/size" && echo 1 > "$d/thin_provisioned" &&
		echo 1 > "$d/enable" || return 1
	# tmpfs takes O_DIRECT from 6.6 on (and completes it synchronously)
	d=$C/handlers/vdisk_fileio/f4
	mkdir "$d" && echo "$W/f4.img" > "$d/filename" &&
		echo 1 > "$d/o_direct" || return 1
	TMPFS_ODIRECT=0
	(echo 1 > "$d/enable") 2>/dev/null && TMPFS_ODIRECT=1
	mkdir $t && mkdir $t/luns/0 $t/luns/1 $t/luns/2 $t/luns/3 \
		$t/luns/5 $t/luns/6 || return 1
	ln -s $C/handlers/vdisk_fileio/f0 $t/luns/0/device &&
	ln -s $C/handlers/vdisk_fileio/f1 $t/luns/1/device &&
	ln -s $C/handlers/vcdrom/dvd $t/luns/2/device &&
	ln -s $C/handlers/vdisk_fileio/f3 $t/luns/3/device &&
	ln -s $C/handlers/vdisk_nullio/z0 $t/luns/5/device &&
	ln -s $C/handlers/vdisk_nullio/z1 $t/luns/6/device || return 1
	if [ $TMPFS_ODIRECT = 1 ]; then
		mkdir $t/luns/4 && ln -s "$d" $t/luns/4/device || return 1
	fi
	echo 1 > $t/enabled && mkdir $t/sessions/i0 || return 1
	for _ in $(seq 50); do
		find_host && [ -n "$(blk_of 0)" ] && [ -n "$(blk_of 1)" ] &&
			[ -n "$(sg_of 2)" ] && [ -n "$(blk_of 3)" ] &&
			{ [ $TMPFS_ODIRECT = 0 ] || [ -n "$(blk_of 4)" ]; } &&
			[ -n "$(blk_of 5)" ] && [ -n "$(blk_of 6)" ] &&
			return 0
		sleep 0.2
	done
	return 1
}

test_direct_4k() {
	local sg=$1 blk=$2 out
	expect odirect-readcap "Logical block length=4096" sg_readcap -l "$sg"
	expect odirect-last-lba "Last LBA=16383" sg_readcap -l "$sg"
	out=$(fio --name=odirect --filename="$blk" --rw=randrw --bs=4k,16k \
		--size=32M --direct=1 --ioengine=libaio --iodepth=16 \
		--verify=crc32c --do_verify=1 --output-format=terse 2>&1)
	if [ $? = 0 ]; then pass fio-odirect-4k; else fail fio-odirect-4k "$(tail -c 300 <<<"$out")"; fi
	dd if=/dev/urandom of="$W/d4" bs=1M count=4 status=none
	dd if="$W/d4" of="$blk" bs=1M seek=8 oflag=direct status=none
	if cmp -s "$W/d4" <(dd if="$W/ext4/f0.img" bs=1M skip=8 count=4 iflag=direct status=none); then
		pass odirect-backing
	else
		fail odirect-backing "backing file differs"
	fi
	expect odirect-misaligned-write "status: *good" \
		sg_raw -v -s 4096 -i "$W/d4" "$sg" 2a 08 00 00 00 01 00 00 01 00
	if cmp -s -n 4096 "$W/d4" <(dd if="$W/ext4/f0.img" bs=4096 skip=1 count=1 iflag=direct status=none); then
		pass odirect-misaligned-write-backing
	else
		fail odirect-misaligned-write-backing "block 1 of the backing file differs"
	fi
}

# io_stats counter $2 of fileio device $1
iostat() { awk -v k="$2" '$1 == k { print $2 }' "$C/handlers/vdisk_fileio/$1/io_stats"; }

# $1 name, $2 device, $3 counter, $4 awk condition on its value
expect_stat() {
	local v
	v=$(iostat "$2" "$3")
	if [ -n "$v" ] && awk -v v="$v" "BEGIN { exit !(v $4) }"; then
		pass "$1"
	else
		fail "$1" "io_stats $2 $3 = '$v', want $4: $(tr '\n' ' ' < "$C/handlers/vdisk_fileio/$2/io_stats")"
	fi
}

fio_verify() {
	local name=$1 blk=$2 bs=$3 out
	out=$(fio --name="$name" --filename="$blk" --rw=randrw --bs="$bs" \
		--size=16M --direct=1 --ioengine=libaio --iodepth=16 \
		--verify=crc32c --do_verify=1 --output-format=terse 2>&1)
	if [ $? = 0 ]; then pass "$name"; else fail "$name" "$(tail -c 300 <<<"$out")"; fi
}

# after test_direct_4k: ext4 + o_direct reads completed asynchronously
test_async() {
	local sg=$1 blk=$2 q0
	expect_stat async-odirect-queued f0 queued "> 100"
	q0=$(iostat f0 queued)
	dd if="$blk" of=/dev/null bs=64k count=256 iflag=direct status=none
	# nearly all: a read whose bios ended before ->read_iter() returned
	# completes synchronously
	expect_stat async-odirect-read-queued f0 queued ">= $q0 + 128"
	# scst_local submits in task context from 6.2 on: reads start there
	case $(uname -r) in
	6.1.*) expect_stat async-nowait-6.1 f0 nowait "== 0" ;;
	*) expect_stat async-nowait f0 nowait "> 0" ;;
	esac
}

# $1 name, $2 data file, $3 what to compare it with (a command)
expect_same() {
	local name=$1 data=$2
	shift 2
	if cmp -s "$data" <("$@"); then
		pass "$name"
	else
		fail "$name" "data read back differs"
	fi
}

# fileio WRITEs on an asynchronous kiocb: with o_direct on ext4 (f0)
# they complete from ->ki_complete(), in the page cache (f1, tmpfs) at
# once; WCE=0 writes (IOCB_DSYNC) start in ->exec(), with nv_cache=1
# in the submitter's context (IOCB_NOWAIT) where the target driver
# allows it.  The data reads back through the device and in the file.
test_async_writes() {
	local sg0=$1 blk0=$2 blk1=$3 q0 s1 n0
	dd if=/dev/urandom of="$W/w8" bs=1M count=8 status=none
	q0=$(iostat f0 write_queued)
	dd if="$W/w8" of="$blk0" bs=64k seek=320 count=64 oflag=direct status=none
	expect_stat async-odirect-write-queued f0 write_queued ">= $q0 + 64"
	expect_same async-odirect-write-readback <(head -c 4M "$W/w8") \
		dd if="$blk0" bs=64k skip=320 count=64 iflag=direct status=none
	expect_same async-odirect-write-backing <(head -c 4M "$W/w8") \
		dd if="$W/ext4/f0.img" bs=64k skip=320 count=64 iflag=direct status=none
	s1=$(iostat f1 write_sync)
	dd if="$W/w8" of="$blk1" bs=64k seek=16 count=64 oflag=direct status=none
	expect_stat async-pagecache-write-sync f1 write_sync ">= $s1 + 64"
	expect_stat async-pagecache-write-queued f1 write_queued "== 0"
	expect_same async-pagecache-write-backing <(head -c 4M "$W/w8") \
		dd if="$W/f1.img" bs=64k skip=16 count=64 status=none
	# without IOCB_DSYNC: from the submitter's context
	echo 1 > $C/handlers/vdisk_fileio/f0/nv_cache
	settle "$sg0"
	n0=$(iostat f0 write_nowait)
	q0=$(iostat f0 write_queued)
	dd if="$W/w8" of="$blk0" bs=64k seek=320 skip=64 count=64 oflag=direct \
		status=none
	case $(uname -r) in
	6.1.*) expect_stat async-write-nowait-6.1 f0 write_nowait "== $n0" ;;
	*) expect_stat async-write-nowait f0 write_nowait ">= $n0 + 64" ;;
	esac
	expect_stat async-write-nv-cache-queued f0 write_queued "> $q0"
	expect_same async-write-nowait-readback <(tail -c 4M "$W/w8") \
		dd if="$blk0" bs=64k skip=320 count=64 iflag=direct status=none
	echo "# f0 io_stats: $(tr '\n' ' ' < "$C/handlers/vdisk_fileio/f0/io_stats")"
	echo "# f1 io_stats: $(tr '\n' ' ' < "$C/handlers/vdisk_fileio/f1/io_stats")"
	echo 0 > $C/handlers/vdisk_fileio/f0/nv_cache
	settle "$sg0"
}

# the page cache (tmpfs, buffered) completes synchronously
test_sync_paths() {
	local blk1=$1 blk4=$2
	fio_verify fio-tmpfs-buffered "$blk1" 4k,16k
	expect_stat tmpfs-buffered-sync f1 sync "> 100"
	expect_stat tmpfs-buffered-queued f1 queued "== 0"
	if [ $TMPFS_ODIRECT = 0 ]; then
		case $(uname -r) in
		6.1.*) pass tmpfs-odirect-refused-6.1 ;;
		*) fail tmpfs-odirect "enable with o_direct on tmpfs failed" ;;
		esac
		expect tmpfs-odirect-logged "vdisk_fileio/f4: enable: cannot open" dmesg
		return
	fi
	fio_verify fio-tmpfs-odirect "$blk4" 4k,16k
	expect_stat tmpfs-odirect-sync f4 sync "> 100"
	expect_stat tmpfs-odirect-queued f4 queued "== 0"
}

# 512-byte blocks on a 4096-byte device: O_DIRECT says EINVAL
test_einval() {
	local blk=$1
	fio_verify fio-odirect-512-on-4kn "$blk" 512,4k
	expect_stat odirect-512-buffered f3 buffered "> 0"
	expect_stat odirect-512-queued f3 queued "> 0"
}

# the file shrinks behind the device's back (f0: 16384 blocks of 4096)
test_truncate_async() {
	local sg=$1 q0
	truncate -s 32M "$W/ext4/f0.img"
	q0=$(iostat f0 queued)
	expect_err odirect-read-past-eof "Unrecovered read error" \
		sg_raw -r 4096 "$sg" 28 00 00 00 27 10 00 00 01 00
	expect_err odirect-read-across-eof "Unrecovered read error" \
		sg_raw -r 16384 "$sg" 28 00 00 00 1f fe 00 00 04 00
	expect odirect-read-before-eof "Received 4096 bytes" \
		sg_raw -r 4096 "$sg" 28 00 00 00 00 10 00 00 01 00
	expect_stat odirect-truncated-queued f0 queued "> $q0"
}

test_nv_cache() {
	local sg=$1 blk=$2
	expect nvcache-wce1 " 08 12 04 " sg_modes -p 8 "$sg"
	expect nvcache-ext-inq "NV_SUP=1" sg_vpd -p ei "$sg"
	# nv_cache=1: the cache counts as stable, nothing to flush
	expect_quiet sync-cache-nv-cache sg_sync "$sg"
	expect_quiet sync-cache-immed-nv-cache sg_sync --immed "$sg"
	echo 0 > $C/handlers/vdisk_fileio/f1/nv_cache
	expect_err nvcache-change-ua "Mode parameters changed" sg_turs -v "$sg"
	settle "$sg"
	expect nvcache-wce0 " 08 12 00 " sg_modes -p 8 "$sg"
	expect_err sync-cache-range "LBA out of range" sg_sync --lba=200000 --count=1 "$sg"
}

# Flushes reach the backing: f0 is a file on ext4 on $LOOP, whose write
# cache makes every fsync a flush counted in /sys/block/loopN/stat.
# sync5 SG [ARGS]: five SYNCHRONIZE CACHE
sync5() {
	local i
	for i in 1 2 3 4 5; do sg_sync "$@" || return; done
}
# write20 SG FUA: twenty WRITE(10) of block 256, FUA if FUA is 08
write20() {
	local i
	for i in $(seq 20); do
		sg_raw -s 4096 -i "$W/d4" "$1" 2a $2 00 00 01 00 00 00 01 00 >/dev/null 2>&1 ||
			return
	done
}
test_flush() {
	local sg=$1 loop=${LOOP#/dev/} sd=/sys/class/scsi_disk/$H:0:0:0/cache_type
	expect_delta sync-cache "blkstat $loop 16" ">= 5" sync5 "$sg"
	expect_delta sync-cache-immed "sleep 1; blkstat $loop 16" ">= 1" \
		sg_sync --immed "$sg"
	# IMMED: the flush follows the completion
	expect_delta sync-cache-immed-flush "sleep 1; blkstat $loop 16" ">= 5" \
		sync5 "$sg" --immed --lba=0 --count=100
	echo 1 > $C/handlers/vdisk_fileio/f0/nv_cache
	settle "$sg"
	expect_delta sync-cache-nv-cache-no-flush "blkstat $loop 16" "< 5" sync5 "$sg"
	echo 0 > $C/handlers/vdisk_fileio/f0/nv_cache
	settle "$sg"
	# WCE=1: plain writes stay in the cache, FUA writes go through
	if echo "write back" > "$sd"; then
		settle "$sg"
		expect fua-wce1 " 08 12 04 " sg_modes -p 8 "$sg"
		expect_delta write-wce-no-flush "blkstat $loop 16" "< 10" write20 "$sg" 00
		expect_delta fua-write "blkstat $loop 16" ">= 20" write20 "$sg" 08
		echo "write through" > "$sd"
		settle "$sg"
	else
		fail fua-write "cannot write $sd"
	fi
}

test_dvd() {
	local sg=$1
	settle "$sg"
	expect dvd-profile "Current profile: DVD-ROM" sg_get_config "$sg"
	expect dvd-mm-caps "2a 14 08" sg_modes -p 0x2a "$sg"
}

# O_DIRECT READ of 64 KiB into a buffer filled with 0xaa: prints what
# the buffer holds afterwards ("aa", "00" or "mixed")
direct_read_fill() {
	python3 - "$1" <<'PY'
import mmap, os, sys
n = 65536
buf = mmap.mmap(-1, n)
buf.write(b"\xaa" * n)
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
got = os.preadv(fd, [buf], 4096)
os.close(fd)
d = bytes(buf)
print(got, "aa" if d == b"\xaa" * n else "00" if d == bytes(n) else "mixed")
PY
}

# read_zero=0 (LUN 5) leaves the initiator's buffer as it was, LBPRZ=0;
# read_zero=1 (LUN 6) returns zeros, LBPRZ=1
test_read_zero() {
	local z0=$1 z1=$2
	expect read-zero0-lbprz "lbpme=1, lbprz=0" sg_readcap -l "$(sg_of 5)"
	expect read-zero1-lbprz "lbpme=1, lbprz=1" sg_readcap -l "$(sg_of 6)"
	expect read-zero0-untouched "^65536 aa$" direct_read_fill "$z0"
	expect read-zero1-zeros "^65536 00$" direct_read_fill "$z1"
	expect read-zero0-write "^written$" bash -c "dd if=/dev/urandom \
		of=$z0 bs=64k count=4 oflag=direct status=none && echo written"
}

main() {
	if ! load_modules; then
		fail setup "cannot load the modules"
		exit 1
	fi
	test_defaults
	if ! setup; then
		fail setup "cannot configure the devices"
		exit 1
	fi
	settle "$(sg_of 0)"
	test_direct_4k "$(sg_of 0)" "$(blk_of 0)"
	test_async "$(sg_of 0)" "$(blk_of 0)"
	settle "$(sg_of 1)"
	test_async_writes "$(sg_of 0)" "$(blk_of 0)" "$(blk_of 1)"
	[ $TMPFS_ODIRECT = 1 ] && settle "$(sg_of 4)"
	test_sync_paths "$(blk_of 1)" "$(blk_of 4)"
	settle "$(sg_of 3)"
	test_einval "$(blk_of 3)"
	test_flush "$(sg_of 0)"
	test_nv_cache "$(sg_of 1)" "$(blk_of 1)"
	test_dvd "$(sg_of 2)"
	test_truncate_async "$(sg_of 0)"
	settle "$(sg_of 5)"
	settle "$(sg_of 6)"
	test_read_zero "$(blk_of 5)" "$(blk_of 6)"
	echo "vdisk-variants: $PASSES passed, $FAILS failed"
	[ "$FAILS" = 0 ]
}

main "$@"
