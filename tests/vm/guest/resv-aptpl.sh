#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/resv-aptpl.sh
#
# APTPL: register two nexuses and reserve with APTPL set, unload and
# reload the modules, configure and enable the device again: the same
# keys and reservation are back.  Then a truncated state file is reported
# (one log line naming device and file) and the device comes up without
# reservations.  Prints PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/resv-lib.sh"

W=$(mktemp -d /tmp/resv.XXXXXX)
PRD=$W/prdir
mkdir -p "$PRD"
truncate -s 16M "$W/pr0.img"

teardown() {
	echo 0 >"$TD/enabled"
	rmdir "$TD/sessions/$INI_A" "$TD/sessions/$INI_B"
	rm "$TD/luns/0/device" && rmdir "$TD/luns/0" "$TD" &&
		echo 0 >"$DEV/enable" && rmdir "$DEV" && unload_modules
}

bringup() {
	resv_load "$PRD" && resv_setup "$W/pr0.img"
}

if bringup; then pass load-1; else fail load-1 "modules, device or sessions"; fi
check reg-A prout "$SGA" --register --param-sark=a1 --param-aptpl
check reg-B prout "$SGB" --register --param-sark=b1 --param-aptpl
check reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=5
check file "test" -s "$PRD/pr0"
expect_out caps-ptpl-a "PTPL_A\): 1" sg_persist -n --in -c "$SGA"
# scstctl status shows registrants, holder and type (netlink)
export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
S=$PWD/scstctl/scstctl
if [ -x "$S" ]; then
	expect_out status-holder "holder.*$INI_A" "$S" status
	expect_out status-reg-b "$INI_B key 0x0*b1" "$S" status
	expect_out status-json-type '"type": *5' "$S" status --json
else
	fail scstctl "no $S (make -C scstctl)"
fi
gen=$(keys "$SGA" | sed -n 's/.*generation=\(0x[0-9a-f]*\).*/\1/p')
check teardown-1 teardown

if bringup; then pass load-2; else fail load-2 "modules, device or sessions"; fi
expect_out restored-keys "2 registered reservation keys" keys "$SGA"
expect_out restored-a1 "0xa1" keys "$SGB"
expect_out restored-b1 "0xb1" keys "$SGB"
expect_out restored-gen "generation=$gen" keys "$SGB"
expect_out restored-holder "Key=0xa1" resv "$SGB"
expect_out restored-type "Write Exclusive, registrants only" resv "$SGB"
expect_out restored-state "^registrant 0xa1 $INI_A [0-9]+ holder$" cat "$DEV/pr_state"
expect_st restored-A-write good wr "$SGA"
expect_st restored-B-write good wr "$SGB"
check B-unreg prout "$SGB" --register --param-rk=b1 --param-sark=0
expect_st restored-B-unreg-write "reservation conflict" wr "$SGB"
check teardown-2 teardown

# a truncated file: reported, not loaded
size=$(stat -c %s "$PRD/pr0")
truncate -s $((size - 5)) "$PRD/pr0"
if bringup; then pass load-3; else fail load-3 "modules, device or sessions"; fi
expect_out truncated-logged "pr0: persistent reservation file $PRD/pr0 is corrupt or truncated" dmesg
expect_out truncated-no-keys "there are NO registered" keys "$SGA"
expect_out truncated-no-resv "NO reservation" resv "$SGA"
expect_st truncated-B-write good wr "$SGB"
# APTPL off again: the file no longer restores anything
check reg-A-aptpl prout "$SGA" --register --param-sark=a2 --param-aptpl
check reg-A-noaptpl prout "$SGA" --register-ignore --param-sark=a3
check teardown-3 teardown
if bringup; then pass load-4; else fail load-4 "modules, device or sessions"; fi
expect_out noaptpl-no-keys "there are NO registered" keys "$SGA"
expect_st noaptpl-one-report 1 eval 'dmesg | grep -c "is corrupt or truncated"'
check teardown-4 teardown
rm -rf "$W"
local_finish
