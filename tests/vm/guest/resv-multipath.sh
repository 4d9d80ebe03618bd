#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/resv-multipath.sh
#
# Reservations per I_T nexus over iSCSI (issue 15): one initiator name,
# sessions A, B and D with different ISIDs to target T1 and C (A's ISID) to
# target T2, the same vdisk_fileio device behind both.  resv_multipath.py
# checks that SPC-2 RESERVE, registrations, ALL_TG_PT, PREEMPT and UNIT
# ATTENTIONs are per nexus and that READ FULL STATUS names each
# initiator port by a TransportID of format 01b (iqn,i,0xISID); then the
# modules are reloaded and the APTPL state (file format version 2) is
# back with the nexuses still apart.  Last, libiscsi's MultipathIO suite
# runs against T1 over two portals (127.0.0.1 and 127.0.0.2), one
# "PASS/FAIL mpio:<test>" line per test.  Prints PASS/FAIL lines.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"
. "$(dirname "$0")/../conformance/testcu-lib.sh"

OUT=${VM_OUT:-/tmp}
T1=iqn.2026-01.org.scst.test:mp1
T2=iqn.2026-01.org.scst.test:mp2
PRF=/var/lib/scst/pr/mp0	# the default pr_dir of scst.ko
PY=$(dirname "$0")/resv_multipath.py
P2=127.0.0.2:3260

setup() {
	modprobe -a libcrc32c crc32c_generic 2>/dev/null
	scst_load scst scst_vdisk scst_iscsi &&
	fileio_dev mp0 16M &&
	iscsi_target $T1 && iscsi_target $T2 &&
	map_lun "$ISCSI_CFG/$T1" 0 vdisk_fileio/mp0 &&
	map_lun "$ISCSI_CFG/$T2" 0 vdisk_fileio/mp0 &&
	echo 1 >"$ISCSI_CFG/$T1/enabled" && echo 1 >"$ISCSI_CFG/$T2/enabled" &&
	portal "$P"
}

teardown() {
	local d
	for d in "$CFG"/drivers/iscsi/portals/*/; do
		[ -d "$d" ] && rmdir "$d"
	done
	scst_unload
}

# libiscsi's MultipathIO suite: T1 through two portals, two sessions
mpio() {
	local log=$OUT/test-cu-mpio.log n=0 t r
	portal "$P2" || { fail mpio-portal "cannot listen on $P2"; return; }
	timeout 300 iscsi-test-cu -d -i "$INI" --test=ALL.MultipathIO \
		"iscsi://$P/$T1/0" "iscsi://$P2/$T1/0" >"$log" 2>&1
	[ $? -eq 124 ] && fail mpio-no-hang "over 300 s"
	while read -r t r; do
		n=$((n + 1))
		if [ "$r" = passed ]; then pass "mpio:$t"
		else fail "mpio:$t" "$r, see test-cu-mpio.log"; fi
	done < <(testcu_per_test "$log")
	if [ "$n" -eq 4 ]; then pass mpio-ran-4
	else fail mpio-ran "$n tests, expected 4"; fi
}

# run_py PHASE: the Python checks of one phase, as PASS/FAIL lines
run_py() {
	local log=$OUT/resv_multipath-$1.log rc
	timeout 120 /usr/bin/python3 "$PY" "$P" $T1 $T2 \
		"$(cat "$ISCSI_CFG/$T1/rel_tgt_id")" \
		"$(cat "$ISCSI_CFG/$T2/rel_tgt_id")" "$1" >"$log" 2>&1
	rc=$?
	while read -r word name rest; do
		case $word in
		PASS) pass "$1-$name" ;;
		FAIL) fail "$1-${name%:}" "$rest" ;;
		esac
	done <"$log"
	if [ $rc -eq 124 ]; then
		fail "$1-no-hang" "over 120 s"
	elif ! grep -q '^RESULT' "$log"; then
		fail "$1-complete" "$(tail -n 3 "$log" | tr '\n' ' ')"
	fi
}

mkdir -p "${PRF%/*}" && rm -f "$PRF"
if ! setup; then
	fail setup "modules, device, targets or portal"
	finish
	exit 1
fi
pass setup
check rel-tgt-ids-differ test "$(cat "$ISCSI_CFG/$T1/rel_tgt_id")" != \
	"$(cat "$ISCSI_CFG/$T2/rel_tgt_id")"

run_py main
# the APTPL file: format version 2, the initiator ports of A and B
check aptpl-file test -s "$PRF"
check aptpl-version test "$(od -An -tx1 -j8 -N4 "$PRF" | tr -d ' ')" = 00000002
check aptpl-port-A grep -aq "iqn.2026-01.org.scst.test:mp,i,0x801234000001" "$PRF"
check aptpl-port-B grep -aq "iqn.2026-01.org.scst.test:mp,i,0x801234000002" "$PRF"
check pr-state-ports grep -q "^registrant 0xb1 iqn.2026-01.org.scst.test:mp,i,0x801234000002 [0-9]* holder$" \
	"$CFG/handlers/vdisk_fileio/mp0/pr_state"

check reload-teardown teardown
if setup; then pass reload-setup; else fail reload-setup "see above"; fi
run_py reload
mpio
check last-teardown teardown
finish
