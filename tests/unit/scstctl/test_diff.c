// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl unit tests: golden diff tests. Each directory under golden/
 * holds have.conf (applied to a fresh fake tree), want.conf and
 * expected.plan (the diff); a file "prune" means --prune; "owned": have.conf
 * was applied by scstctl (its objects are recorded as made by it);
 * "keep-unlisted": --keep-unlisted.
 * SCST_GOLDEN_UPDATE=1 rewrites expected.plan.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *gpath(const char *dir, const char *file)
{
	return xasprintf("%s/golden/%s/%s", getenv("SCST_TESTDATA"), dir, file);
}

static void run_case(const char *name)
{
	char *hp = gpath(name, "have.conf"), *wp = gpath(name, "want.conf");
	char *ep = gpath(name, "expected.plan"), *pp = gpath(name, "prune");
	char *have = read_file(hp), *want = read_file(wp), *exp = read_file(ep);
	bool prune = !access(pp, F_OK);
	char *op = gpath(name, "owned"), *kp = gpath(name, "keep-unlisted");
	struct owned owned = { 0 };
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	char *plan;

	print_message("golden %s\n", name);
	test_owned = access(op, F_OK) ? NULL : &owned;
	test_keep_unlisted = !access(kp, F_OK);
	assert_non_null(have);
	assert_non_null(want);
	assert_int_equal(apply_text(t, have, &wo, false), 0);
	plan = plan_text_wo(t, have, false, &wo);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	plan = plan_text_wo(t, want, prune, &wo);
	if (getenv("SCST_GOLDEN_UPDATE")) {
		FILE *f = fopen(ep, "w");

		fputs(plan, f);
		fclose(f);
	} else {
		assert_non_null(exp);
		assert_string_equal(plan, exp);
	}
	free(plan);
	/* applying it reaches the wanted state */
	assert_int_equal(apply_text(t, want, &wo, prune), 0);
	plan = plan_text_wo(t, want, prune, &wo);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	wo_free(&wo);
	rm_tree(t);
	free(have);
	free(want);
	free(exp);
	free(hp);
	free(wp);
	free(ep);
	free(pp);
	free(op);
	free(kp);
	owned_free(&owned);
	test_owned = NULL;
	test_keep_unlisted = false;
}

static void t_golden(void **state)
{
	char *dir = xasprintf("%s/golden", getenv("SCST_TESTDATA"));
	struct strlist names = { 0 };
	struct dirent *de;
	DIR *d = opendir(dir);

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sl_add(&names, de->d_name);
	closedir(d);
	sl_sort(&names);
	assert_true(names.n >= 8);
	for (int i = 0; i < names.n; i++)
		run_case(names.v[i]);
	sl_free(&names);
	free(dir);
}

/* a device used by a target that is not in the file cannot be re-created */
static void t_refuse_unlisted_user(void **state)
{
	struct tree *t = fake_tree();
	char *plan;

	(void)state;
	assert_int_equal(apply_text(t,
		"devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; } );\n"
		"targets = ( { driver = \"scst_local\"; name = \"other\"; luns = ( { lun = 0; device = \"d\"; } ); } );\n",
		NULL, false), 0);
	plan = plan_text(t, "devices = ( { name = \"d\"; handler = \"vdisk_nullio\"; size = \"1M\"; } );\n", false);
	assert_string_equal(plan, "diff refused\n");
	free(plan);
	rm_tree(t);
}

/*
 * scst_user devices are made by their process: the file configures them
 * but neither creates nor removes them
 */
static void t_process_device(void **state)
{
	static const char *conf =
		"devices = ( { name = \"u0\"; handler = \"scst_user\"; enable = true; } );\n"
		"targets = ( { driver = \"scst_local\"; name = \"t\"; luns = ( { lun = 0; device = \"u0\"; } ); } );\n";
	struct tree *t = fake_tree();
	char *plan;

	(void)state;
	plan = plan_text(t, conf, false);
	assert_string_equal(plan, "diff refused\n");
	free(plan);
	assert_int_equal(t->ops->load_module(t, "scst_user"), 0);
	assert_int_equal(fake_kernel_mkdir(t, "handlers/scst_user/u0"), 0);
	plan = plan_text(t, conf, false);
	assert_null(strstr(plan, "mkdir handlers/scst_user"));
	assert_non_null(strstr(plan, "handlers/scst_user/u0/enable"));
	free(plan);
	assert_int_equal(apply_text(t, conf, NULL, false), 0);
	plan = plan_text(t, conf, false);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	/* moving it to another handler is refused; prune leaves it */
	plan = plan_text(t, "devices = ( { name = \"u0\"; handler = \"vdisk_nullio\"; size = \"1M\"; } );\n", true);
	assert_string_equal(plan, "diff refused\n");
	free(plan);
	assert_int_equal(apply_text(t, "", NULL, true), 0);
	plan = plan_text(t, "", true);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	plan = xasprintf("%s/handlers/scst_user/u0", t->root);
	assert_int_equal(access(plan, F_OK), 0);
	free(plan);
	rm_tree(t);
}

int test_diff_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_golden),
		cmocka_unit_test(t_refuse_unlisted_user),
		cmocka_unit_test(t_process_device),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
