// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit test of the scst_user SBC emulation: every command the
 * emulation implements, its error paths, and the commands it must refuse,
 * on a memory backend whose calls are counted and can be made to fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scstu_sbc.h"
#include "scst_sense.h"

static int passed, failed;

#define CHECK(c) do {							\
	if (c) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d %s\n", __FILE__, __LINE__, #c);	\
	}								\
} while (0)

#define NR_BLOCKS	2048
#define BS		512
#define MAX_XFER	(64 * 1024)

static u8 media[NR_BLOCKS * BS];
static int flushes, fail_read, fail_write;

static int mem_read(void *priv, void *buf, uint64_t off, uint64_t len)
{
	if (fail_read)
		return fail_read;
	if (off + len > sizeof(media))
		abort();
	memcpy(buf, media + off, len);
	return 0;
}

static int mem_write(void *priv, const void *buf, uint64_t off, uint64_t len)
{
	if (fail_write)
		return fail_write;
	if (off + len > sizeof(media))
		abort();
	memcpy(media + off, buf, len);
	return 0;
}

static int mem_flush(void *priv, uint64_t off, uint64_t len)
{
	flushes++;
	return 0;
}

static const struct scstu_backend mem_ops = {
	.read = mem_read, .write = mem_write, .flush = mem_flush,
};

static struct scstu_sbc disk;
static u8 buf[MAX_XFER];
static struct scst_user_reply rep;

/* run one command; @len bytes of buffer (data-out already in buf) */
static int run(const u8 *cdb, unsigned int cdb_len, u32 len)
{
	struct scst_user_msg m;

	memset(&m, 0, sizeof(m));
	memset(&rep, 0xee, sizeof(rep));
	m.kind = SCST_USER_MSG_EXEC;
	m.handle = 7;
	m.cdb_len = (u8)cdb_len;
	memcpy(m.cdb, cdb, cdb_len);
	m.data_len = len;
	scstu_sbc_exec(&disk, &m, len ? buf : NULL, &rep);
	return rep.status;
}

#define RUN(len, ...) ({ const u8 c_[] = { __VA_ARGS__ };		\
	run(c_, sizeof(c_), (len)); })

/* CHECK CONDITION with this key/ASC/ASCQ? */
static bool sense_is(u8 key, u8 asc, u8 ascq)
{
	u8 k, a, q;

	return rep.status == 2 && rep.sense_len &&
	       scst_sense_decode(rep.sense, rep.sense_len, &k, &a, &q) &&
	       k == key && a == asc && q == ascq;
}

/* fixed format field pointer */
static bool field_is(u16 field)
{
	return rep.sense[0] == 0x70 && (rep.sense[15] & 0x80) &&
	       get_unaligned_be16(rep.sense + 16) == field;
}

static void test_inquiry(void)
{
	unsigned int i, off;
	bool naa = false, tport = false;

	CHECK(RUN(255, 0x12, 0, 0, 0, 255, 0) == 0 && rep.resp_len == 96);
	CHECK(buf[0] == 0 && !memcmp(buf + 8, "SCST_USR", 8) &&
	      !memcmp(buf + 16, "disk1", 5));
	CHECK(RUN(255, 0x12, 0, 0, 0, 36, 0) == 0 && rep.resp_len == 36);
	/* allocation length larger than the buffer: cut to the buffer */
	CHECK(RUN(20, 0x12, 0, 0, 0, 255, 0) == 0 && rep.resp_len == 20);
	CHECK(RUN(255, 0x12, 1, 0x00, 0, 255, 0) == 0 && buf[1] == 0);
	for (i = 0; i < buf[3]; i++)
		if (buf[4 + i] == 0x83)
			break;
	CHECK(i < buf[3]);
	CHECK(RUN(255, 0x12, 1, 0x80, 0, 255, 0) == 0 && buf[3] == 16);
	CHECK(RUN(255, 0x12, 1, 0x83, 0, 255, 0) == 0 && buf[1] == 0x83);
	CHECK(rep.resp_len == 4u + get_unaligned_be16(buf + 2));
	for (off = 4; off + 4 <= rep.resp_len; off += 4 + buf[off + 3]) {
		if ((buf[off + 1] & 0x0f) == 3 && (buf[off + 4] >> 4) == 3)
			naa = true;
		if ((buf[off + 1] >> 4) & 3)
			tport = true;
	}
	CHECK(naa && !tport);
	CHECK(off == rep.resp_len);
	CHECK(RUN(255, 0x12, 1, 0xb0, 0, 255, 0) == 0 &&
	      get_unaligned_be32(buf + 8) == MAX_XFER / BS);
	CHECK(RUN(255, 0x12, 1, 0xb2, 0, 255, 0) == 0 && !(buf[5] & 0x80));
	CHECK(RUN(255, 0x12, 1, 0xc0, 0, 255, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(2));
	/* a page code without EVPD */
	CHECK(RUN(255, 0x12, 0, 0x80, 0, 255, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(2));
	CHECK(rep.resp_len == 0);
}

static void test_capacity(void)
{
	CHECK(RUN(8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0) == 0 &&
	      rep.resp_len == 8 && get_unaligned_be32(buf) == NR_BLOCKS - 1 &&
	      get_unaligned_be32(buf + 4) == BS);
	CHECK(RUN(8, 0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0) == 2 &&
	      sense_is(5, 0x24, 0));
	CHECK(RUN(32, 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0) ==
	      0 && rep.resp_len == 32 &&
	      get_unaligned_be64(buf) == NR_BLOCKS - 1 &&
	      get_unaligned_be32(buf + 8) == BS);
	CHECK(RUN(32, 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0) ==
	      0 && rep.resp_len == 12);
	/* another SERVICE ACTION IN(16) action: not implemented */
	CHECK(RUN(32, 0x9e, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0) ==
	      2 && rep.sense_len);
}

/* find a mode page in MODE SENSE(6) data */
static const u8 *mode_page(u8 code)
{
	unsigned int off = 4 + buf[3];

	while (off + 2 <= rep.resp_len) {
		if ((buf[off] & 0x3f) == code)
			return buf + off;
		off += 2 + buf[off + 1];
	}
	return NULL;
}

static void test_mode_sense(void)
{
	const u8 *p;

	CHECK(RUN(255, 0x1a, 0, 0x3f, 0, 255, 0) == 0 &&
	      rep.resp_len == buf[0] + 1u);
	CHECK(buf[3] == 8 && get_unaligned_be32(buf + 4) == NR_BLOCKS &&
	      get_unaligned_be24(buf + 9) == BS);
	p = mode_page(0x08);
	CHECK(p && (p[2] & 0x04));	/* WCE */
	CHECK(mode_page(0x0a) != NULL);
	CHECK(RUN(255, 0x1a, 0x08, 0x0a, 0, 255, 0) == 0 && buf[3] == 0 &&
	      buf[4] == 0x0a);
	CHECK(RUN(255, 0x5a, 0, 0x08, 0, 0, 0, 0, 0, 255, 0) == 0 &&
	      get_unaligned_be16(buf) + 2u == rep.resp_len);
	CHECK(RUN(255, 0x1a, 0, 0xc8, 0, 255, 0) == 2 &&
	      sense_is(5, 0x39, 0));
	CHECK(RUN(255, 0x1a, 0, 0x08, 1, 255, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(3));
	CHECK(RUN(255, 0x1a, 0, 0x1d, 0, 255, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(2));
	disk.wce = false;
	CHECK(RUN(255, 0x1a, 0, 0x08, 0, 255, 0) == 0 &&
	      (p = mode_page(0x08)) && !(p[2] & 0x04));
	disk.wce = true;
}

static void fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 7 + (i >> 9));
}

static void test_rw(void)
{
	u8 pat[8 * BS];

	fill(pat, sizeof(pat), 1);
	memcpy(buf, pat, sizeof(pat));
	CHECK(RUN(8 * BS, 0x2a, 0, 0, 0, 0, 100, 0, 0, 8, 0) == 0 &&
	      rep.resp_len == 0);
	CHECK(!memcmp(media + 100 * BS, pat, sizeof(pat)));
	memset(buf, 0, sizeof(buf));
	CHECK(RUN(8 * BS, 0x28, 0, 0, 0, 0, 100, 0, 0, 8, 0) == 0 &&
	      rep.resp_len == 8 * BS && !memcmp(buf, pat, sizeof(pat)));
	memset(buf, 0, sizeof(buf));
	CHECK(RUN(BS, 0x08, 0, 0, 101, 1, 0) == 0 && rep.resp_len == BS &&
	      !memcmp(buf, pat + BS, BS));
	CHECK(RUN(2 * BS, 0xa8, 0, 0, 0, 0, 102, 0, 0, 0, 2, 0, 0) == 0 &&
	      !memcmp(buf, pat + 2 * BS, 2 * BS));
	CHECK(RUN(BS, 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 107, 0, 0, 0, 1, 0, 0) ==
	      0 && !memcmp(buf, pat + 7 * BS, BS));
	fill(buf, BS, 9);
	CHECK(RUN(BS, 0x0a, 0, 0x07, 0xff, 1, 0) == 0 &&
	      !memcmp(media + 2047 * BS, buf, BS));
	fill(buf, 2 * BS, 3);
	CHECK(RUN(2 * BS, 0xaa, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0) == 0 &&
	      !memcmp(media + 10 * BS, buf, 2 * BS));
	CHECK(RUN(2 * BS, 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0) ==
	      0 && !memcmp(media + 20 * BS, buf, 2 * BS));
	/* transfer length 0: nothing moved, GOOD */
	CHECK(RUN(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0) == 0);
	/* shorter buffer than the CDB says on a read: residual */
	CHECK(RUN(BS, 0x28, 0, 0, 0, 0, 100, 0, 0, 2, 0) == 0 &&
	      rep.resp_len == BS);
	/*
	 * shorter buffer on a write (the kernel trimmed it to the whole
	 * blocks the initiator sent): those blocks only
	 */
	memcpy(media + 30 * BS, pat, 2 * BS);
	memset(buf, 0x55, sizeof(buf));
	CHECK(RUN(BS, 0x2a, 0, 0, 0, 0, 30, 0, 0, 2, 0) == 0 &&
	      media[30 * BS] == 0x55 && media[31 * BS - 1] == 0x55 &&
	      !memcmp(media + 31 * BS, pat + BS, BS));
	CHECK(RUN(0, 0x2a, 0, 0, 0, 0, 31, 0, 0, 1, 0) == 0 &&
	      !memcmp(media + 31 * BS, pat + BS, BS));
	/* not a whole block: refused, nothing written */
	memset(buf, 0x66, sizeof(buf));
	CHECK(RUN(BS + 100, 0x2a, 0, 0, 0, 0, 30, 0, 0, 2, 0) == 2 &&
	      sense_is(5, 0x0e, 0x03) && media[30 * BS] == 0x55 &&
	      !memcmp(media + 31 * BS, pat + BS, BS));
}

static void test_range(void)
{
	CHECK(RUN(2 * BS, 0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0) == 2 &&
	      sense_is(5, 0x21, 0));
	CHECK(RUN(BS, 0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0) == 2 &&
	      sense_is(5, 0x21, 0));
	CHECK(RUN(BS, 0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0, 0, 0, 1, 0, 0) == 2 && sense_is(5, 0x21, 0));
	CHECK(RUN(BS, 0x2a, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0) == 2 &&
	      sense_is(5, 0x21, 0));
	/* an LBA of exactly the capacity with length 0 is in range */
	CHECK(RUN(0, 0x28, 0, 0, 0, 0x08, 0x00, 0, 0, 0, 0) == 0);
	CHECK(RUN(BS, 0x2f, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0) == 2 &&
	      sense_is(5, 0x21, 0));
	/* longer than the block limits: INVALID FIELD, transfer length */
	CHECK(RUN(MAX_XFER, 0x28, 0, 0, 0, 0, 0, 0, 0x01, 0, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(7));
}

static void test_refused(void)
{
	/* opcodes the decoder does not know for a disk */
	CHECK(RUN(0, 0xc0, 0, 0, 0, 0, 0) == 2 && sense_is(5, 0x20, 0));
	CHECK(RUN(0, 0x01, 0, 0, 0, 0, 0) == 2 && sense_is(5, 0x20, 0));
	/* known commands the emulation does not implement */
	CHECK(RUN(255, 0x15, 0x10, 0, 0, 12, 0) == 2 && sense_is(5, 0x20, 0));
	CHECK(RUN(24, 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0) == 2 &&
	      sense_is(5, 0x20, 0));
	CHECK(RUN(255, 0x4d, 0, 0x40, 0, 0, 0, 0, 0, 255, 0) == 2 &&
	      sense_is(5, 0x20, 0));
	/* a reserved bit */
	CHECK(RUN(BS, 0x28, 0x01, 0, 0, 0, 0, 0, 0, 1, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(1));
	/* a CDB shorter than its opcode's */
	CHECK(RUN(0, 0x28, 0, 0, 0) == 2 && rep.sense_len);
	CHECK(RUN(0, 0x00, 0, 0, 0, 0, 0) == 0 && rep.sense_len == 0);
	CHECK(RUN(0, 0x1b, 0, 0, 0, 1, 0) == 0);
	CHECK(RUN(0, 0x1b, 0, 0, 0, 0, 0) == 0);
}

static void test_cache(void)
{
	int f = flushes;

	fill(buf, BS, 5);
	CHECK(RUN(BS, 0x2a, 0x08, 0, 0, 0, 40, 0, 0, 1, 0) == 0 &&
	      flushes == f + 1);
	CHECK(RUN(BS, 0x2a, 0x00, 0, 0, 0, 40, 0, 0, 1, 0) == 0 &&
	      flushes == f + 1);
	CHECK(RUN(0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0) == 0 && flushes == f + 2);
	CHECK(RUN(0, 0x91, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0) == 0 &&
	      flushes == f + 3);
	CHECK(RUN(0, 0x35, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0) == 2 &&
	      sense_is(5, 0x21, 0) && flushes == f + 3);
	disk.wce = false;
	CHECK(RUN(0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0) == 0 && flushes == f + 3);
	CHECK(RUN(BS, 0x2a, 0x08, 0, 0, 0, 40, 0, 0, 1, 0) == 0 &&
	      flushes == f + 3);
	disk.wce = true;
}

static void test_verify(void)
{
	fill(media + 50 * BS, 4 * BS, 11);
	CHECK(RUN(0, 0x2f, 0, 0, 0, 0, 50, 0, 0, 4, 0) == 0);
	memcpy(buf, media + 50 * BS, 4 * BS);
	CHECK(RUN(4 * BS, 0x2f, 0x02, 0, 0, 0, 50, 0, 0, 4, 0) == 0);
	buf[2 * BS + 17] ^= 1;
	CHECK(RUN(4 * BS, 0x2f, 0x02, 0, 0, 0, 50, 0, 0, 4, 0) == 2 &&
	      sense_is(0x0e, 0x1d, 0) && (rep.sense[0] & 0x80) &&
	      get_unaligned_be32(rep.sense + 3) == 2 * BS + 17);
	CHECK(RUN(4 * BS, 0x8f, 0x02, 0, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 4, 0,
		  0) == 2 && sense_is(0x0e, 0x1d, 0));
	/* a trimmed buffer: the blocks it holds are compared */
	CHECK(RUN(2 * BS, 0x2f, 0x02, 0, 0, 0, 50, 0, 0, 4, 0) == 0);
	CHECK(RUN(4 * BS, 0x2f, 0x04, 0, 0, 0, 50, 0, 0, 4, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(1));
	memset(media + 60 * BS, 0xa5, 3 * BS);
	memset(buf, 0xa5, BS);
	CHECK(RUN(BS, 0x2f, 0x06, 0, 0, 0, 60, 0, 0, 3, 0) == 0);
	media[62 * BS + 3] = 0;
	CHECK(RUN(BS, 0x2f, 0x06, 0, 0, 0, 60, 0, 0, 3, 0) == 2 &&
	      sense_is(0x0e, 0x1d, 0));
}

static void test_write_same(void)
{
	u32 i;
	bool ok = true;

	memset(media + 200 * BS, 0xff, 300 * BS);
	fill(buf, BS, 77);
	CHECK(RUN(BS, 0x41, 0, 0, 0, 0, 200, 0, 0x01, 0x2c, 0) == 0);
	for (i = 0; i < 300; i++)
		ok = ok && !memcmp(media + (200 + i) * BS, buf, BS);
	CHECK(ok);
	CHECK(RUN(0, 0x93, 0x01, 0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 10, 0, 0) ==
	      0 && media[200 * BS] == 0 && media[210 * BS - 1] == 0 &&
	      media[210 * BS] != 0);
	CHECK(RUN(BS, 0x41, 0, 0, 0, 0, 200, 0, 0, 0, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(7));
	CHECK(RUN(BS, 0x41, 0x10, 0, 0, 0, 200, 0, 0, 1, 0) == 2 &&
	      sense_is(5, 0x24, 0));
	CHECK(RUN(BS, 0x41, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0) == 2 &&
	      sense_is(5, 0x21, 0));
	/* UNMAP without thin provisioning (LBPWS=0): refused, not written */
	memset(media + 220 * BS, 0x11, BS);
	fill(buf, BS, 1);
	CHECK(RUN(BS, 0x41, 0x08, 0, 0, 0, 220, 0, 0, 1, 0) == 2 &&
	      sense_is(5, 0x24, 0) && field_is(1) && media[220 * BS] == 0x11);
	CHECK(RUN(BS, 0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 220, 0, 0, 0, 1, 0, 0) ==
	      2 && sense_is(5, 0x24, 0) && media[220 * BS] == 0x11);
}

static void test_errors(void)
{
	fail_read = -EIO;
	CHECK(RUN(BS, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0) == 2 &&
	      sense_is(3, 0x11, 0) && rep.resp_len == 0);
	fail_read = 0;
	fail_write = -ENOSPC;
	CHECK(RUN(BS, 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0) == 2 &&
	      sense_is(3, 0x0c, 0));
	fail_write = -ENOMEM;
	CHECK(RUN(BS, 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0) == 8 &&
	      rep.sense_len == 0);
	fail_write = 0;
	disk.d_sense = true;
	CHECK(RUN(0, 0xc0, 0, 0, 0, 0, 0) == 2 && rep.sense[0] == 0x72 &&
	      sense_is(5, 0x20, 0));
	disk.d_sense = false;
}

static void test_helpers(void)
{
	struct scst_user_reply r;

	memset(&r, 0, sizeof(r));
	scstu_reply_sense(&r, false, 5, 0x24, 0);
	CHECK(r.status == 2 && r.sense_len == 18 && r.sense[0] == 0x70 &&
	      r.sense[2] == 5 && r.sense[12] == 0x24);
	CHECK(scstu_reply_field(&r, true, 9, 3) == 0 &&
	      r.sense[15] == (0x80 | 0x40 | 0x08 | 3) && r.sense[17] == 9);
	CHECK(scstu_reply_info(&r, 0x1234) == 0 && (r.sense[0] & 0x80) &&
	      get_unaligned_be32(r.sense + 3) == 0x1234);
	scstu_reply_good(&r, 12);
	CHECK(r.status == 0 && r.sense_len == 0 && r.resp_len == 12);
	scstu_reply_sense(&r, true, 4, 0x08, 0);
	CHECK(r.sense[0] == 0x72 && r.sense[1] == 4 && r.sense_len == 8);
}

int main(void)
{
	CHECK(scstu_sbc_init(&disk, "disk1", 500, NR_BLOCKS, MAX_XFER, true,
			     &mem_ops, NULL) == -EINVAL);
	CHECK(scstu_sbc_init(&disk, "disk1", BS, NR_BLOCKS, MAX_XFER, true,
			     &mem_ops, NULL) == 0);
	test_inquiry();
	test_capacity();
	test_mode_sense();
	test_rw();
	test_range();
	test_refused();
	test_cache();
	test_verify();
	test_write_same();
	test_errors();
	test_helpers();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
