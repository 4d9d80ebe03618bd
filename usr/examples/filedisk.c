// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user_filedisk: a disk backed by a file (or a block device), with
 * pread/pwrite through the page cache.  The page cache is the device's
 * volatile write cache: FUA writes and SYNCHRONIZE CACHE call fdatasync.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "example.h"

const char example_usage[] =
	"usage: scst_user_filedisk -n NAME -f FILE [-s SIZE] [-b BLOCK_SIZE]\n"
	"                          [-q QUEUE_DEPTH] [-x MAX_TRANSFER]\n"
	"  FILE is created if absent (then -s is needed); -s larger than\n"
	"  a regular file extends it\n";
const bool example_needs_file = true;

static int file_fd = -1;

static int file_read(void *priv, void *buf, uint64_t off, uint64_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pread(file_fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank */
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static int file_write(void *priv, const void *buf, uint64_t off, uint64_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(file_fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static int file_flush(void *priv, uint64_t off, uint64_t len)
{
	return fdatasync(file_fd) < 0 ? -errno : 0;
}

static const struct scstu_backend file_ops = {
	.read = file_read,
	.write = file_write,
	.flush = file_flush,
};

int example_backend_open(struct example_backend *b, const char *file,
			 uint64_t size)
{
	struct stat st;
	uint64_t cur;

	if (!file)
		return -EINVAL;
	file_fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (file_fd < 0 || fstat(file_fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(file_fd, 0, SEEK_END);

		if (end < 0)
			return -errno;
		cur = (uint64_t)end;
	} else {
		cur = (uint64_t)st.st_size;
		if (size > cur && ftruncate(file_fd, (off_t)size) < 0)
			return -errno;
		if (size > cur)
			cur = size;
	}
	if (size && size < cur)
		cur = size;	/* use only the first SIZE bytes */
	b->ops = &file_ops;
	b->priv = NULL;
	b->size = cur;
	b->wce = true;
	return cur ? 0 : -EINVAL;
}

void example_backend_close(struct example_backend *b)
{
	if (file_fd >= 0) {
		fdatasync(file_fd);
		close(file_fd);
	}
}
