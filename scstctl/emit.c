// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: one emitter, two outputs (indented text or JSON) */
#include "render.h"
#include "status.h"

#include <inttypes.h>

static void ind(struct emit *e)
{
	/* text: the root object is not printed, so one level less */
	for (int i = e->json ? 0 : 1; i < e->depth; i++)
		fputs("  ", e->f);
}

/* JSON: comma and newline before every member but the first */
static void sep(struct emit *e)
{
	if (e->json) {
		if (!e->first[e->depth])
			fputc(',', e->f);
		fputc('\n', e->f);
	}
	e->first[e->depth] = false;
}

static void key(struct emit *e, const char *k)
{
	if (e->json && k && !e->in_list[e->depth]) {
		json_string(e->f, k);
		fputs(": ", e->f);
	}
}

static void push(struct emit *e, bool list)
{
	if (e->depth < 63)
		e->depth++;
	e->first[e->depth] = true;
	e->in_list[e->depth] = list;
}

void em_begin(struct emit *e, const char *k, const char *title)
{
	if (e->json) {
		if (e->depth || !e->first[0] || k) {
			sep(e);
			ind(e);
			key(e, k);
		}
		fputc('{', e->f);
		e->first[0] = false;
	} else if (title || k) {
		e->first[e->depth] = false;
		ind(e);
		fprintf(e->f, "%s%s\n", title ? title : k, title ? "" : ":");
	}
	push(e, false);
}

void em_end(struct emit *e)
{
	if (e->json) {
		e->depth--;
		fputc('\n', e->f);
		ind(e);
		fputc('}', e->f);
		if (!e->depth)
			fputc('\n', e->f);
	} else {
		e->depth--;
	}
}

void em_list(struct emit *e, const char *k)
{
	if (e->json) {
		sep(e);
		ind(e);
		key(e, k);
		fputc('[', e->f);
	} else {
		ind(e);
		fprintf(e->f, "%s:\n", k);
	}
	push(e, true);
}

void em_list_end(struct emit *e)
{
	bool empty = e->first[e->depth];

	e->depth--;
	if (e->json) {
		if (!empty) {
			fputc('\n', e->f);
			ind(e);
		}
		fputc(']', e->f);
	} else if (empty) {
		ind(e);
		fputs("  (none)\n", e->f);
	}
}

void em_str(struct emit *e, const char *k, const char *v)
{
	sep(e);
	ind(e);
	if (e->json) {
		key(e, k);
		json_string(e->f, v);
	} else if (e->in_list[e->depth]) {
		fprintf(e->f, "%s\n", v);
	} else {
		fprintf(e->f, "%s: %s\n", k, v);
	}
}

void em_u64(struct emit *e, const char *k, uint64_t v)
{
	sep(e);
	ind(e);
	key(e, k);
	if (e->json)
		fprintf(e->f, "%" PRIu64, v);
	else
		fprintf(e->f, "%s: %" PRIu64 "\n", k, v);
}

void em_bool(struct emit *e, const char *k, bool v)
{
	sep(e);
	ind(e);
	key(e, k);
	if (e->json)
		fputs(v ? "true" : "false", e->f);
	else
		fprintf(e->f, "%s: %s\n", k, v ? "yes" : "no");
}
