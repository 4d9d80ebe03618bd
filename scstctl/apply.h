/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: apply a plan through the ops table. Every step done is
 * recorded with its inverse (rmdir what was made, restore the old value,
 * unlink a new link, re-link an old one, re-create a removed object with
 * its attribute values); when a step fails, the inverses run in reverse
 * order so that the tree is as before.
 */
#ifndef SCSTCTL_APPLY_H
#define SCSTCTL_APPLY_H

#include <stdio.h>

#include "plan.h"
#include "tree.h"
#include "util.h"
#include "wostate.h"

/*
 * log: where executed steps are echoed (NULL = quiet).
 * Returns 0, or -1 with "step K/N ... : strerror" and rollback problems
 * in el; p->failed is the index of the failed step (-1 when none).
 * wo (may be NULL) is updated with written write-only values.
 */
int apply_plan(struct tree *t, struct plan *p, struct wostate *wo,
	       FILE *log, struct errlist *el);

#endif
