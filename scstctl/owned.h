/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: the objects scstctl created (ownership). A device, target or
 * portal that scstctl made with mkdir is recorded here; when it later
 * leaves the file, apply removes it. Objects made by other means (by
 * hand, by another tool) are not recorded and are left alone unless
 * --prune. Kept beside wo-state: /run/scst/owned (tmpfs: forgotten at
 * reboot like the configfs tree), <root>/.scstctl/owned with --root.
 * One relative configfs path per line ("targets/iscsi/iqn...").
 */
#ifndef SCSTCTL_OWNED_H
#define SCSTCTL_OWNED_H

#include "plan.h"
#include "util.h"

struct owned {
	char *file;
	struct strlist paths;
};

int owned_load(struct owned *o, const char *dir);
int owned_save(const struct owned *o);
bool owned_has(const struct owned *o, const char *path);
/* the path is an object owned records: a device, a target or a portal */
bool owned_kind(const char *path);
/* record the objects a plan (its first n steps) made and forget those it removed */
void owned_update(struct owned *o, const struct plan *p, int n);
void owned_free(struct owned *o);

#endif
