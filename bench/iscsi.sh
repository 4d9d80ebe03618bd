# The iSCSI path of the benchmark (sourced by bench/guest.sh, after
# tests/vm/guest/iscsi-lib.sh): a target on 127.0.0.1:3260 in the VM,
# open-iscsi's initiator (iscsid + iscsi_tcp) logged in, fio on its sd.
#   iscsi-scst-nullio   scst_iscsi + vdisk_nullio
#   iscsi-lio-rdnull    LIO iscsi_target_mod + rd_mcp rd_nullio=1
#   iscsi-tgt-null      tgt (tgtd) + backing store type null
#   iscsi-scst-fileio   scst_iscsi + vdisk_fileio on a tmpfs file
#   iscsi-lio-fileio    LIO iscsi_target_mod + fileio on a tmpfs file
#                       (fd_buffered_io=1, targetcli's default)
#   iscsi-tgt-rdwr      tgt + backing store type rdwr on a tmpfs file
# Every target has its product's default session parameters; the
# negotiated ones are written to $OUT/CFG.params.
# iscsi_bench_setup CFG echoes the block device; iscsi_bench_teardown CFG.

IQNB=iqn.2024-01.org.scst.bench
LIO=${LIO:-/sys/kernel/config/target}	# also set by bench/local.sh

iscsi_common_up() {
	modprobe -a libcrc32c crc32c_generic iscsi_tcp sd_mod sg 2>/dev/null
	iscsid_listening || start_iscsid
	iscsid_listening
}

# --- ours ---
iscsi_scst_up() {	# iscsi_scst_up IQN nullio|fileio
	local h f
	scst_load scst scst_vdisk scst_iscsi || return 1
	case $2 in
	nullio)	nullio_dev bench $((SIZE_MB << 20)) || return 1
		h=vdisk_nullio/bench ;;
	fileio)	h=$CFG/handlers/vdisk_fileio/bench
		f=$(tmpfs_file scst) || return 1
		mkdir "$h" && echo "$f" >"$h/filename" &&
		echo 1 >"$h/enable" || return 1
		h=vdisk_fileio/bench ;;
	esac
	iscsi_target "$1" && map_lun "$ISCSI_CFG/$1" 0 "$h" &&
	echo 1 >"$ISCSI_CFG/$1/enabled" && portal "$P"
}

iscsi_scst_down() {
	local d
	for d in "$CFG"/drivers/iscsi/portals/*/; do
		[ -d "$d" ] && rmdir "$d"
	done
	scst_unload
}

# --- LIO, through configfs (targetcli needs D-Bus, absent in the VM) ---
iscsi_lio_up() {	# iscsi_lio_up IQN rdnull|fileio
	local d t=$LIO/iscsi/$1/tpgt_1 f
	modprobe -a configfs target_core_mod target_core_file \
		iscsi_target_mod || return 1
	case $2 in
	rdnull)	d=$LIO/core/rd_mcp_0/bench
		mkdir -p "$d" &&
		echo "rd_pages=$((SIZE_MB << 8)),rd_nullio=1" >"$d/control" ||
			return 1 ;;
	fileio)	d=$LIO/core/fileio_0/bench
		f=$(tmpfs_file lio) || return 1
		mkdir -p "$d" &&
		echo "fd_dev_name=$f,fd_dev_size=$((SIZE_MB << 20)),fd_buffered_io=1" \
			>"$d/control" || return 1 ;;
	esac
	echo 1 >"$d/enable" || return 1
	mkdir -p "$t/lun/lun_0" && ln -s "$d" "$t/lun/lun_0/dev" &&
	mkdir "$t/np/$P" && echo 0 >"$t/attrib/authentication" &&
	mkdir -p "$t/acls/$INI/lun_0" &&
	ln -s "$t/lun/lun_0" "$t/acls/$INI/lun_0/lun" &&
	echo 1 >"$t/enable"
}

iscsi_lio_down() {
	local t m
	for t in "$LIO"/iscsi/*/tpgt_1; do
		[ -d "$t" ] || continue
		echo 0 >"$t/enable"
		rm -f "$t"/acls/*/lun_0/lun
		rmdir "$t"/acls/*/lun_0 "$t"/acls/* 2>/dev/null
		rm -f "$t/lun/lun_0/dev"
		rmdir "$t/lun/lun_0" "$t"/np/* "$t" "${t%/*}"
	done
	rmdir "$LIO"/core/*/bench "$LIO"/core/* "$LIO/iscsi" 2>/dev/null
	for m in iscsi_target_mod target_core_file target_core_iblock \
		target_core_pscsi target_core_user target_core_mod; do
		lsmod | grep -q "^$m " && { wait_until 30 rmmod "$m" || return 1; }
	done
	return 0
}

# --- tgt (Debian's tgt: tgtd + tgtadm) ---
TGT_PID=/run/bench-tgtd.pid

iscsi_tgt_up() {	# iscsi_tgt_up IQN null|rdwr
	local b
	command -v tgtd >/dev/null || { log "tgt not installed"; return 1; }
	mkdir -p /var/run/tgtd
	tgtd -f --iscsi portal="$P" >"$OUT/tgtd.log" 2>&1 &
	echo $! >"$TGT_PID"
	wait_until 10 tgtadm --lld iscsi --mode system --op show \
		>/dev/null 2>&1 || return 1
	case $2 in
	null)	b=/dev/null-backing ;;
	rdwr)	b=$(tmpfs_file tgt) || return 1 ;;
	esac
	tgtadm --lld iscsi --mode target --op new --tid 1 -T "$1" &&
	tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 \
		--bstype "$2" -b "$b" &&
	tgtadm --lld iscsi --mode target --op bind --tid 1 -I ALL
}

iscsi_tgt_down() {
	local pid
	pid=$(cat "$TGT_PID" 2>/dev/null) || return 0
	# tgtd stops only without targets, through its own admin interface
	tgtadm --lld iscsi --mode target --op delete --force --tid 1
	tgtadm --lld iscsi --mode system --op delete
	wait_until 10 tgtd_gone "$pid" || { kill -KILL "$pid"; wait_until 5 tgtd_gone "$pid"; }
	rm -f "$TGT_PID"
}

tgtd_gone() {
	! kill -0 "$1" 2>/dev/null
}

# --- one configuration ---
iscsi_bench_setup() {
	local c=$1 prod back iqn lun=0
	prod=${c#iscsi-}; back=${prod#*-}; prod=${prod%%-*}
	iqn=$IQNB:$c
	iscsi_common_up || return 1
	"iscsi_${prod}_up" "$iqn" "$back" >&2 || return 1
	[ "$prod" = tgt ] && lun=1	# tgt's LUN 0 is its controller
	disc >/dev/null 2>&1 && login "$iqn" >/dev/null 2>&1 || return 1
	wait_until 30 sd_of_target "$iqn" $lun || return 1
	iscsiadm -m session -P 2 2>/dev/null |
		grep -E 'Recv|Xmit|Burst|Immediate|InitialR2T|Digest|MaxOutstandingR2T' \
		>"$OUT/$c.params"
	sd_of_target "$iqn" $lun
}

iscsi_bench_teardown() {
	local c=$1 prod
	prod=${c#iscsi-}; prod=${prod%%-*}
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/*
	"iscsi_${prod}_down"
	tmpfs_clear
}
