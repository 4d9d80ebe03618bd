/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: model -> scst.conf text */
#ifndef SCSTCTL_RENDER_H
#define SCSTCTL_RENDER_H

#include <stdio.h>

#include "model.h"
#include "schema.h"

/*
 * Render a (live) model in scst.conf syntax. Attributes equal to their
 * static schema default, read-only ones and actions are left out.
 * Write-only secrets: printed when known (remembered by scstctl) and
 * show_secrets is set, else written as a comment, so that feeding the
 * output back to apply changes nothing.
 */
void render_conf(FILE *f, const struct schema *s, const struct config *c,
		 bool show_secrets);
/* a string as a libconfig/JSON string literal (both use \" \\ \n \t escapes) */
void render_string(FILE *f, const char *s);
void json_string(FILE *f, const char *s);
/* the model as one JSON object (model_json.c) */
void model_json(FILE *f, const struct schema *s, const struct config *c,
		bool secrets);

#endif
