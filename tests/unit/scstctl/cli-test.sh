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

for c in help check diff apply dump save clear status metrics monitor schema-check schema-doc fake-init import-scstadmin; do
	has "$c --help" "usage: scstctl $c" "$S" "$c" --help
	ok "$c --help exits 0" "$S" "$c" --help
	has "help $c" "usage: scstctl $c" "$S" help "$c"
done
has "help" "import-scstadmin" "$S" help
has "global help" "commands:" "$S" --help
ko "unknown command" "$S" frobnicate

ok "check example (offline)" "$S" check --offline "$EX"
has "check looks for backing files" "scst.conf:12: devices[disk1].filename: /var/lib/scst/disk1.img: No such file" "$S" check "$EX"
ok "check --json parses" sh -c "\"$S\" check --offline --json \"$EX\" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"ok\"] and d[\"targets\"] == 2'"
printf 'devices = ( { name = "d"; handler = "vdisk_fileio"; } );\n' >"$T/bad.conf"
ko "check bad" "$S" check "$T/bad.conf"
has "check bad message" "bad.conf:1: devices[d].filename: required" "$S" check "$T/bad.conf"
has "check stdin" "<stdin>: OK" sh -c "\"$S\" check --offline - < \"$EX\""
ko "check --json of a bad file exits 1" sh -c "\"$S\" check --json \"$T/bad.conf\" > \"$T/bad.json\""
ok "check --json of a bad file parses" python3 -c "import json; d=json.load(open('$T/bad.json')); assert not d['ok'] and 'required' in d['messages'][0]"

# what the kernel refuses, refused by check, every problem in one pass
cat >"$T/names.conf" <<'NAMES'
devices = ( { name = "d"; handler = "vdisk_nullio"; size = "1M"; } );
targets = (
  { driver = "iscsi"; name = "foo"; luns = ( { lun = 0; device = "d"; } ); },
  { driver = "iscsi"; name = "eui.0123"; },
  { driver = "iscsi"; name = "iqn.2024-01.com.example:ok"; },
  { driver = "iscsi"; name = "iqn.Example:upper"; }
);
drivers = { iscsi = { portals = [ "abc", "0.0.0.0", "300.0.0.1:3260", "0.0.0.0:99999",
  "::1:3260", "[::1]:3260", "0.0.0.0:3260", "[fe80::1::2]:3260", "1.2.3.4:0" ]; }; };
NAMES
ko "check refuses bad names" "$S" check --offline "$T/names.conf"
for m in 'names.conf:3: targets[iscsi/foo].name: an iSCSI name starts with iqn., eui. or naa.' \
	 'names.conf:4: targets[iscsi/eui.0123].name: warning: eui. is followed by 16 hex digits' \
	 'names.conf:6: targets[iscsi/iqn.Example:upper].name: warning: iqn. is followed by yyyy-mm.' \
	 'names.conf:8: drivers.iscsi.portals: "abc": a portal is ADDRESS:PORT' \
	 '"0.0.0.0": a portal is ADDRESS:PORT' '"300.0.0.1:3260": not an IPv4 address' \
	 '"0.0.0.0:99999": the port is a number from 1 to 65535' \
	 '"::1:3260": an IPv6 address is written in brackets' '"[fe80::1::2]:3260": not an IPv6 address' \
	 '"1.2.3.4:0": the port is'; do
	has "check: $m" "$m" "$S" check --offline "$T/names.conf"
done
has "check counts every error" "names.conf: 8 errors" "$S" check --offline "$T/names.conf"
"$S" check --offline "$T/names.conf" >"$T/names.out" 2>&1
ok "good names pass" sh -c "! grep -F -e example:ok -e '\"[::1]:3260\": ' -e '\"0.0.0.0:3260\": ' \"$T/names.out\""

ok "fake-init" "$S" --root "$R" fake-init
has "dry-run plans" "40 changes" "$S" --root "$R" apply --dry-run "$EX"
"$S" --root "$R" diff "$EX" >/dev/null; rc=$?
ok "diff exits 1 on changes" test "$rc" = 1
ok "diff --json parses" sh -c "\"$S\" --root \"$R\" diff --json \"$EX\" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"changes\"] == 40 and d[\"steps\"][0][\"op\"]'"
"$S" --root "$R" diff "$T/bad.conf" >/dev/null 2>&1; rc=$?
ok "diff exits 2 on an error" test "$rc" = 2
has "dry-run changes nothing" "40 changes" "$S" --root "$R" diff "$EX"
ko "apply bad changes nothing" "$S" --root "$R" apply "$T/bad.conf"
has "apply" "40 changes" "$S" --root "$R" apply "$EX"
has "second apply" "0 changes" "$S" --root "$R" apply "$EX"
"$S" --root "$R" diff "$EX" >/dev/null; rc=$?
ok "diff exits 0 without changes" test "$rc" = 0

# the file is the truth: a target that leaves the file leaves the tree
python3 - "$EX" "$T/less.conf" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
a = s.index('\t{\n\t\tdriver = "iscsi"')
b = s.index('\n\t}\n', a) + 3
s = s[:a].rstrip().rstrip(',') + '\n' + s[b:]
open(sys.argv[2], 'w').write(s)
PY
ok "without the iscsi target the file checks" "$S" check --offline "$T/less.conf"
has "diff shows the removal" "rmdir    targets/iscsi/iqn.2024-01.org.example:storage.disk1  # target left the file" "$S" --root "$R" diff "$T/less.conf"
ko "disruptive apply without a terminal and --yes fails" sh -c "\"$S\" --root \"$R\" apply \"$T/less.conf\" </dev/null"
has "... and says why" "not on a terminal: confirm with --yes; nothing changed" sh -c "\"$S\" --root \"$R\" apply \"$T/less.conf\" </dev/null"
ok "... and changed nothing" test -d "$R/targets/iscsi/iqn.2024-01.org.example:storage.disk1"
ko "--no-disruptive refuses" "$S" --root "$R" apply --yes --no-disruptive "$T/less.conf"
has "--keep-unlisted keeps it" "0 changes" "$S" --root "$R" apply --keep-unlisted "$T/less.conf"
has "apply --yes removes it" "(4 disruptive)" "$S" --root "$R" apply --yes "$T/less.conf"
ok "the target is gone" test ! -e "$R/targets/iscsi/iqn.2024-01.org.example:storage.disk1"
has "the file is the truth again" "0 changes" "$S" --root "$R" diff "$T/less.conf"
# an object scstctl did not make: made here by an apply whose record is then dropped
cp "$R/.scstctl/owned" "$T/owned"
printf 'targets = ( { driver = "scst_local"; name = "byhand"; } );\n' >"$T/byhand.conf"
ok "make a target" "$S" --root "$R" apply --keep-unlisted "$T/byhand.conf"
cp "$T/owned" "$R/.scstctl/owned"
has "an object made by hand is left alone" "0 changes" "$S" --root "$R" diff "$T/less.conf"
has "--prune removes it" "target not in the file (--prune)" "$S" --root "$R" apply --yes --prune "$T/less.conf"
ok "it is gone" test ! -e "$R/targets/scst_local/byhand"
ko "--prune and --keep-unlisted exclude each other" "$S" --root "$R" diff --prune --keep-unlisted "$EX"
has "apply the full file again" "changes" "$S" --root "$R" apply "$EX"
"$S" --root "$R" dump >"$T/dump.conf"
has "dump | apply -" "0 changes" sh -c "\"$S\" --root \"$R\" apply - < \"$T/dump.conf\""
has "dump masks secrets" '# secret = "********"' cat "$T/dump.conf"
has "dump --secrets" 'secret = "a-secret-of-12+chars";' "$S" --root "$R" dump --secrets
ko "save with --root needs a file name" "$S" --root "$R" save
has "... and says /etc is left alone" "/etc/scst.conf is left alone" "$S" --root "$R" save
printf '# my header: storage of rack 4\n# ask Jo before editing\n\nsetup_id = 9;\n' >"$T/saved.conf"
has "save keeps a backup" "(previous file: $T/saved.conf." "$S" --root "$R" save "$T/saved.conf"
ok "the backup is the old file" sh -c "cmp \"$T/saved.conf\".*.bak - <<'OLD'
# my header: storage of rack 4
# ask Jo before editing

setup_id = 9;
OLD"
has "save keeps the header comment" "# ask Jo before editing" head -n 3 "$T/saved.conf"
has "save mode 0600" "600" stat -c %a "$T/saved.conf"
ok "save twice" sh -c "sleep 1; \"$S\" --root \"$R\" save --backups 1 \"$T/saved.conf\""
ok "--backups 1 keeps one" test "$(ls "$T"/saved.conf.*.bak | wc -l)" = 1
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
has "metrics without a kernel" "scst_runtime_available 0" "$S" --root "$R" metrics
ok "metrics -o writes the file" "$S" --root "$R" metrics -o "$T/scst.prom"
has "... with the targets" 'scst_target_luns{driver="scst_local",target="local1"} 2' cat "$T/scst.prom"
has "... mode 0644 for node_exporter" "644" stat -c %a "$T/scst.prom"
ok "status --json parses" sh -c "\"$S\" --root \"$R\" status --json | python3 -m json.tool"
ok "status --json has the LUN map" sh -c "\"$S\" --root \"$R\" status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); t=[t for t in d[\"targets\"] if t[\"name\"]==\"local1\"][0]; assert t[\"lun_map\"][1] == {\"lun\": 1, \"device\": \"null0\", \"read_only\": True}, t; g=t[\"group_map\"][0]; assert g[\"name\"] == \"B\" and g[\"initiators\"][0] == \"hostB\" and g[\"luns\"][0][\"read_only\"]'"
ok "dump --json parses" sh -c "\"$S\" --root \"$R\" dump --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"devices\"]) == 3 and d[\"targets\"][0][\"luns\"] and d[\"drivers\"][0][\"portals\"] == [\"0.0.0.0:3260\"], d; assert \"a-secret\" not in json.dumps(d)'"
has "dump --json --secrets shows them" "a-secret-of-12+chars" "$S" --root "$R" dump --json --secrets
has "clear --dry-run" "disruptive" "$S" --root "$R" clear --dry-run
ok "clear --dry-run changed nothing" test -n "$(ls "$R/drivers/iscsi/portals")"
has "clear" "disruptive" "$S" --root "$R" clear
has "clear again" "0 changes" "$S" --root "$R" clear
ok "clear removed the portals" test -z "$(ls "$R/drivers/iscsi/portals")"
has "empty dump" "written by scstctl" "$S" --root "$R" dump
flock "$R/.scstctl/scstctl.lock" sleep 2 &
sleep 0.5
has "concurrent runs wait for the lock" "another scstctl is running" "$S" --root "$R" dump
wait
has "schema-doc" ".SH ATTRIBUTE REFERENCE" "$S" schema-doc
MAN=$HERE/../../../scstctl/man/scst.conf.5
cp "$MAN" "$T/scst.conf.5"
ok "regenerate the attribute reference" "$HERE/../../../scstctl/gen-man-ref.sh" "$S" "$T/scst.conf.5"
ok "scst.conf.5 is in sync with the schema (make -C scstctl man)" cmp "$MAN" "$T/scst.conf.5"
# every command and every option of its usage line is in scstctl(8)
sed 's/\\-/-/g' "$HERE/../../../scstctl/man/scstctl.8" >"$T/scstctl.8.txt"
for c in help check diff apply dump save clear status metrics monitor schema-check schema-doc fake-init import-scstadmin; do
	for w in "$c" $("$S" "$c" --help | head -n 1 | grep -oE -- '--[a-z-]+'); do
		has "scstctl.8 documents $c $w" "$w" grep -F -- "$w" "$T/scstctl.8.txt"
	done
done

# scstadmin (upstream SCST) syntax: detected, and converted
SA=$HERE/scstadmin/basic.conf
has "check detects scstadmin syntax" "this is scstadmin syntax (upstream SCST); convert it with: scstctl import-scstadmin" "$S" check --offline "$SA"
ok "import-scstadmin" "$S" import-scstadmin -o "$T/imported.conf" "$SA"
has "import names what it did not convert" "basic.conf:43: allowed_portal: warning: not converted" "$S" import-scstadmin "$SA"
has "... in the file's header too" "#   $SA:75: DEVICE_GROUP: not converted" cat "$T/imported.conf"
ko "import never overwrites" "$S" import-scstadmin -o "$T/imported.conf" "$SA"
has "the converted file checks" "imported.conf: OK (3 devices, 2 targets)" "$S" check --offline "$T/imported.conf"
ok "fresh root for the import" mkdir "$T/r2"
ok "fake-init r2" "$S" --root "$T/r2" fake-init
has "the converted file applies" "changes" "$S" --root "$T/r2" apply "$T/imported.conf"
has "... to 0 changes the second time" "0 changes" "$S" --root "$T/r2" apply "$T/imported.conf"
ok "the iSCSI target was made" test -d "$T/r2/targets/iscsi/iqn.2024-01.org.example:tgt1/luns/1"
has "its CHAP user" "joe" cat "$T/r2/targets/iscsi/iqn.2024-01.org.example:tgt1/auth/userid"
printf 'HANDLER vdisk_nullio {\n\tDEVICE n {\n' >"$T/broken.sa"
ko "a broken scstadmin file fails" "$S" import-scstadmin "$T/broken.sa"
has "... with its line" "broken.sa:2: '{' not closed at the end of the file" "$S" import-scstadmin "$T/broken.sa"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
