/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: the status model (configuration from the tree + runtime from
 * netlink) and its one rendering path, through an emitter that writes
 * either indented text or JSON.
 */
#ifndef SCSTCTL_STATUS_H
#define SCSTCTL_STATUS_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "netlink.h"
#include "schema.h"

struct status {
	const struct schema *s;
	const struct config *cfg;	/* live configuration */
	struct runtime rt;		/* from netlink (maybe unavailable) */
	struct strlist modules;		/* loaded SCST modules */
};

struct emit {
	FILE *f;
	bool json;
	int depth;
	bool first[64];
	bool in_list[64];
};

void em_begin(struct emit *e, const char *key, const char *title);
void em_end(struct emit *e);
void em_list(struct emit *e, const char *key);
void em_list_end(struct emit *e);
void em_str(struct emit *e, const char *key, const char *val);
void em_u64(struct emit *e, const char *key, uint64_t v);
void em_bool(struct emit *e, const char *key, bool v);

void status_render(FILE *f, const struct status *st, bool json);
/* Prometheus text format (metrics.c) */
void status_metrics(FILE *f, const struct status *st);
/* the modules that own the present handler/driver dirs, plus "scst" */
void status_modules(const struct schema *s, const struct config *c,
		    struct strlist *out);

#endif
