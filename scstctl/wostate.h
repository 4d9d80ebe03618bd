/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: values scstctl wrote to write-only attributes (CHAP secrets).
 * They cannot be read back from configfs, so scstctl remembers them in
 * /run/scst/wo-state (mode 0600; tmpfs: forgotten at reboot like the
 * configfs tree itself), or <root>/.scstctl/wo-state with --root.
 * One line per attribute: "<path>\t<value>".
 */
#ifndef SCSTCTL_WOSTATE_H
#define SCSTCTL_WOSTATE_H

#include "model.h"

struct wostate {
	char *file;
	struct kvlist kv;
};

/* state dir: /run/scst or <root>/.scstctl; created when missing */
char *state_dir(const char *root);
int wo_load(struct wostate *w, const char *dir);
int wo_save(const struct wostate *w);
const char *wo_get(const struct wostate *w, const char *path);
void wo_set(struct wostate *w, const char *path, const char *val);
/* forget everything at or below path */
void wo_forget(struct wostate *w, const char *path);
void wo_free(struct wostate *w);

#endif
