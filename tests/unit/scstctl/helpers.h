/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl unit tests: shared helpers */
#ifndef SCSTCTL_TEST_HELPERS_H
#define SCSTCTL_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "apply.h"
#include "diff.h"
#include "live.h"
#include "parse.h"
#include "tree.h"

extern struct schema *test_schema;
/* when set: diffs use it as what scstctl made, applies record into it */
extern struct owned *test_owned;
extern bool test_keep_unlisted;

/* load $SCST_SCHEMA once */
struct schema *schema_get(void);
/* parse a config from a string; el collects errors */
struct config *conf_str(const char *text, struct errlist *el);
/* a temp dir with a fake configfs tree; rm_tree removes it */
struct tree *fake_tree(void);
void rm_tree(struct tree *t);
/* diff text against the live tree; plan printed into a malloc'd string */
char *plan_text(struct tree *t, const char *conf, bool prune);
char *plan_text_wo(struct tree *t, const char *conf, bool prune,
		   struct wostate *wo);
/* parse, diff and apply; returns apply_plan's result */
int apply_text(struct tree *t, const char *conf, struct wostate *wo, bool prune);
/* a textual, sorted snapshot of everything under the root */
char *snapshot(struct tree *t);
char *read_file(const char *path);

/* fault injection: the Kth mutating op (1-based) fails with err */
struct tree *faulty_tree(struct tree *inner, int k, int err);
int faulty_count(struct tree *f);



#endif
