/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SCST_LIB_TESTS_H
#define SCST_LIB_TESTS_H

#include <CUnit/CUnit.h>

int register_cdb_tests(void);
int register_sense_tests(void);
int register_lun_tests(void);
int register_resv_tests(void);
int register_pr_tests(void);
int register_cdb_pt_tests(void);
int register_rsoc_tests(void);
int register_alua_tests(void);

struct test_def {
	const char *name;
	void (*fn)(void);
};

static inline int register_suite(const char *name, const struct test_def *t)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);

	if (!s)
		return -1;
	for (; t->name; t++)
		if (!CU_add_test(s, t->name, t->fn))
			return -1;
	return 0;
}

#endif
