#!/bin/bash
# I/O counters of the core (stats.c): known I/O through scst_local with
# sg_raw (one SCSI command per call, past the page cache and the
# partition scan), and the exact counts of commands, bytes, errors and
# latency buckets, in configfs (luns/<N>/stats, sessions/<name>/stats)
# and over netlink (scstctl status --json / text).
. "$(dirname "$0")/../guestlib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
S=$PWD/scstctl/scstctl
W=/tmp/stats-test
mkdir -p $W
head -c 1024 /dev/zero >$W/zero1k

# stat FILE KEY: the value of "KEY N" in a stats text
stat() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
# hist_sum FILE: the sum of every latency bucket of a stats text
hist_sum() { awk '/_latency_us / { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' "$1"; }
# hist FILE DIR: the sum of the buckets of one direction
hist() { awk -v k="$2_latency_us" '$1 == k { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' "$1"; }
# expect NAME WANT GOT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want $2, got $3"; fi
}

check "load" scst_load scst scst_vdisk scst_local

T=stats
L=$CFG/targets/scst_local/$T
D=$CFG/handlers/vdisk_nullio/n0
check "nullio device of 1 MiB (2048 blocks)" sh -c "mkdir $D && echo 1M >$D/size && echo 1 >$D/enable"
check "target, LUN 0" sh -c "mkdir $L && mkdir $L/luns/0 && ln -s $D $L/luns/0/device"
check "LUN stats of a fresh LUN" grep -qx "commands 0" $L/luns/0/stats
check "session s0, enabled" sh -c "mkdir $L/sessions/s0 && echo 1 >$L/enabled"

host=
for i in $(seq 50); do
	for h in /sys/class/scsi_host/host*; do
		[ "$(cat $h/scst_target 2>/dev/null)" = $T ] && host=${h##*/host}
	done
	[ -n "$host" ] && break
	sleep 0.2
done
sg=
for i in $(seq 100); do
	for g in /sys/class/scsi_host/host$host/device/target$host:0:0/$host:0:0:0/scsi_generic/*; do
		[ -c "/dev/${g##*/}" ] && sg=/dev/${g##*/}
	done
	[ -n "$sg" ] && break
	sleep 0.2
done
check "sg node of LUN 0" test -c "$sg"

# The kernel's scan and sd's probe send commands of their own: wait
# until the counters stand still for a second.
prev=x
for i in $(seq 30); do
	cur=$(stat $L/luns/0/stats commands)
	[ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 1
done
check "the scan's commands were counted" test "$(stat $L/luns/0/stats commands)" -gt 0
cat $L/luns/0/stats >$W/lun.0
cat $L/sessions/s0/stats >$W/sess.0

# 8 READ(10) of 8 blocks, 4 WRITE(10) of 2 blocks, 1 READ(10) past the
# end (CHECK CONDITION, LBA OUT OF RANGE), 2 TEST UNIT READY
reads_ok=0
for i in $(seq 8); do
	sg_raw -r 4096 -o $W/data $sg 28 00 00 00 00 $((i * 8)) 00 00 08 00 >/dev/null 2>&1 &&
		reads_ok=$((reads_ok + 1))
done
expect "8 READs of 4096 bytes succeed" 8 $reads_ok
writes_ok=0
for i in $(seq 4); do
	sg_raw -s 1024 -i $W/zero1k $sg 2a 00 00 00 00 $((i * 2)) 00 00 02 00 >/dev/null 2>&1 &&
		writes_ok=$((writes_ok + 1))
done
expect "4 WRITEs of 1024 bytes succeed" 4 $writes_ok
sg_raw -r 512 $sg 28 00 00 00 08 00 00 00 01 00 >$W/past.out 2>&1
check "READ past the end: CHECK CONDITION" grep -qi "check condition" $W/past.out
check "TEST UNIT READY twice" sh -c "sg_raw $sg 00 00 00 00 00 00 && sg_raw $sg 00 00 00 00 00 00"

cat $L/luns/0/stats >$W/lun.1
cat $L/sessions/s0/stats >$W/sess.1
sed 's/^/# lun: /' $W/lun.1
for f in lun sess; do
	d() { echo $(( $(stat $W/$f.1 "$1") - $(stat $W/$f.0 "$1") )); }
	h() { echo $(( $(hist $W/$f.1 "$1") - $(hist $W/$f.0 "$1") )); }
	expect "$f: commands +15" 15 "$(d commands)"
	expect "$f: read_bytes +32768" 32768 "$(d read_bytes)"
	expect "$f: write_bytes +4096" 4096 "$(d write_bytes)"
	expect "$f: errors +1 (the READ past the end)" 1 "$(d errors)"
	expect "$f: other_errors +0" 0 "$(d other_errors)"
	expect "$f: read latencies +9" 9 "$(h read)"
	expect "$f: write latencies +4" 4 "$(h write)"
	expect "$f: other latencies +2" 2 "$(h other)"
	expect "$f: bucket sum = commands" "$(stat $W/$f.1 commands)" "$(hist_sum $W/$f.1)"
	expect "$f: 24 buckets per direction" 24 \
		"$(awk '$1 == "read_latency_us" { print NF - 1 }' $W/$f.1)"
done

# netlink: the same numbers (no I/O since the configfs reads)
check "scstctl status --json" sh -c "'$S' status --json >$W/status.json"
check "netlink LUN, session and device counters equal configfs" python3 - $W/status.json $W/lun.1 $W/sess.1 <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
def cfs(path):
    d = {}
    for line in open(path):
        k, *v = line.split()
        d[k] = [int(x) for x in v] if len(v) > 1 else int(v[0])
    return d
lun, sess = cfs(sys.argv[2]), cfs(sys.argv[3])
s = [s for t in st["targets"] if t["name"] == "stats" for s in t["sessions"]
     if s["initiator"] == "s0"][0]
l = [l for l in s["luns"] if l["lun"] == 0][0]
dev = [d for d in st["devices"] if d["name"] == "n0"][0]
for obj, ref in ((l, lun), (s, sess), (dev, lun)):
    for k in ("commands", "read_bytes", "write_bytes", "errors", "other_errors"):
        assert obj[k] == ref[k], (k, obj[k], ref[k])
    for d in ("read", "write", "other"):
        assert obj["latency_us"][d] == ref[d + "_latency_us"], d
        assert len(obj["latency_us"][d]) == 24
    assert sum(map(sum, obj["latency_us"].values())) == obj["commands"]
print("ok", l["commands"], l["read_bytes"], l["write_bytes"], l["errors"])
PY
sed 's/^/# /' /tmp/check.out
check "scstctl status (text) shows the LUN counters" sh -c "
	'$S' status >$W/status.txt &&
	grep -q 'LUN 0 -> n0: $(stat $W/lun.1 commands) cmds, $(stat $W/lun.1 read_bytes) bytes read, $(stat $W/lun.1 write_bytes) bytes written, $(stat $W/lun.1 errors) errors' $W/status.txt &&
	grep -q 'read latency: ' $W/status.txt"
sed 's/^/# /' $W/status.txt | grep -A6 "s0 (group"

# A second LUN set member: another session adds to the LUN's counters,
# not to s0's.
check "second session s1" sh -c "mkdir $L/sessions/s1"
for i in $(seq 30); do
	cur=$(stat $L/sessions/s1/stats commands)
	[ -n "$cur" ] && [ "$cur" = "${prev1:-}" ] && break
	prev1=$cur
	sleep 1
done
s1=$(stat $L/sessions/s1/stats commands)
check "s1 sent commands (its scan)" test "${s1:-0}" -gt 0
expect "the LUN counts s0 and s1" $(( $(stat $W/lun.1 commands) + s1 )) "$(stat $L/luns/0/stats commands)"
expect "s0 is unchanged" "$(stat $W/sess.1 commands)" "$(stat $L/sessions/s0/stats commands)"

check "disable the target" sh -c "echo 0 >$L/enabled"
check "an offline session has no counters" test -z "$(cat $L/sessions/s0/stats)"
check "the LUN keeps its counters" test "$(stat $L/luns/0/stats commands)" -gt 0
# A session with more LUNs than fit in one netlink message: GET_SESSIONS
# splits it (CONTINUED), scstctl joins the parts.  No SCSI scan: the
# LUNs are only listed.
N=400
old_scan=$(cat /sys/module/scsi_mod/parameters/scan)
check "group g with $N LUNs" python3 -c "
import os
g = '$L/groups/g'
os.mkdir(g)
os.mkdir(g + '/initiators/big')
for i in range($N):
    os.mkdir('%s/luns/%d' % (g, i))
    os.symlink('$D', '%s/luns/%d/device' % (g, i))
"
echo manual >/sys/module/scsi_mod/parameters/scan
check "session big (not scanned)" sh -c "mkdir $L/sessions/big && echo 1 >$L/enabled"
check "scstctl status --json lists the $N LUNs of big once" sh -c "
	'$S' status --json >$W/big.json &&
	python3 -c \"
import json
st = json.load(open('$W/big.json'))
s = [s for t in st['targets'] for s in t['sessions'] if s['initiator'] == 'big']
assert len(s) == 1, len(s)
luns = [l['lun'] for l in s[0]['luns']]
assert luns == list(range($N)), (len(luns), luns[:3], luns[-3:])
assert all('commands' in l for l in s[0]['luns'])
\""
echo "$old_scan" >/sys/module/scsi_mod/parameters/scan

check "clear" "$S" clear
check "unload" scst_unload
finish
