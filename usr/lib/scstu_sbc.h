/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SBC emulation for scst_user handlers: a direct access block device on
 * top of a backend (read, write, flush callbacks).
 *
 * scstu_sbc_exec() takes one command message and its data buffer and
 * fills the reply (status, sense, resp_len).  It calls nothing but the
 * backend, so the unit tests drive it with a memory backend.
 *
 * Implemented: INQUIRY (standard; VPD 00h, 80h, 83h, 86h, B0h, B1h, B2h),
 * READ CAPACITY(10/16), MODE SENSE(6/10), TEST UNIT READY, START STOP
 * UNIT, READ/WRITE(6/10/12/16), VERIFY(10/12/16) (BYTCHK 00b, 01b, 11b),
 * SYNCHRONIZE CACHE(10/16), WRITE SAME(10/16).  Everything else gets
 * ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.  No thin provisioning,
 * no protection information, nothing to save, no MODE SELECT.
 */
#ifndef SCSTU_SBC_H
#define SCSTU_SBC_H

#include "scstu.h"
#include "vdisk_fmt.h"

#define SCSTU_SCRATCH	(64 * 1024)

/**
 * struct scstu_backend - the storage behind the emulated disk
 * @read: read @len bytes at byte offset @off into @buf; 0 or -errno
 * @write: write @len bytes from @buf at @off; 0 or -errno
 * @flush: make [@off, @off + @len) stable; 0 or -errno (NULL: nothing
 *	to do)
 */
struct scstu_backend {
	int (*read)(void *priv, void *buf, uint64_t off, uint64_t len);
	int (*write)(void *priv, const void *buf, uint64_t off, uint64_t len);
	int (*flush)(void *priv, uint64_t off, uint64_t len);
};

/**
 * struct scstu_sbc - an emulated disk
 * @be: its backend
 * @priv: passed to the backend callbacks
 * @block_size: logical block size
 * @shift: log2(@block_size)
 * @nr_blocks: capacity
 * @max_xfer: largest transfer in blocks (the data buffer size)
 * @wce: the device has a volatile write cache (caching page WCE); FUA
 *	and SYNCHRONIZE CACHE then call @be->flush
 * @d_sense: descriptor format sense data
 * @ids: identification (INQUIRY, VPD 80h/83h)
 * @rev: product revision level
 * @scratch: room for WRITE SAME patterns and VERIFY reads
 */
struct scstu_sbc {
	const struct scstu_backend *be;
	void *priv;
	uint32_t block_size;
	unsigned int shift;
	uint64_t nr_blocks;
	uint32_t max_xfer;
	bool wce;
	bool d_sense;
	struct vdisk_ids ids;
	char rev[5];
	uint8_t scratch[SCSTU_SCRATCH];
};

int scstu_sbc_init(struct scstu_sbc *d, const char *name, uint32_t block_size,
		   uint64_t nr_blocks, uint32_t max_xfer_bytes, bool wce,
		   const struct scstu_backend *be, void *priv);
void scstu_sbc_exec(struct scstu_sbc *d, const struct scst_user_msg *m,
		    uint8_t *buf, struct scst_user_reply *r);

#endif /* SCSTU_SBC_H */
