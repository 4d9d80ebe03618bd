# wait_until SECONDS CMD...: run CMD (output discarded) every 0.2 s until
# it succeeds (status 0) or SECONDS have passed (status 1).  Sourced by
# guestlib.sh and guest/local-lib.sh.
wait_until() {
	local tries=$(($1 * 5))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}
