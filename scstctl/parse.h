/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: scst.conf (libconfig syntax) -> model, with validation */
#ifndef SCSTCTL_PARSE_H
#define SCSTCTL_PARSE_H

#include "model.h"
#include "schema.h"

/*
 * Parse and validate. Errors and warnings go to el as
 * "FILE:LINE: key: message". The model is returned even when el has
 * errors (it may be incomplete); callers must check el->nerr.
 * path "-" reads standard input.
 */
struct config *parse_file(const struct schema *s, const char *path,
			  struct errlist *el);
struct config *parse_buf(const struct schema *s, const char *buf, size_t len,
			 const char *name, struct errlist *el);

/* cross-object checks (validate.c), called by parse_*() */
void validate_config(const struct schema *s, const struct config *c,
		     struct errlist *el);

/* names and addresses as the kernel checks them (validate_names.c) */
void validate_names(const struct config *c, struct errlist *el);
const char *iscsi_name_error(const char *name);
const char *iscsi_name_warning(const char *name);
const char *portal_error(const char *portal);
/* check: backing files and block devices exist (not run with --offline) */
void validate_host(const struct config *c, struct errlist *el);

#endif
