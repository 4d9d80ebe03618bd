// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: status rendering (one model, text and JSON) */
#include "helpers.h"
#include "render.h"
#include "status.h"

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

static void t_status(void **state)
{
	struct tree *t = fake_tree();
	struct wostate wo = { 0 };
	struct errlist el = { 0 };
	struct status st = { 0 };
	struct rt_lun lun = { 0, (char *)"d1", false, 5, 4096, 512, 1 };
	struct rt_session sess = { (char *)"scst_local", (char *)"t1", (char *)"h1",
				   (char *)"", &lun, 1, 1 };
	struct config *h;
	char *text, *json;

	(void)state;
	assert_int_equal(apply_text(t,
		"devices = ( { name = \"d1\"; handler = \"vdisk_fileio\"; filename = \"/f1\"; } );\n"
		"targets = ( { driver = \"scst_local\"; name = \"t1\"; luns = ( { lun = 0; device = \"d1\"; } );"
		" sessions = [ \"h1\" ]; } );\n", &wo, false), 0);
	h = live_read(t, &wo, &el);
	st.s = t->s;
	st.cfg = h;
	st.rt.available = true;
	st.rt.sess = &sess;
	st.rt.nsess = 1;
	status_modules(t->s, h, &st.modules);
	text = render(&st, false);
	json = render(&st, true);
	assert_non_null(strstr(text, "LUN 0 -> d1: 5 cmds, 4096 bytes read, 512 bytes written, 1 errors"));
	assert_non_null(strstr(text, "h1 (group default)"));
	assert_non_null(strstr(json, "\"read_bytes\": 4096"));
	assert_non_null(strstr(json, "\"modules\": ["));
	assert_int_equal(json[0], '{');
	assert_string_equal(json + strlen(json) - 2, "}\n");
	/* without the kernel side: configuration only, and a note */
	st.rt.available = false;
	st.rt.why = (char *)"kernel side not loaded";
	free(text);
	text = render(&st, false);
	assert_non_null(strstr(text, "note: kernel side not loaded"));
	assert_non_null(strstr(text, "    sessions:\n      h1\n"));
	free(text);
	free(json);
	sl_free(&st.modules);
	cfg_free(h);
	el_free(&el);
	wo_free(&wo);
	rm_tree(t);
}

int test_status_group(int *total)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_status),
	};

	*total += ARRAY_SIZE(tests);
	return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
