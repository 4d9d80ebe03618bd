// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: runs every group and prints "N passed, N failed" */
#include "helpers.h"

#include <stdio.h>

int test_schema_group(int *total);
int test_parse_group(int *total);
int test_diff_group(int *total);
int test_apply_group(int *total);
int test_status_group(int *total);
int test_scstadmin_group(int *total);

int main(void)
{
	int total = 0, failed = 0;

	failed += test_schema_group(&total);
	failed += test_parse_group(&total);
	failed += test_diff_group(&total);
	failed += test_apply_group(&total);
	failed += test_status_group(&total);
	failed += test_scstadmin_group(&total);
	schema_free(test_schema);
	printf("%d passed, %d failed\n", total - failed, failed);
	return failed ? 1 : 0;
}
