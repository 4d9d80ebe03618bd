/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_check.h - invariant check of the libFuzzer targets: a failed
 * CHECK() prints the condition and aborts, which libFuzzer reports as a
 * finding (and saves the input).
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);		\
			abort();					\
		}							\
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* FUZZ_CHECK_H */
