/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: one scstctl at a time (flock on <state dir>/scstctl.lock) */
#ifndef SCSTCTL_LOCK_H
#define SCSTCTL_LOCK_H

#include <stddef.h>

/* returns an fd to keep open, or -errno; waits when another run holds it */
int lock_take(const char *dir, char *err, size_t n);
void lock_release(int fd);

#endif
