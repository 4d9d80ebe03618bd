# Helpers for the scst_user example handler tests (tests/vm/guest/user-*.sh).
# Source after guestlib.sh.
#
#   user_build               make -C usr (the guest sees the host tree)
#   user_start KIND NAME [ARGS...]   start usr/build/scst_user_KIND in the
#                            background (log $OUT/user-NAME.log), wait for
#                            handlers/scst_user/NAME; sets USER_PID
#   user_stop NAME           SIGTERM, wait for the process and for the
#                            device directory to go away
#   user_gone NAME           handlers/scst_user/NAME does not exist
#   local_target T DEV       scst_local target T, LUN 0 -> scst_user/DEV,
#                            session "A"; prints sdX once it appears
#   local_remove T           remove the target
#   fio_verify DEV BS [QD]   random write + crc32c verify of 32 MiB
#   user_unload              remove the configuration, unload all modules

OUT=${VM_OUT:-/tmp}
UBIN=$PWD/usr/build
USER_CFG=$CFG/handlers/scst_user

user_build() {
	make -C usr >"$OUT/usr-build.log" 2>&1
}

user_gone() {
	[ ! -e "$USER_CFG/$1" ]
}

user_start() {
	local kind=$1 name=$2
	shift 2
	"$UBIN/scst_user_$kind" -n "$name" "$@" >"$OUT/user-$name.log" 2>&1 &
	USER_PID=$!
	if ! wait_until 20 test -d "$USER_CFG/$name"; then
		cat "$OUT/user-$name.log"
		return 1
	fi
	if [ -e "$USER_CFG/$name/enable" ] &&
	   [ "$(cat "$USER_CFG/$name/enable")" = 0 ]; then
		echo 1 >"$USER_CFG/$name/enable" || return 1
	fi
	return 0
}

user_stop() {
	local pid
	pid=$(cat "$USER_CFG/$1/pid" 2>/dev/null) || pid=$USER_PID
	kill -TERM "$pid" 2>/dev/null
	# the process exits after its last batch; "wait" needs our child
	wait_until 30 sh -c "! kill -0 $pid 2>/dev/null" || return 1
	wait_until 30 user_gone "$1"
}

# scst_local host of target $1, session A
local_host() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h/scst_target" ] || continue
		[ "$(cat "$h/scst_target")" = "$1" ] || continue
		echo "${h##*/host}"
		return 0
	done
	return 1
}

local_sd() {
	local h b
	h=$(local_host "$1") || return 1
	for b in /sys/class/scsi_host/host"$h"/device/target"$h":0:0/"$h":0:0:0/block/*; do
		[ -b "/dev/${b##*/}" ] || return 1
		echo "/dev/${b##*/}"
		return 0
	done
	return 1
}

local_target() {
	local td=$CFG/targets/scst_local/$1
	mkdir "$td" &&
	mkdir "$td/luns/0" &&
	ln -s "$USER_CFG/$2" "$td/luns/0/device" &&
	echo 1 >"$td/enabled" &&
	mkdir "$td/sessions/A" &&
	wait_until 30 local_sd "$1" &&
	local_sd "$1"
}

local_remove() {
	local td=$CFG/targets/scst_local/$1
	[ -d "$td" ] || return 0
	echo 0 >"$td/enabled"
	rmdir "$td/sessions/A" 2>/dev/null
	rm -f "$td/luns/0/device"
	rmdir "$td/luns/0" "$td"
}

# fio_verify DEV BS [QD [SIZE]]
fio_verify() {
	fio --name="verify-$2" --filename="$1" --direct=1 --ioengine=libaio \
		--rw=randwrite --bs="$2" --iodepth="${3:-16}" \
		--size="${4:-32M}" --verify=crc32c --do_verify=1 \
		--verify_fatal=1 --verify_backlog=0 --randrepeat=0 \
		--output="$OUT/fio-$(basename "$1")-$2.txt"
}

user_unload() {
	local m rc=0
	scst_clear
	for m in scst_iscsi scst_local scst_user scst_vdisk scst; do
		lsmod | grep -q "^$m " || continue
		# a device removal may still be dropping its references
		wait_until 10 test "$(cat /sys/module/$m/refcnt)" = 0
		rmmod "$m" && continue
		echo "rmmod $m failed, refcnt $(cat /sys/module/$m/refcnt):" \
			"$(lsmod | grep scst | tr '\n' ';')"
		rc=1
	done
	return $rc
}
