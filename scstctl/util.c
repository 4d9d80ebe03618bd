// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: small helpers shared by every layer */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "scstctl: out of memory\n");
		exit(2);
	}
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		fprintf(stderr, "scstctl: out of memory\n");
		exit(2);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "scstctl: out of memory\n");
		exit(2);
	}
	return p;
}

char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_init(&b);
	b.s = xmalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(b.s, n + 1, fmt, ap);
	va_end(ap);
	return b.s;
}

void grow(void *arrp, int *cap, int n, size_t sz)
{
	void **arr = arrp;

	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 8;
	if (*cap <= n)
		*cap = n + 1;
	*arr = xrealloc(*arr, (size_t)*cap * sz);
}

void sb_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	sb_addn(b, s, n);
	free(s);
}

char *sb_steal(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	sb_init(b);
	return s;
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	sb_init(b);
}

void sl_add(struct strlist *l, const char *s)
{
	grow(&l->v, &l->cap, l->n, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

bool sl_has(const struct strlist *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_strp);
}

void sl_free(struct strlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void el_vadd(struct errlist *el, const char *what, const char *file,
		    int line, const char *key, const char *fmt, va_list ap)
{
	struct sbuf b;
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	sb_init(&b);
	if (file && line > 0)
		sb_printf(&b, "%s:%d: ", file, line);
	else if (file)
		sb_printf(&b, "%s: ", file);
	if (key && *key)
		sb_printf(&b, "%s: ", key);
	sb_printf(&b, "%s%s", what, msg);
	sl_add(&el->msgs, b.s);
	sb_free(&b);
}

void el_error(struct errlist *el, const char *file, int line,
	      const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	el_vadd(el, "", file, line, key, fmt, ap);
	va_end(ap);
	el->nerr++;
}

void el_warn(struct errlist *el, const char *file, int line,
	     const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	el_vadd(el, "warning: ", file, line, key, fmt, ap);
	va_end(ap);
	el->nwarn++;
}

void el_print(const struct errlist *el)
{
	for (int i = 0; i < el->msgs.n; i++)
		fprintf(stderr, "%s\n", el->msgs.v[i]);
}

void el_free(struct errlist *el)
{
	sl_free(&el->msgs);
	el->nerr = el->nwarn = 0;
}

/* read a whole fd; -EFBIG when larger than max */
int read_whole_fd(int fd, size_t max, char **out, size_t *len)
{
	struct sbuf b;
	char buf[65536];
	ssize_t n;

	sb_init(&b);
	sb_addn(&b, "", 0);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sb_free(&b);
			return -errno;
		}
		if (!n)
			break;
		if (b.len + n > max) {
			sb_free(&b);
			return -EFBIG;
		}
		sb_addn(&b, buf, n);
	}
	*len = b.len;
	*out = sb_steal(&b);
	return 0;
}

/* "a/b/c" -> "a/b"; "c" -> "" (paths relative to the scst root) */
char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? strndup(path, slash - path) : xstrdup("");
}

int write_file_atomic(const char *file, void (*fill)(FILE *f, const void *arg),
		      const void *arg)
{
	char *copy = xstrdup(file), *dir = dirname(copy);
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	int fd = mkstemp(tmp), dfd, rc = 0;
	FILE *f;

	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (fchmod(fd, 0600))
		rc = -errno;
	fill(f, arg);
	if (fflush(f) || fsync(fd))
		rc = rc ? rc : -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, file))
		rc = -errno;
	if (rc)
		unlink(tmp);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	free(tmp);
	free(copy);
	return rc;
}
