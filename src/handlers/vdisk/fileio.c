// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backing store: a file (or block device node) through the
 * VFS, in the page cache unless o_direct is set
 *
 * Transfers call the file's ->read_iter()/->write_iter() on a kiocb and
 * a bvec iterator over the command's pages.  Reads and writes are
 * asynchronous (see fileio_submit()); FUA writes use IOCB_DSYNC.
 * With o_direct, a transfer O_DIRECT refuses (-EINVAL: the block size
 * or the buffer is not aligned to the backing device's logical blocks)
 * goes through the page cache instead.
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

/*
 * the io_stats attribute: how reads and writes went, since enable; the
 * first four per direction (FIO_W_* = FIO_* + FIO_WRITES for writes)
 */
enum {
	FIO_NOWAIT, FIO_AGAIN, FIO_QUEUED, FIO_SYNC, FIO_BUFFERED,
	FIO_W_NOWAIT, FIO_W_AGAIN, FIO_W_QUEUED, FIO_W_SYNC, FIO_NR
};
#define FIO_WRITES	FIO_W_NOWAIT

struct vdisk_fileio_stats {
	unsigned long	n[FIO_NR];
};

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
	/*
	 * No atime updates: an initiator's READ is no access to the file,
	 * and updating atime starts a journal transaction (ext4), which
	 * may wait for a checkpoint: ->read_iter() would block even with
	 * IOCB_NOWAIT, in the submitter's context (vdisk_rw_nowait()).
	 * O_NOATIME is for the file's owner or CAP_FOWNER only.
	 */
	file = filp_open(name, flags | O_NOATIME, 0);
	if (IS_ERR(file) && PTR_ERR(file) == -EPERM)
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
	vd->fstats = alloc_percpu(struct vdisk_fileio_stats);
	if (!vd->fstats) {
		fput(file);
		return -ENOMEM;
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
	free_percpu(vd->fstats);
	vd->fstats = NULL;
}

static int fileio_get_size(struct vdisk_dev *vd, loff_t *size)
{
	*size = i_size_read(vd->file->f_mapping->host);
	return 0;
}

/* --- transfers --- */

/* bvecs in struct fileio_req: 64 KiB of page-aligned buffer */
#define FILEIO_INLINE_BVECS	16

/**
 * struct fileio_req - one transfer through a kiocb
 * @iocb: for ->read_iter()/->write_iter()
 * @io: the transfer
 * @work: continues a transfer from a thread (see fileio_complete())
 * @done: bytes transferred so far
 * @nr: entries in @bv
 * @nowait: IOCB_NOWAIT on the next call
 * @buffered: O_DIRECT refused the transfer: through the page cache
 * @frozen: a write holds the file system's freeze protection
 * @allocated: kmalloc()ed, not io->ctx
 * @bv: the pages of the command's buffer range: @inline_bv, or kmalloc()ed
 *	for larger buffers
 * @inline_bv: room for small buffers
 */
struct fileio_req {
	struct kiocb		iocb;
	struct vdisk_io		*io;
	struct work_struct	work;
	size_t			done;
	unsigned int		nr;
	bool			nowait;
	bool			buffered;
	bool			frozen;
	bool			allocated;
	struct bio_vec		*bv;
	struct bio_vec		inline_bv[FILEIO_INLINE_BVECS];
};

static const char * const fileio_stat_names[FIO_NR] = {
	"nowait", "again", "queued", "sync", "buffered",
	"write_nowait", "write_again", "write_queued", "write_sync",
};

static void fileio_count(struct vdisk_dev *vd, int which)
{
	if (vd->fstats)
		this_cpu_inc(vd->fstats->n[which]);
}

/* FIO_NOWAIT..FIO_SYNC, for the direction of @io */
static void fileio_count_io(struct vdisk_io *io, int which)
{
	fileio_count(io->vd, io->write ? which + FIO_WRITES : which);
}

/**
 * vdisk_fileio_stats_show() - the io_stats attribute
 * @vd: the device, its mutex held
 * @page: the sysfs page
 *
 * Return: the length written.
 */
ssize_t vdisk_fileio_stats_show(struct vdisk_dev *vd, char *page)
{
	unsigned long sum[FIO_NR] = { };
	int cpu, i, len = 0;

	if (vd->fstats)
		for_each_possible_cpu(cpu)
			for (i = 0; i < FIO_NR; i++)
				sum[i] += per_cpu_ptr(vd->fstats, cpu)->n[i];
	for (i = 0; i < FIO_NR; i++)
		len += sysfs_emit_at(page, len, "%s %lu\n",
				     fileio_stat_names[i], sum[i]);
	return len;
}

static int fileio_count_page(struct page *page, unsigned int off,
			     unsigned int len, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static int fileio_add_page(struct page *page, unsigned int off,
			   unsigned int len, void *arg)
{
	struct fileio_req *req = arg;

	bvec_set_page(&req->bv[req->nr++], page, len, off);
	return 0;
}

/* the state of @io in io->ctx, or allocated; an ERR_PTR() on failure */
static struct fileio_req *fileio_req_get(struct vdisk_io *io, gfp_t gfp)
{
	int again = io->nowait ? -EAGAIN : -ENOMEM;
	struct fileio_req *req = io->ctx;
	unsigned int nr = 0;

	if (vdisk_sg_walk(io->sg, io->nents, io->skip, io->len,
			  fileio_count_page, &nr))
		return ERR_PTR(-EINVAL);
	if (!req) {
		req = kmalloc(sizeof(*req), gfp);
		if (!req)
			return ERR_PTR(again);
	}
	req->allocated = !io->ctx;
	req->bv = req->inline_bv;
	if (nr > FILEIO_INLINE_BVECS) {
		req->bv = kmalloc_array(nr, sizeof(*req->bv), gfp);
		if (!req->bv) {
			if (req->allocated)
				kfree(req);
			return ERR_PTR(again);
		}
	}
	req->io = io;
	req->done = 0;
	req->nr = 0;
	req->nowait = io->nowait;
	req->buffered = false;
	req->frozen = false;
	vdisk_sg_walk(io->sg, io->nents, io->skip, io->len, fileio_add_page,
		      req);
	return req;
}

/* the iterator over what is left and the kiocb for the next call */
static void fileio_req_prep(struct fileio_req *req, struct iov_iter *iter,
			    void (*complete)(struct kiocb *iocb, long ret))
{
	struct vdisk_io *io = req->io;

	iov_iter_bvec(iter, io->write ? ITER_SOURCE : ITER_DEST, req->bv,
		      req->nr, io->len);
	iov_iter_advance(iter, req->done);
	init_sync_kiocb(&req->iocb, io->vd->file);
	req->iocb.ki_pos = io->pos + req->done;
	req->iocb.ki_complete = complete;
	if (req->nowait)
		req->iocb.ki_flags |= IOCB_NOWAIT;
	if (req->buffered)
		req->iocb.ki_flags &= ~IOCB_DIRECT;
	if (io->write)
		req->iocb.ki_flags |= IOCB_WRITE;
	if (io->write && io->fua)
		req->iocb.ki_flags |= IOCB_DSYNC;
}

/*
 * Account for one call that returned or completed @ret.  Return: 1 if
 * there is more to transfer, else 0 or a negative errno for the end.
 */
static int fileio_req_step(struct fileio_req *req, long ret)
{
	struct vdisk_dev *vd = req->io->vd;

	if (ret == -EINVAL && !req->buffered &&
	    (req->iocb.ki_flags & IOCB_DIRECT)) {
		/* O_DIRECT refused the alignment: the page cache will not */
		req->buffered = true;
		fileio_count(vd, FIO_BUFFERED);
		pr_warn_ratelimited("scst: handlers/%s/%s: o_direct: %zu bytes at %lld not aligned for O_DIRECT, through the page cache\n",
				    vd->vh->h.name, scst_dev_name(vd->dev),
				    (size_t)req->io->len,
				    (long long)req->io->pos);
		/* IOCB_NOWAIT is an error for such a buffered write */
		if (req->nowait && req->io->write &&
		    !scst_file_buf_wasync(vd->file))
			return -EAGAIN;
		return 1;
	}
	if (ret == -EOPNOTSUPP && req->nowait)
		return -EAGAIN;	/* IOCB_NOWAIT not supported after all */
	if (ret < 0)
		return ret;
	if (!ret)
		return -EIO;	/* end of file: truncated under us */
	req->done += ret;
	return req->done < req->io->len;
}

/*
 * A write holds the file system's freeze protection from its first call
 * until its end, like aio: taken here, dropped by fileio_end() in any
 * context.  False if it is not free and the caller may not sleep.
 */
static bool fileio_start_write(struct fileio_req *req)
{
	struct file *file = req->io->vd->file;
	struct super_block *sb = file_inode(file)->i_sb;

	if (!req->io->write || req->frozen ||
	    !S_ISREG(file_inode(file)->i_mode))
		return true;
	if (!req->nowait)
		sb_start_write(sb);
	else if (!sb_start_write_trylock(sb))
		return false;
	/* lockdep: released here, acquired again by the end */
	__sb_writers_release(sb, SB_FREEZE_WRITE);
	req->frozen = true;
	return true;
}

static void fileio_end(struct fileio_req *req, int err)
{
	struct vdisk_io *io = req->io;

	if (req->frozen) {
		struct super_block *sb = file_inode(io->vd->file)->i_sb;

		__sb_writers_acquired(sb, SB_FREEZE_WRITE);
		sb_end_write(sb);
	}
	if (err == -EAGAIN && req->nowait)
		fileio_count_io(io, FIO_AGAIN);
	if (req->bv != req->inline_bv)
		kfree(req->bv);
	if (req->allocated)
		kfree(req);
	io->done(io, err);
}

static void fileio_issue(struct fileio_req *req);

static void fileio_more(struct work_struct *work)
{
	fileio_issue(container_of(work, struct fileio_req, work));
}

/* ->ki_complete(), in any context: a thread continues a short transfer */
static void fileio_complete(struct kiocb *iocb, long ret)
{
	struct fileio_req *req = container_of(iocb, struct fileio_req, iocb);
	int err;

	fileio_count_io(req->io, FIO_QUEUED);
	err = fileio_req_step(req, ret);
	if (err == 1 && req->nowait)
		err = -EAGAIN;
	if (err == 1) {
		INIT_WORK(&req->work, fileio_more);
		queue_work(system_unbound_wq, &req->work);
		return;
	}
	fileio_end(req, err);
}

/*
 * Start or continue a transfer.  -EIOCBQUEUED: fileio_complete() runs
 * (or already ran) and owns @req; anything else completed right here.
 */
static void fileio_issue(struct fileio_req *req)
{
	struct file *file = req->io->vd->file;
	struct iov_iter iter;
	ssize_t ret;
	int err;

	if (!fileio_start_write(req)) {
		fileio_end(req, -EAGAIN);
		return;
	}
	do {
		fileio_req_prep(req, &iter, fileio_complete);
		if (req->io->write)
			ret = file->f_op->write_iter(&req->iocb, &iter);
		else
			ret = file->f_op->read_iter(&req->iocb, &iter);
		if (ret == -EIOCBQUEUED)
			return;
		fileio_count_io(req->io, FIO_SYNC);
		err = fileio_req_step(req, ret);
	} while (err > 0);
	fileio_end(req, err);
}

/**
 * vdisk_fileio_nowait() - whether a transfer may start without sleeping
 * @vd: an enabled fileio device
 * @write: direction
 *
 * Return: true if the file honours IOCB_NOWAIT: every transfer of a file
 * with FMODE_NOWAIT opened with O_NOATIME (vdisk_file_open()), but a
 * write through the page cache only where the file system takes
 * IOCB_NOWAIT for buffered writes.
 */
bool vdisk_fileio_nowait(struct vdisk_dev *vd, bool write)
{
	struct file *file = vd->file;

	/* without O_NOATIME a READ may block updating atime */
	if (!(file->f_mode & FMODE_NOWAIT) || !(file->f_flags & O_NOATIME))
		return false;
	return !write || (file->f_flags & O_DIRECT) ||
	       scst_file_buf_wasync(file);
}

/*
 * Reads and writes run on an asynchronous kiocb: with O_DIRECT on a file
 * system or a block device they complete from ->ki_complete(); through
 * the page cache (or on tmpfs) the call returns the result at once.
 * Writes hold the freeze protection (fileio_start_write()); FUA writes
 * set IOCB_DSYNC (for O_DIRECT the file system makes the data stable
 * before ->ki_complete(), for the page cache ->write_iter() syncs the
 * range before it returns).  With io->nowait, IOCB_NOWAIT: where the
 * file would have slept (page not cached, inode lock taken, blocks to
 * allocate, request queue full) the transfer ends with -EAGAIN and the
 * submitter tries it again from a thread.  The state lives in io->ctx
 * (vdisk_aio_start()) or, for the synchronous callers, is allocated.
 */
static void fileio_submit(struct vdisk_io *io)
{
	gfp_t gfp = io->nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct fileio_req *req;

	req = fileio_req_get(io, gfp);
	if (IS_ERR(req)) {
		io->done(io, PTR_ERR(req));
		return;
	}
	if (io->nowait)
		fileio_count_io(io, FIO_NOWAIT);
	fileio_issue(req);
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
	.ctx_size	= sizeof(struct fileio_req),
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
