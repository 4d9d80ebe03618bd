/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private header of scst_vdisk.ko
 *
 * Four handlers share this code: vdisk_fileio (a file, through the VFS),
 * vdisk_blockio (a block device, through bios), vdisk_nullio (no backing
 * store) and vcdrom (an ISO image through the VFS, MMC commands).  The
 * differences between the backing stores are in struct vdisk_backend.
 *
 * Locking rules
 * -------------
 * device mutex (scst_dev_attr_lock())
 *	Serialises attribute writes with ->enable() and ->disable(), which
 *	the core calls with it held.  Creation attributes (filename,
 *	blocksize, read_only, o_direct, thin_provisioned, nullio size and
 *	read_zero) are only written while the device is disabled, so the
 *	I/O path reads them without a lock.  vd->file, vd->bdev and vd->size are set by
 *	->enable() and cleared by ->disable(); the core guarantees no
 *	command runs outside that window, so commands read them unlocked.
 *	vd->fstats (fileio's per-CPU io_stats counters) likewise: allocated
 *	by ->enable(), freed by ->disable(), summed under the mutex.
 *	Exceptions: vd->size changes on resync_size (commands read it
 *	through dev->nr_blocks, u64 stores are atomic on 64-bit), and
 *	vcdrom's medium (below).
 * vd->lock (spinlock)
 *	vd->ids, vd->wce, vd->nv_cache and the vcdrom state (vd->mmc).
 *	Taken with interrupts disabled (nullio commands run in whatever
 *	context the target driver submits from), never held across I/O.
 *	Single booleans (wce, nv_cache, rotational) are also read without
 *	it, with READ_ONCE().
 * vd->medium_sem (rw_semaphore, vcdrom only)
 *	Held for reading by every command that uses vd->file, for writing
 *	by a medium change (which replaces vd->file).
 * vd->writes (percpu_ref), vd->caw_mutex (fileio and blockio)
 *	The COMPARE AND WRITE exclusion.  Every command that modifies the
 *	medium (WRITE, WRITE AND VERIFY, WRITE SAME, UNMAP) holds a
 *	reference from before its first byte is written until the data is
 *	written (vdisk_write_lock() / vdisk_write_trylock(), then
 *	vdisk_write_unlock()); the reference is a per-CPU counter, so
 *	writes do not bounce a shared cache line, and it may be dropped in
 *	any context by any task: block I/O and fileio WRITEs take it in the
 *	submitter (or ->exec()) and drop it in their bio completion or
 *	->ki_complete(), so no thread waits for their data.  COMPARE AND
 *	WRITE (vdisk_writes_block(), under vd->caw_mutex, which serialises
 *	COMPARE AND WRITEs) kills the
 *	reference, so that no new write gets one, and waits until the
 *	writes in flight have dropped theirs (an RCU grace period and the
 *	drain: acceptable for COMPARE AND WRITE); new writes wait on
 *	vd->writes_wq, or fall back from the submitter's context to the exec
 *	thread, until vdisk_writes_unblock() revives the reference.
 */
#ifndef VDISK_H
#define VDISK_H

#include <linux/fs.h>
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/wait.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include <scst/scst.h>
#include <scst_compat.h>
#include <scst_cdb.h>
#include <scst_sense.h>
#include <scst_sense_codes.h>

#include "vdisk_fmt.h"

#define VDISK_MAX_XFER_BYTES	(8U << 20)
#define VDISK_MAX_CAW_BYTES	(128U << 10)
#define VDISK_MAX_UNMAP_BYTES	(4ULL << 30)
#define VDISK_MAX_UNMAP_DESC	256
#define VDISK_MAX_WS_BYTES	(1ULL << 30)
#define VDISK_CHUNK_BYTES	(128U << 10)	/* WRITE SAME, VERIFY buffers */
#define VDISK_CDROM_SHIFT	11

/* return value of a command function that completes the command itself */
#define VDISK_ASYNC		1

enum vdisk_kind {
	VDISK_FILEIO,
	VDISK_BLOCKIO,
	VDISK_NULLIO,
	VDISK_CDROM,
};

struct vdisk_dev;

/**
 * struct vdisk_io - one transfer between a scatterlist and the medium
 * @vd: the device
 * @sg: data buffer
 * @nents: entries in @sg
 * @skip: bytes of @sg to skip before the data
 * @pos: byte offset on the medium
 * @len: bytes to transfer
 * @write: direction
 * @fua: the data must be on stable storage when @done is called
 * @nowait: the submitter may not sleep: the backend allocates with
 *          GFP_NOWAIT and submits with REQ_NOWAIT, and ends the transfer
 *          with -EAGAIN where it would have slept
 * @done: called exactly once, in any context, with 0 or a negative errno
 * @priv: for the submitter
 * @err: used by vdisk_io_sync()
 * @work: for the submitter (vdisk_aio_start() retries on it)
 * @ctx: room for the backend's per-transfer state (be->ctx_size bytes,
 *       from the same allocation as @io), or NULL: the backend allocates
 */
struct vdisk_io {
	struct vdisk_dev	*vd;
	struct scatterlist	*sg;
	unsigned int		nents;
	size_t			skip;
	loff_t			pos;
	size_t			len;
	bool			write;
	bool			fua;
	bool			nowait;
	void			(*done)(struct vdisk_io *io, int err);
	void			*priv;
	int			err;
	struct work_struct	work;
	void			*ctx;
};

/**
 * struct vdisk_backend - a kind of backing store
 * @open: open vd->filename (or nothing), set vd->size and the limits
 * @close: undo @open
 * @get_size: current size of the backing store in bytes
 * @submit: start @io; calls io->done() (possibly before returning)
 * @flush: make the bytes written to @file in [@pos, @pos + @len) stable
 *	(@len 0: everything); may sleep; takes the file, not the device, so
 *	that it can run after the command completed (IMMED)
 * @unmap: deallocate a byte range; may sleep; NULL if not supported
 * @mapped: whether the block at @pos is mapped, and the byte offset where
 *	the extent of that state ends (NULL: everything is mapped)
 * @ctx_size: bytes of per-transfer state @submit keeps in io->ctx
 */
struct vdisk_backend {
	int	(*open)(struct vdisk_dev *vd);
	void	(*close)(struct vdisk_dev *vd);
	int	(*get_size)(struct vdisk_dev *vd, loff_t *size);
	void	(*submit)(struct vdisk_io *io);
	int	(*flush)(struct file *file, loff_t pos, loff_t len);
	int	(*unmap)(struct vdisk_dev *vd, loff_t pos, loff_t len);
	int	(*mapped)(struct vdisk_dev *vd, loff_t pos, bool *mapped,
			  loff_t *end);
	size_t	ctx_size;
};

/**
 * struct vdisk_handler - one of the four handlers
 * @h: what the core sees
 * @kind: which one
 * @be: its backing store
 * @prod_id: default product identification
 * @rotational: default of the rotational attribute
 */
struct vdisk_handler {
	struct scst_dev_handler		h;
	enum vdisk_kind			kind;
	const struct vdisk_backend	*be;
	const char			*prod_id;
	bool				rotational;
};

/**
 * struct vdisk_dev - per-device state (dev->priv); see the locking rules
 */
struct vdisk_dev {
	struct scst_device		*dev;
	const struct vdisk_handler	*vh;

	/* configuration */
	char				*filename;
	unsigned int			blocksize;
	u64				cfg_size;	/* nullio */
	bool				read_only;
	bool				o_direct;
	bool				thin;
	bool				read_zero;	/* nullio */
	bool				rotational;
	bool				nv_cache;	/* vd->lock */
	struct vdisk_ids		ids;		/* vd->lock */

	/* backing store, from ->enable() to ->disable() */
	struct file			*file;
	struct block_device		*bdev;
	loff_t				size;
	u8				phys_exp;
	u32				unmap_gran;
	bool				lbprz;

	/* run time state, vd->lock */
	spinlock_t			lock;
	bool				wce;
	struct vdisk_mmc		mmc;

	struct rw_semaphore		medium_sem;
	struct percpu_ref		writes;
	struct mutex			caw_mutex;
	struct completion		writes_drained;
	wait_queue_head_t		writes_wq;

	struct vdisk_fileio_stats __percpu *fstats;	/* fileio, enabled */
};

static inline struct vdisk_dev *to_vdisk(struct scst_device *dev)
{
	return dev->priv;
}

static inline struct vdisk_dev *item_to_vdisk(struct config_item *item)
{
	return to_vdisk(scst_dev_from_item(item));
}

static inline struct vdisk_dev *cmd_to_vdisk(struct scst_cmd *cmd)
{
	return to_vdisk(cmd->dev);
}

static inline enum vdisk_kind vdisk_kind(const struct vdisk_dev *vd)
{
	return vd->vh->kind;
}

static inline unsigned int vdisk_shift(const struct vdisk_dev *vd)
{
	return vd->dev->block_shift;
}

/* whether writes take vd->writes (nullio writes nothing) */
static inline bool vdisk_excludes_caw(const struct vdisk_dev *vd)
{
	return vdisk_kind(vd) == VDISK_FILEIO ||
	       vdisk_kind(vd) == VDISK_BLOCKIO;
}

/* main.c */
void vdisk_copy_resp(struct scst_cmd *cmd, const void *buf, unsigned int len);
void vdisk_invalid_cdb(struct scst_cmd *cmd, unsigned int byte, int bit);
void vdisk_set_sense_info(struct scst_cmd *cmd, u8 key, u16 aq, u64 info);
void vdisk_set_io_error(struct scst_cmd *cmd, bool write, int err);
bool vdisk_write_protected(struct scst_cmd *cmd);
void vdisk_get_limits(struct vdisk_dev *vd, struct vdisk_limits *lim);
void vdisk_ua_others(struct scst_cmd *cmd, u8 key, u16 aq);
int vdisk_set_size(struct vdisk_dev *vd, loff_t size);

/* attrs.c */
extern struct configfs_attribute *vdisk_fileio_attrs[];
extern struct configfs_attribute *vdisk_blockio_attrs[];
extern struct configfs_attribute *vdisk_nullio_attrs[];
extern struct configfs_attribute *vdisk_cdrom_attrs[];
int vdisk_attr_err(struct vdisk_dev *vd, const char *attr, int err,
		   const char *fmt, ...) __printf(4, 5);
int vdisk_ids_init(struct vdisk_dev *vd);

/* io.c */
typedef int (*vdisk_page_fn)(struct page *page, unsigned int off,
			     unsigned int len, void *arg);
int vdisk_sg_walk(struct scatterlist *sg, unsigned int nents, size_t skip,
		  size_t len, vdisk_page_fn fn, void *arg);
gfp_t vdisk_gfp(const struct vdisk_dev *vd);
int vdisk_io_sync(struct vdisk_io *io);
int vdisk_rw_buf(struct vdisk_dev *vd, void *buf, loff_t pos, size_t len,
		 bool write, bool fua);
void vdisk_write_lock(struct vdisk_dev *vd);
void vdisk_write_unlock(struct vdisk_dev *vd);
bool vdisk_write_trylock(struct vdisk_dev *vd);
int vdisk_writes_init(struct vdisk_dev *vd);
void vdisk_writes_exit(struct vdisk_dev *vd);
void vdisk_writes_block(struct vdisk_dev *vd);
void vdisk_writes_unblock(struct vdisk_dev *vd);
bool vdisk_sync_writes(struct vdisk_dev *vd, bool fua);

/* rw.c */
/*
 * CDB bits of byte 1 that decoding lets through but vdisk refuses with
 * INVALID FIELD IN CDB whenever set; REPORT SUPPORTED OPERATION CODES
 * leaves them out of the CDB usage data.  UNMAP: ANCHOR (no anchored
 * LBAs); READ DISC INFORMATION: DATA TYPE (standard information only);
 * WRITE SAME: see vdisk_ws_refused().
 */
#define VDISK_UNMAP_REFUSED		0x01
#define VDISK_DISC_INFO_REFUSED		0x07
u8 vdisk_ws_refused(struct vdisk_dev *vd);

/* carries out a command; 0, or VDISK_ASYNC if it completes later */
typedef int (*vdisk_cmd_fn)(struct vdisk_dev *vd, struct scst_cmd *cmd);

int vdisk_cmd_rw(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_aio_init(void);
void vdisk_aio_exit(void);
bool vdisk_rw_nowait(struct scst_cmd *cmd);
int vdisk_cmd_verify(struct vdisk_dev *vd, struct scst_cmd *cmd);

/* sbc.c */
int vdisk_cmd_read_capacity(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_sync_cache(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_unmap(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_write_same(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_caw(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_get_lba_status(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_format(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_start_stop(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_prevent(struct vdisk_dev *vd, struct scst_cmd *cmd);

/* inquiry.c */
int vdisk_cmd_inquiry(struct vdisk_dev *vd, struct scst_cmd *cmd);

/* mode.c */
int vdisk_cmd_mode_sense(struct vdisk_dev *vd, struct scst_cmd *cmd);
int vdisk_cmd_mode_select(struct vdisk_dev *vd, struct scst_cmd *cmd);

/* cdrom.c */
void vdisk_cdrom_exec(struct vdisk_dev *vd, struct scst_cmd *cmd);
bool vdisk_cdrom_supports(u8 op, u8 *usage);
int vdisk_cdrom_set_medium(struct vdisk_dev *vd, const char *filename);

/* Medium in or out; the core answers MEDIUM NOT PRESENT while it is out. */
static inline void vdisk_mmc_set_present(struct vdisk_dev *vd, bool present)
{
	lockdep_assert_held(&vd->lock);
	vd->mmc.present = present;
	WRITE_ONCE(vd->dev->no_medium, !present);
}
void vdisk_cdrom_get_state(struct vdisk_dev *vd, struct vdisk_mmc *m);

/* backends */
struct file *vdisk_file_open(struct vdisk_dev *vd, const char *name,
			     const char *attr, loff_t *size);
extern const struct vdisk_backend vdisk_fileio_backend;
bool vdisk_fileio_nowait(struct vdisk_dev *vd, bool write);
ssize_t vdisk_fileio_stats_show(struct vdisk_dev *vd, char *page);
extern const struct vdisk_backend vdisk_blockio_backend;
extern const struct vdisk_backend vdisk_nullio_backend;
extern const struct vdisk_backend vdisk_cdrom_backend;

#endif /* VDISK_H */
