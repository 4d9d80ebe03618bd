// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: plan -> filesystem, with rollback */
#include "apply.h"
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct undo {
	const struct step *st;
	char *old;		/* write: old value; unlink: old link target */
	struct kvlist saved;	/* rmdir: attribute values of the object */
};

struct actx {
	struct tree *t;
	struct wostate *wo;
	struct errlist *el;
	struct undo *u;
	int nu;
	struct kvlist wo_pending;	/* path -> value ("\x01" = forget) */
};

#define FORGET "\x01"

static const struct sc_attr *attr_of_path(struct tree *t, const char *path)
{
	char *dir = parent_of(path);
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const struct sc_attr *a;

	a = schema_attr(schema_match(t->s, dir), name);
	free(dir);
	return a;
}

static char *read_old(struct actx *c, const char *path)
{
	const struct sc_attr *a = attr_of_path(c->t, path);
	const char *known;
	char buf[8192];

	if (a && !(a->access & ACC_R)) {
		known = c->wo ? wo_get(c->wo, path) : NULL;
		return known ? xstrdup(known) : NULL;
	}
	if (c->t->ops->read(c->t, path, buf, sizeof(buf)))
		return NULL;
	return xstrdup(buf);
}

static void save_attrs(struct actx *c, const char *dir, const char *prefix,
		       struct kvlist *out)
{
	const struct sc_object *o = schema_match(c->t->s, dir);
	struct entries e;

	for (int i = 0; o && i < o->nattrs; i++) {
		const struct sc_attr *a = &o->attrs[i];
		char *p = xasprintf("%s/%s", dir, a->name);
		char *key = xasprintf("%s%s", prefix, a->name);
		char *v = (a->access & ACC_W) && !a->action ? read_old(c, p) : NULL;

		if (v)
			kv_set(out, key, v, 0);
		free(v);
		free(key);
		free(p);
	}
	if (c->t->ops->list(c->t, dir, &e))
		return;
	for (int i = 0; i < e.n; i++) {
		char *p = xasprintf("%s/%s", dir, e.v[i].name);
		const struct sc_object *k = schema_match(c->t->s, p);
		char *pre = xasprintf("%s%s/", prefix, e.v[i].name);

		if (e.v[i].type == 'd' && k && k->created == C_KERNEL)
			save_attrs(c, p, pre, out);
		free(pre);
		free(p);
	}
	entries_free(&e);
}

static int do_step(struct actx *c, const struct step *s, struct undo *u)
{
	const struct tree_ops *ops = c->t->ops;
	char buf[4096];

	u->st = s;
	switch (s->op) {
	case S_MODPROBE:
		return ops->load_module(c->t, s->path);
	case S_MKDIR:
		return ops->mkdir(c->t, s->path);
	case S_RMDIR:
		save_attrs(c, s->path, "", &u->saved);
		return ops->rmdir(c->t, s->path);
	case S_WRITE:
		u->old = read_old(c, s->path);
		return ops->write(c->t, s->path, s->val);
	case S_SYMLINK:
		return ops->symlink(c->t, s->val, s->path);
	case S_UNLINK:
		if (!ops->readlink(c->t, s->path, buf, sizeof(buf)))
			u->old = xstrdup(buf);
		return ops->unlink(c->t, s->path);
	}
	return -EINVAL;
}

static bool is_switch(const char *key)
{
	return !strcmp(key, "enable") || !strcmp(key, "enabled");
}

/* re-create a removed object: mkdir, attributes, enable last */
static int undo_rmdir(struct actx *c, struct undo *u)
{
	int rc = c->t->ops->mkdir(c->t, u->st->path);

	for (int pass = 0; pass < 2 && !rc; pass++)
		for (int i = 0; i < u->saved.n && !rc; i++) {
			const struct kv *k = &u->saved.v[i];
			char *p = xasprintf("%s/%s", u->st->path, k->key);
			char *now = read_old(c, p);

			if (is_switch(k->key) == pass && (!now || strcmp(now, k->val)))
				rc = c->t->ops->write(c->t, p, k->val);
			free(now);
			free(p);
		}
	return rc;
}

static int undo_step(struct actx *c, struct undo *u)
{
	const struct tree_ops *ops = c->t->ops;
	const struct step *s = u->st;

	switch (s->op) {
	case S_MODPROBE:
		return ops->unload_module(c->t, s->path);
	case S_MKDIR:
		return ops->rmdir(c->t, s->path);
	case S_RMDIR:
		return undo_rmdir(c, u);
	case S_WRITE:
		return u->old ? ops->write(c->t, s->path, u->old) : -ENODATA;
	case S_SYMLINK:
		return ops->unlink(c->t, s->path);
	case S_UNLINK:
		return u->old ? ops->symlink(c->t, u->old, s->path) : -ENODATA;
	}
	return -EINVAL;
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "?";
}

/*
 * A write into a directory this apply made needs no undo: the directory
 * goes, and the kernel may refuse the old value (an empty filename).
 */
static bool in_made_dir(const struct actx *c, int i)
{
	const char *path = c->u[i].st->path;

	for (int j = 0; j < i; j++) {
		const struct step *s = c->u[j].st;
		size_t n = strlen(s->path);

		if (s->op == S_MKDIR && !strncmp(path, s->path, n) &&
		    path[n] == '/')
			return true;
	}
	return false;
}

static void rollback(struct actx *c)
{
	int failed = 0;

	for (int i = c->nu - 1; i >= 0; i--) {
		int rc;

		if (c->u[i].st->op == S_WRITE && in_made_dir(c, i))
			continue;
		rc = undo_step(c, &c->u[i]);

		if (!rc)
			continue;
		failed++;
		el_error(c->el, NULL, 0, NULL,
			 "rollback of %s %s failed: %s%s", step_op_name(c->u[i].st->op),
			 c->u[i].st->path, strerror(-rc),
			 rc == -ENODATA ? " (old value unknown: write-only attribute)" : "");
	}
	el_error(c->el, NULL, 0, NULL, failed ?
		 "rolled back %d step(s), %d could not be undone: the tree is NOT as before" :
		 "rolled back %d step(s): the tree is as before", c->nu, failed);
}

static void note_wo(struct actx *c, const struct step *s)
{
	const struct sc_attr *a;

	if (s->op == S_RMDIR) {
		kv_set(&c->wo_pending, s->path, FORGET, 0);
		return;
	}
	a = s->op == S_WRITE ? attr_of_path(c->t, s->path) : NULL;
	if (a && !(a->access & ACC_R) && !a->action)
		kv_set(&c->wo_pending, s->path, s->val, 0);
}

static void commit_wo(struct actx *c)
{
	for (int i = 0; c->wo && i < c->wo_pending.n; i++) {
		const struct kv *k = &c->wo_pending.v[i];

		if (!strcmp(k->val, FORGET))
			wo_forget(c->wo, k->key);
		else
			wo_set(c->wo, k->key, k->val);
	}
}

static void fail(struct actx *c, const struct plan *p, int k, int rc)
{
	const struct step *s = &p->v[k];
	char *copy = parent_of(s->path);
	const char *obj = s->op == S_MKDIR || s->op == S_RMDIR ? s->path : copy;

	el_error(c->el, NULL, 0, NULL,
		 "step %d/%d failed: %s %s: %s (errno %d, %s); object %s",
		 k + 1, p->n, step_op_name(s->op), s->path, strerror(-rc), -rc,
		 errname(-rc), s->op == S_MODPROBE ? "module" : obj);
	free(copy);
}

int apply_plan(struct tree *t, struct plan *p, struct wostate *wo,
	       FILE *log, struct errlist *el)
{
	struct actx c = { t, wo, el, xcalloc(p->n, sizeof(struct undo)), 0, { 0 } };
	int rc = 0;

	p->failed = -1;
	for (int k = 0; k < p->n && !rc; k++) {
		rc = do_step(&c, &p->v[k], &c.u[c.nu]);
		if (rc) {
			free(c.u[c.nu].old);
			kv_free(&c.u[c.nu].saved);
			fail(&c, p, k, rc);
			p->failed = k;
			rollback(&c);
			break;
		}
		c.nu++;
		note_wo(&c, &p->v[k]);
		if (log)
			step_print(log, &p->v[k]);
	}
	if (!rc)
		commit_wo(&c);
	for (int i = 0; i < c.nu; i++) {
		free(c.u[i].old);
		kv_free(&c.u[i].saved);
	}
	free(c.u);
	kv_free(&c.wo_pending);
	return rc ? -1 : 0;
}
