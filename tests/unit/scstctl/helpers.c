// SPDX-License-Identifier: GPL-2.0-only
/* scstctl unit tests: shared helpers */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct schema *test_schema;

struct schema *schema_get(void)
{
	char err[512];

	if (!test_schema) {
		test_schema = schema_load(schema_default_path(NULL), err, sizeof(err));
		if (!test_schema) {
			fprintf(stderr, "%s\n", err);
			exit(2);
		}
	}
	return test_schema;
}

struct config *conf_str(const char *text, struct errlist *el)
{
	return parse_buf(schema_get(), text, strlen(text), "test.conf", el);
}

struct tree *fake_tree(void)
{
	char tmpl[] = "/tmp/scstctl-test-XXXXXX";
	char err[256];
	struct tree *t;

	assert_non_null(mkdtemp(tmpl));
	t = tree_open(tmpl, schema_get(), err, sizeof(err));
	assert_non_null(t);
	assert_true(t->fake);
	assert_int_equal(fake_init(t), 0);
	return t;
}

void rm_tree(struct tree *t)
{
	char *cmd = xasprintf("rm -rf '%s'", t->root);

	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", t->root);
	free(cmd);
	tree_close(t);
}

struct owned *test_owned;
bool test_keep_unlisted;

static int make_plan(struct tree *t, const char *conf, bool prune,
		     struct plan *p, struct wostate *wo)
{
	struct diff_opts o = { .prune = prune, .owned = test_owned,
			       .keep_unlisted = test_keep_unlisted };
	struct errlist el = { 0 };
	struct config *w = conf_str(conf, &el), *h;
	struct wostate none = { 0 };
	int rc;

	el_print(&el);
	assert_int_equal(el.nerr, 0);
	h = live_read(t, wo ? wo : &none, &el);
	el_print(&el);
	assert_int_equal(el.nerr, 0);
	rc = diff_configs(t->s, w, h, &o, p, &el);
	el_print(&el);
	el_free(&el);
	cfg_free(w);
	cfg_free(h);
	return rc;
}

char *plan_text_wo(struct tree *t, const char *conf, bool prune,
		   struct wostate *wo)
{
	struct plan p = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (make_plan(t, conf, prune, &p, wo))
		fprintf(f, "diff refused\n");
	else
		plan_print(f, &p);
	fclose(f);
	plan_free(&p);
	return buf;
}

char *plan_text(struct tree *t, const char *conf, bool prune)
{
	return plan_text_wo(t, conf, prune, NULL);
}

int apply_text(struct tree *t, const char *conf, struct wostate *wo, bool prune)
{
	struct errlist el = { 0 };
	struct plan p = { 0 };
	int rc = make_plan(t, conf, prune, &p, wo);

	if (!rc)
		rc = apply_plan(t, &p, wo, NULL, &el);
	if (!rc && test_owned)
		owned_update(test_owned, &p, p.n);
	if (getenv("SCST_TEST_VERBOSE"))
		el_print(&el);
	el_free(&el);
	plan_free(&p);
	return rc;
}

static void snap_dir(int rootfd, const char *path, FILE *f)
{
	struct entries e;
	char buf[8192];

	if (fs_list(rootfd, path, &e))
		return;
	for (int i = 0; i < e.n; i++) {
		char *p = *path ? xasprintf("%s/%s", path, e.v[i].name) :
			  xstrdup(e.v[i].name);
		ssize_t n;

		fprintf(f, "%c %04o %s", e.v[i].type, e.v[i].mode & 07777, p);
		if (e.v[i].type == 'l') {
			n = readlinkat(rootfd, p, buf, sizeof(buf) - 1);
			buf[n < 0 ? 0 : n] = 0;
			fprintf(f, " -> %s", buf);
		} else if (e.v[i].type == 'f') {
			int fd = openat(rootfd, p, O_RDONLY);

			n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
			buf[n < 0 ? 0 : n] = 0;
			if (fd >= 0)
				close(fd);
			fprintf(f, " = [%s]", buf);
		}
		fputc('\n', f);
		if (e.v[i].type == 'd')
			snap_dir(rootfd, p, f);
		free(p);
	}
	entries_free(&e);
}

char *snapshot(struct tree *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	snap_dir(t->rootfd, "", f);
	fclose(f);
	return buf;
}

char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t len;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	if (read_whole_fd(fd, 1 << 26, &buf, &len))
		buf = NULL;
	close(fd);
	return buf;
}

/* ----------------------------------------------------- fault injection */

struct faulty {
	struct tree t;
	int k, err, count;
};

static int hit(struct tree *t)
{
	struct faulty *f = (struct faulty *)t;

	return ++f->count == f->k ? -f->err : 0;
}

#define IN(t) (((struct tree *)(t))->inner)
#define FWD(call) do { int _rc = hit(t); if (_rc) return _rc; return call; } while (0)

static int q_mkdir(struct tree *t, const char *p) { FWD(IN(t)->ops->mkdir(IN(t), p)); }
static int q_rmdir(struct tree *t, const char *p) { FWD(IN(t)->ops->rmdir(IN(t), p)); }
static int q_write(struct tree *t, const char *p, const char *v) { FWD(IN(t)->ops->write(IN(t), p, v)); }
static int q_symlink(struct tree *t, const char *a, const char *p) { FWD(IN(t)->ops->symlink(IN(t), a, p)); }
static int q_unlink(struct tree *t, const char *p) { FWD(IN(t)->ops->unlink(IN(t), p)); }
static int q_load(struct tree *t, const char *m) { FWD(IN(t)->ops->load_module(IN(t), m)); }
static int q_unload(struct tree *t, const char *m) { return IN(t)->ops->unload_module(IN(t), m); }
static int q_read(struct tree *t, const char *p, char *b, size_t n) { return IN(t)->ops->read(IN(t), p, b, n); }
static int q_readlink(struct tree *t, const char *p, char *b, size_t n) { return IN(t)->ops->readlink(IN(t), p, b, n); }
static int q_list(struct tree *t, const char *p, struct entries *e) { return IN(t)->ops->list(IN(t), p, e); }

static const struct tree_ops faulty_ops = {
	.mkdir = q_mkdir, .rmdir = q_rmdir, .write = q_write, .read = q_read,
	.symlink = q_symlink, .unlink = q_unlink, .readlink = q_readlink,
	.list = q_list, .load_module = q_load, .unload_module = q_unload,
};

struct tree *faulty_tree(struct tree *inner, int k, int err)
{
	struct faulty *f = xcalloc(1, sizeof(*f));

	f->t = *inner;
	f->t.ops = &faulty_ops;
	f->t.inner = inner;
	f->k = k;
	f->err = err;
	return &f->t;
}

int faulty_count(struct tree *t)
{
	return ((struct faulty *)t)->count;
}
