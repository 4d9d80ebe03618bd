#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/user-examples.sh
#
# The scst_user example handlers (usr/): the RAM disk and the file-backed
# disk, each exported through scst_local, pass INQUIRY / READ CAPACITY
# checks and fio random write + crc32c verify at 4k and 64k, queue depth
# 16; SIGTERM removes the device.  Then kill -9 of the RAM disk handler
# during fio: fio ends with errors (no hang), the device goes away, and
# every module unloads.  PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/user-lib.sh"

if ! user_build; then
	fail usr-build "$(tail -n 5 "$OUT/usr-build.log" | tr '\n' ' ')"
	finish
	exit 1
fi
pass usr-build
if ! scst_load scst scst_local scst_user || [ ! -c /dev/scst_user ]; then
	fail modules "cannot load scst, scst_local, scst_user"
	finish
	exit 1
fi
pass modules

# example KIND NAME ARGS...: register, map, check, fio, stop
example() {
	local kind=$1 name=$2 t=tgt_$2 sd blocks
	shift 2
	if ! user_start "$kind" "$name" "$@"; then
		fail "$name-register" "no handlers/scst_user/$name"
		return
	fi
	pass "$name-register"
	check "$name-pid-attr" test "$(cat "$USER_CFG/$name/pid")" = "$USER_PID"
	if ! sd=$(local_target "$t" "$name"); then
		fail "$name-local-lun" "no sd for $t"
		kill -TERM "$USER_PID"
		return
	fi
	pass "$name-local-lun"
	echo "# $name is $sd"
	check "$name-inquiry" sh -c "sg_inq $sd | grep -q 'Vendor identification: SCST_USR'"
	check "$name-vpd83" sh -c "sg_vpd -p di $sd | grep -q 'designator type: NAA'"
	blocks=$(blockdev --getsz "$sd")
	check "$name-capacity" test "$blocks" = $((64 * 2048))
	check "$name-readcap16" sh -c "sg_readcap -l $sd | grep -q 'Last LBA=$((64 * 2048 - 1))'"
	check "$name-tur" sg_turs "$sd"
	check "$name-sync-cache" sg_sync "$sd"
	check "$name-mode-caching" sh -c "sg_modes -p 8 $sd | grep -q 'Caching'"
	check_fails "$name-unknown-op" sg_raw "$sd" c0 00 00 00 00 00
	check "$name-fio-4k-qd16" fio_verify "$sd" 4k 16
	check "$name-fio-64k-qd16" fio_verify "$sd" 64k 16
	check "$name-fio-4k-qd32" fio_verify "$sd" 4k 32 16M
	check "$name-target-remove" local_remove "$t"
	check "$name-sigterm-removes-dev" user_stop "$name"
	check "$name-clean-exit" grep -q "commands in" "$OUT/user-$name.log"
	grep -h "commands in" "$OUT/user-$name.log"
}

example ramdisk uram -s 64M -q 32
rm -f /tmp/ufile.img
example filedisk ufile -f /tmp/ufile.img -s 64M -q 32
check file-holds-data test "$(od -An -N4096 -tx1 /tmp/ufile.img | tr -d ' \n' | tr -d 0 | wc -c)" -gt 0

# kill -9 during I/O
if user_start ramdisk ukill -s 64M -q 32 && sd=$(local_target tgt_ukill ukill); then
	pass kill-setup
	fio --name=kill --filename="$sd" --direct=1 --ioengine=libaio \
		--rw=randrw --bs=4k --iodepth=16 --time_based --runtime=120 \
		--output="$OUT/fio-kill.txt" >/dev/null 2>&1 &
	fpid=$!
	sleep 5
	check kill-handler-busy kill -0 "$fpid"
	kill -9 "$USER_PID"
	if wait_until 90 sh -c "! kill -0 $fpid 2>/dev/null"; then
		pass kill-fio-ends
		wait "$fpid"
		rc=$?
		[ $rc -ne 0 ] && pass "kill-fio-got-errors (exit $rc)" ||
			fail kill-fio-got-errors "fio exit 0"
	else
		fail kill-fio-ends "fio still running 90 s after kill -9"
		kill -9 "$fpid"
	fi
	check kill-dev-gone wait_until 30 user_gone ukill
	# the LUN of a vanished device: I/O fails, nothing hangs
	check_fails kill-io-fails timeout 60 dd if="$sd" of=/dev/null bs=4k count=1 iflag=direct
	check kill-target-remove local_remove tgt_ukill
else
	fail kill-setup "ukill did not come up"
fi
check rmmod-all user_unload
check_fails modules-gone test -d /sys/module/scst
finish
