#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/resv-aptpl.sh
#
# APTPL: register two nexuses and reserve with APTPL set, unload and
# reload the modules, configure and enable the device again: the same
# keys and reservation are back.  Then a truncated state file is reported
# (one log line naming device and file) and the device comes up without
# reservations.  A crafted file (valid CRC, a 255-byte initiator name
# that once overflowed the loader's stack) is refused the same way: one
# log line, and the device still enables, with no registrations; the same
# crafter with a valid name is loaded, so the refusal is the name's.
# Prints PASS/FAIL lines; exits non-zero on any FAIL.
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

# craft KEY NAMELEN NAME: an APTPL file with one registration (rel. target
# port 1, no reservation) and a correct length and CRC
craft() {
	python3 - "$PRD/pr0" "$@" <<'PY'
import struct, sys, zlib
path, key, n, name = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3]), sys.argv[4]
name = (name * 256)[:n].encode()
pl = struct.pack(">IBBHI", 1, 0, 1, 0, 1)
pl += struct.pack(">QHBB", key, 1, 0, n) + name
open(path, "wb").write(b"SCSTPR\r\n" + struct.pack(">III", 1, len(pl),
                       zlib.crc32(pl)) + pl)
PY
}
# the crafter's files load when the name is valid
craft 0xc1 ${#INI_A} "$INI_A"
if bringup; then pass load-5; else fail load-5 "modules, device or sessions"; fi
expect_out crafted-valid-loaded "1 registered reservation key" keys "$SGA"
expect_out crafted-valid-key "0xc1" keys "$SGB"
check teardown-5 teardown
# a 255-byte name: refused with one line, device enabled, nothing restored
craft 0xc2 255 x
if bringup; then pass crafted-enables; else fail crafted-enables "modules, device or sessions"; fi
expect_st crafted-one-report 2 eval 'dmesg | grep -c "pr0: persistent reservation file $PRD/pr0 is corrupt or truncated: not loaded"'
expect_out crafted-no-keys "there are NO registered" keys "$SGA"
expect_st crafted-B-write good wr "$SGB"
check teardown-6 teardown
rm -rf "$W"
local_finish
