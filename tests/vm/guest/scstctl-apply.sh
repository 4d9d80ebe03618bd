#!/bin/bash
# scstctl against the real configfs: apply, re-apply, one change, removing
# a group (refused without --yes off a terminal), a failing step rolled
# back (pointing at the file's line and the kernel log), a device and a
# target that left the file removed, dump | apply, schema-check, clear;
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
check_fails "removing a group without --yes (no terminal) is refused" "$S" apply $W/c.conf
check "... and changed nothing" test -d $CFG/targets/scst_local/t0/groups/g2
check "removing a group applies with --yes" "$S" apply --yes $W/c.conf
check "group g2 is gone" test ! -d $CFG/targets/scst_local/t0/groups/g2
check "group g1 is still there" test -d $CFG/targets/scst_local/t0/groups/g1
tree >/tmp/after-g2
check "nothing but g2 changed" \
	bash -c "diff <(grep -v '/groups/g2' /tmp/before-g2) /tmp/after-g2"

# A step that fails midway: the second device's backing file is missing.
tree >/tmp/before-fail
conf "nv_cache = false; blocksize = 4096;" 1 "$W/missing.img" >$W/d.conf
check_fails "apply with a missing backing file fails" sh -c "'$S' apply --yes $W/d.conf 2>/tmp/fail.err"
cat /tmp/fail.err
check "the failure names the file's line" grep -q "d.conf:3: devices\[d1\]" /tmp/fail.err
check "the failure points to the kernel log" grep -qF "dmesg | grep 'scst:'" /tmp/fail.err
check "check finds the missing file first" sh -c "'$S' check $W/d.conf 2>&1 | grep -q 'd.conf:3: devices\[d1\].filename: $W/missing.img: No such file'"
tree >/tmp/after-fail
check "the tree is exactly as before the failed apply" cmp /tmp/before-fail /tmp/after-fail

check "dump | apply -: 0 changes" sh -c "'$S' dump | '$S' apply - | grep -q '^0 changes'"
# a target and a device that leave the file leave the tree
conf "nv_cache = true;" 0 "$W/d1.img" | sed '/name = "n0"/d; s/, { lun = 1; device = "n0"; }//; s|d1.img"; },|d1.img"; }|' >$W/e.conf
check "without n0 the file checks" "$S" check $W/e.conf
check "n0 and its LUN leave with the file" sh -c "'$S' apply --yes $W/e.conf | grep -q 'rmdir    handlers/vdisk_nullio/n0  # device left the file'"
check "n0 is gone" test ! -e $CFG/handlers/vdisk_nullio/n0
check "LUN 1 is gone" test ! -e $CFG/targets/scst_local/t0/luns/1
check "e.conf is the truth: 0 changes" test "$(changes $W/e.conf)" = 0
check "clear" "$S" clear

# an scstadmin (upstream SCST) configuration: imported, then applied
cat >$W/scstadmin.conf <<SA
HANDLER vdisk_fileio {
	DEVICE sa0 {
		filename $W/d0.img
		nv_cache 1
		t10_dev_id sa0-id
	}
}
HANDLER vdisk_nullio {
	DEVICE sa1 {
		size_mb 32
		read_only 1
	}
}
TARGET_DRIVER scst_local {
	TARGET sat {
		session_name sahost
		LUN 0 sa0
		LUN 1 sa1
		GROUP g {
			LUN 0 sa1 {
				read_only 1
			}
			INITIATOR ini9
		}
	}
}
SA
check "apply of scstadmin syntax is refused, naming the converter" \
	sh -c "! '$S' apply $W/scstadmin.conf >/tmp/sa.out 2>&1 && grep -q 'this is scstadmin syntax.*import-scstadmin' /tmp/sa.out"
check "import-scstadmin" "$S" import-scstadmin -o $W/imported.conf $W/scstadmin.conf
check "the import applies" "$S" apply $W/imported.conf
check "imported device sa0 with its file" grep -qx "$W/d0.img" $CFG/handlers/vdisk_fileio/sa0/filename
check "imported nv_cache" grep -qx 1 $CFG/handlers/vdisk_fileio/sa0/nv_cache
check "imported t10_dev_id" grep -qx sa0-id $CFG/handlers/vdisk_fileio/sa0/t10_dev_id
check "imported nullio size" grep -qx 33554432 $CFG/handlers/vdisk_nullio/sa1/size
check "imported LUN 1" test -L $CFG/targets/scst_local/sat/luns/1/device
check "imported group LUN read-only" grep -qx 1 $CFG/targets/scst_local/sat/groups/g/luns/0/read_only
check "imported initiator" test -d $CFG/targets/scst_local/sat/groups/g/initiators/ini9
check "imported session" test -d $CFG/targets/scst_local/sat/sessions/sahost
check "the import re-applies to 0 changes" test "$(changes $W/imported.conf)" = 0
check "clear after the import" "$S" clear
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
