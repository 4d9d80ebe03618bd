/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * scst_user: device handlers in user space.
 *
 * A process opens /dev/scst_user, registers one virtual device with
 * SCST_USER_REGISTER and then serves that device's SCSI commands.  The
 * device appears as handlers/scst_user/<name>/ in configfs and is mapped
 * to LUNs like any other device.  One open file is one device; closing it
 * (or the process dying) removes the device: commands not yet answered
 * end with CHECK CONDITION, HARDWARE ERROR, LOGICAL UNIT COMMUNICATION
 * FAILURE (08h/00h) and the device goes away.
 *
 * Data buffers: after SCST_USER_REGISTER the process maps the file with
 * mmap(NULL, reg.mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0).
 * The area holds reg.nr_slots buffers of reg.slot_size bytes each; a
 * command that moves data names its buffer by buf_off (a byte offset
 * into the area).  For a command that sends data to the device (WRITE)
 * the buffer holds the data when the command is handed out; for one that
 * returns data (READ, INQUIRY, ...) the handler writes it there and says
 * how many bytes in the reply's resp_len.  The buffer belongs to the
 * handler from the time it fetches the command until it replies; it may
 * be the very memory the target driver receives the data into and sends
 * it from (zero copy), so the handler must not touch it after replying.
 *
 * Serving loop: one ioctl, SCST_USER_REPLY_AND_GET, both delivers the
 * replies to earlier commands and fetches the next messages (commands
 * and notifications), so a busy handler makes one system call per batch:
 *
 *	struct scst_user_get g = { .msgs = (uintptr_t)msgs, .max_msgs = N };
 *	for (;;) {
 *		g.replies = (uintptr_t)replies; g.nr_replies = n;
 *		ioctl(fd, SCST_USER_REPLY_AND_GET, &g);   // blocks for >= 1
 *		for (i = 0; i < g.nr_msgs; i++) ...        // fill replies
 *	}
 *
 * Every SCST_USER_MSG_EXEC must be answered exactly once with a reply
 * naming its handle.  Notifications (ABORT, RESET, DETACH) are not
 * answered.  ABORT says task management aborted a command the handler
 * holds: it may answer it early (any status; the initiator is told the
 * task was aborted), but must still answer it.
 *
 * Versioning: SCST_USER_ABI_VERSION changes whenever a structure or the
 * meaning of a field changes; SCST_USER_REGISTER fails with EPROTO when
 * the caller's version is not the module's.  Structures have explicit
 * padding and the same layout on 32- and 64-bit user space; pointers are
 * passed as __u64.
 */
#ifndef _UAPI_SCST_USER_H
#define _UAPI_SCST_USER_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define SCST_USER_ABI_VERSION	1
#define SCST_USER_DEV_PATH	"/dev/scst_user"

#define SCST_USER_NAME_MAX	64	/* with the terminating NUL */
#define SCST_USER_CDB_MAX	32
#define SCST_USER_SENSE_MAX	96

/* struct scst_user_register.flags */
#define SCST_USER_REG_REMOVABLE	(1U << 0)	/* RMB in INQUIRY (informative) */

/**
 * struct scst_user_register - SCST_USER_REGISTER argument
 * @abi_version: in: SCST_USER_ABI_VERSION of the caller
 * @type:       in: SCSI peripheral device type (0 = direct access block)
 * @flags:      in: SCST_USER_REG_*
 * @block_size: in: logical block size, a power of two, 512 to 4096
 * @nr_blocks:  in: capacity in logical blocks (0 for no medium)
 * @queue_depth: in: commands the handler may hold at once, 1 to 1024;
 *              also the number of data buffers (nr_slots)
 * @slot_size:  in: bytes of one data buffer, a multiple of the page size,
 *              at most 8 MiB; the largest transfer the device accepts
 *              (reported in the Block Limits VPD page by the handler,
 *              enforced by the kernel: longer commands never reach it)
 * @name:       in: device name under handlers/scst_user/, NUL-terminated
 * @mmap_len:   out: bytes to mmap (queue_depth * slot_size)
 * @nr_slots:   out: number of data buffers
 */
struct scst_user_register {
	__u32	abi_version;
	__u8	type;
	__u8	pad0[3];
	__u32	flags;
	__u32	block_size;
	__u64	nr_blocks;
	__u32	queue_depth;
	__u32	slot_size;
	char	name[SCST_USER_NAME_MAX];
	__u64	mmap_len;
	__u32	nr_slots;
	__u32	pad1;
};

/* struct scst_user_msg.kind */
enum scst_user_msg_kind {
	SCST_USER_MSG_EXEC	= 1,	/* a command to execute and answer */
	SCST_USER_MSG_ABORT	= 2,	/* task management aborted @handle */
	SCST_USER_MSG_RESET	= 3,	/* LOGICAL UNIT RESET / TARGET RESET */
	SCST_USER_MSG_DETACH	= 4,	/* the device was disabled by the admin */
};

/* struct scst_user_msg.data_dir */
enum scst_user_data_dir {
	SCST_USER_DIR_NONE	= 0,
	SCST_USER_DIR_WRITE	= 1,	/* initiator to device: buffer is filled */
	SCST_USER_DIR_READ	= 2,	/* device to initiator: handler fills */
};

/* struct scst_user_msg.task_attr */
enum scst_user_task_attr {
	SCST_USER_TASK_SIMPLE		= 0,
	SCST_USER_TASK_ORDERED		= 1,
	SCST_USER_TASK_HEAD_OF_QUEUE	= 2,
	SCST_USER_TASK_ACA		= 3,
};

/**
 * struct scst_user_msg - one message fetched by SCST_USER_REPLY_AND_GET
 * @handle:    the command's handle (EXEC, ABORT); 0 for RESET and DETACH
 * @kind:      enum scst_user_msg_kind
 * @cdb_len:   bytes of @cdb used
 * @data_dir:  enum scst_user_data_dir
 * @task_attr: enum scst_user_task_attr (ordering is done by the kernel)
 * @lun:       the LUN the command came through (informative)
 * @data_len:  bytes to move: for WRITE, valid bytes in the buffer; for
 *             READ, the most the handler may return (allocation length)
 * @buf_off:   byte offset of the command's buffer in the mmap area
 *             (valid when @data_len is not 0)
 * @cdb:       the CDB
 */
struct scst_user_msg {
	__u64	handle;
	__u32	kind;
	__u8	cdb_len;
	__u8	data_dir;
	__u8	task_attr;
	__u8	pad0;
	__u32	lun;
	__u32	data_len;
	__u64	buf_off;
	__u8	cdb[SCST_USER_CDB_MAX];
};

/**
 * struct scst_user_reply - the answer to one SCST_USER_MSG_EXEC
 * @handle:    the command's handle, from its message
 * @status:    SAM status (0 GOOD, 2 CHECK CONDITION, 8 BUSY, ...)
 * @sense_len: bytes of @sense used (CHECK CONDITION only)
 * @resp_len:  for a READ-direction command, bytes of data the handler
 *             wrote to the buffer (at most the message's data_len)
 * @sense:     sense data (fixed or descriptor format)
 */
struct scst_user_reply {
	__u64	handle;
	__u8	status;
	__u8	sense_len;
	__u16	pad0;
	__u32	resp_len;
	__u8	sense[SCST_USER_SENSE_MAX];
};

/* struct scst_user_get.flags */
#define SCST_USER_GET_NONBLOCK	(1U << 0)	/* return at once, maybe 0 msgs */

/**
 * struct scst_user_get - SCST_USER_REPLY_AND_GET argument
 * @replies:    in: user address of an array of struct scst_user_reply
 * @nr_replies: in: entries in @replies (0 to 1024)
 * @flags:      in: SCST_USER_GET_*
 * @msgs:       in: user address of an array of struct scst_user_msg
 * @max_msgs:   in: room in @msgs (0 to only deliver replies)
 * @nr_msgs:    out: messages written to @msgs
 *
 * Replies are taken first, in order; a reply naming an unknown handle
 * fails the call with EINVAL after the valid replies before it were
 * taken (@nr_replies is then set to that count).  Without
 * SCST_USER_GET_NONBLOCK and with @max_msgs > 0 the call sleeps until at
 * least one message is queued (interruptible: EINTR, replies already
 * taken stay taken, @nr_replies says how many).
 */
struct scst_user_get {
	__u64	replies;
	__u32	nr_replies;
	__u32	flags;
	__u64	msgs;
	__u32	max_msgs;
	__u32	nr_msgs;
};

#define SCST_USER_IOC_MAGIC	0xB7
#define SCST_USER_REGISTER	_IOWR(SCST_USER_IOC_MAGIC, 1, struct scst_user_register)
#define SCST_USER_REPLY_AND_GET	_IOWR(SCST_USER_IOC_MAGIC, 2, struct scst_user_get)
/* Set the capacity (in blocks) after a resize; the kernel raises the UA. */
#define SCST_USER_SET_CAPACITY	_IOW(SCST_USER_IOC_MAGIC, 3, __u64)

#endif /* _UAPI_SCST_USER_H */
