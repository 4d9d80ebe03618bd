#!/bin/bash
# Helpers for the pass-through guest tests (sourced after local-lib.sh).
#
#   pt_load               load scst, scst_vdisk, scst_local, scst_passthrough
#   pt_unload             rmmod them
#   sdebug_load ARGS...   modprobe scsi_debug ARGS; print nothing
#   sdebug_hctl           H:C:I:L of the (first) scsi_debug device
#   dev_count HCTL        commands the midlayer sent to the device's driver
#   block_of HCTL / sgdev_of HCTL / st_of HCTL   its sdX / sgN / stN

pt_load() {
	load_modules || return 1
	if [ -n "${SCST_KO_DIR:-}" ]; then
		insmod "$(find "$SCST_KO_DIR" -name scst_passthrough.ko | head -n 1)"
	else
		modprobe scst_passthrough
	fi
}

pt_unload() {
	if [ -d /sys/module/scst_passthrough ]; then
		rmmod scst_passthrough || return 1
	fi
	unload_modules
}

sdebug_load() {
	modprobe scsi_debug "$@" || return 1
	wait_until 20 sdebug_hctl
}

sdebug_hctl() {
	local d
	for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*:*:*:*; do
		[ -e "$d" ] || continue
		echo "${d##*/}"
		return 0
	done
	return 1
}

# The device's iorequest_cnt: every command the SCSI midlayer dispatched
# to the low-level driver (scsi_debug), whoever sent it.
dev_count() {
	local c
	c=$(cat "/sys/class/scsi_device/$1/device/iorequest_cnt") || return 1
	echo $((c))
}

_class_of() {
	local e
	for e in /sys/class/scsi_device/"$1"/device/"$2"/*; do
		[ -e "$e" ] || return 1
		echo "${e##*/}"
		return 0
	done
	return 1
}
block_of() { _class_of "$1" block; }
sgdev_of() { _class_of "$1" scsi_generic; }
st_of() { _class_of "$1" scsi_tape; }
