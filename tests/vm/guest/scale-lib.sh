# Memory figures for the scale tests (core-4096luns.sh, iscsi-1024scan.sh;
# docs/scale.md explains the method).  Source after guestlib.sh.
#
#   mem LABEL            settle, print the figures, keep them as K_LABEL
#                        (kernel KiB), A_LABEL (MemAvailable), S_LABEL
#                        (Slab), P_LABEL (Percpu), W_LABEL (kworker threads)
#                        and /tmp/{slabinfo,meminfo}.LABEL
#   slab_growth FROM TO  the slab caches that grew most between two mem calls
#   meminfo_growth FROM TO  the /proc/meminfo fields that grew by 256 KiB or more
#   vmalloc_growth FROM TO  the vmalloc callers that grew most
#   lazy_kb FROM TO      KiB the kernel frees lazily or keeps for reuse
#   disks HOST           how many LUNs of SCSI host HOST have an sd disk
#   sd_of HOST LUN       the sd disk name of a LUN
#   fio_verify DISK      random 4 KiB writes to /dev/DISK, then verify them

mi() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# Drop what the kernel can give back: page cache, dentries and inodes,
# and the free objects of every slab cache.
settle() {
	local s
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for s in /sys/kernel/slab/*/shrink; do echo 1 >"$s"; done 2>/dev/null
}

# Kernel memory in KiB: what is neither free nor page cache (Cached
# includes tmpfs, i.e. the guest's writable root) nor a process's
# anonymous memory.
kmem_kb() {
	awk '/^(MemTotal):/ { s += $2 }
	     /^(MemFree|Buffers|Cached|AnonPages):/ { s -= $2 }
	     END { print s }' /proc/meminfo
}

kworkers() { ps -e -o comm= | grep -c '^kworker'; }

mem() {
	settle
	eval "K_$1=$(kmem_kb) A_$1=$(mi MemAvailable) S_$1=$(mi Slab)" \
		"P_$1=$(mi Percpu) W_$1=$(kworkers)"
	cp /proc/slabinfo "/tmp/slabinfo.$1"
	cp /proc/meminfo "/tmp/meminfo.$1"
	vmalloc_by_caller >"/tmp/vmalloc.$1"
	echo "memory $1: kernel $(kmem_kb) KiB, MemAvailable $(mi MemAvailable) KiB," \
		"Slab $(mi Slab) KiB, Percpu $(mi Percpu) KiB, KernelStack" \
		"$(mi KernelStack) KiB, $(kworkers) kworkers"
}

slab_growth() {
	join <(sort "/tmp/slabinfo.$1") <(sort "/tmp/slabinfo.$2") |
		awk '{ d = ($18 - $3) * $4; if (d > 65536) print int(d / 1024) " KiB " $1 }' |
		sort -rn | head -n 6 | sed 's/^/  slab growth: /'
}

# KiB of vmalloc pages by caller (function name), from /proc/vmallocinfo
vmalloc_by_caller() {
	awk '{ c = $3; sub(/\+.*/, "", c); for (i = 4; i <= NF; i++)
		if ($i ~ /^pages=/) { sub(/pages=/, "", $i); k[c] += $i * 4 } }
	     END { for (c in k) print c, k[c] }' /proc/vmallocinfo | sort
}

# vmalloc_growth FROM TO: the vmalloc callers whose pages grew by 16 KiB or more
vmalloc_growth() {
	join -a 2 -e 0 -o 0,1.2,2.2 "/tmp/vmalloc.$1" "/tmp/vmalloc.$2" |
		awk '{ d = $3 - $2; if (d >= 16) print d " KiB " $1 }' |
		sort -rn | head -n 8 | sed 's/^/  vmalloc growth: /'
}

# lazy_kb FROM TO: KiB of what the kernel keeps after a logout and frees
# lazily or keeps for reuse, not the SCSI stack's nor SCST's objects: the
# percpu allocator's chunks (their vmalloc'd maps, grown by pcpu_* callers,
# and their populated pages, Percpu), and the kworkers the scan started
# (reaped after 5 idle minutes: KernelStack, the task_struct slab) and
# the vmap_areas of their freed stacks (purged lazily).
lazy_kb() {
	local v0 v1 k0 k1 t0 t1
	v0=$(awk '$1 ~ /^pcpu_/ { s += $2 } END { print s + 0 }' "/tmp/vmalloc.$1")
	v1=$(awk '$1 ~ /^pcpu_/ { s += $2 } END { print s + 0 }' "/tmp/vmalloc.$2")
	k0=$(awk '$1 == "KernelStack:" { print $2 }' "/tmp/meminfo.$1")
	k1=$(awk '$1 == "KernelStack:" { print $2 }' "/tmp/meminfo.$2")
	t0=$(awk '$1 == "task_struct" || $1 == "vmap_area" { s += $3 * $4 }
		END { print int(s / 1024) }' "/tmp/slabinfo.$1")
	t1=$(awk '$1 == "task_struct" || $1 == "vmap_area" { s += $3 * $4 }
		END { print int(s / 1024) }' "/tmp/slabinfo.$2")
	eval "echo \$(( v1 - v0 + P_$2 - P_$1 + k1 - k0 + t1 - t0 ))"
}

meminfo_growth() {
	join <(tr -d : <"/tmp/meminfo.$1" | sort) <(tr -d : <"/tmp/meminfo.$2" | sort) |
		awk '{ d = $4 - $2; if (d >= 256 || d <= -256) print d " KiB " $1 }' |
		sort -rn | sed 's/^/  meminfo change: /'
}

fio_verify() {
	fio --name=verify --filename=/dev/$1 --direct=1 --ioengine=psync \
		--rw=randwrite --bs=4k --size=1M --verify=crc32c \
		--do_verify=1 --output=/tmp/fio.out &&
		grep -q "err= 0" /tmp/fio.out
}

# disks HOST: how many of its LUNs have an sd disk
disks() {
	local d n=0
	for d in /sys/class/scsi_device/"$1":0:0:*/device/block; do
		[ -d "$d" ] && n=$((n + 1))
	done
	echo $n
}

# sd_of HOST LUN: the sd disk name of a LUN (Linux numbers LUNs from 256
# on, which SCST reports in flat space, as 0x4000 + LUN)
sd_of() {
	local l=$2
	[ "$l" -ge 256 ] && l=$((0x4000 + l))
	ls /sys/class/scsi_device/"$1:0:0:$l"/device/block/ 2>/dev/null
}
