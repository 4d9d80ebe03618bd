/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: an scstadmin configuration tree (sa_parse.h) -> the model, for
 * `scstctl import-scstadmin`. Converted: HANDLER blocks of handlers this
 * SCST has (vdisk_fileio, vdisk_blockio, vdisk_nullio, vcdrom, ...) with
 * DEVICE blocks and their settable attributes (size_mb as size);
 * TARGET_DRIVER blocks of drivers it has (iscsi, scst_local) with
 * IncomingUser/OutgoingUser (discovery CHAP at driver level), TARGET
 * blocks with LUN (and read_only), GROUP with LUN and INITIATOR,
 * enabled, rel_tgt_id, session_name (scst_local), the iSCSI parameters
 * (HeaderDigest -> header_digest ...); setup_id. Everything else is a
 * note "FILE:LINE: key: not converted: why" in notes (warnings).
 */
#ifndef SCSTCTL_SA_IMPORT_H
#define SCSTCTL_SA_IMPORT_H

#include "model.h"
#include "sa_parse.h"
#include "schema.h"

struct config *sa_import(const struct schema *s, const struct sa_node *root,
			 const char *file, struct errlist *notes);

#endif
