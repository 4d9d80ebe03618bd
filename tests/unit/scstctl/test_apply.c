// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: apply, fake configfs semantics, rollback */
#include "helpers.h"
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *conf_a =
	"setup_id = 7;\n"
	"devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; blocksize = 4096; },\n"
	"            { name = \"n1\"; handler = \"vdisk_nullio\"; size = \"1G\"; } );\n"
	"targets = ( { driver = \"scst_local\"; name = \"t1\";\n"
	"  luns = ( { lun = 0; device = \"d1\"; }, { lun = 1; device = \"n1\"; read_only = true; } );\n"
	"  groups = ( { name = \"g\"; initiators = [ \"h1\", \"h2*\" ]; luns = ( { lun = 0; device = \"n1\"; } ); } );\n"
	"  sessions = [ \"h1\" ]; },\n"
	"  { driver = \"iscsi\"; name = \"iqn.2024-01.x:t\"; auth = { userid = \"u\"; secret = \"0123456789ab\"; };\n"
	"    luns = ( { lun = 0; device = \"d1\"; } ); } );\n";

/* changes everything: creation attribute, relinks, removals (prune) */
static const char *conf_b =
	"devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; blocksize = 512; nv_cache = true; },\n"
	"            { name = \"c1\"; handler = \"vcdrom\"; filename = \"/iso\"; } );\n"
	"targets = ( { driver = \"scst_local\"; name = \"t1\"; enabled = false;\n"
	"  luns = ( { lun = 0; device = \"c1\"; }, { lun = 2; device = \"d1\"; } );\n"
	"  groups = ( { name = \"g2\"; initiators = [ \"h1\" ]; luns = ( { lun = 0; device = \"d1\"; } ); } );\n"
	"  sessions = [ \"h2\" ]; } );\n";

static void t_fake_semantics(void **state)
{
	struct tree *t = fake_tree();
	const struct tree_ops *o = t->ops;

	(void)state;
	assert_int_equal(o->mkdir(t, "handlers/vdisk_fileio/x"), -ENOENT);
	assert_int_equal(o->load_module(t, "scst_vdisk"), 0);
	assert_int_equal(o->load_module(t, "scst_local"), 0);
	assert_int_equal(o->mkdir(t, "handlers/vdisk_fileio/x"), 0);
	assert_int_equal(o->mkdir(t, "handlers/vdisk_fileio/x"), -EEXIST);
	assert_int_equal(o->write(t, "handlers/vdisk_fileio/x/blocksize", "333"), -EINVAL);
	assert_int_equal(o->write(t, "handlers/vdisk_fileio/x/size", "1"), -EACCES);
	assert_int_equal(o->write(t, "handlers/vdisk_fileio/x/enable", "1"), 0);
	assert_int_equal(o->write(t, "handlers/vdisk_fileio/x/blocksize", "4096"), -EBUSY);
	assert_int_equal(o->write(t, "handlers/vdisk_fileio/x/nv_cache", "1"), 0);
	assert_int_equal(o->mkdir(t, "targets/scst_local/t"), 0);
	assert_int_equal(o->mkdir(t, "targets/scst_local/t/luns/0"), 0);
	assert_int_equal(o->symlink(t, "../../../../../handlers/vdisk_fileio/nosuch",
				    "targets/scst_local/t/luns/0/device"), -ENOENT);
	assert_int_equal(o->symlink(t, "../../../../../handlers/vdisk_fileio/x",
				    "targets/scst_local/t/luns/0/device"), 0);
	assert_int_equal(o->rmdir(t, "handlers/vdisk_fileio/x"), -EBUSY);
	assert_int_equal(o->rmdir(t, "targets/scst_local/t/luns/0"), -ENOTEMPTY);
	assert_int_equal(o->rmdir(t, "targets/scst_local/t"), -ENOTEMPTY);
	assert_int_equal(o->rmdir(t, "targets/scst_local/t/luns"), -EPERM);
	assert_int_equal(o->unlink(t, "targets/scst_local/t/luns/0/device"), 0);
	assert_int_equal(o->rmdir(t, "targets/scst_local/t/luns/0"), 0);
	assert_int_equal(o->rmdir(t, "targets/scst_local/t"), 0);
	assert_int_equal(o->rmdir(t, "handlers/vdisk_fileio/x"), 0);
	rm_tree(t);
}

static void t_idempotent(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	char *plan;

	(void)state;
	assert_int_equal(apply_text(t, conf_a, &wo, false), 0);
	plan = plan_text(t, conf_a, false);
	/* the CHAP secret is write-only: without the wo-state it is unknown */
	assert_non_null(strstr(plan, "auth/secret = \"********\""));
	assert_non_null(strstr(plan, "1 change\n"));
	free(plan);
	{
		struct plan p = { 0 };
		struct diff_opts o = { 0 };
		struct errlist el = { 0 };
		struct config *w = conf_str(conf_a, &el), *h = live_read(t, &wo, &el);

		assert_int_equal(diff_configs(t->s, w, h, &o, &p, &el), 0);
		assert_int_equal(p.n, 0);
		cfg_free(w);
		cfg_free(h);
		plan_free(&p);
		el_free(&el);
	}
	wo_free(&wo);
	rm_tree(t);
}

static void t_creation_attr_disruptive(void **state)
{
	struct tree *t = fake_tree();
	char *plan;

	(void)state;
	assert_int_equal(apply_text(t, conf_a, NULL, false), 0);
	plan = plan_text(t, "devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; blocksize = 512; } );", false);
	assert_string_equal(plan,
		"! write    handlers/vdisk_fileio/d1/enable = \"0\" (was \"1\")  # creation attribute change: blocksize\n"
		"  write    handlers/vdisk_fileio/d1/blocksize = \"512\" (was \"4096\")\n"
		"! write    handlers/vdisk_fileio/d1/enable = \"1\" (was \"0\")  # re-enable\n"
		"3 changes (2 disruptive)\n");
	free(plan);
	assert_int_equal(apply_text(t, "devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; blocksize = 512; } );", NULL, false), 0);
	rm_tree(t);
}

/* inject a failure at every mutating step K; the tree must be as before */
static int rollback_all(const char *have, const char *want, bool prune)
{
	int k;

	for (k = 1; ; k++) {
		struct tree *t = fake_tree();
		struct wostate wo = { 0 };
		struct tree *f;
		char *before, *after;
		int rc, count;

		assert_int_equal(apply_text(t, have, &wo, false), 0);
		before = snapshot(t);
		f = faulty_tree(t, k, EIO);
		rc = apply_text(f, want, &wo, prune);
		count = faulty_count(f);
		after = snapshot(t);
		if (rc == 0) {
			assert_true(count < k);
			assert_string_not_equal(before, after);
		} else {
			assert_true(count >= k);
			assert_string_equal(before, after);
		}
		free(before);
		free(after);
		free(f);
		wo_free(&wo);
		rm_tree(t);
		if (rc == 0)
			break;
	}
	return k - 1;
}

static void t_rollback_create(void **state)
{
	(void)state;
	assert_true(rollback_all("", conf_a, false) >= 30);
}

static void t_rollback_change(void **state)
{
	(void)state;
	assert_true(rollback_all(conf_a, conf_b, true) >= 20);
}

static void t_rollback_clear(void **state)
{
	(void)state;
	assert_true(rollback_all(conf_a, "", true) >= 20);
}

static void t_failure_message(void **state)
{
	struct tree *t = fake_tree(), *f = faulty_tree(t, 3, EBUSY);
	struct diff_opts o = { 0 };
	struct errlist el = { 0 };
	struct wostate none = { 0 };
	struct config *w = conf_str(conf_a, &el), *h = live_read(t, &none, &el);
	struct plan p = { 0 };
	char *before = snapshot(t), *after;

	(void)state;
	assert_int_equal(diff_configs(t->s, w, h, &o, &p, &el), 0);
	assert_int_equal(apply_plan(f, &p, NULL, NULL, &el), -1);
	assert_true(el.msgs.n >= 2);
	assert_non_null(strstr(el.msgs.v[0], "step 3/"));
	assert_non_null(strstr(el.msgs.v[0], "Device or resource busy (errno 16, EBUSY)"));
	assert_non_null(strstr(el.msgs.v[el.msgs.n - 1], "rolled back 2 step(s): the tree is as before"));
	after = snapshot(t);
	assert_string_equal(before, after);
	free(before);
	free(after);
	cfg_free(w);
	cfg_free(h);
	plan_free(&p);
	el_free(&el);
	free(f);
	rm_tree(t);
}

static void t_dump_roundtrip(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	struct errlist el = { 0 };
	struct config *h;
	char *buf = NULL, *plan;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(apply_text(t, conf_a, &wo, false), 0);
	h = live_read(t, &wo, &el);
	f = open_memstream(&buf, &len);
	render_conf(f, t->s, h, false);
	fclose(f);
	assert_null(strstr(buf, "0123456789ab"));
	assert_non_null(strstr(buf, "# secret = \"********\""));
	plan = plan_text(t, buf, false);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	render_conf(f, t->s, h, true);
	fclose(f);
	assert_non_null(strstr(buf, "secret = \"0123456789ab\";"));
	free(buf);
	cfg_free(h);
	el_free(&el);
	wo_free(&wo);
	rm_tree(t);
}

/* per-initiator CHAP: dumped as { name; auth = { ... }; } and re-read */
static const char conf_ini_auth[] =
	"devices = ( { name = \"d1\"; handler = \"vdisk_nullio\"; size = 1048576; } );\n"
	"targets = ( { driver = \"iscsi\"; name = \"iqn.2024-01.org.example:t\";\n"
	"  groups = ( { name = \"g\"; luns = ( { lun = 0; device = \"d1\"; } );\n"
	"    initiators = ( \"iqn.2024-01.org.example:plain\",\n"
	"      { name = \"iqn.2024-01.org.example:a\";\n"
	"        auth = { userid = \"user-a\"; secret = \"secret-of-a-01\"; }; } ); } ); } );\n";

static void t_dump_initiator_auth(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	struct errlist el = { 0 };
	struct config *h;
	char *buf = NULL, *plan;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(apply_text(t, conf_ini_auth, &wo, false), 0);
	h = live_read(t, &wo, &el);
	f = open_memstream(&buf, &len);
	render_conf(f, t->s, h, true);
	fclose(f);
	assert_non_null(strstr(buf, "name = \"iqn.2024-01.org.example:a\";"));
	assert_non_null(strstr(buf, "userid = \"user-a\";"));
	assert_non_null(strstr(buf, "secret = \"secret-of-a-01\";"));
	/* an entry without settings stays a plain name */
	assert_non_null(strstr(buf, "\t\"iqn.2024-01.org.example:plain\"\n"));
	plan = plan_text_wo(t, buf, false, &wo);
	assert_string_equal(plan, "0 changes\n");
	free(plan);
	free(buf);
	cfg_free(h);
	el_free(&el);
	wo_free(&wo);
	rm_tree(t);
}

int test_apply_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fake_semantics), cmocka_unit_test(t_idempotent),
		cmocka_unit_test(t_creation_attr_disruptive),
		cmocka_unit_test(t_rollback_create), cmocka_unit_test(t_rollback_change),
		cmocka_unit_test(t_rollback_clear), cmocka_unit_test(t_failure_message),
		cmocka_unit_test(t_dump_roundtrip),
		cmocka_unit_test(t_dump_initiator_auth),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
