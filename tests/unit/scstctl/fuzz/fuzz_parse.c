// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: scst.conf parser + validator. Any input must give a
 * model or errors, never a crash, a leak or a hang.
 * The schema comes from $SCST_SCHEMA or FUZZ_SCHEMA (compile time).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist el = { 0 };
	struct config *c;

	c = parse_buf(sch, (const char *)data, size, "fuzz.conf", &el);
	cfg_free(c);
	el_free(&el);
	return 0;
}
