/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: a reader of the configuration syntax of upstream SCST's
 * scstadmin (for `scstctl import-scstadmin`). Pure: a buffer in, a tree
 * out, no I/O and no schema.
 *
 * The syntax, as this reader takes it: statements, one a line, of a
 * keyword and its arguments (words or "quoted strings", \" and \\
 * escaped in them); '#' to the end of the line is a comment; a
 * statement whose last token is '{' owns the statements up to the
 * matching '}' (a '{' alone on the next line counts too):
 *
 *	HANDLER vdisk_fileio {
 *		DEVICE disk1 {
 *			filename /srv/disk1.img
 *		}
 *	}
 *
 * Bounds: SA_MAX_DEPTH levels, SA_MAX_ARGS arguments a statement,
 * SA_MAX_TOKEN bytes a token, SA_MAX_NODES statements.
 */
#ifndef SCSTCTL_SA_PARSE_H
#define SCSTCTL_SA_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define SA_MAX_DEPTH	16
#define SA_MAX_ARGS	64
#define SA_MAX_TOKEN	4096
#define SA_MAX_NODES	200000

struct sa_node {
	char *key;
	char **args;
	int nargs;
	int line;
	bool block;		/* had { ... } (kids may still be empty) */
	struct sa_node *kids;
	int nkids, capk;
};

/*
 * Parse len bytes of buf. Returns the root (key NULL, its kids the
 * top-level statements) or NULL with "LINE: reason" in err.
 */
struct sa_node *sa_parse(const char *buf, size_t len, char *err, size_t errlen);
void sa_free(struct sa_node *root);
/* the text looks like scstadmin syntax (a HANDLER/TARGET_DRIVER/DEVICE_GROUP block) */
bool sa_looks_like(const char *buf, size_t len);

#endif
