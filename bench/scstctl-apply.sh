#!/bin/bash
# Guest side of bench/run-scstctl.sh: time `scstctl apply` of 4096 LUNs on
# 64 targets (64 nullio devices, each mapped by every target), its
# re-apply (0 changes) and `scstctl clear`.  Prints a Markdown table.
. "$(dirname "$0")/../tests/vm/guestlib.sh"

export SCST_SCHEMA=$PWD/configfs-schema/scst.schema
S=$PWD/scstctl/scstctl
NT=${TARGETS:-64} NL=${LUNS_PER_TARGET:-64}
C=/tmp/bench-apply.conf

{
	echo "devices = ("
	for d in $(seq 0 $((NL - 1))); do
		echo "  { name = \"n$d\"; handler = \"vdisk_nullio\"; size = \"1G\"; }$([ $d -lt $((NL - 1)) ] && echo ,)"
	done
	echo "); targets = ("
	for t in $(seq 0 $((NT - 1))); do
		echo "  { driver = \"scst_local\"; name = \"t$t\"; luns = ("
		for d in $(seq 0 $((NL - 1))); do
			echo "    { lun = $d; device = \"n$d\"; }$([ $d -lt $((NL - 1)) ] && echo ,)"
		done
		echo "  ) }$([ $t -lt $((NT - 1)) ] && echo ,)"
	done
	echo ");"
} >$C

scst_load scst scst_vdisk scst_local || exit 1
ms() { date +%s%3N; }
t0=$(ms); "$S" apply --quiet $C >/tmp/apply1.out || { cat /tmp/apply1.out; exit 1; }
t1=$(ms); "$S" apply $C >/tmp/apply2.out
t2=$(ms); "$S" clear >/dev/null
t3=$(ms)
luns=$(find $CFG/targets -path '*/luns/*' -maxdepth 5 -type d 2>/dev/null | wc -l)

echo "| step | LUNs | seconds (TCG guest) |"
echo "|---|---|---|"
echo "| apply ($NT targets x $NL LUNs) | $((NT * NL)) | $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 )) |"
echo "| re-apply: $(tail -n 1 /tmp/apply2.out) | $((NT * NL)) | $(( (t2 - t1) / 1000 )).$(( (t2 - t1) % 1000 / 100 )) |"
echo "| clear | $((NT * NL)) | $(( (t3 - t2) / 1000 )).$(( (t3 - t2) % 1000 / 100 )) |"
grep -q '^0 changes' /tmp/apply2.out
