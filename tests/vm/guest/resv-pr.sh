#!/bin/bash
# Usage: tests/vm/run-vm.sh [--env SCST_KO_DIR=DIR] -- tests/vm/guest/resv-pr.sh
#
# SPC-2 and persistent reservations through two scst_local sessions A and
# B (initiator names $INI_A, $INI_B) on one vdisk_fileio LUN:
# registration, every reservation type with the reads and writes the
# other nexus may and may not do, release, clear, preempt with its UNIT
# ATTENTIONs, register and move, SPEC_I_PT, READ FULL STATUS, parameter
# list errors, RESERVE(6)/RELEASE(6) and their conflicts with PRs, resets
# and session loss, and PREEMPT AND ABORT while B has fio writes in
# flight.  Prints PASS/FAIL lines; exits non-zero on any FAIL.
set -u
. "$(dirname "$0")/resv-lib.sh"

W=$(mktemp -d /tmp/resv.XXXXXX)
truncate -s 64M "$W/pr0.img"

if ! resv_load "$W/prdir"; then
	fail modules-load "cannot load the SCST modules"
	local_finish
	exit 1
fi
pass modules-load
if ! resv_setup "$W/pr0.img"; then
	fail setup "device, target or sessions missing"
	local_finish
	exit 1
fi
pass setup
note "A: $SGA $SDA  B: $SGB $SDB"
RTP=$(cat "$TD/rel_tgt_id")

# --- registration ---
expect_out caps "PTPL_C\\): 1" sg_persist -n --in -c "$SGA"
expect_out no-keys "there are NO registered" keys "$SGA"
check reg-A prout "$SGA" --register --param-sark=a1
check reg-B prout "$SGB" --register --param-sark=b1
expect_out keys-2 "2 registered reservation keys" keys "$SGB"
expect_out keys-gen "generation=0x2" keys "$SGB"
# REGISTER with a wrong key: conflict, keys unchanged
check_not reg-A-wrong-key prout "$SGA" --register --param-rk=99 --param-sark=a2
expect_out keys-a1 "0xa1" keys "$SGA"
# REGISTER AND IGNORE EXISTING KEY changes the key
check reg-ignore prout "$SGA" --register-ignore --param-sark=a2
expect_out keys-a2 "0xa2" keys "$SGA"
check reg-ignore-back prout "$SGA" --register-ignore --param-sark=a1
# an unregistered nexus cannot reserve
check unreg-B prout "$SGB" --register --param-rk=b1 --param-sark=0
check_not reserve-unregistered prout "$SGB" --reserve --param-rk=b1 --prout-type=1
check reg-B-again prout "$SGB" --register --param-sark=b1

# --- each type: the other nexus registered, then not ---
# wants: B-read B-write when registered, then when unregistered
declare -A WANT=(
	[1]="good conflict good conflict"
	[3]="conflict conflict conflict conflict"
	[5]="good good good conflict"
	[6]="good good conflict conflict"
	[7]="good good good conflict"
	[8]="good good conflict conflict"
)
word() { [ "$1" = good ] && echo good || echo "reservation conflict"; }
for t in 1 3 5 6 7 8; do
	set -- ${WANT[$t]}
	check "type$t-reserve" prout "$SGA" --reserve --param-rk=a1 --prout-type=$t
	expect_st "type$t-A-write" good wr "$SGA"
	expect_st "type$t-B-read-reg" "$(word "$1")" rd "$SGB"
	expect_st "type$t-B-write-reg" "$(word "$2")" wr "$SGB"
	check "type$t-B-unreg" prout "$SGB" --register --param-rk=b1 --param-sark=0
	expect_st "type$t-B-read-unreg" "$(word "$3")" rd "$SGB"
	expect_st "type$t-B-write-unreg" "$(word "$4")" wr "$SGB"
	check "type$t-B-rereg" prout "$SGB" --register --param-sark=b1
	# a different type from the holder conflicts; RELEASE with the
	# wrong type is an invalid release
	if [ "$t" = 1 ] || [ "$t" = 8 ]; then
		o=$((t == 1 ? 3 : 1))
		check_not "type$t-reserve-other-type" prout "$SGA" --reserve --param-rk=a1 --prout-type=$o
		expect_out "type$t-release-wrong-type" "[Ii]nvalid release|ILLEGAL|Illegal" \
			prout "$SGA" --release --param-rk=a1 --prout-type=$o
	fi
	check "type$t-release" prout "$SGA" --release --param-rk=a1 --prout-type=$t
	expect_out "type$t-released" "NO reservation" resv "$SGA"
	if [ "$t" -ge 5 ]; then
		expect_st "type$t-ua-released" "unit attention: reservations released" tur "$SGB"
	fi
	expect_st "type$t-B-write-after" good wr "$SGB"
done

# all-registrants: every registrant holds it; it stays until the last goes
check ar-reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=7
expect_out ar-key0 "Key=0x0" resv "$SGB"
check ar-A-unreg prout "$SGA" --register --param-rk=a1 --param-sark=0
expect_out ar-stays "type: Write Exclusive, all registrants" resv "$SGB"
expect_st ar-A-write-unreg "reservation conflict" wr "$SGA"
check ar-B-release prout "$SGB" --release --param-rk=b1 --prout-type=7
expect_out ar-gone "NO reservation" resv "$SGB"
check ar-A-rereg prout "$SGA" --register --param-sark=a1

# registrants-only: the holder unregistering releases it, with a UA
check ro-reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=5
check ro-A-unreg prout "$SGA" --register --param-rk=a1 --param-sark=0
expect_st ro-ua "unit attention: reservations released" tur "$SGB"
expect_out ro-gone "NO reservation" resv "$SGB"
check ro-A-rereg prout "$SGA" --register --param-sark=a1

# --- READ FULL STATUS ---
check fs-reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=1
expect_out fs-holder "Reservation holder" sg_persist -n --in -s "$SGA"
expect_out fs-tid-A "$INI_A" sg_persist -n --in -s "$SGA"
expect_out fs-tid-B "$INI_B" sg_persist -n --in -s "$SGA"
expect_out fs-port "Relative port address: 0x$(printf %x "$RTP")" sg_persist -n --in -s "$SGA"

# --- PREEMPT: B takes A's reservation, A is unregistered ---
check preempt prout "$SGB" --preempt --param-rk=b1 --param-sark=a1 --prout-type=3
expect_out preempt-holder "Key=0xb1" resv "$SGB"
expect_out preempt-type "Exclusive Access" resv "$SGB"
expect_st preempt-ua-A "unit attention: registrations preempted" tur "$SGA"
expect_st preempt-A-read "reservation conflict" rd "$SGA"
check_not preempt-A-not-reg prout "$SGA" --reserve --param-rk=a1 --prout-type=3
# PREEMPT with a key nobody has: conflict
check_not preempt-unknown prout "$SGB" --preempt --param-rk=b1 --param-sark=77 --prout-type=3

# --- CLEAR ---
check clear-A-reg prout "$SGA" --register --param-sark=a1
check clear prout "$SGB" --clear --param-rk=b1
expect_st clear-ua-A "unit attention: reservations preempted" tur "$SGA"
expect_out clear-no-keys "there are NO registered" keys "$SGA"
expect_out clear-no-resv "NO reservation" resv "$SGA"

# --- REGISTER AND MOVE: A moves its reservation to B ---
check move-A-reg prout "$SGA" --register --param-sark=a1
check move-A-reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=1
check move prout "$SGA" --register-move --param-rk=a1 --param-sark=b2 \
	--prout-type=1 --relative-target-port="$RTP" --transport-id="$INI_B"
expect_out move-holder "Key=0xb2" resv "$SGA"
expect_st move-B-write good wr "$SGB"
expect_st move-A-write "reservation conflict" wr "$SGA"
check_not move-not-holder prout "$SGA" --register-move --param-rk=a1 \
	--param-sark=a3 --prout-type=1 --relative-target-port="$RTP" \
	--transport-id="$INI_B"
check move-clear prout "$SGB" --clear --param-rk=b2
tur "$SGA" >/dev/null

# --- SPEC_I_PT: A registers B too ---
check spec-i-pt prout "$SGA" --register --param-sark=c1 --transport-id="$INI_B"
expect_out spec-i-pt-keys "2 registered reservation keys" keys "$SGB"
check spec-i-pt-B-reserve prout "$SGB" --reserve --param-rk=c1 --prout-type=1
check spec-i-pt-clear prout "$SGB" --clear --param-rk=c1
tur "$SGA" >/dev/null

# --- parameter list errors ---
# PR OUT REGISTER with a 20-byte list: PARAMETER LIST LENGTH ERROR
dd if=/dev/zero of="$W/p20" bs=20 count=1 2>/dev/null
expect_st plist-short "illegal request: parameter list length error" \
	st "$SGA" -s 20 -i "$W/p20" 5f 00 00 00 00 00 00 00 14 00
# reserved bit in byte 20: INVALID FIELD IN PARAMETER LIST
printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x11\0\0\0\0\x02\0\0\0' >"$W/p24"
expect_st plist-reserved "illegal request: invalid field in parameter list" \
	st "$SGA" -s 24 -i "$W/p24" 5f 00 00 00 00 00 00 00 18 00
# PREEMPT with service action key 0 and no reservation
check plist-reg prout "$SGA" --register --param-sark=a1
printf '\0\0\0\0\0\0\0\xa1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >"$W/p24"
expect_st plist-sark0 "illegal request: invalid field in parameter list" \
	st "$SGA" -s 24 -i "$W/p24" 5f 04 01 00 00 00 00 00 18 00
check plist-unreg prout "$SGA" --register --param-rk=a1 --param-sark=0

# --- pr_state in configfs ---
check state-reg prout "$SGA" --register --param-sark=a1
check state-reserve prout "$SGA" --reserve --param-rk=a1 --prout-type=3
expect_out pr-state-type "^type exclusive_access$" cat "$DEV/pr_state"
expect_out pr-state-reg "^registrant 0xa1 $INI_A $RTP holder$" cat "$DEV/pr_state"
check state-clear prout "$SGA" --clear --param-rk=a1
expect_out pr-state-none "^type none$" cat "$DEV/pr_state"

# --- SPC-2 RESERVE(6)/RELEASE(6) ---
expect_st r6-A good st "$SGA" 16 00 00 00 00 00
expect_st r6-B-read "reservation conflict" rd "$SGB"
expect_st r6-B-reserve "reservation conflict" st "$SGB" 16 00 00 00 00 00
expect_st r6-B-inquiry good st "$SGB" -r 36 12 00 00 00 24 00
expect_st r6-B-release-noop good st "$SGB" 17 00 00 00 00 00
expect_st r6-B-read-still "reservation conflict" rd "$SGB"
expect_st r6-B-prout "reservation conflict" \
	st "$SGB" -s 24 -i "$W/p24" 5f 00 00 00 00 00 00 00 18 00
expect_st r6-A-again good st "$SGA" 56 00 00 00 00 00 00 00 00 00
expect_st r6-A-release good st "$SGA" 17 00 00 00 00 00
expect_st r6-B-read-free good rd "$SGB"
# with a registration, RESERVE and RELEASE conflict
check r6-B-reg prout "$SGB" --register --param-sark=b1
expect_st r6-with-pr "reservation conflict" st "$SGA" 16 00 00 00 00 00
expect_st r10-with-pr "reservation conflict" st "$SGA" 56 00 00 00 00 00 00 00 00 00
expect_st rel6-with-pr "reservation conflict" st "$SGA" 17 00 00 00 00 00
check r6-B-unreg prout "$SGB" --register --param-rk=b1 --param-sark=0
# a LUN reset releases it
expect_st r6-reset-A good st "$SGA" 16 00 00 00 00 00
check r6-lun-reset sg_reset --device "$SGB"
tur "$SGA" >/dev/null; tur "$SGB" >/dev/null; tur "$SGB" >/dev/null
expect_st r6-after-reset good rd "$SGB"
# and so does the loss of the session
expect_st r6-sess-A good st "$SGA" 16 00 00 00 00 00
expect_st r6-sess-B-conflict "reservation conflict" rd "$SGB"

# --- PREEMPT AND ABORT while B writes with fio ---
# A's own data (first 16 MiB), written and verified before and after
check pa-A-data fio --name=a --filename="$SDA" --direct=1 --rw=write \
	--bs=64k --size=16M --verify=crc32c --ioengine=psync
expect_st pa-A-release good st "$SGA" 17 00 00 00 00 00
check pa-A-reg prout "$SGA" --register --param-sark=a1
check pa-B-reg prout "$SGB" --register --param-sark=b1
check pa-B-reserve prout "$SGB" --reserve --param-rk=b1 --prout-type=1
# B writes 0x5a blocks into 16..48 MiB, 16 at a time, until preempted
wbytes() { awk '$1 == "write_bytes" { print $2 }' "$TD/sessions/$INI_B/stats"; }
W0=$(wbytes)
fio --name=b --filename="$SDB" --direct=1 --rw=write --bs=4k \
	--offset=16M --size=32M --ioengine=libaio --iodepth=16 \
	--verify=pattern --verify_pattern=0x5a --do_verify=0 \
	--loops=100 --runtime=120 --time_based >"$W/fio-b.log" 2>&1 &
FIO=$!
# until B has written 1 MiB (a fixed sleep is too short on a loaded host)
for _ in $(seq 300); do
	[ "$(wbytes)" -ge $((W0 + 1048576)) ] && break
	kill -0 "$FIO" 2>/dev/null || break
	sleep 0.2
done
if kill -0 "$FIO" 2>/dev/null && [ "$(wbytes)" -ge $((W0 + 1048576)) ]; then
	pass pa-fio-running
else
	fail pa-fio-running "$(($(wbytes) - W0)) bytes written: $(tail -n 5 "$W/fio-b.log" | tr '\n' ' ')"
fi
check pa-preempt-abort prout "$SGA" --preempt-abort --param-rk=a1 \
	--param-sark=b1 --prout-type=1
ok=0
for _ in $(seq 150); do
	kill -0 "$FIO" 2>/dev/null || { ok=1; break; }
	sleep 0.2
done
if [ $ok = 1 ]; then pass pa-fio-stopped
else fail pa-fio-stopped "fio still running 30 s after the preempt"
	kill "$FIO"; fi
wait "$FIO"; rc=$?
if [ "$rc" -ne 0 ] && grep -qiE "error|Invalid exchange|Input/output" "$W/fio-b.log"; then
	pass pa-fio-error
else
	fail pa-fio-error "fio rc $rc: $(tail -n 5 "$W/fio-b.log" | tr '\n' ' ')"
fi
expect_out pa-dmesg-conflict "reservation conflict" dmesg
expect_out pa-holder "Key=0xa1" resv "$SGA"
expect_out pa-keys "1 registered reservation key" keys "$SGA"
# (B's retried writes took its REGISTRATIONS PREEMPTED; sd logs it)
tur "$SGB" >/dev/null
expect_st pa-B-write "reservation conflict" wr "$SGB"
check pa-A-verify fio --name=a --filename="$SDA" --direct=1 --rw=write \
	--bs=64k --size=16M --verify=crc32c --ioengine=psync --verify_only
note "fio B: $(grep -iE 'err|io=' "$W/fio-b.log" | head -n 4 | tr '\n' ' ')"
# every 4 KiB block of B's range is untouched or B's pattern, some are B's
dd if="$SDA" iflag=direct bs=1M skip=16 count=32 of="$W/b.img" 2>/dev/null
if python3 - "$W/b.img" <<'PY' >"$W/blocks" 2>&1; then pass pa-blocks; else fail pa-blocks "$(cat "$W/blocks")"; fi
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
z = bytes(4096)
p = b"\x5a" * 4096
n = {"zero": 0, "pattern": 0}
for i in range(8192):
    b = os.read(fd, 4096)
    if b == z:
        n["zero"] += 1
    elif b == p:
        n["pattern"] += 1
    else:
        print("block", i, "torn")
        sys.exit(1)
print(n)
sys.exit(0 if n["pattern"] else 1)
PY
note "blocks: $(cat "$W/blocks")"
# nothing of B's aborted writes stays behind in the core
expect_out pa-inflight "^0$" cat "$DEV/inflight"
check pa-clear prout "$SGA" --clear --param-rk=a1

# --- session loss releases an SPC-2 reservation ---
expect_st loss-reserve good st "$SGA" 16 00 00 00 00 00
tur "$SGB" >/dev/null
expect_st loss-conflict "reservation conflict" rd "$SGB"
check loss-rmdir rmdir "$TD/sessions/$INI_A"
expect_st loss-free good rd "$SGB"

check cleanup-target eval 'echo 0 >"$TD/enabled"; rmdir "$TD/sessions/$INI_B"; rm "$TD/luns/0/device"; rmdir "$TD/luns/0" "$TD"; echo 0 >"$DEV/enable"; rmdir "$DEV"'
check unload unload_modules
rm -rf "$W"
local_finish
