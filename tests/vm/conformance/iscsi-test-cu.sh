#!/bin/bash
# Usage: tests/vm/run-vm.sh --timeout 7200 [--env SCST_KO_DIR=DIR]
#            [--env TESTCU_TARGET=scst|lio|both] [--env TESTCU_LUNS=...]
#            -- tests/vm/conformance/iscsi-test-cu.sh
#
# libiscsi's iscsi-test-cu, every suite of the ALL family, two initiator
# names for the multi-initiator tests, against a fileio LUN (a 16 MiB
# file /tmp/cufile.img) and a null LUN (16 MiB, no backing store) of
#   scst:  scst_iscsi, handlers vdisk_fileio and vdisk_nullio
#   lio:   the kernel's LIO (iscsi_target_mod), set up through its
#          configfs: backstores fileio (the same file) and rd_mcp with
#          rd_nullio=1, a node ACL for each of the two initiator names
# one target after the other in this VM (TESTCU_TARGET, default both).
# Full output in $VM_OUT/test-cu-<target>-<lun>.log, per-suite
# pass/fail/skip tables on stdout and in $VM_OUT/test-cu-*.table.
# The bar checked here: no crash, no hang (every suite finishes within
# TESTCU_LIMIT seconds, default 900) and the target still answers after.
# tests/conformance-results.md holds the tables of a full run and the
# reason for every failure.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/../guest/iscsi-lib.sh"
. "$(dirname "$0")/testcu-lib.sh"

OUT=${VM_OUT:-/tmp}
TARGETS=${TESTCU_TARGET:-both}
[ "$TARGETS" = both ] && TARGETS="scst lio"
LUNS=${TESTCU_LUNS:-fileio nullio}
IQN=iqn.2024-01.org.scst.test:cu
P2=127.0.0.2:3260	# second portal, for MultipathIO

backing_file() {
	rm -f /tmp/cufile.img
	truncate -s 16M /tmp/cufile.img
}

# --- SCST ---

scst_up() {
	if ! iscsi_setup; then
		fail scst-setup "cannot load modules"
		return 1
	fi
	stop_iscsid	# libiscsi is its own initiator
	backing_file
	local d=$CFG/handlers/vdisk_fileio/cufile
	mkdir "$d" && echo /tmp/cufile.img >"$d/filename" && echo 1 >"$d/enable"
	check scst-dev-fileio test -e "$d/enable"
	check scst-dev-nullio nullio_dev cunull 16M
	check scst-tgt-fileio iscsi_target $IQN-fileio
	check scst-tgt-nullio iscsi_target $IQN-nullio
	check scst-lun-fileio map_lun "$ISCSI_CFG/$IQN-fileio" 0 vdisk_fileio/cufile
	check scst-lun-nullio map_lun "$ISCSI_CFG/$IQN-nullio" 0 vdisk_nullio/cunull
	echo 1 >"$ISCSI_CFG/$IQN-fileio/enabled"
	echo 1 >"$ISCSI_CFG/$IQN-nullio/enabled"
	check scst-portal portal "$P"
}

scst_down() {
	check scst-teardown iscsi_teardown
}

# --- LIO, through its configfs tree (what targetcli-fb would create;
# targetcli itself needs D-Bus, which the VM does not run) ---

LIO=/sys/kernel/config/target

# A node ACL per initiator name with LUN 0 mapped read-write: what
# targetcli sets up for "acls create"; unlike demo mode
# (generate_node_acls) it gives LIO persistent reservations.
lio_tpg() {
	local t=$LIO/iscsi/$1/tpgt_1 i
	mkdir -p "$t/lun/lun_0" &&
	ln -s "$2" "$t/lun/lun_0/dev" &&
	mkdir "$t/np/$P" &&
	echo 0 >"$t/attrib/authentication" || return 1
	for i in "$INI" "$INI2"; do
		mkdir -p "$t/acls/$i/lun_0" &&
		ln -s "$t/lun/lun_0" "$t/acls/$i/lun_0/lun" || return 1
	done
	echo 1 >"$t/enable"
}

lio_dev() {
	local d=$LIO/core/$1
	mkdir -p "$d" && echo "$2" >"$d/control" &&
	cat /proc/sys/kernel/random/uuid >"$d/wwn/vpd_unit_serial" &&
	echo 1 >"$d/enable"
}

lio_up() {
	modprobe -a configfs target_core_mod target_core_file \
		iscsi_target_mod || {
		fail lio-setup "cannot load LIO modules"
		return 1
	}
	backing_file
	# where LIO keeps persistent-reservation and ALUA state (rtslib
	# creates these); without them PERSISTENT RESERVE OUT fails
	mkdir -p /var/target/pr /var/target/alua
	# fd_buffered_io=1: targetcli's default (write_back=True)
	check lio-dev-fileio lio_dev fileio_0/cufile \
		fd_dev_name=/tmp/cufile.img,fd_dev_size=16777216,fd_buffered_io=1
	check lio-dev-nullio lio_dev rd_mcp_1/cunull rd_pages=4096,rd_nullio=1
	check lio-tgt-fileio lio_tpg $IQN-fileio $LIO/core/fileio_0/cufile
	check lio-tgt-nullio lio_tpg $IQN-nullio $LIO/core/rd_mcp_1/cunull
}

lio_down() {
	local t i
	for t in $IQN-fileio $IQN-nullio; do
		t=$LIO/iscsi/$t/tpgt_1
		echo 0 >"$t/enable"
		for i in "$INI" "$INI2"; do
			rm -f "$t/acls/$i/lun_0/lun"
			rmdir "$t/acls/$i/lun_0" "$t/acls/$i"
		done
		rm -f "$t/lun/lun_0/dev"
		rmdir "$t/lun/lun_0" "$t/np/$P" "$t" "${t%/*}"
	done
	rmdir $LIO/core/fileio_0/cufile $LIO/core/rd_mcp_1/cunull \
		$LIO/core/fileio_0 $LIO/core/rd_mcp_1 $LIO/iscsi
	# LIO is only the reference here: a module it cannot unload is
	# reported, not counted against us
	if wait_until 30 modprobe -r iscsi_target_mod target_core_file \
		target_core_mod; then
		pass lio-unloaded
	else
		skip lio-unloaded "LIO stays loaded: $(lsmod |
			awk '/^(iscsi_target_mod|target_core_mod) / {
				printf "%s used %s; ", $1, $3 }')$(find $LIO/iscsi \
			$LIO/core -mindepth 1 -maxdepth 3 2>/dev/null | tr '\n' ' ')"
	fi
}

# libiscsi's MultipathIO suite: the fileio target through a second portal
# too (another address of the loopback), two sessions, one LU
scst_mpio() {
	check scst-portal-2 portal "$P2"
	TESTCU_TESTS=ALL.MultipathIO testcu_run scst-fileio-mpio \
		"iscsi://${P}/$IQN-fileio/0" "iscsi://${P2}/$IQN-fileio/0"
}

for tgt in $TARGETS; do
	"${tgt}_up" || continue
	for l in $LUNS; do
		testcu_run "$tgt-$l" "iscsi://${P}/$IQN-$l/0"
		check "test-cu-$tgt-$l-target-alive" \
			iscsi-ls -i "$INI" "iscsi://${P}"
	done
	[ "$tgt" = scst ] && [[ " $LUNS " == *" fileio "* ]] && scst_mpio
	"${tgt}_down"
done
echo "side by side (pass/fail/skip):"
"$(dirname "$0")/compare.sh" "$OUT" | tee "$OUT/test-cu-compare.md"
finish
