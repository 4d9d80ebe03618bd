/* SPDX-License-Identifier: GPL-2.0-only */
/* scstctl: small helpers shared by every layer */
#ifndef SCSTCTL_UTIL_H
#define SCSTCTL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* grow *arr (of element size sz) so that index n fits */
void grow(void *arrp, int *cap, int n, size_t sz);

/* growable string */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct sbuf *b);
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sb_steal(struct sbuf *b);
void sb_free(struct sbuf *b);

/* string list */
struct strlist {
	char **v;
	int n, cap;
};
void sl_add(struct strlist *l, const char *s);
bool sl_has(const struct strlist *l, const char *s);
void sl_sort(struct strlist *l);
void sl_free(struct strlist *l);

/* error list: "FILE:LINE: key: message" or "path: message" */
struct errlist {
	struct strlist msgs;
	int nerr, nwarn;
};
void el_error(struct errlist *el, const char *file, int line,
	      const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void el_warn(struct errlist *el, const char *file, int line,
	     const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void el_print(const struct errlist *el);
void el_free(struct errlist *el);

int cmp_strp(const void *a, const void *b);
int read_whole_fd(int fd, size_t max, char **out, size_t *len);
char *parent_of(const char *path);

/*
 * Replace FILE atomically with what fill(f, arg) writes: a temporary file
 * (mode 0600) in the same directory, fsync, rename over FILE, fsync of
 * the directory.  FILE is untouched on any error.  Returns 0 or -errno.
 */
int write_file_atomic(const char *file,
		      void (*fill)(FILE *f, const void *arg),
		      const void *arg);

#endif
