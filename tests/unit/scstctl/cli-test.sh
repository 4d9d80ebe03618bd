#!/bin/sh
# scstctl command-line tests against a fake configfs tree (--root).
# usage: cli-test.sh /path/to/scstctl   (SCST_SCHEMA must point at the schema)
# Prints "N passed, N failed"; exits 1 on any failure.
S=${1:?usage: cli-test.sh SCSTCTL}
HERE=$(cd "$(dirname "$0")" && pwd)
EX=$HERE/../../../examples/scst.conf
T=$(mktemp -d /tmp/scstctl-cli-XXXXXX)
R=$T/root
mkdir "$R"
pass=0
fail=0
trap 'rm -rf "$T"' EXIT

ok() {	# ok "name" command...: passes when the command succeeds
	name=$1; shift
	if "$@" >"$T/out" 2>&1; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $name"; cat "$T/out"; fi
}
ko() {	# ko "name" command...: passes when the command fails
	name=$1; shift
	if "$@" >"$T/out" 2>&1; then fail=$((fail + 1)); echo "FAIL (succeeded): $name"; cat "$T/out"
	else pass=$((pass + 1)); fi
}
has() {	# has "name" "text" command...: output contains text
	name=$1; text=$2; shift 2
	"$@" >"$T/out" 2>&1
	if grep -qF -- "$text" "$T/out"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $name: no \"$text\" in:"; cat "$T/out"; fi
}

for c in check diff apply dump save clear status monitor schema-check schema-doc fake-init; do
	has "$c --help" "usage: scstctl $c" "$S" "$c" --help
done
has "global help" "commands:" "$S" --help
ko "unknown command" "$S" frobnicate

ok "check example" "$S" check "$EX"
printf 'devices = ( { name = "d"; handler = "vdisk_fileio"; } );\n' >"$T/bad.conf"
ko "check bad" "$S" check "$T/bad.conf"
has "check bad message" "bad.conf:1: devices[d].filename: required" "$S" check "$T/bad.conf"
has "check stdin" "<stdin>: OK" sh -c "\"$S\" check - < \"$EX\""

ok "fake-init" "$S" --root "$R" fake-init
has "dry-run plans" "40 changes" "$S" --root "$R" apply --dry-run "$EX"
has "dry-run changes nothing" "40 changes" "$S" --root "$R" diff "$EX"
ko "apply bad changes nothing" "$S" --root "$R" apply "$T/bad.conf"
has "apply" "40 changes" "$S" --root "$R" apply "$EX"
has "second apply" "0 changes" "$S" --root "$R" apply "$EX"
"$S" --root "$R" dump >"$T/dump.conf"
has "dump | apply -" "0 changes" sh -c "\"$S\" --root \"$R\" apply - < \"$T/dump.conf\""
has "dump masks secrets" '# secret = "********"' cat "$T/dump.conf"
has "dump --secrets" 'secret = "a-secret-of-12+chars";' "$S" --root "$R" dump --secrets
ok "save" "$S" --root "$R" save "$T/saved.conf"
has "save mode 0600" "600" stat -c %a "$T/saved.conf"
has "saved applies to 0 changes" "0 changes" "$S" --root "$R" apply "$T/saved.conf"
has "schema-check clean" "0 differences" "$S" --root "$R" schema-check
touch "$R/handlers/vdisk_fileio/disk1/bogus"
ko "schema-check finds extra file" "$S" --root "$R" schema-check
has "schema-check names it" "handlers/vdisk_fileio/disk1/bogus: file not in the schema" "$S" --root "$R" schema-check
rm "$R/handlers/vdisk_fileio/disk1/bogus"
rm "$R/handlers/vdisk_fileio/disk1/nv_cache"
has "schema-check finds missing attribute" "attribute nv_cache missing" "$S" --root "$R" schema-check
echo 0 >"$R/handlers/vdisk_fileio/disk1/nv_cache"
has "status" "kernel_runtime: no" "$S" --root "$R" status
ok "status --json parses" sh -c "\"$S\" --root \"$R\" status --json | python3 -m json.tool"
has "clear" "disruptive" "$S" --root "$R" clear
has "clear again" "0 changes" "$S" --root "$R" clear
ok "clear removed the portals" test -z "$(ls "$R/drivers/iscsi/portals")"
has "empty dump" "written by scstctl" "$S" --root "$R" dump
flock "$R/.scstctl/scstctl.lock" sleep 2 &
sleep 0.5
has "concurrent runs wait for the lock" "another scstctl is running" "$S" --root "$R" dump
wait
has "schema-doc" ".SH ATTRIBUTE REFERENCE" "$S" schema-doc

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
