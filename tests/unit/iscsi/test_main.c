// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_main.c - CUnit runner for the scst_iscsi pure C parts
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
	if (register_pdu_tests() || register_params_tests() ||
	    register_chap_tests() || register_login_tests()) {
		fprintf(stderr, "cannot register tests: %s\n",
			CU_get_error_msg());
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
