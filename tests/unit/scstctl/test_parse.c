// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: scst.conf parsing and validation */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEV "devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f\"; } );\n"

/* expect exactly one error containing what, and return nothing */
static void expect_error(const char *text, const char *what)
{
	struct errlist el = { 0 };
	struct config *c = conf_str(text, &el);
	bool found = false;

	for (int i = 0; i < el.msgs.n; i++)
		found |= strstr(el.msgs.v[i], what) != NULL;
	if (!found || !el.nerr) {
		el_print(&el);
		fail_msg("expected error containing \"%s\"", what);
	}
	el_free(&el);
	cfg_free(c);
}

static void t_example(void **state)
{
	char *path = xasprintf("%s/../../../examples/scst.conf", getenv("SCST_TESTDATA"));
	struct errlist el = { 0 };
	struct config *c = parse_file(schema_get(), path, &el);

	(void)state;
	el_print(&el);
	assert_int_equal(el.nerr, 0);
	assert_int_equal(c->ndevs, 3);
	assert_int_equal(c->ntgts, 2);
	assert_string_equal(kv_get(&c->devs[0].attrs, "blocksize")->val, "4096");
	assert_string_equal(kv_get(&c->devs[1].attrs, "size")->val, "10737418240");
	assert_string_equal(kv_get(&c->tgts[1].attrs, "auth/userid")->val, "initiator1");
	assert_int_equal(c->tgts[0].groups[0].inits.n, 2);
	assert_true(c->tgts[0].luns.v[1].read_only);
	cfg_free(c);
	el_free(&el);
	free(path);
}

static void t_line_format(void **state)
{
	struct errlist el = { 0 };
	struct config *c = conf_str(DEV "\n\ndevices2 = 1;\n", &el);

	(void)state;
	assert_int_equal(el.nerr, 1);
	assert_string_equal(el.msgs.v[0], "test.conf:4: scst.devices2: unknown key");
	cfg_free(c);
	el_free(&el);
}

static void t_errors(void **state)
{
	(void)state;
	expect_error("devices = ( { name = \"d\"; handler = \"nosuch\"; } );", "unknown handler");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; } );", "filename: required");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; bogus = 1; } );", "bogus: unknown key");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; blocksize = 1000; } );", "not one of");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; size = 5; } );", "read-only");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; resync_size = 1; } );", "action");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = 7; } );", "must be a string");
	expect_error("devices = ( { name = \"d/x\"; handler = \"vdisk_nullio\"; size = \"1M\"; } );", "not allowed in a device name");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; luns = ( { lun = 0; device = \"nope\"; } ); } );", "undefined device \"nope\"");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; luns = ( { lun = 0; device = \"d1\"; }, { lun = 0; device = \"d1\"; } ); } );", "duplicate LUN");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; luns = ( { lun = 16384; device = \"d1\"; } ); } );", "out of range");
	expect_error(DEV "devices2 = 1;", "unknown key");
	expect_error("devices = ( { name = \"d\"; handler = \"vdisk_fileio\"; filename = \"/f\"; },"
		     " { name = \"d\"; handler = \"vdisk_nullio\"; size = \"1M\"; } );", "device name already used");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; groups = ("
		     " { name = \"a\"; initiators = [ \"h1\" ]; }, { name = \"b\"; initiators = [ \"h1\" ]; } ); } );",
		     "initiator \"h1\" is in groups \"a\" and \"b\"");
	expect_error(DEV "targets = ( { driver = \"iscsi\"; name = \"t\"; sessions = [ \"h\" ]; } );", "no local sessions");
	expect_error(DEV "targets = ( { driver = \"iscsi\"; name = \"t\"; auth = { secret = \"short\"; }; } );", "length 5 not in 12..255");
	expect_error(DEV "targets = ( { driver = \"iscsi\"; name = \"t\"; auth = { userid = \"u\"; secret = \"same-secret-12\"; mutual_userid = \"m\"; mutual_secret = \"same-secret-12\"; }; } );", "mutual_secret must differ from secret");
	expect_error(DEV "targets = ( { driver = \"iscsi\"; name = \"t\"; groups = ( { name = \"g\"; initiators = ( { name = \"iqn.2024-01.x:a\"; auth = { userid = \"u\"; secret = \"same-secret-12\"; mutual_userid = \"m\"; mutual_secret = \"same-secret-12\"; }; } ); } ); } );", "iqn.2024-01.x:a/auth: mutual_secret must differ");
	expect_error(DEV "targets = ( { driver = \"iscsi\"; name = \"t\"; groups = ( { name = \"g\"; initiators = ( { name = \"iqn.2024-01.x:a\"; bogus = { userid = \"u\"; }; } ); } ); } );", "bogus: unknown key");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; groups = ( { name = \"g\"; initiators = ( { name = \"h\"; auth = { userid = \"u\"; }; } ); } ); } );", "auth: unknown key");
	expect_error(DEV "targets = ( { driver = \"nosuch\"; name = \"t\"; } );", "unknown target driver");
	expect_error(DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; }, { driver = \"scst_local\"; name = \"t\"; } );", "duplicate target");
	expect_error("devices = ( { name = \"d\" ", "syntax error");
}

static void t_missing_lun0(void **state)
{
	struct errlist el = { 0 };
	struct config *c = conf_str(DEV "targets = ( { driver = \"scst_local\"; name = \"t\";"
				    " luns = ( { lun = 1; device = \"d1\"; } ); } );", &el);

	(void)state;
	assert_int_equal(el.nerr, 0);
	assert_int_equal(el.nwarn, 1);
	assert_non_null(strstr(el.msgs.v[0], "warning: no LUN 0"));
	cfg_free(c);
	el_free(&el);
}

/* per-initiator CHAP with an empty secret: a warning, not an error */
static void t_half_auth(void **state)
{
	struct errlist el = { 0 };
	struct config *c = conf_str(DEV "targets = ( { driver = \"iscsi\"; name = \"iqn.2024-01.x:t\"; luns = ( { lun = 0; device = \"d1\"; } ); groups = ( { name = \"g\";"
				    " initiators = ( \"iqn.2024-01.x:b\", { name = \"iqn.2024-01.x:a\"; auth = { userid = \"u\"; secret = \"\"; }; } ); } ); } );", &el);

	(void)state;
	el_print(&el);
	assert_int_equal(el.nerr, 0);
	assert_int_equal(el.nwarn, 1);
	assert_non_null(strstr(el.msgs.v[0], "iqn.2024-01.x:a/auth: warning: userid and secret must both be set"));
	assert_int_equal(c->tgts[0].groups[0].inits.n, 2);
	assert_string_equal(kv_get(&c->tgts[0].groups[0].iattrs, "iqn.2024-01.x:a/auth/userid")->val, "u");
	el_free(&el);
	cfg_free(c);
}

static void t_hostile(void **state)
{
	char big[300000];
	char *deep;

	(void)state;
	/* NUL byte */
	{
		struct errlist el = { 0 };
		const char text[] = "setup_id = 1;\0 junk";
		struct config *c = parse_buf(schema_get(), text, sizeof(text), "n.conf", &el);

		assert_int_equal(el.nerr, 1);
		assert_non_null(strstr(el.msgs.v[0], "NUL byte"));
		cfg_free(c);
		el_free(&el);
	}
	expect_error("@include \"/etc/passwd\"\n", "not supported");
	deep = xcalloc(1, 4000);
	strcpy(deep, "x = ");
	for (int i = 0; i < 1000; i++)
		strcat(deep, "(");
	expect_error(deep, "nesting deeper");
	free(deep);
	memset(big, 'a', sizeof(big));
	memcpy(big, "devices = ( { name = \"", 22);
	strcpy(big + sizeof(big) - 40, "\"; handler = \"vdisk_nullio\"; } );");
	expect_error(big, "device name length");
}

static struct errlist parse_sbuf(struct sbuf *b)
{
	struct errlist el = { 0 };
	struct config *c = parse_buf(schema_get(), b->s, b->len, "big.conf", &el);

	cfg_free(c);
	sb_free(b);
	return el;
}

/* 10^6 sessions fit in the size limit and hit the count limit */
static void t_million_entries(void **state)
{
	struct errlist el;
	struct sbuf b;

	(void)state;
	if (getenv("SCST_TEST_NO_HUGE"))
		skip();	/* sanitizer builds: libconfig reallocs make 10^6 entries slow */
	sb_init(&b);
	sb_add(&b, "targets = ( { driver = \"scst_local\"; name = \"t\"; sessions = [\n");
	for (int i = 0; i < 1000000; i++)
		sb_add(&b, "\"h\",");
	sb_add(&b, "\"h\" ]; } );\n");
	el = parse_sbuf(&b);
	assert_int_equal(el.nerr, 1);
	assert_non_null(strstr(el.msgs.v[0], "too many entries (1000001, limit 1024)"));
	el_free(&el);
}

/* 10^6 LUNs are larger than the file size limit */
static void t_million_luns(void **state)
{
	struct errlist el;
	struct sbuf b;

	(void)state;
	if (getenv("SCST_TEST_NO_HUGE"))
		skip();	/* sanitizer builds: libconfig reallocs make 10^6 entries slow */
	sb_init(&b);
	sb_add(&b, DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; luns = (\n");
	for (int i = 0; i < 1000000; i++)
		sb_printf(&b, "{lun=%d;device=\"d1\";},\n", i);
	sb_add(&b, "{lun=0;device=\"d1\";} ); } );\n");
	el = parse_sbuf(&b);
	assert_int_equal(el.nerr, 1);
	assert_non_null(strstr(el.msgs.v[0], "limit is 16777216"));
	el_free(&el);
}

/* 16385 LUNs: under the size limit, over the LUN limit */
static void t_too_many_luns(void **state)
{
	struct errlist el;
	struct sbuf b;

	(void)state;
	sb_init(&b);
	sb_add(&b, DEV "targets = ( { driver = \"scst_local\"; name = \"t\"; luns = (\n");
	for (int i = 0; i < 16385; i++)
		sb_printf(&b, "{lun=%d;device=\"d1\";},\n", i);
	sb_add(&b, "{lun=0;device=\"d1\";} ); } );\n");
	el = parse_sbuf(&b);
	assert_int_equal(el.nerr, 1);
	assert_non_null(strstr(el.msgs.v[0], "too many LUNs (16386, limit 16384)"));
	el_free(&el);
}

int test_parse_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_example), cmocka_unit_test(t_line_format),
		cmocka_unit_test(t_errors), cmocka_unit_test(t_missing_lun0),
		cmocka_unit_test(t_half_auth),
		cmocka_unit_test(t_hostile), cmocka_unit_test(t_million_entries),
		cmocka_unit_test(t_million_luns), cmocka_unit_test(t_too_many_luns),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
