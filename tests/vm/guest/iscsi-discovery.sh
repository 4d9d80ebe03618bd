#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/iscsi-discovery.sh
#
# scst_iscsi: which targets SendTargets lists to which initiator
# (docs/iscsi.md), seen by open-iscsi discovery under two initiator
# names; CHAP credentials per initiator (groups/<g>/initiators/<i>/auth/):
# each initiator must prove its own, the target's are the fallback,
# half-configured CHAP refuses logins, refusals are counted and delayed;
# then a quick subset of libiscsi's iscsi-test-cu (the iSCSI
# residual and CmdSN suites) on a fileio LUN, which
# covers WRITE with an Expected Data Transfer Length shorter and longer
# than the CDB's.  The full run is tests/vm/conformance/iscsi-test-cu.sh.
set -u
. "$(dirname "$0")/../guestlib.sh"
. "$(dirname "$0")/iscsi-lib.sh"

PFX=iqn.2024-01.org.scst.test
INI1=$PFX:initiator1
INI2=$PFX:initiator2
TA=$PFX:open		# default LUN set not empty: everybody
TB=$PFX:grouped		# no default LUNs, a group naming INI2 with a LUN
TC=$PFX:pattern		# no default LUNs, a pattern matching INI2, no LUN
TD=$PFX:empty		# no LUN at all: nobody
TE=$PFX:disabled	# default LUN set, but not enabled: nobody
TF=$PFX:chap		# CHAP per initiator (INI1, INI2), target-wide too
INI3=$PFX:initiator3	# in no group of TF: the target-wide credentials

if ! iscsi_setup; then
	fail setup "cannot load modules or start iscsid"
	finish
	exit 1
fi
pass setup

check dev-fileio fileio_dev dfile 16M
check dev-nullio nullio_dev dnull 16M
for t in $TA $TB $TC $TD $TE; do iscsi_target "$t"; done
check lun-open map_lun "$ISCSI_CFG/$TA" 0 vdisk_fileio/dfile
check lun-disabled map_lun "$ISCSI_CFG/$TE" 0 vdisk_nullio/dnull
mkdir -p "$ISCSI_CFG/$TB/groups/g/initiators/$INI2"
check lun-grouped map_lun "$ISCSI_CFG/$TB/groups/g" 0 vdisk_nullio/dnull
check group-pattern mkdir -p "$ISCSI_CFG/$TC/groups/p/initiators/*initiator2"
for t in $TA $TB $TC $TD; do echo 1 >"$ISCSI_CFG/$t/enabled"; done
check portal portal "$P"

# discovery as $1: the target names listed, sorted, on one line
seen() {
	stop_iscsid
	rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/*
	INI=$1 start_iscsid
	disc 2>/dev/null | awk '{print $2}' | sort | tr '\n' ' '
}

S1=$(seen "$INI1")
S2=$(seen "$INI2")
echo "initiator1 sees: $S1"
echo "initiator2 sees: $S2"
check st-ini1 test "$S1" = "$TA "
check st-ini2 test "$S2" = "$TB $TA $TC "

# an explicit group entry makes a target visible at once
mkdir "$ISCSI_CFG/$TB/groups/g/initiators/$INI1"
S1=$(seen "$INI1")
check st-ini1-added test "$S1" = "$TB $TA "
rmdir "$ISCSI_CFG/$TB/groups/g/initiators/$INI1"
# a LUN in the default set makes TD visible to everybody
map_lun "$ISCSI_CFG/$TD" 0 vdisk_nullio/dnull
S1=$(seen "$INI1")
check st-ini1-default-lun test "$S1" = "$TD $TA "
rm "$ISCSI_CFG/$TD/luns/0/device"
rmdir "$ISCSI_CFG/$TD/luns/0"

# discovery is only a hint: a login to a target not listed works (and
# finds no LUN)
S1=$(seen "$INI1")
iscsiadm -m node -o new -T "$TC" -p "$P" >/dev/null 2>&1
check login-unlisted login "$TC"
check logout-unlisted logout "$TC"
stop_iscsid

# --- CHAP per initiator, on TF ---
iscsi_target "$TF"
FA=$ISCSI_CFG/$TF/auth
FG=$ISCSI_CFG/$TF/groups/g
mkdir -p "$FG/initiators/$INI1" "$FG/initiators/$INI2"
A1=$FG/initiators/$INI1/auth
A2=$FG/initiators/$INI2/auth
check ini-auth-dir test -f "$A1/userid" -a -f "$A1/failed_logins"
map_lun "$FG" 0 vdisk_nullio/dnull
map_lun "$ISCSI_CFG/$TF" 0 vdisk_nullio/dnull
echo tuser >"$FA/userid"
echo target-secret-1 >"$FA/secret"
echo user-a >"$A1/userid"
echo secret-of-a-01 >"$A1/secret"
echo user-b >"$A2/userid"
echo secret-of-b-01 >"$A2/secret"
check_fails ini-auth-secret-unreadable cat "$A1/secret"
echo 1 >"$ISCSI_CFG/$TF/enabled"

# restart iscsid as $1 with a node for TF using CHAP user $2, secret $3
as_ini() {
	stop_iscsid
	rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/*
	INI=$1 start_iscsid
	iscsiadm -m node -o new -T "$TF" -p "$P" >/dev/null 2>&1
	node_set "$TF" node.session.auth.authmethod CHAP
	creds "$2" "$3"
}
creds() {
	node_set "$TF" node.session.auth.username "$1"
	node_set "$TF" node.session.auth.password "$2"
}
# how many kernel log lines contain $1
klog() { dmesg | grep -cF -- "$1"; }
# a refused login, its duration in ms in /tmp/refused.ms
refused() {
	local t0=$(date +%s%N) ret=0
	login "$TF" >/dev/null 2>&1 && ret=1
	echo $((($(date +%s%N) - t0) / 1000000)) >/tmp/refused.ms
	return $ret
}

as_ini "$INI1" user-a secret-of-a-01
check chap-ini-a-login login "$TF"
check chap-ini-a-lun wait_until 10 sd_of_target "$TF"
check chap-ini-a-logout logout "$TF"
creds tuser target-secret-1
check_fails chap-ini-a-target-cred-refused login "$TF"

as_ini "$INI2" tuser target-secret-1
n0=$(cat "$FA/failed_logins")
b0=$(cat "$A2/failed_logins")
a0=$(cat "$A1/failed_logins")
check chap-ini-b-target-cred-refused refused
check chap-refusal-delayed test "$(cat /tmp/refused.ms)" -ge 1400
echo "refused CHAP login took $(cat /tmp/refused.ms) ms"
creds user-a secret-of-a-01
check chap-ini-b-with-a-cred-refused refused
check chap-failed-target-counted test "$(cat "$FA/failed_logins")" -eq $((n0 + 2))
check chap-failed-ini-counted test "$(cat "$A2/failed_logins")" -eq $((b0 + 2))
check chap-failed-other-not-counted test "$(cat "$A1/failed_logins")" -eq "$a0"
creds user-b secret-of-b-01
check chap-ini-b-login login "$TF"
check chap-ini-b-logout logout "$TF"

# an initiator with no entry of its own: the target-wide credentials
as_ini "$INI3" tuser target-secret-1
check chap-fallback-login login "$TF"
check chap-fallback-logout logout "$TF"
creds user-a secret-of-a-01
check_fails chap-fallback-ini-cred-refused login "$TF"

# half-configured CHAP: refused, one log line saying why
as_ini "$INI2" user-b secret-of-b-01
echo >"$A2/secret"
l0=$(klog "initiators/$INI2/auth: userid set without secret")
check chap-ini-half-refused refused
check chap-ini-half-logged test "$(klog "initiators/$INI2/auth: userid set without secret")" -eq $((l0 + 1))
echo secret-of-b-01 >"$A2/secret"
check chap-ini-whole-again login "$TF"
check chap-ini-whole-logout logout "$TF"
echo >"$FA/secret"
l0=$(klog "$TF/auth: userid set without secret")
check chap-target-half-refused refused
check chap-target-half-logged test "$(klog "$TF/auth: userid set without secret")" -eq $((l0 + 1))
echo target-secret-1 >"$FA/secret"
echo tgt-mutual >"$FA/mutual_userid"
l0=$(klog "$TF/auth: mutual_userid set without mutual_secret")
check chap-mutual-half-refused refused
check chap-mutual-half-logged test "$(klog "$TF/auth: mutual_userid set without mutual_secret")" -eq $((l0 + 1))
echo >"$FA/mutual_userid"
check chap-ini-b-login-again login "$TF"
check chap-ini-b-logout-again logout "$TF"

# a pattern entry's credentials: shared by every name it matches
FP=$FG/initiators/*-pat
mkdir "$FP"
echo user-p >"$FP/auth/userid"
echo secret-of-pat-1 >"$FP/auth/secret"
as_ini "$PFX:i4-pat" user-p secret-of-pat-1
check chap-pattern-login login "$TF"
check chap-pattern-logout logout "$TF"
creds tuser target-secret-1
check_fails chap-pattern-target-cred-refused login "$TF"
rmdir "$FP"

# a mutual secret equal to the initiator's secret (RFC 7143 12.1.3)
l0=$(klog "$INI1/auth: mutual_secret: must differ from secret")
check_fails chap-mutual-same-refused sh -c "echo secret-of-a-01 >'$A1/mutual_secret'"
check chap-mutual-same-logged test "$(klog "$INI1/auth: mutual_secret: must differ from secret")" -eq $((l0 + 1))
check chap-mutual-differs sh -c "echo mutual-of-a-01 >'$A1/mutual_secret'"
check_fails chap-secret-same-refused sh -c "echo mutual-of-a-01 >'$A1/secret'"
check_fails chap-target-mutual-same-refused sh -c "echo target-secret-1 >'$FA/mutual_secret'"
echo >"$A1/mutual_secret"
stop_iscsid
rm -rf /etc/iscsi/nodes/*

# libiscsi: residuals (WRITE/READ with EDTL != the CDB's length), CmdSN
# window (iSCSITMF races, see tests/conformance-results.md)
URL=iscsi://$P/$TA/0
for s in iSCSIResiduals iSCSIcmdsn; do
	stdbuf -oL -eL iscsi-test-cu -d -i "$INI1" -I "$INI2" \
		--test="ALL.$s" "$URL" >"/tmp/cu-$s.log" 2>&1
	# "  tests  N  N  PASSED  FAILED  0" of CUnit's run summary
	r=$(awk '$1 == "tests" { print $4 "/" $2 " passed, " $5 " failed" }' \
		"/tmp/cu-$s.log")
	echo "iscsi-test-cu $s: $r"
	if [ -n "$r" ] && [ "${r##* passed, }" = "0 failed" ] &&
	   [ "${r%%/*}" -gt 0 ]; then
		pass "test-cu-$s"
	else
		fail "test-cu-$s" "$(grep -E '^ +[0-9]+\. ' "/tmp/cu-$s.log" | head -n 5)"
	fi
done

check teardown iscsi_teardown
check unloaded sh -c "! lsmod | grep -q scst_iscsi"
finish
