// SPDX-License-Identifier: GPL-2.0-only
/*
 * libscstuser: registering a device with scst_user and serving it
 *
 * The serving loop makes one SCST_USER_REPLY_AND_GET per batch: the call
 * carries the replies to every command of the previous batch and fetches
 * up to queue_depth new messages.  Commands are executed in the order
 * they arrive, synchronously, by the caller's callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "scstu.h"
#include "scst_sense.h"

/**
 * scstu_open() - open /dev/scst_user, register a device, map its buffers
 * @d: the device, filled here
 * @p: what to register
 *
 * Return: 0, or a negative errno (EPROTO: the module speaks another ABI
 * version; EEXIST: the name is taken).
 */
int scstu_open(struct scstu_dev *d, const struct scstu_params *p)
{
	struct scst_user_register reg;
	void *area;
	int err;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (!p->name || strlen(p->name) >= SCST_USER_NAME_MAX)
		return -EINVAL;
	memset(&reg, 0, sizeof(reg));
	reg.abi_version = SCST_USER_ABI_VERSION;
	reg.type = p->type;
	reg.block_size = p->block_size;
	reg.nr_blocks = p->nr_blocks;
	reg.queue_depth = p->queue_depth;
	reg.slot_size = p->slot_size;
	strcpy(reg.name, p->name);

	d->fd = open(SCST_USER_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	if (ioctl(d->fd, SCST_USER_REGISTER, &reg) < 0)
		goto fail_errno;
	area = mmap(NULL, reg.mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d->fd, 0);
	if (area == MAP_FAILED)
		goto fail_errno;
	d->area = area;
	d->area_len = reg.mmap_len;
	d->nr_slots = reg.nr_slots;
	d->slot_size = p->slot_size;
	d->max = reg.nr_slots ? reg.nr_slots : 1;
	d->msgs = calloc(d->max, sizeof(*d->msgs));
	d->replies = calloc(d->max, sizeof(*d->replies));
	if (!d->msgs || !d->replies) {
		scstu_close(d);
		return -ENOMEM;
	}
	return 0;

fail_errno:
	err = -errno;
	scstu_close(d);
	return err;
}

/**
 * scstu_close() - unmap and close; the kernel then removes the device
 * @d: the device
 */
void scstu_close(struct scstu_dev *d)
{
	if (d->area)
		munmap(d->area, d->area_len);
	if (d->fd >= 0)
		close(d->fd);
	free(d->msgs);
	free(d->replies);
	d->area = NULL;
	d->fd = -1;
	d->msgs = NULL;
	d->replies = NULL;
	d->nr_replies = 0;
}

/**
 * scstu_set_capacity() - report a new capacity to the kernel
 * @d: the device
 * @nr_blocks: the new number of logical blocks
 *
 * Return: 0 or a negative errno.
 */
int scstu_set_capacity(struct scstu_dev *d, uint64_t nr_blocks)
{
	__u64 v = nr_blocks;

	return ioctl(d->fd, SCST_USER_SET_CAPACITY, &v) < 0 ? -errno : 0;
}

/* drop the first @n pending replies (the kernel took them) */
static void replies_taken(struct scstu_dev *d, uint32_t n)
{
	if (n >= d->nr_replies) {
		d->nr_replies = 0;
		return;
	}
	memmove(d->replies, d->replies + n,
		(d->nr_replies - n) * sizeof(*d->replies));
	d->nr_replies -= n;
}

/* one SCST_USER_REPLY_AND_GET; returns messages fetched or -errno */
static int reply_and_get(struct scstu_dev *d, uint32_t max_msgs,
			 uint32_t flags)
{
	struct scst_user_get g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.replies = (uintptr_t)d->replies;
	g.nr_replies = d->nr_replies;
	g.msgs = (uintptr_t)d->msgs;
	g.max_msgs = max_msgs;
	g.flags = flags;
	rc = ioctl(d->fd, SCST_USER_REPLY_AND_GET, &g);
	if (rc < 0) {
		uint32_t sent = d->nr_replies;

		rc = -errno;
		/* on EINTR and EINVAL g.nr_replies says how many were taken */
		if (rc != -EINTR && rc != -EINVAL)
			return rc;
		replies_taken(d, g.nr_replies);
		if (rc == -EINVAL && g.nr_replies < sent) {
			/* the kernel refused this reply: drop it and go on */
			fprintf(stderr, "scstu: reply for handle %llu refused\n",
				(unsigned long long)d->replies[0].handle);
			replies_taken(d, 1);
			return -EAGAIN;
		}
		return rc;
	}
	d->nr_replies = 0;
	return (int)g.nr_msgs;
}

static uint8_t *msg_buf(struct scstu_dev *d, const struct scst_user_msg *m)
{
	if (!m->data_len)
		return NULL;
	if (m->buf_off > d->area_len || m->data_len > d->area_len - m->buf_off)
		return NULL;
	return d->area + m->buf_off;
}

static void exec_one(struct scstu_dev *d, const struct scst_user_msg *m,
		     scstu_exec_fn fn, void *arg)
{
	struct scst_user_reply *r = &d->replies[d->nr_replies++];
	uint8_t *buf = msg_buf(d, m);

	memset(r, 0, offsetof(struct scst_user_reply, sense));
	r->handle = m->handle;
	if (m->data_len && !buf) {
		/* the kernel named a buffer outside the mapping */
		scstu_reply_sense(r, false, SCST_KEY_HARDWARE_ERROR, 0x44, 0);
		return;
	}
	fn(arg, m, buf, r);
	r->handle = m->handle;
	if (r->resp_len > m->data_len)
		r->resp_len = m->data_len;
	d->cmds++;
}

/**
 * scstu_serve() - serve commands until *@stop is set
 * @d: the device
 * @fn: called for every command
 * @arg: passed to @fn
 * @stop: set (e.g. by a signal handler) to end the loop
 *
 * A signal that sets *@stop interrupts the blocking call (install the
 * handler without SA_RESTART).  Before returning, the replies of the
 * last batch are delivered.
 *
 * Return: 0 when stopped, or a negative errno.
 */
int scstu_serve(struct scstu_dev *d, scstu_exec_fn fn, void *arg,
		volatile sig_atomic_t *stop)
{
	int n, i, rc = 0;

	while (!*stop) {
		n = reply_and_get(d, d->max, 0);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n < 0) {
			rc = n;
			break;
		}
		if (!n)
			continue;
		d->batches++;
		for (i = 0; i < n; i++) {
			const struct scst_user_msg *m = &d->msgs[i];

			switch (m->kind) {
			case SCST_USER_MSG_EXEC:
				exec_one(d, m, fn, arg);
				break;
			default:
				/*
				 * ABORT: commands run to completion within
				 * their batch, the reply follows anyway.
				 * RESET: nothing is cached but data.
				 * DETACH: the admin disabled the device; it
				 * stays registered and may be enabled again,
				 * so keep serving.
				 */
				break;
			}
		}
	}
	/* deliver what is left, without waiting for new messages */
	while (d->nr_replies) {
		n = reply_and_get(d, 0, SCST_USER_GET_NONBLOCK);
		if (n < 0 && n != -EINTR && n != -EAGAIN) {
			if (!rc)
				rc = n;
			break;
		}
	}
	return rc;
}

/**
 * scstu_reply_good() - GOOD status
 * @r: the reply
 * @resp_len: bytes of data returned
 */
void scstu_reply_good(struct scst_user_reply *r, uint32_t resp_len)
{
	r->status = 0;
	r->sense_len = 0;
	r->resp_len = resp_len;
}

/**
 * scstu_reply_sense() - CHECK CONDITION with sense data
 * @r: the reply
 * @descriptor: descriptor format sense (D_SENSE), else fixed
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 */
void scstu_reply_sense(struct scst_user_reply *r, bool descriptor,
		       uint8_t key, uint8_t asc, uint8_t ascq)
{
	int len;

	memset(r->sense, 0, sizeof(r->sense));
	len = scst_sense_build(r->sense, sizeof(r->sense), descriptor, key,
			       asc, ascq);
	r->status = 2;	/* CHECK CONDITION */
	r->sense_len = len > 0 ? (uint8_t)len : 0;
	r->resp_len = 0;
}

/**
 * scstu_reply_field() - add a sense key specific field pointer
 * @r: a reply built by scstu_reply_sense()
 * @in_cdb: the field is in the CDB (else in the parameter list)
 * @field: byte offset
 * @bit: bit, or -1
 *
 * Return: 0 or a negative errno.
 */
int scstu_reply_field(struct scst_user_reply *r, bool in_cdb, uint16_t field,
		      int bit)
{
	int len = scst_sense_set_field_pointer(r->sense, sizeof(r->sense),
					       in_cdb, field, bit);

	if (len < 0)
		return len;
	r->sense_len = (uint8_t)len;
	return 0;
}

/**
 * scstu_reply_info() - set the INFORMATION field of the sense data
 * @r: a reply built by scstu_reply_sense()
 * @info: the value
 *
 * Return: 0 or a negative errno.
 */
int scstu_reply_info(struct scst_user_reply *r, uint64_t info)
{
	int len = scst_sense_set_info(r->sense, sizeof(r->sense), info);

	if (len < 0)
		return len;
	r->sense_len = (uint8_t)len;
	return 0;
}
