// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: scst.conf parser + validator + renderer.
 *
 * Any input must give a model or errors, never a crash, a leak or a
 * hang.  Invariants:
 *  - the parser counts what it reports: nerr + nwarn messages;
 *  - a configuration without errors renders (render_conf(), what
 *    "scstctl dump" writes) to text that parses without errors, and
 *    rendering that again gives the same text but for empty lines
 *    (render is a fixed point; a root attribute equal to its default
 *    leaves an empty line behind);
 *  - the model's counts are within its arrays.
 * The schema comes from $SCST_SCHEMA or FUZZ_SCHEMA (compile time).
 */
#include <string.h>

#include "fuzz_check.h"
#include "parse.h"
#include "render.h"

static struct schema *sch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("SCST_SCHEMA");
	char err[512];

	(void)argc;
	(void)argv;
	sch = schema_load(path ? path : FUZZ_SCHEMA, err, sizeof(err));
	if (!sch) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	return 0;
}

static char *render(const struct config *c, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	CHECK(f != NULL);
	render_conf(f, sch, c, true);
	CHECK(fclose(f) == 0);
	return text;
}

static void check_model(const struct config *c)
{
	int i;

	CHECK(c->ndevs >= 0 && c->ndevs <= c->capd);
	CHECK(c->ntgts >= 0 && c->ntgts <= c->capt);
	CHECK(c->ndrvs >= 0 && c->ndrvs <= c->capdrv);
	for (i = 0; i < c->ndevs; i++)
		CHECK(c->devs[i].name && c->devs[i].handler);
	for (i = 0; i < c->ntgts; i++)
		CHECK(c->tgts[i].name && c->tgts[i].driver &&
		      c->tgts[i].ngroups <= c->tgts[i].capg);
}

/* length of @t without its empty lines, compacted in place */
static size_t drop_empty_lines(char *t, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++)
		if (t[i] != '\n' || (o && t[o - 1] != '\n'))
			t[o++] = t[i];
	return o;
}

/* a valid configuration renders to one that parses to the same text */
static void round_trip(const struct config *c)
{
	struct errlist el = { 0 };
	struct config *c2;
	char *t1, *t2;
	size_t l1, l2;

	t1 = render(c, &l1);
	c2 = parse_buf(sch, t1, l1, "render.conf", &el);
	if (el.nerr) {
		fprintf(stderr, "rendered:\n%s\n", t1);
		el_print(&el);
	}
	CHECK(c2 != NULL && el.nerr == 0);
	t2 = render(c2, &l2);
	l1 = drop_empty_lines(t1, l1);
	l2 = drop_empty_lines(t2, l2);
	if (l1 != l2 || memcmp(t1, t2, l1))
		fprintf(stderr, "first:\n%s\nsecond:\n%s\n", t1, t2);
	CHECK(l1 == l2 && !memcmp(t1, t2, l1));
	free(t1);
	free(t2);
	cfg_free(c2);
	el_free(&el);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist el = { 0 };
	struct config *c;

	c = parse_buf(sch, (const char *)data, size, "fuzz.conf", &el);
	CHECK(el.nerr >= 0 && el.nwarn >= 0);
	CHECK(el.msgs.n == el.nerr + el.nwarn);
	if (c)
		check_model(c);
	if (c && !el.nerr)
		round_trip(c);
	cfg_free(c);
	el_free(&el);
	return 0;
}
