// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: "fake configfs" ops on a plain directory (--root DIR, tests).
 * Emulates what the kernel does on configfs, driven by the schema.
 */
#include "tree.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *a, const char *b)
{
	return *a ? xasprintf("%s/%s", a, b) : xstrdup(b);
}

static int put_file(struct tree *t, const char *path, const char *val,
		    mode_t mode)
{
	int fd = openat(t->rootfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			mode);
	size_t len = strlen(val);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fchmodat(t->rootfd, path, mode, 0))
		rc = -errno;
	else if (len && (write(fd, val, len) != (ssize_t)len || write(fd, "\n", 1) != 1))
		rc = -EIO;
	close(fd);
	return rc;
}

static mode_t attr_mode(const struct sc_attr *a)
{
	return (a->access & ACC_R ? 0444 : 0) | (a->access & ACC_W ? 0200 : 0);
}

static bool pattern_child(const struct sc_object *parent,
			  const struct sc_object *k)
{
	if (k->nsegs != parent->nsegs + 1)
		return false;
	for (int i = 0; i < parent->nsegs; i++)
		if (strcmp(parent->segs[i], k->segs[i]))
			return false;
	return true;
}

static int make_object(struct tree *t, const char *path,
		       const struct sc_object *o, bool do_mkdir);

/* rel_tgt_id: like the kernel, the next id no target uses */
static long long next_rel_tgt_id(struct tree *t, long long min)
{
	struct entries drv, tg;
	long long max = min - 1;
	char buf[32];

	if (fs_list(t->rootfd, "targets", &drv))
		return min;
	for (int i = 0; i < drv.n; i++) {
		char *dp = xasprintf("targets/%s", drv.v[i].name);

		if (!fs_list(t->rootfd, dp, &tg)) {
			for (int j = 0; j < tg.n; j++) {
				char *p = xasprintf("%s/%s/rel_tgt_id", dp, tg.v[j].name);

				if (!fs_read(t->rootfd, p, buf, sizeof(buf)) &&
				    atoll(buf) > max)
					max = atoll(buf);
				free(p);
			}
			entries_free(&tg);
		}
		free(dp);
	}
	entries_free(&drv);
	return max + 1;
}

static int make_kernel_children(struct tree *t, const char *path,
				const struct sc_object *o)
{
	for (int i = 0; i < t->s->nobjs; i++) {
		const struct sc_object *k = &t->s->objs[i];
		char *p;
		int rc;

		if (k->created != C_KERNEL || k->module || !pattern_child(o, k))
			continue;
		p = join(path, k->segs[k->nsegs - 1]);
		rc = make_object(t, p, k, true);
		free(p);
		if (rc)
			return rc;
	}
	return 0;
}

static int make_object(struct tree *t, const char *path,
		       const struct sc_object *o, bool do_mkdir)
{
	if (do_mkdir && mkdirat(t->rootfd, path, 0755))
		return -errno;
	for (int i = 0; i < o->nattrs; i++) {
		const struct sc_attr *a = &o->attrs[i];
		char *p = join(path, a->name);
		const char *v = a->def && (a->access & ACC_R) ? a->def : "";
		char num[32];
		int rc;

		/* dynamic defaults: something valid for the type */
		if (!strcmp(a->name, "version"))
			v = "0.1.0";
		else if (!a->def && (a->type == T_INT || a->type == T_SIZE) &&
			 (a->access & ACC_R)) {
			snprintf(num, sizeof(num), "%lld",
				 !strcmp(a->name, "rel_tgt_id") ?
				 next_rel_tgt_id(t, a->min) : a->min);
			v = num;
		}
		rc = put_file(t, p, v, attr_mode(a));
		free(p);
		if (rc)
			return rc;
	}
	return make_kernel_children(t, path, o);
}

static int f_mkdir(struct tree *t, const char *path)
{
	const struct sc_object *o = schema_match(t->s, path);
	char *copy = parent_of(path);
	const char *parent = copy;
	int rc;

	if (!fs_exists(t->rootfd, parent))
		rc = -ENOENT;
	else if (fs_exists(t->rootfd, path))
		rc = -EEXIST;
	else if (!o || o->created != C_MKDIR)
		rc = -EPERM;
	else
		rc = make_object(t, path, o, true);
	free(copy);
	return rc;
}

/* true when a dir holds something the admin made (dirs or links) */
static bool has_user_children(struct tree *t, const char *path)
{
	struct entries e;
	bool busy = false;

	if (fs_list(t->rootfd, path, &e))
		return false;
	for (int i = 0; i < e.n && !busy; i++) {
		char *p = join(path, e.v[i].name);
		const struct sc_object *k = schema_match(t->s, p);

		if (e.v[i].type == 'l')
			busy = true;
		else if (e.v[i].type == 'd')
			busy = !k || k->created != C_KERNEL || has_user_children(t, p);
		free(p);
	}
	entries_free(&e);
	return busy;
}

static int remove_object(struct tree *t, const char *path)
{
	struct entries e;
	int rc = fs_list(t->rootfd, path, &e);

	for (int i = 0; !rc && i < e.n; i++) {
		char *p = join(path, e.v[i].name);

		if (e.v[i].type == 'd')
			rc = remove_object(t, p);
		else if (unlinkat(t->rootfd, p, 0))
			rc = -errno;
		free(p);
	}
	entries_free(&e);
	if (!rc && unlinkat(t->rootfd, path, AT_REMOVEDIR))
		rc = -errno;
	return rc;
}

static bool link_points_to(struct tree *t, const char *link, const char *dev)
{
	char buf[4096];
	size_t lt, ld = strlen(dev);
	ssize_t n = readlinkat(t->rootfd, link, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = 0;
	lt = strlen(buf);
	return lt >= ld && !strcmp(buf + lt - ld, dev) &&
	       (lt == ld || buf[lt - ld - 1] == '/');
}

static bool lunset_uses(struct tree *t, const char *luns, const char *dev)
{
	struct entries e;
	bool used = false;

	if (fs_list(t->rootfd, luns, &e))
		return false;
	for (int i = 0; i < e.n && !used; i++) {
		char *p = xasprintf("%s/%s/device", luns, e.v[i].name);

		used = link_points_to(t, p, dev);
		free(p);
	}
	entries_free(&e);
	return used;
}

static bool target_uses(struct tree *t, const char *tp, const char *dev)
{
	char *p = xasprintf("%s/luns", tp);
	struct entries g;
	bool used = lunset_uses(t, p, dev);

	free(p);
	p = xasprintf("%s/groups", tp);
	if (!used && !fs_list(t->rootfd, p, &g)) {
		for (int i = 0; i < g.n && !used; i++) {
			char *q = xasprintf("%s/%s/luns", p, g.v[i].name);

			used = lunset_uses(t, q, dev);
			free(q);
		}
		entries_free(&g);
	}
	free(p);
	return used;
}

/* dev is "handlers/<h>/<d>" */
static bool device_in_use(struct tree *t, const char *dev)
{
	struct entries drv, tg;
	bool used = false;

	if (fs_list(t->rootfd, "targets", &drv))
		return false;
	for (int i = 0; i < drv.n && !used; i++) {
		char *dp = xasprintf("targets/%s", drv.v[i].name);

		if (!fs_list(t->rootfd, dp, &tg)) {
			for (int j = 0; j < tg.n && !used; j++) {
				char *tp = xasprintf("%s/%s", dp, tg.v[j].name);

				if (tg.v[j].type == 'd')
					used = target_uses(t, tp, dev);
				free(tp);
			}
			entries_free(&tg);
		}
		free(dp);
	}
	entries_free(&drv);
	return used;
}

static int f_rmdir(struct tree *t, const char *path)
{
	const struct sc_object *o = schema_match(t->s, path);

	if (!fs_exists(t->rootfd, path))
		return -ENOENT;
	if (!o || o->created != C_MKDIR)
		return -EPERM;
	if (has_user_children(t, path))
		return -ENOTEMPTY;
	if (!strncmp(path, "handlers/", 9) && o->nsegs == 3 &&
	    device_in_use(t, path))
		return -EBUSY;
	return remove_object(t, path);
}

static int enabled_sibling(struct tree *t, const char *dir)
{
	char *p = join(dir, "enable");
	char buf[16];
	int on = !fs_read(t->rootfd, p, buf, sizeof(buf)) && !strcmp(buf, "1");

	free(p);
	return on;
}

static int f_write(struct tree *t, const char *path, const char *val)
{
	char *copy = parent_of(path), *dir = copy;
	const char *name = path + strlen(path);
	const struct sc_object *o;
	const struct sc_attr *a;
	char canon[8192], why[256];
	int rc = 0;

	while (name > path && name[-1] != '/')
		name--;
	o = schema_match(t->s, dir);
	a = schema_attr(o, name);
	if (!a || !fs_exists(t->rootfd, path))
		rc = -ENOENT;
	else if (!(a->access & ACC_W))
		rc = -EACCES;
	else if (schema_canon(a, val, canon, sizeof(canon), why, sizeof(why)))
		rc = -EINVAL;
	else if (a->creation && enabled_sibling(t, dir))
		rc = -EBUSY;
	else if (a->access & ACC_R)
		rc = put_file(t, path, canon, attr_mode(a));
	free(copy);
	return rc;
}

static int f_read(struct tree *t, const char *path, char *buf, size_t n)
{
	return fs_read(t->rootfd, path, buf, n);
}

static int f_symlink(struct tree *t, const char *target, const char *path)
{
	const struct sc_object *o = schema_match(t->s, path);
	struct stat st;

	if (!o || o->created != C_SYMLINK)
		return -EPERM;
	if (symlinkat(target, t->rootfd, path))
		return -errno;
	if (fstatat(t->rootfd, path, &st, 0) || !S_ISDIR(st.st_mode)) {
		unlinkat(t->rootfd, path, 0);
		return -ENOENT;
	}
	return 0;
}

static int f_unlink(struct tree *t, const char *path)
{
	const struct sc_object *o = schema_match(t->s, path);

	if (!o || o->created != C_SYMLINK)
		return -EPERM;
	return unlinkat(t->rootfd, path, 0) ? -errno : 0;
}

static int f_readlink(struct tree *t, const char *path, char *buf, size_t n)
{
	ssize_t len = readlinkat(t->rootfd, path, buf, n - 1);

	if (len < 0)
		return -errno;
	buf[len] = 0;
	return 0;
}

static int f_list(struct tree *t, const char *path, struct entries *out)
{
	return fs_list(t->rootfd, path, out);
}

static int mkdir_parents(struct tree *t, const struct sc_object *o)
{
	struct sbuf b;
	int rc = 0;

	sb_init(&b);
	for (int i = 0; i + 1 < o->nsegs && !rc; i++) {
		sb_printf(&b, "%s%s", i ? "/" : "", o->segs[i]);
		if (!fs_exists(t->rootfd, b.s) && mkdirat(t->rootfd, b.s, 0755))
			rc = -errno;
	}
	sb_free(&b);
	return rc;
}

static int f_load_module(struct tree *t, const char *module)
{
	int rc = 0, found = 0;

	for (int i = 0; i < t->s->nobjs && !rc; i++) {
		const struct sc_object *o = &t->s->objs[i];

		if (!o->module || strcmp(o->module, module))
			continue;
		found = 1;
		if (fs_exists(t->rootfd, o->path))
			continue;
		rc = mkdir_parents(t, o);
		if (!rc)
			rc = make_object(t, o->path, o, true);
	}
	return rc ? rc : found ? 0 : -ENOENT;
}

static int f_unload_module(struct tree *t, const char *module)
{
	int rc = 0;

	for (int i = 0; i < t->s->nobjs && !rc; i++) {
		const struct sc_object *o = &t->s->objs[i];

		if (!o->module || strcmp(o->module, module) ||
		    !fs_exists(t->rootfd, o->path))
			continue;
		rc = has_user_children(t, o->path) ? -EBUSY :
		     remove_object(t, o->path);
	}
	return rc;
}

int fake_init(struct tree *t)
{
	const struct sc_object *root = schema_by_pattern(t->s, "");

	if (!t->fake)
		return -EPERM;
	if (!root)
		return -EINVAL;
	if (fs_exists(t->rootfd, "version"))
		return 0;
	return make_object(t, "", root, false);
}

/*
 * What a process registering a device does (scst_user): the kernel makes
 * the directory of an object that is not created by mkdir.
 */
int fake_kernel_mkdir(struct tree *t, const char *path)
{
	const struct sc_object *o = schema_match(t->s, path);
	char *parent = parent_of(path);
	int rc;

	if (!t->fake)
		rc = -EPERM;
	else if (!fs_exists(t->rootfd, parent))
		rc = -ENOENT;
	else if (!o || o->created != C_KERNEL)
		rc = -EINVAL;
	else
		rc = make_object(t, path, o, true);
	free(parent);
	return rc;
}

const struct tree_ops fake_ops = {
	.mkdir = f_mkdir, .rmdir = f_rmdir, .write = f_write, .read = f_read,
	.symlink = f_symlink, .unlink = f_unlink, .readlink = f_readlink,
	.list = f_list, .load_module = f_load_module,
	.unload_module = f_unload_module,
};
