/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The two example handlers share their main() (example_main.c); each
 * provides its backend through example_backend_open().
 */
#ifndef SCSTU_EXAMPLE_H
#define SCSTU_EXAMPLE_H

#include "scstu_sbc.h"

/**
 * struct example_backend - an opened backend
 * @ops: its callbacks
 * @priv: their argument
 * @size: its size in bytes (0: take it from the -s option)
 * @wce: it has a volatile write cache (flush needed for durability)
 */
struct example_backend {
	const struct scstu_backend *ops;
	void *priv;
	uint64_t size;
	bool wce;
};

extern const char example_usage[];
extern const bool example_needs_file;

int example_backend_open(struct example_backend *b, const char *file,
			 uint64_t size);
void example_backend_close(struct example_backend *b);

#endif /* SCSTU_EXAMPLE_H */
