// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user_ramdisk: a RAM disk served from user space.  The memory is
 * anonymous and zero-filled; everything is lost when the process exits.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "example.h"

const char example_usage[] =
	"usage: scst_user_ramdisk -n NAME -s SIZE [-b BLOCK_SIZE] [-q QUEUE_DEPTH]\n"
	"                         [-x MAX_TRANSFER]\n";
const bool example_needs_file;

struct ram {
	uint8_t *mem;
	uint64_t size;
};

static struct ram ram;

static int ram_read(void *priv, void *buf, uint64_t off, uint64_t len)
{
	struct ram *r = priv;

	memcpy(buf, r->mem + off, len);
	return 0;
}

static int ram_write(void *priv, const void *buf, uint64_t off, uint64_t len)
{
	struct ram *r = priv;

	memcpy(r->mem + off, buf, len);
	return 0;
}

static const struct scstu_backend ram_ops = {
	.read = ram_read,
	.write = ram_write,
};

int example_backend_open(struct example_backend *b, const char *file,
			 uint64_t size)
{
	void *p;

	if (file || !size)
		return -EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	ram.mem = p;
	ram.size = size;
	b->ops = &ram_ops;
	b->priv = &ram;
	b->size = size;
	b->wce = false;
	return 0;
}

void example_backend_close(struct example_backend *b)
{
	munmap(ram.mem, ram.size);
}
