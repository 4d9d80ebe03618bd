// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_main.c - CUnit runner for the src/lib unit tests
 *
 * Prints CUnit's summary and, as the last line, "N passed, N failed"
 * counting assertions. Exits non-zero if anything failed.
 */
#include <stdio.h>
#include <CUnit/Basic.h>

#include "tests.h"

int main(void)
{
	unsigned int asserts, failed;
	int ret = 1;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (register_cdb_tests() || register_sense_tests() ||
	    register_lun_tests() || register_resv_tests() ||
	    register_pr_tests() ||
	    register_cdb_pt_tests() || register_rsoc_tests() ||
	    register_alua_tests()) {
		fprintf(stderr, "cannot register tests: %s\n", CU_get_error_msg());
		goto out;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto out;
	asserts = CU_get_number_of_asserts();
	failed = CU_get_number_of_failures();
	printf("\n%u passed, %u failed\n", asserts - failed, failed);
	ret = failed || CU_get_number_of_tests_failed() ? 1 : 0;
out:
	CU_cleanup_registry();
	return ret;
}
