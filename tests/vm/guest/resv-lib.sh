# Shared by the resv-*.sh guest tests (sourced, not run): a vdisk_fileio
# device behind target resv_tgt, seen by two scst_local sessions whose
# initiator names are iSCSI names (so that sg_persist can name them in
# TransportIDs).
#
#   resv_load [PR_DIR]   load the modules; scst gets pr_dir=PR_DIR
#   resv_setup FILE      device pr0 on FILE, LUN 0, sessions $INI_A, $INI_B;
#                        sets SGA SGB (sg devices) and SDA SDB (disks)
#   st DEV ARGS...       status of sg_raw DEV ARGS: "good",
#                        "reservation conflict" or "<key>: <asc text>"
#   rd DEV / wr DEV      READ(10) / WRITE(10) of LBA 0 through sg_raw
#   tur DEV              TEST UNIT READY
. "$(dirname "$0")/local-lib.sh"

T=resv_tgt
TD=$CFS/targets/scst_local/$T
DEV=$CFS/handlers/vdisk_fileio/pr0
INI_A=iqn.2026-01.test:a
INI_B=iqn.2026-01.test:b

resv_load() {
	local m ko
	modprobe -a scsi_mod sd_mod sg configfs 2>/dev/null
	for m in scst scst_vdisk scst_local; do
		if [ -n "${SCST_KO_DIR:-}" ]; then
			ko=$(find "$SCST_KO_DIR" -name "$m.ko" | head -n 1)
			if [ "$m" = scst ] && [ -n "${1:-}" ]; then
				insmod "$ko" pr_dir="$1" || return 1
			else
				insmod "$ko" || return 1
			fi
		elif [ "$m" = scst ] && [ -n "${1:-}" ]; then
			modprobe scst pr_dir="$1" || return 1
		else
			modprobe "$m" || return 1
		fi
	done
}

resv_setup() {
	local ha hb
	mkdir "$DEV" && cfs_write "$DEV/filename" "$1" &&
		cfs_write "$DEV/enable" 1 || return 1
	mkdir "$TD" && mkdir "$TD/luns/0" &&
		ln -s "$DEV" "$TD/luns/0/device" &&
		cfs_write "$TD/enabled" 1 || return 1
	mkdir "$TD/sessions/$INI_A" "$TD/sessions/$INI_B" || return 1
	wait_until 10 host_of "$T" "$INI_A" && wait_until 10 host_of "$T" "$INI_B" ||
		return 1
	ha=$(host_of "$T" "$INI_A")
	hb=$(host_of "$T" "$INI_B")
	wait_until 20 sd_of "$ha" 0 && wait_until 20 sd_of "$hb" 0 || return 1
	SGA=/dev/$(sg_of "$ha" 0) SGB=/dev/$(sg_of "$hb" 0)
	SDA=/dev/$(sd_of "$ha" 0) SDB=/dev/$(sd_of "$hb" 0)
	HA=$ha HB=$hb
	# the POWER ON unit attention of each nexus
	sg_turs "$SGA" >/dev/null 2>&1
	sg_turs "$SGB" >/dev/null 2>&1
	sg_turs "$SGA" >/dev/null 2>&1 && sg_turs "$SGB" >/dev/null 2>&1
}

st() {
	sg_raw -v "$@" 2>&1 | awk '
		tolower($0) ~ /reservation conflict/ { rc = 1 }
		/[Ss]ense key:/ && key == "" { sub(/.*[Ss]ense key: */, ""); key = $0 }
		/[Aa]dditional sense:/ && add == "" { sub(/.*[Aa]dditional sense: */, ""); add = $0 }
		tolower($0) ~ /status: *good/ { good = 1 }
		END {
			if (rc) print "reservation conflict"
			else if (key != "") print tolower(key ": " add)
			else if (good) print "good"
			else print "other"
		}'
}

rd() { st "$1" -r 512 28 00 00 00 00 00 00 00 01 00; }
wr() { st "$1" -s 512 -i /dev/zero 2a 00 00 00 00 00 00 00 01 00; }
tur() { st "$1" 00 00 00 00 00 00; }

# expect_st NAME WANT CMD...: PASS if CMD prints WANT
expect_st() {
	local name=$1 want=$2 got
	shift 2
	got=$("$@")
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "got '$got', want '$want'"
	fi
}

# expect_out NAME REGEX CMD...: PASS if the output of CMD matches REGEX
expect_out() {
	local name=$1 re=$2 out
	shift 2
	if [ -z "$re" ]; then
		fail "$name" "empty pattern: a check that cannot fail"
		return
	fi
	out=$("$@" 2>&1)
	if grep -Eq -- "$re" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "no /$re/ in: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
	fi
}

# prout DEV ARGS...: sg_persist --out, quiet
prout() {
	local d=$1
	shift
	sg_persist -n --out "$@" "$d"
}

keys() { sg_persist -n --in -k "$1" 2>&1; }
resv() { sg_persist -n --in -r "$1" 2>&1; }
