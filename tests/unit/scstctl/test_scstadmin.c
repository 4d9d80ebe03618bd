// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl unit tests: the scstadmin syntax reader (sa_parse.c), the
 * import (sa_import.c), its detection by the scst.conf parser, and the
 * words for libconfig syntax errors.
 */
#include "helpers.h"
#include "render.h"
#include "sa_import.h"
#include "sa_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct sa_node *sa(const char *text, char *err, size_t n)
{
	return sa_parse(text, strlen(text), err, n);
}

static void t_sa_tree(void **state)
{
	char err[200];
	struct sa_node *r = sa("# comment\n"
			       "HANDLER vdisk_fileio {   # trailing comment\n"
			       "\tDEVICE d1\n"
			       "\t{\n"
			       "\t\tt10_dev_id \"a \\\"b\\\" # c\"\n"
			       "\t}\n"
			       "}\n"
			       "setup_id 7\n", err, sizeof(err));

	(void)state;
	assert_non_null(r);
	assert_int_equal(r->nkids, 2);
	assert_string_equal(r->kids[0].key, "HANDLER");
	assert_int_equal(r->kids[0].line, 2);
	assert_true(r->kids[0].block);
	assert_int_equal(r->kids[0].nargs, 1);
	assert_string_equal(r->kids[0].args[0], "vdisk_fileio");
	assert_int_equal(r->kids[0].nkids, 1);
	/* '{' on the line after its statement */
	assert_true(r->kids[0].kids[0].block);
	assert_int_equal(r->kids[0].kids[0].line, 3);
	assert_string_equal(r->kids[0].kids[0].kids[0].args[0], "a \"b\" # c");
	assert_int_equal(r->kids[0].kids[0].kids[0].line, 5);
	assert_string_equal(r->kids[1].key, "setup_id");
	assert_int_equal(r->kids[1].line, 8);
	assert_false(r->kids[1].block);
	sa_free(r);
}

static void expect_sa_error(const char *text, const char *what)
{
	char err[200];
	struct sa_node *r = sa(text, err, sizeof(err));

	if (r || !strstr(err, what))
		fail_msg("\"%s\": expected error \"%s\", got \"%s\"", text, what,
			 r ? "(parsed)" : err);
}

static void t_sa_errors(void **state)
{
	char deep[200] = "";

	(void)state;
	expect_sa_error("A {\n B {\n }\n", "1: '{' not closed at the end of the file");
	expect_sa_error("A\n}\n", "2: '}' without a '{'");
	expect_sa_error("A \"open\n", "1: string not closed on its line");
	expect_sa_error("{\n", "1: '{' without a statement before it");
	expect_sa_error("A {\n} B\n", "2: text after '}' on the same line");
	expect_sa_error("A {\n} {\n}\n", "2: '{' without a statement before it");
	for (int i = 0; i < SA_MAX_DEPTH; i++)
		strcat(deep, "X {\n");
	expect_sa_error(deep, "blocks nested deeper than 16");
}

static char *testdata(const char *name)
{
	char *p = xasprintf("%s/scstadmin/%s", getenv("SCST_TESTDATA"), name);
	char *t = read_file(p);

	free(p);
	assert_non_null(t);
	return t;
}

static bool has_msg(const struct errlist *el, const char *what)
{
	for (int i = 0; i < el->msgs.n; i++)
		if (strstr(el->msgs.v[i], what))
			return true;
	return false;
}

static void t_sa_import(void **state)
{
	char err[200], *text = testdata("basic.conf"), *out = NULL;
	struct sa_node *r = sa(text, err, sizeof(err));
	struct errlist notes = { 0 }, el = { 0 };
	struct config *m, *back;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(r);
	m = sa_import(schema_get(), r, "basic.conf", &notes);
	assert_int_equal(m->ndevs, 3);
	assert_int_equal(m->ntgts, 2);
	assert_int_equal(notes.nerr, 0);
	assert_int_equal(notes.nwarn, 7);
	assert_true(has_msg(&notes, "basic.conf:11: size: warning: not converted: size is read-only"));
	assert_true(has_msg(&notes, "basic.conf:38: IncomingUser: warning: not converted: only one"));
	assert_true(has_msg(&notes, "basic.conf:43: allowed_portal"));
	assert_true(has_msg(&notes, "basic.conf:69: TARGET_DRIVER: warning: not converted: target driver qla2x00t"));
	assert_true(has_msg(&notes, "basic.conf:75: DEVICE_GROUP"));
	assert_string_equal(kv_get(&m->root, "setup_id")->val, "4660");
	assert_string_equal(kv_get(&cfg_find_device(m, "null0")->attrs, "size")->val, "536870912");
	assert_string_equal(kv_get(&cfg_find_device(m, "disk01")->attrs, "nv_cache")->val, "1");
	assert_string_equal(kv_get(&cfg_find_target(m, "iscsi", "iqn.2024-01.org.example:tgt1")->attrs,
				   "auth/mutual_userid")->val, "tgt");
	assert_string_equal(kv_get(&cfg_find_target(m, "iscsi", "iqn.2024-01.org.example:tgt1")->attrs,
				   "header_digest")->val, "CRC32C");
	assert_true(cfg_find_target(m, "iscsi", "iqn.2024-01.org.example:tgt1")->luns.v[1].read_only);
	assert_string_equal(cfg_find_target(m, "scst_local", "local1")->sessions.v[0], "host0");
	assert_string_equal(kv_get(&cfg_find_drv(m, "iscsi")->attrs, "discovery_auth/userid")->val,
			    "discuser");
	/* the rendered result is a valid scst.conf */
	f = open_memstream(&out, &len);
	render_conf(f, schema_get(), m, true);
	fclose(f);
	back = parse_buf(schema_get(), out, len, "converted.conf", &el);
	el_print(&el);
	assert_int_equal(el.nerr, 0);
	assert_int_equal(back->ndevs, 3);
	assert_non_null(strstr(out, "secret = \"secret-of-12ch\";"));
	cfg_free(back);
	cfg_free(m);
	sa_free(r);
	el_free(&notes);
	el_free(&el);
	free(out);
	free(text);
}

static void t_detect(void **state)
{
	char *text = testdata("basic.conf");
	struct errlist el = { 0 };
	struct config *c = conf_str(text, &el);

	(void)state;
	assert_int_equal(el.nerr, 1);
	assert_true(has_msg(&el, "this is scstadmin syntax (upstream SCST); convert it with: scstctl import-scstadmin test.conf"));
	assert_false(sa_looks_like("devices = ( );\n", 15));
	cfg_free(c);
	el_free(&el);
	free(text);
}

static void expect_hint(const char *text, const char *what)
{
	struct errlist el = { 0 };
	struct config *c = conf_str(text, &el);

	if (!has_msg(&el, what)) {
		el_print(&el);
		fail_msg("expected \"%s\"", what);
	}
	cfg_free(c);
	el_free(&el);
}

static void t_syntax_words(void **state)
{
	(void)state;
	expect_hint("devices = [ { name = \"d\"; } ];\n",
		    "test.conf:1: syntax error: a list of groups is written ( { ... }, { ... } )");
	expect_hint("targets = ( { driver = \"scst_local\"; name = \"t\"; },\n);\n",
		    "test.conf:2: syntax error: a comma after the last element of a list");
}

/* a decimal literal above INT32_MAX is read as 64-bit, not wrapped */
static void t_wide_ints(void **state)
{
	struct errlist el = { 0 };
	struct config *c = conf_str("setup_id = 3000000000; # 3000000000000\n", &el);

	(void)state;
	el_print(&el);
	assert_int_equal(el.nerr, 0);
	assert_string_equal(kv_get(&c->root, "setup_id")->val, "3000000000");
	cfg_free(c);
	expect_hint("setup_id = 4294967296;\n", "test.conf:1: scst.setup_id: 4294967296 out of range 0..4294967295");
	/* an error elsewhere does not hide a bad iSCSI name */
	expect_hint("setup_id = 4294967296;\ntargets = ( { driver = \"iscsi\"; name = \"foo\"; } );\n",
		    "test.conf:2: targets[iscsi/foo].name: an iSCSI name starts with");
}

int test_scstadmin_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sa_tree), cmocka_unit_test(t_sa_errors),
		cmocka_unit_test(t_sa_import), cmocka_unit_test(t_detect),
		cmocka_unit_test(t_syntax_words), cmocka_unit_test(t_wide_ints),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("scstadmin", tests, NULL, NULL);
}
