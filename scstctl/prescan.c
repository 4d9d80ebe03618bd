// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: raw-text checks done before libconfig sees a file: size, NUL
 * bytes, @include (not supported) and nesting depth (libconfig recurses).
 */
#include "parse.h"

#include <string.h>

struct scan {
	const char *buf;
	size_t len, i;
	int line, depth, maxdepth;
};

static void skip_comment(struct scan *s)
{
	if (s->buf[s->i] == '#' ||
	    (s->buf[s->i] == '/' && s->i + 1 < s->len && s->buf[s->i + 1] == '/')) {
		while (s->i < s->len && s->buf[s->i] != '\n')
			s->i++;
		return;
	}
	/* block comment */
	s->i += 2;
	while (s->i + 1 < s->len &&
	       !(s->buf[s->i] == '*' && s->buf[s->i + 1] == '/')) {
		if (s->buf[s->i] == '\n')
			s->line++;
		s->i++;
	}
	s->i += 2;
}

static void skip_string(struct scan *s)
{
	for (s->i++; s->i < s->len && s->buf[s->i] != '"'; s->i++) {
		if (s->buf[s->i] == '\\')
			s->i++;
		else if (s->buf[s->i] == '\n')
			s->line++;
	}
}

static bool at_line_start(const struct scan *s)
{
	size_t j = s->i;

	while (j > 0 && (s->buf[j - 1] == ' ' || s->buf[j - 1] == '\t'))
		j--;
	return j == 0 || s->buf[j - 1] == '\n';
}

static int step(struct scan *s, const char *name, struct errlist *el)
{
	char c = s->buf[s->i];

	if (c == '\n')
		s->line++;
	else if (c == '#' || (c == '/' && s->i + 1 < s->len &&
			      (s->buf[s->i + 1] == '/' || s->buf[s->i + 1] == '*')))
		skip_comment(s);
	else if (c == '"')
		skip_string(s);
	else if (c == '@' && at_line_start(s)) {
		el_error(el, name, s->line, NULL,
			 "@include and other directives are not supported");
		return -1;
	} else if (c == '{' || c == '(' || c == '[') {
		if (++s->depth > s->maxdepth) {
			el_error(el, name, s->line, NULL,
				 "nesting deeper than %d levels", s->maxdepth);
			return -1;
		}
	} else if (c == '}' || c == ')' || c == ']')
		s->depth--;
	return 0;
}

int prescan(const struct schema *sch, const char *buf, size_t len,
	    const char *name, struct errlist *el)
{
	struct scan s = { buf, len, 0, 1, 0, (int)sch->lim.max_nesting };
	const char *nul;

	if ((long long)len > sch->lim.max_file_size) {
		el_error(el, name, 0, NULL, "file is %zu bytes, limit is %lld",
			 len, sch->lim.max_file_size);
		return -1;
	}
	nul = memchr(buf, 0, len);
	if (nul) {
		int line = 1;

		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		el_error(el, name, line, NULL, "NUL byte at offset %zu",
			 (size_t)(nul - buf));
		return -1;
	}
	for (; s.i < s.len; s.i++)
		if (step(&s, name, el))
			return -1;
	return 0;
}
