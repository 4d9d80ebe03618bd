# The local HBA path of the benchmark (sourced by bench/guest.sh):
#   null          raw null_blk (/dev/nullb0), the ceiling
#   scst-nullio   scst_local + vdisk_nullio read_zero=0 (READ leaves the
#                 initiator's buffer as it is, as rd_nullio does)
#   scst-nullio-zero  scst_local + vdisk_nullio read_zero=1 (the default:
#                 READ returns zeros)
#   scst-blockio  scst_local + vdisk_blockio on /dev/nullb0
#   lio-rdnull    LIO tcm_loop + rd_mcp with rd_nullio=1 (no data kept)
#   lio-rdmcp     LIO tcm_loop + rd_mcp RAM disk (READ copies data: the
#                 peer of scst-nullio-zero, which writes zeros)
#   lio-iblock    LIO tcm_loop + iblock on /dev/nullb0
# local_setup CFG echoes the block device to test; local_teardown CFG.

LIO=/sys/kernel/config/target
WWN=naa.5001405000000b01
NEXUS=naa.5001405000000b02

# --- SCST: scst_local target "bench", initiator "ini", LUN 0 ---

scst_setup() {	# scst_setup nullio|nullio-zero|blockio
	local h
	scst_load scst scst_vdisk scst_local || return 1
	case $1 in
	nullio*)
		h=$CFG/handlers/vdisk_nullio/bench
		mkdir "$h" || return 1
		echo $((SIZE_MB << 20)) >"$h/size" || return 1
		[ "$1" = nullio-zero ] || echo 0 >"$h/read_zero" || return 1 ;;
	blockio)
		h=$CFG/handlers/vdisk_blockio/bench
		mkdir "$h" || return 1
		echo /dev/nullb0 >"$h/filename" || return 1 ;;
	esac
	echo 1 >"$h/enable" || return 1
	scst_local_export "$h"
}

scst_teardown() {
	scst_unload
}

# --- LIO: tcm_loop $WWN/tpgt_1, LUN 0 ---

lio_setup() {	# lio_setup rd|rdmcp|iblock
	local b
	modprobe -a configfs scsi_mod sd_mod sg 2>/dev/null
	modprobe target_core_mod || return 1
	case $1 in
	rd)
		# rd_nullio=1: no pages, no copy (the peer of vdisk_nullio)
		b=$LIO/core/rd_mcp_0/bench
		mkdir -p "$b" || return 1
		echo "rd_pages=$((SIZE_MB << 8)),rd_nullio=1" >"$b/control" ||
			return 1 ;;
	rdmcp)
		b=$LIO/core/rd_mcp_0/bench
		mkdir -p "$b" || return 1
		echo "rd_pages=$((SIZE_MB << 8))" >"$b/control" || return 1 ;;
	iblock)
		modprobe target_core_iblock || return 1
		b=$LIO/core/iblock_0/bench
		mkdir -p "$b" || return 1
		echo "udev_path=/dev/nullb0" >"$b/control" || return 1 ;;
	esac
	echo 1 >"$b/enable" || return 1
	lio_loop_export "$b"
}

local_setup() {
	case $1 in
	null)		null_load && echo /dev/nullb0 ;;
	scst-nullio)	scst_setup nullio && scst_disk ;;
	scst-nullio-zero) scst_setup nullio-zero && scst_disk ;;
	scst-blockio)	null_load && scst_setup blockio && scst_disk ;;
	lio-rdnull)	lio_setup rd && lio_disk ;;
	lio-rdmcp)	lio_setup rdmcp && lio_disk ;;
	lio-iblock)	null_load && lio_setup iblock && lio_disk ;;
	*) return 1 ;;
	esac
}

local_teardown() {
	case $1 in
	scst-*) scst_teardown ;;
	lio-*) lio_teardown ;;
	esac
	null_unload
}
