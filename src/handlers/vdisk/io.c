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

/* see "vd->caw_sem" in vdisk.h */
void vdisk_write_lock(struct vdisk_dev *vd)
{
	if (vdisk_has_caw_sem(vd))
		percpu_down_read(&vd->caw_sem);
}

void vdisk_write_unlock(struct vdisk_dev *vd)
{
	if (vdisk_has_caw_sem(vd))
		percpu_up_read(&vd->caw_sem);
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
