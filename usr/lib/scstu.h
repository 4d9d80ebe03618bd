/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libscstuser: a small library for scst_user device handlers
 *
 * Two parts:
 *  - the device connection (scstu_dev.c): open /dev/scst_user, register
 *    a device, map the data buffers and run the serving loop, which
 *    hands every command to a callback and returns all the replies of a
 *    batch with the next SCST_USER_REPLY_AND_GET;
 *  - the SBC emulation (scstu_sbc.c, scstu_sbc.h): a direct access block
 *    device on top of three backend callbacks (read, write, flush).  It
 *    does no system calls of its own and is unit tested on the host.
 *
 * Single threaded: one struct scstu_dev is served by one thread.
 */
#ifndef SCSTU_H
#define SCSTU_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "scst_user.h"

/**
 * struct scstu_params - what to register
 * @name: device name under handlers/scst_user/
 * @type: SCSI peripheral device type
 * @block_size: logical block size (512 to 4096, power of two)
 * @nr_blocks: capacity in logical blocks
 * @queue_depth: commands held at once (and number of data buffers)
 * @slot_size: bytes per data buffer (largest transfer), page multiple
 */
struct scstu_params {
	const char *name;
	uint8_t type;
	uint32_t block_size;
	uint64_t nr_blocks;
	uint32_t queue_depth;
	uint32_t slot_size;
};

/**
 * struct scstu_dev - one registered device
 * @fd: the open /dev/scst_user
 * @area: the mapped data buffers
 * @area_len: bytes mapped
 * @nr_slots: number of data buffers
 * @slot_size: bytes per data buffer
 * @msgs: message array for SCST_USER_REPLY_AND_GET
 * @replies: replies waiting to be sent with the next call
 * @nr_replies: entries used in @replies
 * @max: entries in @msgs and @replies
 * @batches: number of SCST_USER_REPLY_AND_GET calls that fetched messages
 * @cmds: number of commands served
 */
struct scstu_dev {
	int fd;
	uint8_t *area;
	size_t area_len;
	uint32_t nr_slots;
	uint32_t slot_size;
	struct scst_user_msg *msgs;
	struct scst_user_reply *replies;
	uint32_t nr_replies;
	uint32_t max;
	uint64_t batches;
	uint64_t cmds;
};

/*
 * Called for every SCST_USER_MSG_EXEC.  @buf is the command's data buffer
 * (NULL if data_len is 0).  Fill @r (status, sense_len, sense, resp_len);
 * the handle is set by the library.
 */
typedef void (*scstu_exec_fn)(void *arg, const struct scst_user_msg *m,
			      uint8_t *buf, struct scst_user_reply *r);

int scstu_open(struct scstu_dev *d, const struct scstu_params *p);
void scstu_close(struct scstu_dev *d);
int scstu_serve(struct scstu_dev *d, scstu_exec_fn fn, void *arg,
		volatile sig_atomic_t *stop);
int scstu_set_capacity(struct scstu_dev *d, uint64_t nr_blocks);

/* reply helpers */
void scstu_reply_good(struct scst_user_reply *r, uint32_t resp_len);
void scstu_reply_sense(struct scst_user_reply *r, bool descriptor,
		       uint8_t key, uint8_t asc, uint8_t ascq);
int scstu_reply_field(struct scst_user_reply *r, bool in_cdb,
		      uint16_t field, int bit);
int scstu_reply_info(struct scst_user_reply *r, uint64_t info);

#endif /* SCSTU_H */
