/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: an ordered list of filesystem steps (the output of diff) */
#ifndef SCSTCTL_PLAN_H
#define SCSTCTL_PLAN_H

#include <stdio.h>

#include "util.h"

enum step_op { S_MODPROBE, S_MKDIR, S_RMDIR, S_WRITE, S_SYMLINK, S_UNLINK };

struct step {
	enum step_op op;
	char *path;		/* relative path; module name for S_MODPROBE */
	char *val;		/* S_WRITE: value; S_SYMLINK: link target */
	char *old;		/* S_WRITE: value before (NULL = unknown) */
	char *note;		/* why (disruptive steps) */
	bool disruptive;
	bool secret;		/* mask val/old when printing */
};

struct plan {
	struct step *v;
	int n, cap;
	int failed;		/* apply_plan: index of the failed step, or -1 */
};

struct step *plan_add(struct plan *p, enum step_op op, const char *path,
		      const char *val);
const char *step_op_name(enum step_op op);
/* one line per step: "  op path ..." ("! " prefix = disruptive) */
void step_print(FILE *f, const struct step *s);
/* all steps, then "N changes (M disruptive)" */
void plan_print(FILE *f, const struct plan *p);
int plan_disruptive(const struct plan *p);
/* {"changes": N, "disruptive": M, "steps": [...]} */
void plan_print_json(FILE *f, const struct plan *p);
void plan_free(struct plan *p);

#endif
