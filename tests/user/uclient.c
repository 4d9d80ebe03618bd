// SPDX-License-Identifier: GPL-2.0-only
/*
 * uclient: a minimal scst_user client for the kernel module's VM test
 * (tests/vm/guest/user-kernel.sh).  Not an example handler (see usr/).
 *
 *   uclient reg NAME [field=value...]  register with the given fields
 *                                      changed, print OK or the errno
 *                                      name (EPROTO, EINVAL, EEXIST, ...)
 *   uclient reg-twice NAME             second REGISTER on one file
 *   uclient mmap NAME                  mmap of the wrong size / offset /
 *                                      private, then the right one
 *   uclient bad-reply NAME             a reply naming an unknown handle
 *   uclient serve NAME BLOCKS [BS]     a RAM disk: INQUIRY, READ CAPACITY
 *                                      (10/16), TEST UNIT READY, READ and
 *                                      WRITE (10/16); the rest ILLEGAL
 *                                      REQUEST, INVALID COMMAND OPERATION
 *                                      CODE.  While the file HOLDFILE
 *                                      (env UCLIENT_HOLD) exists, READ and
 *                                      WRITE are held, never answered.
 *                                      SIGUSR1 doubles the capacity
 *                                      (SCST_USER_SET_CAPACITY).
 * Messages other than EXEC are printed as "msg ABORT|RESET|DETACH".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../src/include/uapi/scst_user.h"

#define BATCH 32

static const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EPROTO: return "EPROTO";
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	default: return strerror(e);
	}
}

static int dev_open(void)
{
	int fd = open(SCST_USER_DEV_PATH, O_RDWR);

	if (fd < 0) {
		perror(SCST_USER_DEV_PATH);
		exit(2);
	}
	return fd;
}

static void reg_init(struct scst_user_register *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->abi_version = SCST_USER_ABI_VERSION;
	r->block_size = 512;
	r->nr_blocks = 2048;
	r->queue_depth = 8;
	r->slot_size = 1 << 20;
	snprintf(r->name, sizeof(r->name), "%s", name);
}

static int do_reg(int fd, struct scst_user_register *r)
{
	return ioctl(fd, SCST_USER_REGISTER, r) ? errno : 0;
}

static int cmd_reg(int argc, char **argv)
{
	struct scst_user_register r;
	int i, fd = dev_open();

	reg_init(&r, argv[0]);
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		unsigned long long v;

		if (!eq)
			return 2;
		*eq = 0;
		v = strtoull(eq + 1, NULL, 0);
		if (!strcmp(argv[i], "abi_version"))
			r.abi_version = v;
		else if (!strcmp(argv[i], "type"))
			r.type = v;
		else if (!strcmp(argv[i], "flags"))
			r.flags = v;
		else if (!strcmp(argv[i], "block_size"))
			r.block_size = v;
		else if (!strcmp(argv[i], "nr_blocks"))
			r.nr_blocks = v;
		else if (!strcmp(argv[i], "queue_depth"))
			r.queue_depth = v;
		else if (!strcmp(argv[i], "slot_size"))
			r.slot_size = v;
		else if (!strcmp(argv[i], "name"))
			snprintf(r.name, sizeof(r.name), "%s", eq + 1);
		else
			return 2;
	}
	printf("%s\n", errname(do_reg(fd, &r)));
	return 0;
}

static int cmd_reg_twice(char *name)
{
	struct scst_user_register r;
	int fd = dev_open(), e;

	reg_init(&r, name);
	e = do_reg(fd, &r);
	if (e) {
		printf("first %s\n", errname(e));
		return 1;
	}
	snprintf(r.name, sizeof(r.name), "%s_2", name);
	printf("%s\n", errname(do_reg(fd, &r)));
	return 0;
}

/* prints: wrong-size wrong-offset private right, e.g. EINVAL EINVAL EINVAL OK */
static int cmd_mmap(char *name)
{
	struct scst_user_register r;
	int fd = dev_open(), e;
	void *p;
	long pg = sysconf(_SC_PAGESIZE);

	reg_init(&r, name);
	e = do_reg(fd, &r);
	if (e) {
		printf("register %s\n", errname(e));
		return 1;
	}
	p = mmap(NULL, r.mmap_len + pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("%s ", p == MAP_FAILED ? errname(errno) : "OK");
	p = mmap(NULL, r.mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pg);
	printf("%s ", p == MAP_FAILED ? errname(errno) : "OK");
	p = mmap(NULL, r.mmap_len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("%s ", p == MAP_FAILED ? errname(errno) : "OK");
	p = mmap(NULL, r.mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("%s\n", p == MAP_FAILED ? errname(errno) : "OK");
	return 0;
}

/* prints the errno of the call and the nr_replies the kernel gave back */
static int cmd_bad_reply(char *name)
{
	struct scst_user_register r;
	struct scst_user_reply rep;
	struct scst_user_get g;
	int fd = dev_open(), e;

	reg_init(&r, name);
	e = do_reg(fd, &r);
	if (e) {
		printf("register %s\n", errname(e));
		return 1;
	}
	memset(&rep, 0, sizeof(rep));
	rep.handle = 0x12345;
	memset(&g, 0, sizeof(g));
	g.replies = (uintptr_t)&rep;
	g.nr_replies = 1;
	g.flags = SCST_USER_GET_NONBLOCK;
	e = ioctl(fd, SCST_USER_REPLY_AND_GET, &g) ? errno : 0;
	printf("%s %u\n", errname(e), g.nr_replies);
	return 0;
}

/* --- the RAM disk --- */

static uint8_t *disk;
static uint64_t nr_blocks, max_blocks;
static uint32_t bs, slot_size;
static volatile sig_atomic_t resize;

static void on_usr1(int sig)
{
	(void)sig;
	resize = 1;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

static void sense(struct scst_user_reply *rep, uint8_t key, uint8_t asc, uint8_t ascq)
{
	rep->status = 2;
	rep->sense_len = 18;
	memset(rep->sense, 0, 18);
	rep->sense[0] = 0x70;
	rep->sense[2] = key;
	rep->sense[7] = 10;
	rep->sense[12] = asc;
	rep->sense[13] = ascq;
}

static uint32_t inquiry(const uint8_t *cdb, uint8_t *buf, const char *name,
			struct scst_user_reply *rep)
{
	if (cdb[1] & 1) {
		switch (cdb[2]) {
		case 0x00:
			buf[3] = 3;
			buf[4] = 0x00;
			buf[5] = 0x80;
			buf[6] = 0xb0;
			return 7;
		case 0xb0:	/* Block Limits: the slot size */
			buf[1] = 0xb0;
			buf[3] = 0x3c;
			put_be(buf + 8, slot_size / bs, 4);
			put_be(buf + 12, slot_size / bs, 4);
			return 64;
		case 0x80:
			buf[1] = 0x80;
			buf[3] = strlen(name);
			memcpy(buf + 4, name, buf[3]);
			return 4 + buf[3];
		default:
			sense(rep, 5, 0x24, 0);
			return 0;
		}
	}
	if (cdb[2]) {
		sense(rep, 5, 0x24, 0);
		return 0;
	}
	buf[2] = 6;	/* SPC-4 */
	buf[3] = 2;
	buf[4] = 31;
	buf[7] = 0x02;	/* CMDQUE */
	memcpy(buf + 8, "UCLIENT ", 8);
	memcpy(buf + 16, "RAM TEST DISK   ", 16);
	memcpy(buf + 32, "0001", 4);
	return 36;
}

static int rw(const uint8_t *cdb, uint8_t *buf, struct scst_user_msg *m,
	      struct scst_user_reply *rep)
{
	int is16 = cdb[0] == 0x88 || cdb[0] == 0x8a;
	uint64_t lba = is16 ? get_be(cdb + 2, 8) : get_be(cdb + 2, 4);
	uint64_t n = is16 ? get_be(cdb + 10, 4) : get_be(cdb + 7, 2);
	uint64_t len = n * bs;

	if (lba + n > nr_blocks || len > m->data_len) {
		sense(rep, 5, 0x21, 0);
		return 0;
	}
	if (cdb[0] == 0x28 || cdb[0] == 0x88) {
		memcpy(buf, disk + lba * bs, len);
		rep->resp_len = len;
	} else {
		memcpy(disk + lba * bs, buf, len);
	}
	return 0;
}

static void exec(struct scst_user_msg *m, uint8_t *area, const char *name,
		 struct scst_user_reply *rep)
{
	const uint8_t *cdb = m->cdb;
	uint8_t *buf = area + m->buf_off;
	uint32_t n;

	memset(rep, 0, sizeof(*rep));
	rep->handle = m->handle;
	switch (cdb[0]) {
	case 0x00:	/* TEST UNIT READY */
		break;
	case 0x12:	/* INQUIRY */
		memset(buf, 0, m->data_len);
		n = inquiry(cdb, buf, name, rep);
		rep->resp_len = n < m->data_len ? n : m->data_len;
		break;
	case 0x25:	/* READ CAPACITY(10) */
		memset(buf, 0, 8);
		put_be(buf, nr_blocks - 1 > 0xffffffffULL ? 0xffffffff : nr_blocks - 1, 4);
		put_be(buf + 4, bs, 4);
		rep->resp_len = m->data_len < 8 ? m->data_len : 8;
		break;
	case 0x9e:	/* SERVICE ACTION IN(16) */
		if ((cdb[1] & 0x1f) != 0x10) {
			sense(rep, 5, 0x20, 0);
			break;
		}
		memset(buf, 0, 32);
		put_be(buf, nr_blocks - 1, 8);
		put_be(buf + 8, bs, 4);
		rep->resp_len = m->data_len < 32 ? m->data_len : 32;
		break;
	case 0x28: case 0x2a: case 0x88: case 0x8a:
		rw(cdb, buf, m, rep);
		break;
	default:
		sense(rep, 5, 0x20, 0);
		break;
	}
}

static int is_rw(uint8_t op)
{
	return op == 0x28 || op == 0x2a || op == 0x88 || op == 0x8a;
}

static int cmd_serve(char *name, uint64_t blocks, uint32_t blksz)
{
	static struct scst_user_msg msgs[BATCH];
	static struct scst_user_reply reps[BATCH];
	const char *hold = getenv("UCLIENT_HOLD");
	struct scst_user_register r;
	struct scst_user_get g;
	uint8_t *area;
	int fd = dev_open(), e, i, n;

	bs = blksz;
	nr_blocks = blocks;
	max_blocks = 2 * blocks;
	disk = calloc(max_blocks, bs);
	if (!disk)
		return 2;
	reg_init(&r, name);
	r.block_size = bs;
	r.nr_blocks = nr_blocks;
	r.queue_depth = 16;
	r.slot_size = 1 << 20;
	slot_size = r.slot_size;
	e = do_reg(fd, &r);
	if (e) {
		printf("register %s\n", errname(e));
		return 1;
	}
	area = mmap(NULL, r.mmap_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	signal(SIGUSR1, on_usr1);
	printf("registered %s pid %d\n", name, getpid());
	fflush(stdout);

	memset(&g, 0, sizeof(g));
	g.msgs = (uintptr_t)msgs;
	g.max_msgs = BATCH;
	g.replies = (uintptr_t)reps;
	n = 0;
	for (;;) {
		g.nr_replies = n;
		if (ioctl(fd, SCST_USER_REPLY_AND_GET, &g)) {
			if (errno == EINTR) {
				/* the replies taken stay taken */
				memmove(reps, reps + g.nr_replies,
					(n - g.nr_replies) * sizeof(reps[0]));
				n -= g.nr_replies;
				if (resize) {
					uint64_t nb = max_blocks;

					resize = 0;
					if (ioctl(fd, SCST_USER_SET_CAPACITY, &nb))
						perror("SET_CAPACITY");
					else
						nr_blocks = nb;
					printf("resized %llu\n",
					       (unsigned long long)nb);
					fflush(stdout);
				}
				continue;
			}
			perror("REPLY_AND_GET");
			return 1;
		}
		n = 0;
		for (i = 0; i < (int)g.nr_msgs; i++) {
			struct scst_user_msg *m = &msgs[i];

			switch (m->kind) {
			case SCST_USER_MSG_EXEC:
				if (hold && is_rw(m->cdb[0]) &&
				    access(hold, F_OK) == 0) {
					printf("holding %llx\n",
					       (unsigned long long)m->handle);
					fflush(stdout);
					break;
				}
				exec(m, area, name, &reps[n++]);
				break;
			case SCST_USER_MSG_ABORT:
				printf("msg ABORT %llx\n", (unsigned long long)m->handle);
				break;
			case SCST_USER_MSG_RESET:
				printf("msg RESET\n");
				break;
			case SCST_USER_MSG_DETACH:
				printf("msg DETACH\n");
				break;
			default:
				printf("msg unknown %u\n", m->kind);
			}
			fflush(stdout);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "reg"))
		return cmd_reg(argc - 2, argv + 2);
	if (!strcmp(argv[1], "reg-twice"))
		return cmd_reg_twice(argv[2]);
	if (!strcmp(argv[1], "mmap"))
		return cmd_mmap(argv[2]);
	if (!strcmp(argv[1], "bad-reply"))
		return cmd_bad_reply(argv[2]);
	if (!strcmp(argv[1], "serve") && argc >= 4)
		return cmd_serve(argv[2], strtoull(argv[3], NULL, 0),
				 argc > 4 ? strtoul(argv[4], NULL, 0) : 512);
usage:
	fprintf(stderr, "usage: see the top of uclient.c\n");
	return 2;
}
