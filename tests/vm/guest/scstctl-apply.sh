#!/bin/bash
# scstctl against the real configfs: apply, re-apply, one change, removing
# a group, a failing step rolled back, dump | apply, schema-check, clear;
# the OCF resource agent ocf/scst (ocf-tester and its own answers).
. "$(dirname "$0")/../guestlib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
S=$PWD/scstctl/scstctl
W=/tmp/scstctl-test
mkdir -p $W
truncate -s 16M $W/d0.img $W/d1.img

conf() {	# $1: extra device attributes of d0, $2: with group g2 (0/1), $3: d1 file
	cat <<CONF
devices = (
	{ name = "d0"; handler = "vdisk_fileio"; filename = "$W/d0.img"; $1 },
	{ name = "d1"; handler = "vdisk_fileio"; filename = "$3"; },
	{ name = "n0"; handler = "vdisk_nullio"; size = "64M"; }
);
targets = (
	{
		driver = "scst_local"; name = "t0";
		luns = ( { lun = 0; device = "d0"; }, { lun = 1; device = "n0"; } );
		groups = (
			{ name = "g1"; initiators = [ "ini1", "ini-*" ];
			  luns = ( { lun = 0; device = "d1"; read_only = true; } ); }
			$( [ "$2" = 1 ] && echo ', { name = "g2"; initiators = [ "ini2" ]; luns = ( { lun = 3; device = "n0"; } ); }' )
		);
		sessions = [ "ini0" ];
	}
);
CONF
}

tree() {	# a listing of the live tree with attribute values
	# (not the I/O counters: the kernel's own reads of a LUN move them)
	find $CFG -mindepth 1 ! -name io_stats ! -name stats ! -name zero_copy_cmds \
		! -name copied_cmds | sort | while read -r p; do
		if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"
		elif [ -f "$p" ] && [ -r "$p" ]; then echo "$p = $(cat "$p" 2>/dev/null)"
		else echo "$p"; fi
	done
}

changes() {	# number of changes an apply reports
	"$S" apply "$1" | tee /tmp/apply.out | sed -n 's/^\([0-9]\+\) changes\?.*/\1/p' | tail -n 1
}

check "load" scst_load scst scst_vdisk scst_local
conf "" 1 "$W/d1.img" >$W/a.conf
check "check accepts the config" "$S" check $W/a.conf
check "first apply" "$S" apply $W/a.conf
check "second apply: 0 changes" test "$(changes $W/a.conf)" = 0
check "schema-check of the live tree" "$S" schema-check

conf "nv_cache = true;" 1 "$W/d1.img" >$W/b.conf
check "one attribute changed: 1 change" test "$(changes $W/b.conf)" = 1
check "nv_cache is now 1" grep -qx 1 $CFG/handlers/vdisk_fileio/d0/nv_cache

tree >/tmp/before-g2
conf "nv_cache = true;" 0 "$W/d1.img" >$W/c.conf
check "removing a group applies" "$S" apply $W/c.conf
check "group g2 is gone" test ! -d $CFG/targets/scst_local/t0/groups/g2
check "group g1 is still there" test -d $CFG/targets/scst_local/t0/groups/g1
tree >/tmp/after-g2
check "nothing but g2 changed" \
	bash -c "diff <(grep -v '/groups/g2' /tmp/before-g2) /tmp/after-g2"

# A step that fails midway: the second device's backing file is missing.
tree >/tmp/before-fail
conf "nv_cache = false; blocksize = 4096;" 1 "$W/missing.img" >$W/d.conf
check_fails "apply with a missing backing file fails" "$S" apply $W/d.conf
tree >/tmp/after-fail
check "the tree is exactly as before the failed apply" cmp /tmp/before-fail /tmp/after-fail

check "dump | apply -: 0 changes" sh -c "'$S' dump | '$S' apply - | grep -q '^0 changes'"
check "clear" "$S" clear
check "nothing left after clear" \
	test -z "$(find $CFG/handlers $CFG/targets -mindepth 2 -maxdepth 2)"

# The OCF resource agent ocf/scst (ocf:scst:scst), on the real configfs:
# Debian's ocf-tester (meta-data against the DTD, validate-all, monitor
# before start, start twice, monitor, stop twice, monitor), then the
# agent's own answers.
A=$PWD/ocf/scst
export OCF_ROOT=/usr/lib/ocf
echo 'devices = ( { name = "x"; handler = "no_such_handler"; } );' >$W/bad.conf
cat >$W/ocf.conf <<CONF
devices = ( { name = "ocf0"; handler = "vdisk_nullio"; size = "64M"; } );
targets = ( { driver = "scst_local"; name = "ocf"; luns = ( { lun = 0; device = "ocf0"; } ); } );
CONF
ocf_rc() {	# WANT ACTION [NAME=VALUE...]: the agent's exit status is WANT
	local want=$1 action=$2 kv rc
	shift 2
	(
		export OCF_RESOURCE_INSTANCE=t OCF_RESKEY_scstctl=$S OCF_RESKEY_config=$W/ocf.conf
		for kv in "$@"; do export "OCF_RESKEY_$kv"; done
		"$A" "$action"
	)
	rc=$?
	[ "$rc" = "$want" ] || { echo "$action: exit $rc, want $want"; return 1; }
}
check "ocf: meta-data names the agent scst and its parameter config" sh -c \
	"'$A' meta-data | python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.stdin).getroot(); assert r.get(\"name\") == \"scst\"; assert r.find(\"parameters/parameter[@name=\x27config\x27]\") is not None'"
check "ocf-tester: passed all tests" sh -c \
	"ocf-tester -n scsttest -o config=$W/ocf.conf -o scstctl=$S '$A' >/tmp/ocf-tester.out 2>&1 && grep -q 'passed all tests' /tmp/ocf-tester.out"
check "ocf: nothing left after ocf-tester's stop" \
	test -z "$(find $CFG/handlers $CFG/targets -mindepth 2 -maxdepth 2)"
check "ocf: validate-all of a missing file: OCF_ERR_CONFIGURED" ocf_rc 6 validate-all config=$W/missing.conf
check "ocf: validate-all of an invalid file: OCF_ERR_CONFIGURED" ocf_rc 6 validate-all config=$W/bad.conf
check "ocf: validate-all: OCF_SUCCESS" ocf_rc 0 validate-all
check "ocf: monitor before start: OCF_NOT_RUNNING" ocf_rc 7 monitor
check "ocf: start: OCF_SUCCESS" ocf_rc 0 start
check "ocf: start made target ocf" test "$(cat $CFG/targets/scst_local/ocf/enabled 2>/dev/null)" = 1
check "ocf: monitor after start: OCF_SUCCESS" ocf_rc 0 monitor
echo 0 > $CFG/targets/scst_local/ocf/enabled
check "ocf: monitor of a changed configuration: OCF_ERR_GENERIC" ocf_rc 1 monitor
check "ocf: stop: OCF_SUCCESS" ocf_rc 0 stop
check "ocf: monitor after stop: OCF_NOT_RUNNING" ocf_rc 7 monitor
check "ocf: nothing left after stop" \
	test -z "$(find $CFG/handlers $CFG/targets -mindepth 2 -maxdepth 2)"
check "unload" scst_unload
finish
