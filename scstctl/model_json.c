// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: the model as JSON (dump --json): root attributes, devices,
 * targets with their LUN map, groups (initiators, LUNs) and sessions,
 * drivers with portals. Write-only secrets are "********" unless
 * secrets is set; attributes are strings as configfs holds them.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

static void kv_json(FILE *f, const struct schema *s, const char *pattern,
		    const struct kvlist *l, bool secrets)
{
	fputs("{", f);
	for (int i = 0; i < l->n; i++) {
		const struct sc_attr *a = schema_attr_under(s, pattern, l->v[i].key);

		fputs(i ? ", " : "", f);
		json_string(f, l->v[i].key);
		fputs(": ", f);
		json_string(f, a && a->type == T_SECRET && !secrets && *l->v[i].val ?
			    "********" : l->v[i].val);
	}
	fputs("}", f);
}

static void names_json(FILE *f, const struct strlist *l)
{
	fputs("[", f);
	for (int i = 0; i < l->n; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, l->v[i]);
	}
	fputs("]", f);
}

static void luns_json(FILE *f, const struct lunset *set)
{
	fputs("[", f);
	for (int i = 0; i < set->n; i++) {
		fprintf(f, "%s{\"lun\": %u, \"device\": ", i ? ", " : "",
			set->v[i].num);
		json_string(f, set->v[i].device);
		fprintf(f, ", \"read_only\": %s}", set->v[i].read_only ? "true" : "false");
	}
	fputs("]", f);
}

static void target_json(FILE *f, const struct schema *s,
			const struct target *t, bool secrets)
{
	char *pattern = xasprintf("targets/%s/<target>", t->driver);

	fputs("{\"driver\": ", f);
	json_string(f, t->driver);
	fputs(", \"name\": ", f);
	json_string(f, t->name);
	fputs(", \"attributes\": ", f);
	kv_json(f, s, pattern, &t->attrs, secrets);
	fputs(", \"luns\": ", f);
	luns_json(f, &t->luns);
	fputs(", \"groups\": [", f);
	for (int g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];

		fputs(g ? ", {\"name\": " : "{\"name\": ", f);
		json_string(f, gr->name);
		fputs(", \"initiators\": ", f);
		names_json(f, &gr->inits);
		fputs(", \"luns\": ", f);
		luns_json(f, &gr->luns);
		fputs("}", f);
	}
	fputs("], \"sessions\": ", f);
	names_json(f, &t->sessions);
	fputs("}", f);
	free(pattern);
}

void model_json(FILE *f, const struct schema *s, const struct config *c,
		bool secrets)
{
	fputs("{\"attributes\": ", f);
	kv_json(f, s, "", &c->root, secrets);
	fputs(",\n\"devices\": [", f);
	for (int i = 0; i < c->ndevs; i++) {
		const struct device *d = &c->devs[i];
		char *pattern = xasprintf("handlers/%s/<device>", d->handler);

		fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
		json_string(f, d->name);
		fputs(", \"handler\": ", f);
		json_string(f, d->handler);
		fputs(", \"attributes\": ", f);
		kv_json(f, s, pattern, &d->attrs, secrets);
		fputs("}", f);
		free(pattern);
	}
	fputs("],\n\"targets\": [", f);
	for (int i = 0; i < c->ntgts; i++) {
		fputs(i ? ",\n  " : "\n  ", f);
		target_json(f, s, &c->tgts[i], secrets);
	}
	fputs("],\n\"drivers\": [", f);
	for (int i = 0; i < c->ndrvs; i++) {
		char *pattern = xasprintf("drivers/%s", c->drvs[i].driver);

		fputs(i ? ",\n  {\"driver\": " : "\n  {\"driver\": ", f);
		json_string(f, c->drvs[i].driver);
		fputs(", \"portals\": ", f);
		names_json(f, &c->drvs[i].portals);
		fputs(", \"attributes\": ", f);
		kv_json(f, s, pattern, &c->drvs[i].attrs, secrets);
		fputs("}", f);
		free(pattern);
	}
	fputs("]}\n", f);
}
