// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: plans */
#include "plan.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {
	[S_MODPROBE] = "modprobe", [S_MKDIR] = "mkdir", [S_RMDIR] = "rmdir",
	[S_WRITE] = "write", [S_SYMLINK] = "symlink", [S_UNLINK] = "unlink",
};

const char *step_op_name(enum step_op op)
{
	return op_names[op];
}

struct step *plan_add(struct plan *p, enum step_op op, const char *path,
		      const char *val)
{
	struct step *s;

	grow(&p->v, &p->cap, p->n, sizeof(*p->v));
	s = &p->v[p->n++];
	memset(s, 0, sizeof(*s));
	s->op = op;
	s->path = xstrdup(path);
	s->val = val ? xstrdup(val) : NULL;
	return s;
}

static void print_val(FILE *f, const char *v, bool secret)
{
	if (secret) {
		fputs("\"********\"", f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

void step_print(FILE *f, const struct step *s)
{
	fprintf(f, "%s%-8s %s", s->disruptive ? "! " : "  ", op_names[s->op],
		s->path);
	if (s->op == S_WRITE) {
		fputs(" = ", f);
		print_val(f, s->val, s->secret);
		if (s->old) {
			fputs(" (was ", f);
			print_val(f, s->old, s->secret);
			fputc(')', f);
		}
	} else if (s->op == S_SYMLINK) {
		fprintf(f, " -> %s", s->val);
	}
	if (s->note)
		fprintf(f, "  # %s", s->note);
	fputc('\n', f);
}

int plan_disruptive(const struct plan *p)
{
	int n = 0;

	for (int i = 0; i < p->n; i++)
		n += p->v[i].disruptive;
	return n;
}

void plan_print(FILE *f, const struct plan *p)
{
	int d = plan_disruptive(p);

	for (int i = 0; i < p->n; i++)
		step_print(f, &p->v[i]);
	if (d)
		fprintf(f, "%d change%s (%d disruptive)\n", p->n,
			p->n == 1 ? "" : "s", d);
	else
		fprintf(f, "%d change%s\n", p->n, p->n == 1 ? "" : "s");
}

static void json_member(FILE *f, const char *key, const char *val,
			bool secret)
{
	fprintf(f, ", \"%s\": ", key);
	if (!val)
		fputs("null", f);
	else
		json_string(f, secret ? "********" : val);
}

void plan_print_json(FILE *f, const struct plan *p)
{
	fprintf(f, "{\"changes\": %d, \"disruptive\": %d, \"steps\": [",
		p->n, plan_disruptive(p));
	for (int i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];

		fprintf(f, "%s\n  {\"op\": \"%s\"", i ? "," : "",
			op_names[s->op]);
		json_member(f, "path", s->path, false);
		if (s->op == S_WRITE || s->op == S_SYMLINK)
			json_member(f, "value", s->val, s->secret);
		if (s->op == S_WRITE)
			json_member(f, "old", s->old, s->secret);
		fprintf(f, ", \"disruptive\": %s", s->disruptive ? "true" : "false");
		if (s->note)
			json_member(f, "note", s->note, false);
		fputc('}', f);
	}
	fprintf(f, "%s]}\n", p->n ? "\n" : "");
}

void plan_free(struct plan *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].val);
		free(p->v[i].old);
		free(p->v[i].note);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}
