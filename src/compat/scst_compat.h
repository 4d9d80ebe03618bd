/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place that knows kernel versions.  Code elsewhere calls the
 * helpers below and never tests LINUX_VERSION_CODE itself.
 *
 * Supported: Debian bookworm 6.1 and 6.12.
 */
#ifndef _SCST_COMPAT_H
#define _SCST_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* --- block devices and files (vdisk) --- */

#include <linux/fs.h>
#include <linux/blkdev.h>

/* whether buffered writes to @file honour IOCB_NOWAIT */
static inline bool scst_file_buf_wasync(struct file *file)
{
#ifdef FOP_BUFFER_WASYNC
	return file->f_op->fop_flags & FOP_BUFFER_WASYNC;
#else
	return file->f_mode & FMODE_BUF_WASYNC;
#endif
}

/* the block device behind a file opened on a block device node */
static inline struct block_device *scst_file_bdev(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return file_bdev(file);
#else
	return I_BDEV(file->f_mapping->host);
#endif
}

/*
 * vfs_iter_write() with freeze protection: from 6.7 on vfs_iter_write()
 * takes it itself, before the caller had to.
 */
static inline ssize_t scst_vfs_iter_write(struct file *file,
					  struct iov_iter *iter, loff_t *pos,
					  rwf_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return vfs_iter_write(file, iter, pos, flags);
#else
	ssize_t ret;

	file_start_write(file);
	ret = vfs_iter_write(file, iter, pos, flags);
	file_end_write(file);
	return ret;
#endif
}

/*
 * vfs_rename() within one directory, the caller holding its inode lock
 * (lock_rename()).  6.3 replaced the mount's user namespace in struct
 * renamedata by an idmapping.
 */
static inline int scst_vfs_rename(struct inode *dir, struct dentry *old,
				  struct dentry *new)
{
	struct renamedata rd = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		.old_mnt_idmap	= &nop_mnt_idmap,
		.new_mnt_idmap	= &nop_mnt_idmap,
#else
		.old_mnt_userns	= &init_user_ns,
		.new_mnt_userns	= &init_user_ns,
#endif
		.old_dir	= dir,
		.old_dentry	= old,
		.new_dir	= dir,
		.new_dentry	= new,
	};

	return vfs_rename(&rd);
}

/* --- end of block devices and files (vdisk) --- */

/* --- SCSI host (scst_local) --- */

/*
 * Return type and values of scsi_host_template.eh_timed_out().  6.5
 * replaced enum blk_eh_timer_return by enum scsi_timeout_action, and the
 * value that lets the error handler take over became SCSI_EH_NOT_HANDLED
 * (it was BLK_EH_DONE).  Macros, so that this header needs no SCSI
 * include.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define SCST_EH_TIMEOUT_RET		enum scsi_timeout_action
#define SCST_EH_TIMEOUT_RUN_EH		SCSI_EH_NOT_HANDLED
#define SCST_EH_TIMEOUT_RESET_TIMER	SCSI_EH_RESET_TIMER
#else
#define SCST_EH_TIMEOUT_RET		enum blk_eh_timer_return
#define SCST_EH_TIMEOUT_RUN_EH		BLK_EH_DONE
#define SCST_EH_TIMEOUT_RESET_TIMER	BLK_EH_RESET_TIMER
#endif

/*
 * Let the host's ->queuecommand() sleep (the midlayer then runs it under
 * SRCU, BLK_MQ_F_BLOCKING): from 6.2 on; 6.1 always calls it under
 * rcu_read_lock().  Evaluates to whether it took effect.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define scst_sht_set_may_block(sht)	((sht)->queuecommand_may_block = 1, true)
#else
#define scst_sht_set_may_block(sht)	false
#endif

/*
 * No I/O scheduler by default on the request queues of a host's devices
 * (sysfs can still select one).  To be called after scsi_add_host(),
 * which (re)initialises shost->tag_set, and before the first device is
 * scanned: elevator_init_mq() reads the flag when a disk is added.  The
 * flag exists with this meaning on 6.1 and 6.12.  A macro, as above.
 */
#define scst_shost_no_default_sched(shost) \
	((shost)->tag_set.flags |= BLK_MQ_F_NO_SCHED_BY_DEFAULT)

/* --- end of SCSI host (scst_local) --- */

/*
 * --- SCSI pass-through (scst_passthrough) ---
 *
 * Nothing yet: the path it uses (scsi_alloc_request(), the scsi_cmnd
 * fields cmnd/cmd_len/result/sense_len/resid_len, bio_kmalloc() +
 * bio_init() + bio_add_pc_page() + blk_rq_append_bio(),
 * blk_execute_rq_nowait() with an end_io returning enum rq_end_io_ret,
 * blk_abort_request()) has the same form on 6.1 and 6.12; it avoids
 * scsi_execute()/scsi_execute_cmd(), the call that differs.
 */

/* --- memory shrinkers (the core's buffer cache) --- */

#include <linux/shrinker.h>
#include <linux/slab.h>

/*
 * Create and register a shrinker (not memcg nor NUMA aware) that calls
 * @count and @scan with @data in shrink_control's owner, or return NULL.
 * 6.7 replaced register_shrinker() of a caller-owned struct by
 * shrinker_alloc() + shrinker_register().
 */
static inline struct shrinker *
scst_shrinker_create(const char *name,
		     unsigned long (*count)(struct shrinker *,
					    struct shrink_control *),
		     unsigned long (*scan)(struct shrinker *,
					   struct shrink_control *))
{
	struct shrinker *s;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	s = shrinker_alloc(0, "%s", name);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
#else
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
#endif
	return s;
}

/* Unregister a shrinker of scst_shrinker_create(); waits for its calls. */
static inline void scst_shrinker_destroy(struct shrinker *s)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

/* --- end of memory shrinkers --- */

/* --- sockets (scst_iscsi) --- */

#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>

/*
 * sock_sendmsg() of a bvec iterator (ITER_SOURCE) whose pages are lent
 * to the socket instead of copied: the socket takes page references of
 * its own and keeps them until TCP is done with the data, so the pages
 * must be refcounted non-slab pages (sendpage_ok()) whose content stays
 * as it is until then.  6.5 replaced ->sendpage() by MSG_SPLICE_PAGES;
 * before, one kernel_sendpage() per page (it copies a page that is not
 * sendpage_ok()).  Returns the bytes sent (the iterator is advanced by
 * them; short after a timeout or a signal) or a negative errno.
 */
static inline int scst_sock_sendmsg_pages(struct socket *sock,
					  struct msghdr *msg)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	msg->msg_flags |= MSG_SPLICE_PAGES;
	return sock_sendmsg(sock, msg);
#else
	struct iov_iter *it = &msg->msg_iter;
	int sent = 0, ret, flags;

	while (iov_iter_count(it)) {
		const struct bio_vec *bv = it->bvec;
		size_t off = bv->bv_offset + it->iov_offset;
		size_t len = min3(bv->bv_len - it->iov_offset,
				  iov_iter_count(it),
				  PAGE_SIZE - offset_in_page(off));

		flags = msg->msg_flags;
		if (len < iov_iter_count(it))
			flags |= MSG_MORE | MSG_SENDPAGE_NOTLAST;
		ret = kernel_sendpage(sock,
				      nth_page(bv->bv_page, off >> PAGE_SHIFT),
				      offset_in_page(off), len, flags);
		if (ret <= 0)
			return sent ? sent : ret;
		iov_iter_advance(it, ret);
		sent += ret;
		if (ret < len)
			break;
	}
	return sent;
#endif
}

/* --- end of sockets (scst_iscsi) --- */

/* --- generic netlink --- */

#include <net/genetlink.h>

/*
 * Joining the events group needs CAP_NET_ADMIN.  The group flag exists in
 * both supported kernels (6.12, and 6.1 since its stable backport); a
 * kernel without it cannot restrict the group, so refuse to build rather
 * than publish events to every local user.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "this kernel lacks GENL_MCAST_CAP_NET_ADMIN: update to a newer 6.1 stable kernel"
#endif

#endif /* _SCST_COMPAT_H */
