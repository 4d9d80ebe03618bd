// SPDX-License-Identifier: GPL-2.0-only
/*
 * No backing store: reads return zeros, writes are discarded
 *
 * With read_zero=0 a READ leaves the data buffer as it is when the buffer
 * is the initiator's (scst_local: no byte is touched, like LIO's
 * rd_nullio); a buffer of the core's cache is zeroed all the same, as it
 * may hold another initiator's data.  LBPRZ is then reported as 0.
 *
 * Everything completes before ->submit() returns and nothing sleeps, so
 * vdisk_nullio runs its commands in the submitter's context.
 */
#include <linux/scatterlist.h>

#include "vdisk.h"

static int nullio_open(struct vdisk_dev *vd)
{
	if (vd->cfg_size < vd->blocksize)
		return vdisk_attr_err(vd, "enable", -EINVAL,
				      "size must be at least one block");
	vd->lbprz = vd->read_zero;	/* unmapped blocks read as zeros */
	return vdisk_set_size(vd, vd->cfg_size);
}

static void nullio_close(struct vdisk_dev *vd)
{
}

static int nullio_get_size(struct vdisk_dev *vd, loff_t *size)
{
	*size = vd->cfg_size;
	return 0;
}

static void nullio_submit(struct vdisk_io *io)
{
	if (!io->write)
		sg_zero_buffer(io->sg, io->nents, io->len, io->skip);
	io->done(io, 0);
}

static int nullio_flush(struct file *file, loff_t pos, loff_t len)
{
	return 0;
}

static int nullio_unmap(struct vdisk_dev *vd, loff_t pos, loff_t len)
{
	return 0;
}

const struct vdisk_backend vdisk_nullio_backend = {
	.open		= nullio_open,
	.close		= nullio_close,
	.get_size	= nullio_get_size,
	.submit		= nullio_submit,
	.flush		= nullio_flush,
	.unmap		= nullio_unmap,
};
