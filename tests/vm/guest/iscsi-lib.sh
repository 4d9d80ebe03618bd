# Helpers for the scst_iscsi guest tests (tests/vm/guest/iscsi-*.sh).
# Source after guestlib.sh.
#
#   iscsi_setup            load modules, start iscsid with $INI as name
#   fileio_dev NAME SIZE   a vdisk_fileio device on /tmp/NAME.img
#   nullio_dev NAME SIZE   a vdisk_nullio device
#   iscsi_target IQN       mkdir targets/iscsi/IQN
#   map_lun DIR N HANDLER/DEV   DIR/luns/N -> handlers/HANDLER/DEV
#   portal ADDR:PORT       listen
#   disc / login IQN / logout IQN   iscsiadm wrappers (portal $P)
#   sd_of_target IQN       the sdX of LUN 0 of the session to IQN
#   iscsi_teardown         logout everything, stop iscsid, remove config

P=${P:-127.0.0.1:3260}
INI=${INI:-iqn.2024-01.org.scst.test:initiator1}
ISCSI_CFG=$CFG/targets/iscsi

set_initiator_name() {
	mkdir -p /etc/iscsi
	echo "InitiatorName=$1" >/etc/iscsi/initiatorname.iscsi
}

start_iscsid() {
	set_initiator_name "$INI"
	mkdir -p /run/lock/iscsi /var/lib/iscsi /etc/iscsi/nodes \
		/etc/iscsi/send_targets
	iscsid -c /etc/iscsi/iscsid.conf -i /etc/iscsi/initiatorname.iscsi \
		>/tmp/iscsid.log 2>&1
	wait_until 10 iscsid_listening
	sleep 1
}

# iscsid is up once it listens on its abstract socket for iscsiadm.
# ("iscsiadm -m session" fails while there is no session, iscsid or not.)
iscsid_listening() {
	grep -q '@ISCSIADM_ABSTRACT_NAMESPACE' /proc/net/unix
}

stop_iscsid() {
	iscsiadm -k 0 >/dev/null 2>&1 || pkill -x iscsid
	sleep 1
}

iscsi_setup() {
	modprobe -a libcrc32c crc32c_generic iscsi_tcp sd_mod sg 2>/dev/null
	scst_load scst scst_vdisk scst_iscsi || return 1
	[ -d "$CFG/drivers/iscsi/portals" ] || return 1
	start_iscsid
}

fileio_dev() {
	local d=$CFG/handlers/vdisk_fileio/$1
	rm -f "/tmp/$1.img"
	truncate -s "$2" "/tmp/$1.img" &&
	mkdir "$d" && echo "/tmp/$1.img" >"$d/filename" && echo 1 >"$d/enable"
}

nullio_dev() {
	local d=$CFG/handlers/vdisk_nullio/$1
	mkdir "$d" && echo "$2" >"$d/size" && echo 1 >"$d/enable"
}

iscsi_target() {
	mkdir "$ISCSI_CFG/$1"
}

map_lun() {
	mkdir -p "$1/luns/$2" &&
	ln -s "$CFG/handlers/$3" "$1/luns/$2/device"
}

portal() {
	mkdir "$CFG/drivers/iscsi/portals/$1"
}

disc() {
	iscsiadm -m discovery -t st -p "$P" "$@"
}

login() {
	iscsiadm -m node -T "$1" -p "$P" --login
}

logout() {
	iscsiadm -m node -T "$1" -p "$P" --logout
}

node_set() {
	iscsiadm -m node -T "$1" -p "$P" -o update -n "$2" -v "$3"
}

# The session id (N of /sys/class/iscsi_session/sessionN) to a target.
sid_of() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s/targetname" ] || continue
		[ "$(cat "$s/targetname")" = "$1" ] && { echo "${s##*session}"; return 0; }
	done
	return 1
}

# The block device of LUN ${2:-0} of the session to $1.
sd_of_target() {
	local sid h d
	sid=$(sid_of "$1") || return 1
	h=$(ls -d /sys/class/iscsi_session/session"$sid"/device/target*/*:"${2:-0}" 2>/dev/null | head -n1)
	[ -n "$h" ] || return 1
	d=$(ls "$h/block" 2>/dev/null | head -n1)
	[ -n "$d" ] && echo "/dev/$d"
}

dev_size() {
	blockdev --getsize64 "$1"
}

iscsi_teardown() {
	iscsiadm -m node --logoutall=all >/dev/null 2>&1
	stop_iscsid
	rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/*
	local d
	for d in "$CFG"/drivers/iscsi/portals/*/; do
		[ -d "$d" ] && rmdir "$d"
	done
	scst_unload
}
