/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: subcommands */
#ifndef SCSTCTL_CMD_H
#define SCSTCTL_CMD_H

#include "model.h"
#include "owned.h"
#include "schema.h"
#include "tree.h"
#include "wostate.h"

struct ctx {
	const char *root;		/* --root or NULL */
	const char *schema_path;
	struct schema *s;
	struct tree *t;
	struct wostate wo;
	struct owned owned;	/* objects scstctl made */
	char *statedir;
	int lockfd;
};

struct cmd {
	const char *name;
	int (*fn)(struct ctx *c, int argc, char **argv);
	const char *usage;
	const char *help;
};

extern const struct cmd commands[];

/* helpers for commands: 0 or an error already printed */
int ctx_schema(struct ctx *c);
int ctx_tree(struct ctx *c, bool lock);
struct config *ctx_live(struct ctx *c);
/* parse options of a subcommand; --help prints the usage and exits */
int sub_getopt(const struct cmd *cmd, int argc, char **argv,
	       const char *shortopts, const void *longopts);

int cmd_check(struct ctx *c, int argc, char **argv);
int cmd_diff(struct ctx *c, int argc, char **argv);
int cmd_apply(struct ctx *c, int argc, char **argv);
int cmd_clear(struct ctx *c, int argc, char **argv);
int cmd_dump(struct ctx *c, int argc, char **argv);
int cmd_save(struct ctx *c, int argc, char **argv);
int cmd_status(struct ctx *c, int argc, char **argv);
int cmd_monitor(struct ctx *c, int argc, char **argv);
int cmd_schema_check(struct ctx *c, int argc, char **argv);
int cmd_schema_doc(struct ctx *c, int argc, char **argv);
int cmd_fake_init(struct ctx *c, int argc, char **argv);
int cmd_import(struct ctx *c, int argc, char **argv);
int cmd_help(struct ctx *c, int argc, char **argv);
int cmd_metrics(struct ctx *c, int argc, char **argv);

const struct cmd *cmd_find(const char *name);

#endif
