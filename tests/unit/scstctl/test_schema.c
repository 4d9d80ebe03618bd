// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: schema loading, matching and value checks */
#include "helpers.h"

#include <string.h>

static void t_load(void **state)
{
	struct schema *s = schema_get();

	(void)state;
	assert_true(s->nobjs > 30);
	assert_int_equal(s->lim.max_luns_per_target, 16384);
	assert_int_equal(s->lim.max_targets, 4096);
	assert_true(schema_is_handler(s, "vdisk_fileio"));
	assert_true(schema_is_handler(s, "vcdrom"));
	assert_false(schema_is_handler(s, "nosuch"));
	assert_true(schema_is_driver(s, "iscsi"));
	assert_string_equal(schema_module_of(s, "handlers/vdisk_nullio"), "scst_vdisk");
}

static void t_match(void **state)
{
	struct schema *s = schema_get();
	const struct sc_object *o;

	(void)state;
	o = schema_match(s, "targets/scst_local/t1/luns/3/device");
	assert_non_null(o);
	assert_int_equal(o->created, C_SYMLINK);
	o = schema_match(s, "targets/iscsi/t1/auth");
	assert_non_null(o);
	assert_string_equal(o->path, "targets/iscsi/<target>/auth");
	o = schema_match(s, "");
	assert_non_null(o);
	assert_non_null(schema_attr(o, "setup_id"));
	assert_null(schema_match(s, "targets/scst_local/t1/bogus/x/y/z/w"));
}

static const struct sc_attr *attr(const char *obj, const char *name)
{
	return schema_attr(schema_by_pattern(schema_get(), obj), name);
}

static int canon(const struct sc_attr *a, const char *in, char *out)
{
	char why[256];

	return schema_canon(a, in, out, 256, why, sizeof(why));
}

static void t_values(void **state)
{
	const char *dev = "handlers/vdisk_fileio/<device>";
	char out[256];

	(void)state;
	assert_int_equal(canon(attr(dev, "nv_cache"), "true", out), 0);
	assert_string_equal(out, "1");
	assert_int_equal(canon(attr(dev, "nv_cache"), "off", out), 0);
	assert_string_equal(out, "0");
	assert_int_equal(canon(attr(dev, "nv_cache"), "2", out), -1);
	assert_int_equal(canon(attr(dev, "blocksize"), "4096", out), 0);
	assert_int_equal(canon(attr(dev, "blocksize"), "1024", out), -1);
	assert_int_equal(canon(attr(dev, "t10_vend_id"), "123456789", out), -1);
	assert_int_equal(canon(attr(dev, "t10_vend_id"), "12345678", out), 0);
	assert_int_equal(canon(attr(dev, "t10_vend_id"), "a\tb", out), -1);
	assert_int_equal(canon(attr(dev, "naa_id"), "5ABCDEF012345678", out), 0);
	assert_string_equal(out, "5abcdef012345678");
	assert_int_equal(canon(attr(dev, "naa_id"), "6ABCDEF012345678", out), -1);
	assert_int_equal(canon(attr(dev, "naa_id"), "", out), 0);
	assert_int_equal(canon(attr(dev, "eui64_id"), "0x0011223344556677", out), 0);
	assert_int_equal(canon(attr(dev, "eui64_id"), "00112233445566", out), -1);
	assert_int_equal(canon(attr("handlers/vdisk_nullio/<device>", "size"), "1G", out), 0);
	assert_string_equal(out, "1073741824");
	assert_int_equal(canon(attr("handlers/vdisk_nullio/<device>", "size"), "100", out), -1);
	assert_int_equal(canon(attr("targets/iscsi/<target>", "max_recv_data_segment_length"), "511", out), -1);
	assert_int_equal(canon(attr("targets/iscsi/<target>", "header_digest"), "crc32c", out), 0);
	assert_string_equal(out, "CRC32C");
	assert_int_equal(canon(attr("targets/iscsi/<target>/auth", "secret"), "short", out), -1);
	assert_int_equal(canon(attr("targets/iscsi/<target>/auth", "secret"), "", out), 0);
	assert_int_equal(canon(attr("targets/iscsi/<target>/auth", "secret"), "twelve-chars", out), 0);
}

static void t_names(void **state)
{
	struct schema *s = schema_get();
	char why[256];

	(void)state;
	assert_int_equal(schema_check_name(schema_ph(s, "lun"), "16383", why, sizeof(why)), 0);
	assert_int_equal(schema_check_name(schema_ph(s, "lun"), "16384", why, sizeof(why)), -1);
	assert_int_equal(schema_check_name(schema_ph(s, "lun"), "01", why, sizeof(why)), -1);
	assert_int_equal(schema_check_name(schema_ph(s, "device"), "a/b", why, sizeof(why)), -1);
	assert_int_equal(schema_check_name(schema_ph(s, "device"), "..", why, sizeof(why)), -1);
	assert_int_equal(schema_check_name(schema_ph(s, "initiator"), "iqn.1994-05.com.redhat:*", why, sizeof(why)), 0);
	assert_int_equal(schema_check_name(schema_ph(s, "session"), "host*", why, sizeof(why)), -1);
}

static void t_bad_schema(void **state)
{
	char err[256];

	(void)state;
	assert_null(schema_load("/nonexistent/scst.schema", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

int test_schema_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_load), cmocka_unit_test(t_match),
		cmocka_unit_test(t_values), cmocka_unit_test(t_names),
		cmocka_unit_test(t_bad_schema),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
