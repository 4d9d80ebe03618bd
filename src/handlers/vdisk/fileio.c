// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backing store: a file (or block device node) through the
 * VFS, in the page cache unless o_direct is set
 *
 * Reads and writes are synchronous vfs_iter_read()/vfs_iter_write() calls
 * on a bvec iterator over the command's pages; FUA writes use RWF_DSYNC.
 * The advertised size is the file size at enable (or resync_size) time,
 * rounded down to whole blocks.  Holes read as zeros (the file system
 * does that).  A read that hits the end of the file means the file was
 * truncated behind our back: it fails with a MEDIUM ERROR instead of
 * returning zeros that were never written.
 */
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/falloc.h>
#include <linux/bvec.h>

#include "vdisk.h"

#define FILEIO_STACK_BVECS	16

/**
 * vdisk_file_open() - open a backing file for fileio or vcdrom
 * @vd: the device (for read_only, o_direct and the log)
 * @name: path
 * @attr: attribute name for the log line
 * @size: its size in bytes
 *
 * Return: the file or an ERR_PTR(); the reason is logged.
 */
struct file *vdisk_file_open(struct vdisk_dev *vd, const char *name,
			     const char *attr, loff_t *size)
{
	int flags = O_LARGEFILE | (vd->read_only ? O_RDONLY : O_RDWR);
	struct inode *inode;
	struct file *file;

	if (vd->o_direct)
		flags |= O_DIRECT;
	file = filp_open(name, flags, 0);
	if (IS_ERR(file)) {
		vdisk_attr_err(vd, attr, PTR_ERR(file), "cannot open %s: %ld",
			       name, PTR_ERR(file));
		return file;
	}
	inode = file->f_mapping->host;
	if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode)) {
		fput(file);
		vdisk_attr_err(vd, attr, -EINVAL,
			       "%s is no regular file or block device", name);
		return ERR_PTR(-EINVAL);
	}
	*size = i_size_read(inode);
	return file;
}

static int fileio_open(struct vdisk_dev *vd)
{
	struct file *file;
	loff_t size;

	if (!vd->filename)
		return vdisk_attr_err(vd, "enable", -EINVAL,
				      "filename is not set");
	file = vdisk_file_open(vd, vd->filename, "enable", &size);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (size < vd->blocksize) {
		fput(file);
		return vdisk_attr_err(vd, "enable", -EINVAL,
				      "%s is smaller than one block",
				      vd->filename);
	}
	if (vd->thin && !file->f_op->fallocate) {
		fput(file);
		return vdisk_attr_err(vd, "enable", -EOPNOTSUPP,
				      "thin_provisioned: %s cannot punch holes",
				      vd->filename);
	}
	vd->file = file;
	vd->lbprz = true;	/* punched holes read as zeros */
	vd->unmap_gran = max(1UL, file->f_mapping->host->i_sb->s_blocksize >>
				  vdisk_shift(vd));
	return vdisk_set_size(vd, size);
}

static void fileio_close(struct vdisk_dev *vd)
{
	if (vd->file)
		fput(vd->file);
	vd->file = NULL;
}

static int fileio_get_size(struct vdisk_dev *vd, loff_t *size)
{
	*size = i_size_read(vd->file->f_mapping->host);
	return 0;
}

struct bvec_fill {
	struct bio_vec	*bv;
	unsigned int	n;
};

static int fileio_count_page(struct page *page, unsigned int off,
			     unsigned int len, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static int fileio_add_page(struct page *page, unsigned int off,
			   unsigned int len, void *arg)
{
	struct bvec_fill *f = arg;

	bvec_set_page(&f->bv[f->n++], page, len, off);
	return 0;
}

static int fileio_transfer(struct file *file, struct iov_iter *iter,
			   loff_t pos, bool write, bool fua)
{
	ssize_t ret;

	while (iov_iter_count(iter)) {
		if (write)
			ret = scst_vfs_iter_write(file, iter, &pos,
						  fua ? RWF_DSYNC : 0);
		else
			ret = vfs_iter_read(file, iter, &pos, 0);
		if (ret < 0)
			return ret;
		if (!ret)
			return -EIO;	/* end of file: truncated under us */
	}
	return 0;
}

static int fileio_rw(struct vdisk_io *io)
{
	struct bio_vec stack_bv[FILEIO_STACK_BVECS];
	struct bvec_fill f = { .bv = stack_bv };
	struct iov_iter iter;
	unsigned int nr = 0;
	int ret;

	ret = vdisk_sg_walk(io->sg, io->nents, io->skip, io->len,
			    fileio_count_page, &nr);
	if (ret)
		return ret;
	if (nr > FILEIO_STACK_BVECS) {
		f.bv = kmalloc_array(nr, sizeof(*f.bv), GFP_NOIO);
		if (!f.bv)
			return -ENOMEM;
	}
	vdisk_sg_walk(io->sg, io->nents, io->skip, io->len, fileio_add_page,
		      &f);
	iov_iter_bvec(&iter, io->write ? ITER_SOURCE : ITER_DEST, f.bv, nr,
		      io->len);
	ret = fileio_transfer(io->vd->file, &iter, io->pos, io->write,
			      io->fua);
	if (f.bv != stack_bv)
		kfree(f.bv);
	return ret;
}

static void fileio_submit(struct vdisk_io *io)
{
	io->done(io, fileio_rw(io));
}

static int fileio_flush(struct file *file, loff_t pos, loff_t len)
{
	return vfs_fsync_range(file, pos, len ? pos + len - 1 : LLONG_MAX, 1);
}

static int fileio_unmap(struct vdisk_dev *vd, loff_t pos, loff_t len)
{
	return vfs_fallocate(vd->file, FALLOC_FL_PUNCH_HOLE |
			     FALLOC_FL_KEEP_SIZE, pos, len);
}

/* SEEK_DATA/SEEK_HOLE; file systems without them report all data */
static int fileio_mapped(struct vdisk_dev *vd, loff_t pos, bool *mapped,
			 loff_t *end)
{
	loff_t data, hole;

	data = vfs_llseek(vd->file, pos, SEEK_DATA);
	if (data == -ENXIO || (data >= 0 && data > pos)) {
		*mapped = false;
		*end = data < 0 ? vd->size : min(data, vd->size);
		return 0;
	}
	if (data < 0)
		return (int)data;
	hole = vfs_llseek(vd->file, pos, SEEK_HOLE);
	if (hole < 0)
		return (int)hole;
	*mapped = true;
	*end = min(hole, vd->size);
	return 0;
}

const struct vdisk_backend vdisk_fileio_backend = {
	.open		= fileio_open,
	.close		= fileio_close,
	.get_size	= fileio_get_size,
	.submit		= fileio_submit,
	.flush		= fileio_flush,
	.unmap		= fileio_unmap,
	.mapped		= fileio_mapped,
};

/* --- vcdrom: the same, but the medium may be absent --- */

static int cdrom_open(struct vdisk_dev *vd)
{
	unsigned long flags;
	struct file *file = NULL;
	loff_t size = 0;

	if (vd->filename && vd->filename[0]) {
		file = vdisk_file_open(vd, vd->filename, "enable", &size);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	vd->file = file;
	spin_lock_irqsave(&vd->lock, flags);
	vdisk_mmc_set_present(vd, file);
	spin_unlock_irqrestore(&vd->lock, flags);
	return vdisk_set_size(vd, size);
}

static int cdrom_get_size(struct vdisk_dev *vd, loff_t *size)
{
	*size = vd->file ? i_size_read(vd->file->f_mapping->host) : 0;
	return 0;
}

const struct vdisk_backend vdisk_cdrom_backend = {
	.open		= cdrom_open,
	.close		= fileio_close,
	.get_size	= cdrom_get_size,
	.submit		= fileio_submit,
	.flush		= fileio_flush,
};
