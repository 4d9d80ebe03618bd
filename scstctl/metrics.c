// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: the status model in the Prometheus text exposition format
 * (`scstctl metrics`, for node_exporter's textfile collector).
 *
 * Per device, session and LUN: commands, bytes read and written, errors
 * (CHECK CONDITION) and other errors as counters (_total), and the
 * latency histograms as Prometheus histograms in seconds (bucket i of
 * the kernel is 2^(i-1)..2^i us; cumulative le="2^i us"; no _sum, which
 * the kernel does not keep). A LUN's counters belong to the LUN of its
 * LUN set: it is exported once per target, group and LUN even when
 * several sessions see it. Names: scst_<object>_<what>[_total].
 */
#include "status.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const dir_name[RT_LAT_DIRS] = { "read", "write", "other" };

/* a label value: \ " and newline escaped */
static void label(FILE *f, const char *k, const char *v, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", k);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

struct series {
	const char *obj;	/* device, session, lun */
	const char *k[5], *v[5];
	int n;
};

static void labels(FILE *f, const struct series *s)
{
	for (int i = 0; i < s->n; i++)
		label(f, s->k[i], s->v[i], !i);
}

static void counter(FILE *f, const struct series *s, const char *what,
		    uint64_t v)
{
	fprintf(f, "scst_%s_%s_total{", s->obj, what);
	labels(f, s);
	fprintf(f, "} %" PRIu64 "\n", v);
}

static void histogram(FILE *f, const struct series *s, const struct rt_stats *st)
{
	for (int d = 0; d < RT_LAT_DIRS; d++) {
		uint64_t cum = 0;

		for (int b = 0; b < SCST_LAT_BUCKETS; b++) {
			cum += st->lat[d][b];
			if (b == SCST_LAT_BUCKETS - 1)
				continue;
			fprintf(f, "scst_%s_latency_seconds_bucket{", s->obj);
			labels(f, s);
			fprintf(f, ",dir=\"%s\",le=\"%g\"} %" PRIu64 "\n",
				dir_name[d], (double)(1ULL << b) / 1e6, cum);
		}
		fprintf(f, "scst_%s_latency_seconds_bucket{", s->obj);
		labels(f, s);
		fprintf(f, ",dir=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", dir_name[d], cum);
		fprintf(f, "scst_%s_latency_seconds_count{", s->obj);
		labels(f, s);
		fprintf(f, ",dir=\"%s\"} %" PRIu64 "\n", dir_name[d], cum);
	}
}

static void stats(FILE *f, const struct series *s, const struct rt_stats *st)
{
	if (!st->present)
		return;
	counter(f, s, "commands", st->cmds);
	counter(f, s, "read_bytes", st->read_bytes);
	counter(f, s, "write_bytes", st->write_bytes);
	counter(f, s, "errors", st->errors);
	counter(f, s, "other_errors", st->other_errors);
	histogram(f, s, st);
}

static void help(FILE *f)
{
	static const char *const objs[] = { "device", "session", "lun" };

	for (size_t i = 0; i < 3; i++) {
		fprintf(f, "# TYPE scst_%s_commands_total counter\n", objs[i]);
		fprintf(f, "# TYPE scst_%s_read_bytes_total counter\n", objs[i]);
		fprintf(f, "# TYPE scst_%s_write_bytes_total counter\n", objs[i]);
		fprintf(f, "# TYPE scst_%s_errors_total counter\n", objs[i]);
		fprintf(f, "# TYPE scst_%s_other_errors_total counter\n", objs[i]);
		fprintf(f, "# TYPE scst_%s_latency_seconds histogram\n", objs[i]);
	}
}

static bool lun_seen(struct strlist *seen, const struct rt_session *s,
		     const struct rt_lun *l)
{
	char *k = xasprintf("%s/%s/%s/%u", s->driver, s->target, s->group, l->lun);
	bool r = sl_has(seen, k);

	if (!r)
		sl_add(seen, k);
	free(k);
	return r;
}

static void runtime_metrics(FILE *f, const struct runtime *rt)
{
	struct strlist seen = { 0 };

	help(f);
	for (int i = 0; i < rt->ndevs; i++) {
		const struct rt_device *d = &rt->devs[i];
		struct series s = { "device", { "device", "handler" },
				    { d->name, d->handler }, 2 };

		stats(f, &s, &d->st);
	}
	for (int i = 0; i < rt->nsess; i++) {
		const struct rt_session *ss = &rt->sess[i];
		struct series s = { "session", { "driver", "target", "initiator", "group" },
				    { ss->driver, ss->target, ss->initiator, ss->group }, 4 };

		stats(f, &s, &ss->st);
		for (int j = 0; j < ss->nluns; j++) {
			const struct rt_lun *l = &ss->luns[j];
			char num[16];
			struct series ls = { "lun", { "driver", "target", "group", "lun", "device" },
					     { ss->driver, ss->target, ss->group, num, l->device }, 5 };

			snprintf(num, sizeof(num), "%u", l->lun);
			if (!lun_seen(&seen, ss, l))
				stats(f, &ls, &l->st);
		}
	}
	if (rt->have_stats) {
		fprintf(f, "# TYPE scst_buffer_cache_hits_total counter\n"
			"scst_buffer_cache_hits_total %" PRIu64 "\n", rt->buf_hits);
		fprintf(f, "# TYPE scst_buffer_cache_misses_total counter\n"
			"scst_buffer_cache_misses_total %" PRIu64 "\n", rt->buf_misses);
	}
	sl_free(&seen);
}

void status_metrics(FILE *f, const struct status *st)
{
	const struct config *c = st->cfg;

	fprintf(f, "# HELP scst_runtime_available 1 when the kernel's counters were read\n"
		"# TYPE scst_runtime_available gauge\nscst_runtime_available %d\n",
		st->rt.available ? 1 : 0);
	fprintf(f, "# TYPE scst_target_enabled gauge\n# TYPE scst_target_luns gauge\n"
		"# TYPE scst_target_sessions gauge\n");
	for (int i = 0; i < c->ntgts; i++) {
		const struct target *t = &c->tgts[i];
		const struct kv *en = kv_get(&t->attrs, "enabled");
		struct series s = { "target", { "driver", "target" }, { t->driver, t->name }, 2 };

		fputs("scst_target_enabled{", f);
		labels(f, &s);
		fprintf(f, "} %d\n", en && !strcmp(en->val, "1"));
		fputs("scst_target_luns{", f);
		labels(f, &s);
		fprintf(f, "} %d\n", t->luns.n);
		fputs("scst_target_sessions{", f);
		labels(f, &s);
		fprintf(f, "} %d\n", t->sessions.n);
	}
	if (st->rt.available)
		runtime_metrics(f, &st->rt);
}
