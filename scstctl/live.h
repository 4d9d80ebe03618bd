/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: live configfs tree -> model */
#ifndef SCSTCTL_LIVE_H
#define SCSTCTL_LIVE_H

#include "model.h"
#include "tree.h"
#include "wostate.h"

/*
 * Read the whole tree. Readable attributes are stored raw (trailing
 * newline stripped); write-only ones are filled in from the wo-state
 * (values scstctl itself wrote this boot) when known. Read errors are
 * reported as "path: message" in el.
 */
struct config *live_read(struct tree *t, const struct wostate *wo,
			 struct errlist *el);

/* "../../../../../handlers/<h>/<d>": link target for a LUN dir path */
char *lun_link_target(const char *lun_dir, const char *handler,
		      const char *device);

#endif
