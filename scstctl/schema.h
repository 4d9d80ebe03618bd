/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: the configfs schema (configfs-schema/scst.schema), loaded at
 * run time from --schema, $SCST_SCHEMA or SCST_SCHEMA_PATH.
 */
#ifndef SCSTCTL_SCHEMA_H
#define SCSTCTL_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#ifndef SCST_SCHEMA_PATH
#define SCST_SCHEMA_PATH "/usr/share/scst/scst.schema"
#endif

enum sc_type { T_BOOL, T_INT, T_SIZE, T_STRING, T_ENUM, T_SECRET, T_HEX, T_TEXT };
enum sc_created { C_KERNEL, C_MKDIR, C_SYMLINK };

#define ACC_R 1
#define ACC_W 2

struct sc_attr {
	char *name;
	enum sc_type type;
	long long min, max;		/* int, size */
	int min_len, max_len;		/* string, secret */
	char **values;			/* enum */
	int nvalues;
	int digits[2];			/* hex: allowed digit counts */
	bool naa, allow_empty;
	int access;			/* ACC_R | ACC_W */
	char *def;			/* static default or NULL */
	char *dynamic;			/* how the default is computed */
	bool creation, required, action;
	char *desc;
};

struct sc_placeholder {
	char *name;
	enum sc_type type;		/* T_STRING or T_INT */
	long long min, max;
	int min_len, max_len;
	char *charset;
	char *desc;
};

struct sc_object {
	char *path;
	char **segs;
	int nsegs;
	enum sc_created created;
	char *module;
	char *link_to;
	bool optional;
	char *desc;
	struct sc_attr *attrs;
	int nattrs;
};

struct sc_limits {
	long long max_file_size, max_devices, max_targets;
	long long max_luns_per_target, max_groups_per_target;
	long long max_initiators_per_group, max_sessions_per_target;
	long long max_portals, max_nesting;
};

struct schema {
	char *file;
	struct sc_limits lim;
	struct sc_placeholder *ph;
	int nph;
	struct sc_object *objs;
	int nobjs;
};

/* returns NULL and fills err (size n) on failure */
struct schema *schema_load(const char *path, char *err, size_t n);
void schema_free(struct schema *s);
/* --schema, then $SCST_SCHEMA, then the built-in default */
const char *schema_default_path(const char *opt);

/* object whose pattern matches a concrete relative path ("" = root) */
const struct sc_object *schema_match(const struct schema *s, const char *path);
const struct sc_object *schema_by_pattern(const struct schema *s,
					  const char *pattern);
const struct sc_attr *schema_attr(const struct sc_object *o, const char *name);
/*
 * attribute of object @pattern named by @key, which may name a
 * sub-object's attribute ("auth/userid")
 */
const struct sc_attr *schema_attr_under(const struct schema *s,
					const char *pattern, const char *key);
const struct sc_placeholder *schema_ph(const struct schema *s,
				       const char *name);

/*
 * Check a value against an attribute type and write its canonical form
 * (bool "0"/"1", decimal numbers, lower-case hex) into canon.
 * Returns 0 or fills why and returns -1.
 */
int schema_canon(const struct sc_attr *a, const char *in, char *canon,
		 size_t clen, char *why, size_t wlen);
/* check a path segment against a placeholder */
int schema_check_name(const struct sc_placeholder *p, const char *name,
		      char *why, size_t wlen);
const char *schema_type_name(enum sc_type t);
/* human-readable type, e.g. "int 1..65535" */
void schema_type_desc(const struct sc_attr *a, char *buf, size_t n);

/* handler/driver helpers */
bool schema_is_handler(const struct schema *s, const char *name);
bool schema_is_driver(const struct schema *s, const char *name);
const char *schema_module_of(const struct schema *s, const char *kpath);
/* object of the kernel child dir "sub" of a target ("auth"), if it has attrs */
const struct sc_object *schema_attr_group(const struct schema *s,
					  const char *parent_pattern,
					  const char *sub);

#endif
