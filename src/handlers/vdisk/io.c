// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transfers between data buffers and the backing store, common to
 * all backends: page walking, synchronous submission, write locking and
 * the write-through decision.
 */
#include <linux/slab.h>
#include <linux/completion.h>

#include "vdisk.h"

/**
 * vdisk_sg_walk() - call @fn for each piece of a scatterlist range
 * @sg: the scatterlist
 * @nents: its number of entries
 * @skip: bytes to skip first
 * @len: bytes to walk
 * @fn: called with pieces that never cross a page boundary
 * @arg: passed to @fn
 *
 * Return: 0, the first non-zero value of @fn, or -EINVAL if the list is
 * shorter than @skip + @len.
 */
int vdisk_sg_walk(struct scatterlist *sg, unsigned int nents, size_t skip,
		  size_t len, vdisk_page_fn fn, void *arg)
{
	struct scatterlist *s;
	unsigned int i, poff, n;
	size_t off, left;
	int ret;

	for_each_sg(sg, s, nents, i) {
		if (!len)
			break;
		if (skip >= s->length) {
			skip -= s->length;
			continue;
		}
		off = s->offset + skip;
		left = s->length - skip;
		skip = 0;
		while (left && len) {
			poff = off & ~PAGE_MASK;
			n = min3(left, len, PAGE_SIZE - poff);
			ret = fn(nth_page(sg_page(s), off >> PAGE_SHIFT), poff,
				 n, arg);
			if (ret)
				return ret;
			off += n;
			left -= n;
			len -= n;
		}
	}
	return len ? -EINVAL : 0;
}

/* nullio may run in atomic context */
gfp_t vdisk_gfp(const struct vdisk_dev *vd)
{
	return vdisk_kind(vd) == VDISK_NULLIO ? GFP_ATOMIC : GFP_KERNEL;
}

static void vdisk_io_sync_done(struct vdisk_io *io, int err)
{
	io->err = err;
	if (io->priv)
		complete(io->priv);
}

/**
 * vdisk_io_sync() - submit @io and wait for it
 * @io: the transfer; ->done and ->priv are overwritten
 *
 * Sleeps, except for nullio, whose backend completes before returning.
 *
 * Return: 0 or a negative errno.
 */
int vdisk_io_sync(struct vdisk_io *io)
{
	DECLARE_COMPLETION_ONSTACK(done);
	bool sleeps = vdisk_kind(io->vd) != VDISK_NULLIO;

	io->done = vdisk_io_sync_done;
	io->priv = sleeps ? &done : NULL;
	io->err = 0;
	io->vd->vh->be->submit(io);
	if (sleeps)
		wait_for_completion(&done);
	return io->err;
}

/**
 * vdisk_rw_buf() - transfer between a kmalloc() buffer and the medium
 * @vd: the device
 * @buf: physically contiguous buffer
 * @pos: byte offset on the medium
 * @len: bytes
 * @write: direction
 * @fua: write through
 *
 * Return: 0 or a negative errno.
 */
int vdisk_rw_buf(struct vdisk_dev *vd, void *buf, loff_t pos, size_t len,
		 bool write, bool fua)
{
	struct scatterlist sg;
	struct vdisk_io io = {
		.vd = vd, .sg = &sg, .nents = 1, .pos = pos, .len = len,
		.write = write, .fua = fua,
	};

	sg_init_one(&sg, buf, len);
	return vdisk_io_sync(&io);
}

/* --- COMPARE AND WRITE exclusion (see "vd->writes" in vdisk.h) --- */

static void vdisk_writes_drained(struct percpu_ref *ref)
{
	struct vdisk_dev *vd = container_of(ref, struct vdisk_dev, writes);

	complete(&vd->writes_drained);
}

/**
 * vdisk_writes_init() - set up the exclusion of a new device
 * @vd: the device
 *
 * Return: 0 or -ENOMEM.
 */
int vdisk_writes_init(struct vdisk_dev *vd)
{
	mutex_init(&vd->caw_mutex);
	init_completion(&vd->writes_drained);
	init_waitqueue_head(&vd->writes_wq);
	/* ALLOW_REINIT: killed and revived by every COMPARE AND WRITE */
	return percpu_ref_init(&vd->writes, vdisk_writes_drained,
			       PERCPU_REF_ALLOW_REINIT, GFP_KERNEL);
}

void vdisk_writes_exit(struct vdisk_dev *vd)
{
	percpu_ref_exit(&vd->writes);
}

/**
 * vdisk_write_trylock() - start a write unless COMPARE AND WRITE excludes
 *	writes right now
 * @vd: the device
 *
 * Never sleeps.  On success vdisk_write_unlock() ends the write, in any
 * context and from any task.
 *
 * Return: true if the write may go ahead.
 */
bool vdisk_write_trylock(struct vdisk_dev *vd)
{
	return !vdisk_excludes_caw(vd) || percpu_ref_tryget_live(&vd->writes);
}

/* vdisk_write_trylock(), waiting for COMPARE AND WRITE (never for nullio) */
void vdisk_write_lock(struct vdisk_dev *vd)
{
	if (!vdisk_write_trylock(vd))
		wait_event(vd->writes_wq, vdisk_write_trylock(vd));
}

void vdisk_write_unlock(struct vdisk_dev *vd)
{
	if (vdisk_excludes_caw(vd))
		percpu_ref_put(&vd->writes);
}

/**
 * vdisk_writes_block() - exclude every other write (COMPARE AND WRITE)
 * @vd: a device with the exclusion (vdisk_excludes_caw())
 *
 * Waits until the writes started before have ended; new ones wait in
 * vdisk_write_lock() (or fall back to it) until vdisk_writes_unblock().
 */
void vdisk_writes_block(struct vdisk_dev *vd)
{
	mutex_lock(&vd->caw_mutex);
	reinit_completion(&vd->writes_drained);
	percpu_ref_kill(&vd->writes);
	wait_for_completion(&vd->writes_drained);
}

void vdisk_writes_unblock(struct vdisk_dev *vd)
{
	percpu_ref_reinit(&vd->writes);
	wake_up_all(&vd->writes_wq);
	mutex_unlock(&vd->caw_mutex);
}

/**
 * vdisk_sync_writes() - whether a write must reach stable storage before
 *	it completes
 * @vd: the device
 * @fua: the command asks for it (FUA bit, WRITE AND VERIFY)
 *
 * With nv_cache=1 the cache counts as stable and nothing is forced.
 * Otherwise writes are forced through when asked for, or when the write
 * cache is disabled (WCE=0 in the caching mode page, the default).
 */
bool vdisk_sync_writes(struct vdisk_dev *vd, bool fua)
{
	if (READ_ONCE(vd->nv_cache))
		return false;
	return fua || !READ_ONCE(vd->wce);
}
