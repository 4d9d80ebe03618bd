/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: diff (pure): wanted model x live model -> ordered plan.
 *
 * Order: modprobe; teardown (pruned targets, removed sessions,
 * initiators, groups and LUNs of listed targets, pruned or re-created
 * devices); build (root attributes, devices: mkdir, creation attributes,
 * other attributes, enable; targets: mkdir, attributes, LUNs: mkdir,
 * read_only, symlink; groups, initiators, group LUNs; sessions; enabled
 * last; driver-wide portals and attributes).
 *
 * Attributes absent from the wanted model are left alone. Devices,
 * targets and portals absent from it are removed when scstctl created
 * them (o->owned, see owned.h) unless keep_unlisted is set, and all of
 * them with prune; the contents of a listed target (LUNs, groups,
 * initiators, sessions) and the portals of a listed driver are made
 * equal to the wanted model.
 */
#ifndef SCSTCTL_DIFF_H
#define SCSTCTL_DIFF_H

#include "model.h"
#include "owned.h"
#include "plan.h"
#include "schema.h"

struct diff_opts {
	bool prune;		/* remove every unlisted object */
	bool keep_unlisted;	/* remove none, even those scstctl made */
	const struct owned *owned;	/* what scstctl made (may be NULL) */
};

/* returns 0, or -1 with reasons in el when the change cannot be made */
int diff_configs(const struct schema *s, const struct config *want,
		 const struct config *have, const struct diff_opts *o,
		 struct plan *out, struct errlist *el);

/* "FILE:LINE: key" of what in want asked for the step (source.c), or NULL */
char *plan_step_source(const struct config *want, const struct step *s);

#endif
