// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: I/O completion counters of LUNs, sessions and devices.
 *
 * Every command that gets a response (scst_cmd_respond()) is counted
 * once in its session, in the LUN object it was addressed through (the
 * luns/<N> of the LUN set the session sees) and in the device behind it,
 * where it has those.  The counters are per CPU: a completion adds to the
 * copy of the CPU it runs on with this_cpu_*() operations (irq-safe, no
 * lock, no atomic, no cache line shared with another CPU) and a reader
 * sums the copies.  A reader may see one completion half counted; every
 * value is exact once the I/O stopped.
 *
 * What is counted (see also include/uapi/scst_netlink.h):
 *   commands        completions, whatever their status
 *   read_bytes      data-in bytes delivered: min(resp_len, expected_len)
 *   write_bytes     data-out bytes of commands that ended GOOD
 *   errors          CHECK CONDITION completions
 *   other_errors    completions with any other status but GOOD (BUSY,
 *                   RESERVATION CONFLICT, TASK SET FULL, TASK ABORTED,
 *                   aborted without a response)
 *   latency         log2 histogram of the time from scst_cmd_init() to
 *                   the response in microseconds, per direction of the
 *                   CDB: read (data-in), write (data-out), other (no
 *                   data, bidirectional, or not decoded)
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/percpu.h>
#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/ktime.h>

#include "scst_priv.h"

/**
 * scst_stats_alloc() - zeroed counters, one copy per possible CPU
 *
 * Return: the counters or NULL.
 */
struct scst_stats __percpu *scst_stats_alloc(void)
{
	return alloc_percpu(struct scst_stats);
}

void scst_stats_free(struct scst_stats __percpu *stats)
{
	free_percpu(stats);
}

/**
 * scst_stats_read() - the sum of every CPU's copy
 * @stats: the counters
 * @sum: the result
 */
void scst_stats_read(struct scst_stats __percpu *stats, struct scst_stats *sum)
{
	const u64 *src;
	u64 *dst = (u64 *)sum;
	unsigned int i, n = sizeof(*sum) / sizeof(u64);
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		src = (const u64 *)per_cpu_ptr(stats, cpu);
		for (i = 0; i < n; i++)
			dst[i] += READ_ONCE(src[i]);
	}
}

/* Histogram bucket of a latency: 0 = <1us, i = [2^(i-1), 2^i) us. */
static unsigned int scst_stats_bucket(u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	return min_t(unsigned int, fls64(us), SCST_LAT_BUCKETS - 1);
}

static void scst_stats_add(struct scst_stats __percpu *s, unsigned int dir,
			   unsigned int bucket, u32 rbytes, u32 wbytes,
			   u8 status)
{
	this_cpu_inc(s->cmds);
	if (rbytes)
		this_cpu_add(s->read_bytes, rbytes);
	if (wbytes)
		this_cpu_add(s->write_bytes, wbytes);
	if (status == SCST_STATUS_CHECK_CONDITION)
		this_cpu_inc(s->errors);
	else if (status != SCST_STATUS_GOOD)
		this_cpu_inc(s->other_errors);
	this_cpu_inc(s->lat[dir][bucket]);
}

/**
 * scst_stats_cmd_done() - count a command whose response is final
 * @cmd: the command, right before ->xmit_response()
 *
 * Context: any context.
 */
void scst_stats_cmd_done(struct scst_cmd *cmd)
{
	unsigned int bucket = scst_stats_bucket(ktime_get_ns() -
						cmd->start_ns);
	unsigned int dir = SCST_STATS_OTHER;
	u32 rbytes = 0, wbytes = 0;

	if (cmd->ci.dir == SCST_DIR_READ)
		dir = SCST_STATS_READ;
	else if (cmd->ci.dir == SCST_DIR_WRITE)
		dir = SCST_STATS_WRITE;
	if (cmd->ci.dir & SCST_DIR_READ)
		rbytes = min(cmd->resp_len, cmd->expected_len);
	if ((cmd->ci.dir & SCST_DIR_WRITE) &&
	    cmd->status == SCST_STATUS_GOOD)
		wbytes = min(cmd->data_len, cmd->expected_len);

	scst_stats_add(cmd->sess->stats, dir, bucket, rbytes, wbytes,
		       cmd->status);
	scst_stats_add(scst_sess_tport(cmd->sess)->stats, dir, bucket, rbytes,
		       wbytes, cmd->status);
	if (cmd->lun_ref)
		scst_stats_add(cmd->lun_ref->stats, dir, bucket, rbytes,
			       wbytes, cmd->status);
	if (cmd->dev)
		scst_stats_add(to_scst_dev(cmd->dev)->stats, dir, bucket,
			       rbytes, wbytes, cmd->status);
}

static const char *const scst_stats_dir_names[SCST_STATS_DIRS] = {
	[SCST_STATS_READ]	= "read",
	[SCST_STATS_WRITE]	= "write",
	[SCST_STATS_OTHER]	= "other",
};

/**
 * scst_stats_show() - the counters as the text of a `stats` attribute
 * @stats: the counters
 * @page: a configfs page
 *
 * One counter per line, "<name> <value>": commands, read_bytes,
 * write_bytes, errors, other_errors; then read_latency_us,
 * write_latency_us and other_latency_us, each followed by
 * SCST_LAT_BUCKETS counts separated by single spaces (bucket 0: under
 * 1 us; bucket i: 2^(i-1) us up to 2^i us; the last one: everything
 * above).  configfs-schema/scst.schema documents the same format.
 *
 * Return: the length of the text.
 */
ssize_t scst_stats_show(struct scst_stats __percpu *stats, char *page)
{
	struct scst_stats *sum;
	unsigned int d, b;
	ssize_t len;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	scst_stats_read(stats, sum);
	len = sysfs_emit(page,
			 "commands %llu\nread_bytes %llu\nwrite_bytes %llu\nerrors %llu\nother_errors %llu\n",
			 sum->cmds, sum->read_bytes, sum->write_bytes,
			 sum->errors, sum->other_errors);
	for (d = 0; d < SCST_STATS_DIRS; d++) {
		len += sysfs_emit_at(page, len, "%s_latency_us",
				     scst_stats_dir_names[d]);
		for (b = 0; b < SCST_LAT_BUCKETS; b++)
			len += sysfs_emit_at(page, len, " %llu",
					     sum->lat[d][b]);
		len += sysfs_emit_at(page, len, "\n");
	}
	kfree(sum);
	return len;
}

/**
 * scst_sess_stats_show() - the counters of a session as attribute text
 * @sess: the session
 * @page: a configfs page
 *
 * For target drivers that give sessions a configfs object (scst_local's
 * sessions/<initiator>/stats); the format is that of a LUN's `stats`.
 *
 * Context: process context.
 * Return: the length of the text or a negative errno.
 */
ssize_t scst_sess_stats_show(struct scst_session *sess, char *page)
{
	return scst_stats_show(sess->stats, page);
}
EXPORT_SYMBOL_GPL(scst_sess_stats_show);
