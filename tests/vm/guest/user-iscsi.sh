#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 3600 [--env SCST_KO_DIR=DIR] -- tests/vm/guest/user-iscsi.sh
#
# The scst_user example handlers (RAM disk, file-backed disk) exported
# through scst_iscsi on 127.0.0.1.  First with the kernel initiator
# (open-iscsi): fio random write + crc32c verify; READs and WRITEs zero
# copy (zero_copy_cmds counts them: scst_iscsi receives WRITE data into
# the slot's pages, scst_cmd_prepare()), a WRITE-only phase that must
# raise zero_copy_cmds and leave copied_cmds alone, then
# kill -9 of the handler during fio: fio fails, nothing hangs, the
# device goes away.  Then checked with libiscsi's iscsi-test-cu
# read/write suites (USER_SUITES, USER_FILE_SUITES to change the lists).  One PASS/FAIL/SKIP
# "cu-KIND:<test>" line per test; a failure listed in KNOWN (with its
# reason) is reported as SKIP, not counted.  Per-suite tables and full
# logs in $VM_OUT/test-cu-user-KIND.{table,log}.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"
. "$(dirname "$0")/user-lib.sh"
. "$(dirname "$0")/../conformance/testcu-lib.sh"

# the RAM disk runs the long list, the file disk the I/O path suites (the
# command emulation is the same code), so that both fit run.sh's 900 s
# under TCG; Read12, Write12, Verify10 and Verify12 (same code paths as
# their 10/16 siblings) pass too but are left to USER_SUITES
SUITES=${USER_SUITES:-"ALL.Inquiry ALL.Mandatory ALL.ModeSense6
ALL.TestUnitReady ALL.StartStopUnit ALL.ReadCapacity10 ALL.ReadCapacity16
ALL.Read6 ALL.Read10 ALL.Read16 ALL.Write10 ALL.Write16 ALL.Verify16
ALL.WriteSame10 ALL.WriteSame16 ALL.iSCSIResiduals"}
FILE_SUITES=${USER_FILE_SUITES:-"ALL.ReadCapacity16 ALL.Read10 ALL.Read16
ALL.Write10 ALL.Write16 ALL.WriteSame16 ALL.iSCSIResiduals"}
# test name -> why its failure is expected
declare -A KNOWN=()

if ! user_build; then
	fail usr-build "$(tail -n 5 "$OUT/usr-build.log" | tr '\n' ' ')"
	finish
	exit 1
fi
if ! iscsi_setup || ! scst_load scst_user; then
	fail setup "cannot load modules"
	finish
	exit 1
fi
pass setup
check portal portal "$P"

# zc_attr NAME ATTR: a counter of handlers/scst_user/NAME
zc_attr() {
	cat "$USER_CFG/$1/$2"
}

# --- the kernel initiator: zero copy, fio verify, kill -9 ---
ztgt=iqn.2024-01.org.scst.test:uzc
if user_start ramdisk uzc -s 64M -q 32; then
	pass uzc-register
	check uzc-counters-0 test "$(zc_attr uzc zero_copy_cmds) $(zc_attr uzc copied_cmds)" = "0 0"
	check uzc-tgt iscsi_target "$ztgt"
	check uzc-lun map_lun "$ISCSI_CFG/$ztgt" 0 scst_user/uzc
	echo 1 >"$ISCSI_CFG/$ztgt/enabled"
	disc >/dev/null
	check uzc-login login "$ztgt"
	check uzc-sd wait_until 30 sd_of_target "$ztgt"
	zsd=$(sd_of_target "$ztgt")
	echo "# uzc is $zsd"
	check uzc-fio-4k-qd16 fio_verify "$zsd" 4k 16 16M
	check uzc-fio-64k-qd8 fio_verify "$zsd" 64k 8 16M
	check uzc-fio-1m-qd4 fio_verify "$zsd" 1m 4 16M
	zc=$(zc_attr uzc zero_copy_cmds)
	cp=$(zc_attr uzc copied_cmds)
	echo "# uzc: zero_copy_cmds $zc copied_cmds $cp"
	# 16M / 4k + 16M / 64k + 16M / 1m read back, as many written
	check uzc-reads-zero-copy test "$zc" -ge 4368
	# and the WRITEs too: at most 16 commands in flight, 32 slots
	check uzc-writes-zero-copy test "$zc" -ge $((2 * 4368))
	check uzc-none-copied test "$cp" = 0
	# WRITEs only (256 of 64 KiB, at most 4 in flight: a free slot for
	# each): every one zero copy, none copied
	fio --name=wonly --filename="$zsd" --direct=1 --ioengine=libaio \
		--rw=write --bs=64k --iodepth=4 --size=16M \
		--output="$OUT/fio-uzc-wonly.txt" >/dev/null 2>&1
	check uzc-wonly-fio test $? = 0
	zc2=$(zc_attr uzc zero_copy_cmds)
	cp2=$(zc_attr uzc copied_cmds)
	echo "# uzc write-only: zero_copy_cmds +$((zc2 - zc)) copied_cmds +$((cp2 - cp))"
	check uzc-wonly-zero-copy test $((zc2 - zc)) -ge 256
	check uzc-wonly-not-copied test "$cp2" = "$cp"
	zc=$zc2
	check uzc-outstanding-0 test "$(zc_attr uzc outstanding)" = 0
	fio --name=kill --filename="$zsd" --direct=1 --ioengine=libaio \
		--rw=randrw --bs=64k --iodepth=16 --time_based --runtime=120 \
		--output="$OUT/fio-uzc-kill.txt" >/dev/null 2>&1 &
	fpid=$!
	# kill once fio's I/O flows (zero copy), not before it started
	check uzc-kill-zc-during-io wait_until 90 sh -c \
		"test \$(cat $USER_CFG/uzc/zero_copy_cmds) -gt $((zc + 64))"
	check uzc-kill-busy kill -0 "$fpid"
	kill -9 "$USER_PID"
	if wait_until 120 sh -c "! kill -0 $fpid 2>/dev/null"; then
		pass uzc-kill-fio-ends
		wait "$fpid"
		rc=$?
		[ $rc -ne 0 ] && pass "uzc-kill-fio-got-errors (exit $rc)" ||
			fail uzc-kill-fio-got-errors "fio exit 0"
	else
		fail uzc-kill-fio-ends "fio still running 120 s after kill -9"
		kill -9 "$fpid"
	fi
	check uzc-kill-dev-gone wait_until 30 user_gone uzc
	check uzc-logout logout "$ztgt"
	echo 0 >"$ISCSI_CFG/$ztgt/enabled"
	rm -f "$ISCSI_CFG/$ztgt/luns/0/device"
	check uzc-tgt-rmdir rmdir "$ISCSI_CFG/$ztgt/luns/0" "$ISCSI_CFG/$ztgt"
else
	fail uzc-register "no handlers/scst_user/uzc"
fi
stop_iscsid	# libiscsi is its own initiator

# serve KIND NAME SUITES MIN-TESTS ARGS...: export, run the suites,
# tally, stop
serve() {
	local kind=$1 name=$2 suites=$3 min=$4 n=0 t r
	local tgt=iqn.2024-01.org.scst.test:$2
	shift 4
	if ! user_start "$kind" "$name" "$@"; then
		fail "$name-register" "no handlers/scst_user/$name"
		return
	fi
	pass "$name-register"
	check "$name-tgt" iscsi_target "$tgt"
	check "$name-lun" map_lun "$ISCSI_CFG/$tgt" 0 "scst_user/$name"
	echo 1 >"$ISCSI_CFG/$tgt/enabled"
	TESTCU_TESTS=$suites TESTCU_LIMIT=600 testcu_run "user-$kind" \
		"iscsi://${P}/$tgt/0"
	while read -r t r; do
		n=$((n + 1))
		case $r in
		passed) pass "cu-$kind:$t" ;;
		skipped) skip "cu-$kind:$t" "iscsi-test-cu skipped it" ;;
		*)	if [ -n "${KNOWN[$t]:-}" ]; then
				skip "cu-$kind:$t" "known: ${KNOWN[$t]}"
			else
				fail "cu-$kind:$t" "see test-cu-user-$kind.log"
			fi ;;
		esac
	done < <(testcu_per_test "$OUT/test-cu-user-$kind.log")
	[ "$n" -ge "$min" ] && pass "cu-$kind-ran-$n-tests" ||
		fail "cu-$kind-ran" "only $n tests"
	grep -B2 -A12 -E "FAILED|CU_ASSERT" "$OUT/test-cu-user-$kind.log" | head -n 80
	check "$name-alive" kill -0 "$USER_PID"
	# libiscsi's commands have core buffers: the data went zero copy
	# (but for the Async tests, which keep more commands in flight than
	# there are slots); after them the slots came back: one more
	# INQUIRY goes zero copy
	z=$(zc_attr "$name" zero_copy_cmds)
	echo "# $name: zero_copy_cmds $z copied_cmds $(zc_attr "$name" copied_cmds)"
	check "$name-zero-copy" test "$z" -gt 0
	iscsi-inq -i "$INI" "iscsi://${P}/$tgt/0" >/dev/null 2>&1
	check "$name-slots-back" test "$(zc_attr "$name" zero_copy_cmds)" -gt "$z"
	echo 0 >"$ISCSI_CFG/$tgt/enabled"
	rm -f "$ISCSI_CFG/$tgt/luns/0/device"
	rmdir "$ISCSI_CFG/$tgt/luns/0" "$ISCSI_CFG/$tgt"
	check "$name-stop" user_stop "$name"
	grep -h "commands in" "$OUT/user-$name.log"
}

serve ramdisk ucu_ram "$SUITES" 60 -s 64M -q 32
rm -f /tmp/ucu_file.img
serve filedisk ucu_file "$FILE_SUITES" 30 -f /tmp/ucu_file.img -s 64M -q 32
rmdir "$CFG/drivers/iscsi/portals/$P"
check rmmod-all user_unload
check_fails kernel-log-clean sh -c "dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace'"
finish
