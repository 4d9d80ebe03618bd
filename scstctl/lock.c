// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: serialization of concurrent runs */
#include "lock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int lock_take(const char *dir, char *err, size_t n)
{
	char *path = xasprintf("%s/scstctl.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0) {
		rc = -errno;
		snprintf(err, n, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "scstctl: waiting for %s (another scstctl is running)\n",
			path);
		while (flock(fd, LOCK_EX) && errno == EINTR)
			;
	}
	free(path);
	return fd;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
