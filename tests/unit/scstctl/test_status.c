// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl unit tests: netlink replies shaped as the kernel sends them
 * (src/core/netlink.c) parsed into the status model, rendered as text
 * and JSON; and replies of a kernel without the I/O counters.
 */
#include "helpers.h"
#include "render.h"
#include "status.h"

#include <netlink/genl/genl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(const struct status *st, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	status_render(f, st, json);
	fclose(f);
	return buf;
}

static struct nl_msg *msg_new(int cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 1, 0x20, 0, NLM_F_MULTI, cmd,
				    SCST_GENL_VERSION));
	return m;
}

/* u64 as the kernel puts it: nla_put_u64_64bit() with a PAD attribute */
static void put_u64(struct nl_msg *m, int type, uint64_t v)
{
	assert_int_equal(nla_put(m, SCST_ATTR_PAD, 0, NULL), 0);
	assert_int_equal(nla_put_u64(m, type, v), 0);
}

/* COUNTERS; histograms only up to their last non-empty bucket */
static void put_counters(struct nl_msg *m, uint64_t cmds, uint64_t rd,
			 uint64_t wr, uint64_t err, uint64_t other,
			 const uint64_t *rlat, int rn)
{
	put_u64(m, SCST_ATTR_CMDS, cmds);
	put_u64(m, SCST_ATTR_READ_BYTES, rd);
	put_u64(m, SCST_ATTR_WRITE_BYTES, wr);
	put_u64(m, SCST_ATTR_ERRORS, err);
	put_u64(m, SCST_ATTR_OTHER_ERRORS, other);
	if (rn)
		assert_int_equal(nla_put(m, SCST_ATTR_LAT_READ,
					 rn * sizeof(uint64_t), rlat), 0);
}

static void put_sess_head(struct nl_msg *m, const char *ini)
{
	nla_put_string(m, SCST_ATTR_TGT_DRIVER, "scst_local");
	nla_put_string(m, SCST_ATTR_TARGET, "t1");
	nla_put_string(m, SCST_ATTR_INITIATOR, ini);
	nla_put_string(m, SCST_ATTR_GROUP, "");
}

static void put_lun(struct nl_msg *m, uint32_t lun, bool counters,
		    const uint64_t *rlat, int rn)
{
	struct nlattr *e = nla_nest_start(m, SCST_ATTR_LUN_ENTRY);

	nla_put_u32(m, SCST_ATTR_LUN, lun);
	nla_put_string(m, SCST_ATTR_DEVICE, "d1");
	nla_put_u8(m, SCST_ATTR_READ_ONLY, 0);
	if (counters)
		put_counters(m, 65, 32768, 512, 1, 0, rlat, rn);
	nla_nest_end(m, e);
}

static void parse_session(struct runtime *rt, struct nl_msg *m)
{
	assert_int_equal(nl_parse_session(m, rt), NL_OK);
	nlmsg_free(m);
}

/* bucket 4 = 8..16 us, bucket 5 = 16..32 us: 64 + 1 = 65 commands */
static const uint64_t rlat[6] = { 0, 0, 0, 0, 60, 5 };

static struct config *fake_config(struct tree *t, struct wostate *wo,
				  struct errlist *el)
{
	assert_int_equal(apply_text(t,
		"devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; } );\n"
		"targets = ( { driver = \"scst_local\"; name = \"t1\"; luns = ( { lun = 0; device = \"d1\"; } );"
		" sessions = [ \"h1\" ]; } );\n", wo, false), 0);
	return live_read(t, wo, el);
}

static void t_status_counters(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	struct errlist el = { 0 };
	struct status st = { 0 };
	struct nlattr *luns;
	struct nl_msg *m;
	char *text, *json;

	(void)state;
	st.cfg = fake_config(t, &wo, &el);
	st.s = t->s;
	st.rt.available = true;

	/* session h1: counters, LUNs 0 and 1; then a CONTINUED message with LUN 7 */
	m = msg_new(SCST_CMD_GET_SESSIONS);
	put_sess_head(m, "h1");
	put_counters(m, 70, 32768, 1024, 2, 3, rlat, 6);
	luns = nla_nest_start(m, SCST_ATTR_LUNS);
	put_lun(m, 0, true, rlat, 6);
	put_lun(m, 1, true, NULL, 0);
	nla_nest_end(m, luns);
	parse_session(&st.rt, m);
	m = msg_new(SCST_CMD_GET_SESSIONS);
	put_sess_head(m, "h1");
	nla_put_u8(m, SCST_ATTR_CONTINUED, 1);
	luns = nla_nest_start(m, SCST_ATTR_LUNS);
	put_lun(m, 7, true, NULL, 0);
	nla_nest_end(m, luns);
	parse_session(&st.rt, m);
	/* another session of the same initiator (another ISID): not merged */
	m = msg_new(SCST_CMD_GET_SESSIONS);
	put_sess_head(m, "h1");
	put_counters(m, 0, 0, 0, 0, 0, NULL, 0);
	parse_session(&st.rt, m);

	assert_int_equal(st.rt.nsess, 2);
	assert_int_equal(st.rt.sess[0].nluns, 3);
	assert_int_equal(st.rt.sess[0].luns[2].lun, 7);
	assert_true(st.rt.sess[0].st.present);
	assert_int_equal(st.rt.sess[0].st.other_errors, 3);
	assert_int_equal(st.rt.sess[0].luns[0].st.lat[RT_LAT_READ][4], 60);
	assert_int_equal(st.rt.sess[0].luns[0].st.lat[RT_LAT_READ][23], 0);
	assert_int_equal(st.rt.sess[0].luns[1].st.lat[RT_LAT_READ][4], 0);
	assert_int_equal(st.rt.sess[1].nluns, 0);

	/* device d1 */
	m = msg_new(SCST_CMD_GET_DEVICES);
	nla_put_string(m, SCST_ATTR_DEVICE, "d1");
	nla_put_string(m, SCST_ATTR_HANDLER, "vdisk_fileio");
	nla_put_u8(m, SCST_ATTR_ENABLED, 1);
	nla_put_u32(m, SCST_ATTR_BLOCKSIZE, 512);
	put_counters(m, 65, 32768, 512, 1, 0, rlat, 6);
	assert_int_equal(nl_parse_device(m, &st.rt), NL_OK);
	nlmsg_free(m);
	assert_int_equal(st.rt.ndevs, 1);
	assert_int_equal(st.rt.devs[0].st.cmds, 65);

	status_modules(t->s, st.cfg, &st.modules);
	text = render(&st, false);
	json = render(&st, true);
	assert_non_null(strstr(text, "LUN 0 -> d1: 65 cmds, 32768 bytes read, 512 bytes written, 1 errors, 0 other errors\n"));
	assert_non_null(strstr(text, "read latency: 8-16us 60, 16-32us 5\n"));
	assert_non_null(strstr(text, "LUN 7 -> d1: 65 cmds"));
	assert_non_null(strstr(text, "counters: 70 cmds, 32768 bytes read, 1024 bytes written, 2 errors, 3 other errors\n"));
	assert_non_null(strstr(text, "h1 (group default)"));
	assert_null(strstr(text, "write latency"));
	assert_non_null(strstr(json, "\"read_bytes\": 32768"));
	assert_non_null(strstr(json, "\"other_errors\": 3"));
	assert_non_null(strstr(json, "\"latency_us\": {"));
	assert_non_null(strstr(json, "\"read\": [\n"));
	assert_non_null(strstr(json, "\"modules\": ["));
	assert_int_equal(json[0], '{');
	assert_string_equal(json + strlen(json) - 2, "}\n");
	free(text);
	free(json);

	/* Prometheus: LUN counters once per LUN set entry, histograms cumulative */
	{
		char *prom = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&prom, &len);

		status_metrics(f, &st);
		fclose(f);
		assert_non_null(strstr(prom, "scst_runtime_available 1\n"));
		assert_non_null(strstr(prom, "# TYPE scst_lun_read_bytes_total counter\n"));
		assert_non_null(strstr(prom, "scst_lun_read_bytes_total{driver=\"scst_local\",target=\"t1\",group=\"\",lun=\"0\",device=\"d1\"} 32768\n"));
		assert_non_null(strstr(prom, "scst_session_other_errors_total{driver=\"scst_local\",target=\"t1\",initiator=\"h1\",group=\"\"} 3\n"));
		assert_non_null(strstr(prom, "scst_device_commands_total{device=\"d1\",handler=\"vdisk_fileio\"} 65\n"));
		/* 8..16 us is bucket 4: le 16 us holds 60, le 32 us 65 */
		assert_non_null(strstr(prom, "scst_lun_latency_seconds_bucket{driver=\"scst_local\",target=\"t1\",group=\"\",lun=\"0\",device=\"d1\",dir=\"read\",le=\"1.6e-05\"} 60\n"));
		assert_non_null(strstr(prom, "dir=\"read\",le=\"3.2e-05\"} 65\n"));
		assert_non_null(strstr(prom, "scst_lun_latency_seconds_count{driver=\"scst_local\",target=\"t1\",group=\"\",lun=\"0\",device=\"d1\",dir=\"read\"} 65\n"));
		assert_non_null(strstr(prom, "scst_target_luns{driver=\"scst_local\",target=\"t1\"} 1\n"));
		/* the second session of h1 has LUNs of the same set: not twice */
		assert_null(strstr(strstr(prom, "lun=\"7\"") + 1, "scst_lun_commands_total{driver=\"scst_local\",target=\"t1\",group=\"\",lun=\"7\""));
		free(prom);
	}
	rt_free(&st.rt);
	sl_free(&st.modules);
	cfg_free((struct config *)st.cfg);
	el_free(&el);
	wo_free(&wo);
	rm_tree(t);
}

/* A kernel from before the counters: LUN entries without them. */
static void t_status_old_kernel(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	struct errlist el = { 0 };
	struct status st = { 0 };
	struct nlattr *luns;
	struct nl_msg *m;
	char *text, *json;

	(void)state;
	st.cfg = fake_config(t, &wo, &el);
	st.s = t->s;
	st.rt.available = true;
	m = msg_new(SCST_CMD_GET_SESSIONS);
	put_sess_head(m, "h1");
	luns = nla_nest_start(m, SCST_ATTR_LUNS);
	put_lun(m, 0, false, NULL, 0);
	nla_nest_end(m, luns);
	parse_session(&st.rt, m);
	assert_false(st.rt.sess[0].st.present);
	assert_false(st.rt.sess[0].luns[0].st.present);

	text = render(&st, false);
	json = render(&st, true);
	assert_non_null(strstr(text, "LUN 0 -> d1\n"));
	assert_null(strstr(text, "cmds"));
	assert_null(strstr(text, "counters:"));
	assert_null(strstr(json, "\"commands\""));
	assert_null(strstr(json, "latency_us"));
	assert_non_null(strstr(json, "\"lun\": 0"));
	free(text);
	free(json);
	rt_free(&st.rt);

	/* without the kernel side: configuration only, and a note */
	st.rt.available = false;
	st.rt.why = (char *)"kernel side not loaded";
	text = render(&st, false);
	assert_non_null(strstr(text, "note: kernel side not loaded"));
	assert_non_null(strstr(text, "    sessions:\n      h1\n"));
	free(text);
	cfg_free((struct config *)st.cfg);
	el_free(&el);
	wo_free(&wo);
	rm_tree(t);
}

int test_status_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_status_counters),
		cmocka_unit_test(t_status_old_kernel),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
