/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: the configuration model. Both /etc/scst.conf (parse.c) and the
 * live configfs tree (live.c) are turned into this; diff.c compares two.
 * Attribute values are strings; in a parsed model they are canonical
 * (see schema_canon()). Attributes of kernel-made sub-directories with
 * attributes (iscsi "auth") are stored as "auth/<attr>"; those of an
 * initiator entry of a group (iscsi per-initiator CHAP) in the group's
 * iattrs as "<initiator>/auth/<attr>".
 */
#ifndef SCSTCTL_MODEL_H
#define SCSTCTL_MODEL_H

#include "util.h"

struct kv {
	char *key, *val;
	int line;
};

struct kvlist {
	struct kv *v;
	int n, cap;
};

struct lun {
	unsigned int num;
	char *device;
	char *handler;		/* live model: handler dir of the link */
	bool read_only;
	int line;
};

struct lunset {
	struct lun *v;
	int n, cap;
};

struct group {
	char *name;
	struct strlist inits;
	/* attribute groups of initiator entries: "<initiator>/auth/userid" */
	struct kvlist iattrs;
	struct lunset luns;
	int line;
};

struct target {
	char *driver, *name;
	struct kvlist attrs;
	struct lunset luns;
	struct group *groups;
	int ngroups, capg;
	struct strlist sessions;
	int line;
};

struct device {
	char *name, *handler;
	struct kvlist attrs;
	int line;
};

/* driver-wide settings (drivers/<driver>/): portals and attribute groups */
struct drvcfg {
	char *driver;
	struct strlist portals;
	struct kvlist attrs;	/* "discovery_auth/userid" ... */
	int line;
};

struct config {
	char *file;
	struct kvlist root;	/* attributes of the scst root (setup_id) */
	struct device *devs;
	int ndevs, capd;
	struct target *tgts;
	int ntgts, capt;
	struct drvcfg *drvs;
	int ndrvs, capdrv;
	struct strlist present;	/* live: "handlers/x", "targets/y" present */
};

void kv_set(struct kvlist *l, const char *key, const char *val, int line);
const struct kv *kv_get(const struct kvlist *l, const char *key);
void kv_free(struct kvlist *l);
/* copy the entries of l under "prefix" into out, prefix removed */
void kv_sub(const struct kvlist *l, const char *prefix, struct kvlist *out);

struct lun *lunset_add(struct lunset *s, unsigned int num, const char *dev);
struct lun *lunset_find(const struct lunset *s, unsigned int num);
void lunset_sort(struct lunset *s);

struct device *cfg_add_device(struct config *c, const char *name,
			      const char *handler);
struct device *cfg_find_device(const struct config *c, const char *name);
struct target *cfg_add_target(struct config *c, const char *drv,
			      const char *name);
struct target *cfg_find_target(const struct config *c, const char *drv,
			       const char *name);
struct group *tgt_add_group(struct target *t, const char *name);
struct group *tgt_find_group(const struct target *t, const char *name);
struct drvcfg *cfg_add_drv(struct config *c, const char *drv);
struct drvcfg *cfg_find_drv(const struct config *c, const char *drv);

/* sort everything by name so renders and plans are stable */
void cfg_sort(struct config *c);
void cfg_free(struct config *c);

#endif
