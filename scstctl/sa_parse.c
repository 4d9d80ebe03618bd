// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: scstadmin configuration syntax -> a tree of statements */
#include "sa_parse.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok { T_EOF, T_NL, T_OPEN, T_CLOSE, T_WORD, T_ERR };

struct lexer {
	const char *p, *end;
	int line;
	char tok[SA_MAX_TOKEN + 1];
	char *err;
	size_t errlen;
	int nodes;
};

static enum tok lex_error(struct lexer *l, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(l->err, l->errlen, "%d: ", l->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < l->errlen)
		vsnprintf(l->err + n, l->errlen - n, fmt, ap);
	va_end(ap);
	return T_ERR;
}

static enum tok lex_quoted(struct lexer *l)
{
	size_t n = 0;

	for (l->p++; l->p < l->end && *l->p != '"'; l->p++) {
		char c = *l->p;

		if (c == '\n' || c == 0)
			return lex_error(l, "string not closed on its line");
		if (c == '\\' && l->p + 1 < l->end &&
		    (l->p[1] == '"' || l->p[1] == '\\'))
			c = *++l->p;
		if (n >= SA_MAX_TOKEN)
			return lex_error(l, "string longer than %d bytes", SA_MAX_TOKEN);
		l->tok[n++] = c;
	}
	if (l->p >= l->end)
		return lex_error(l, "string not closed at the end of the file");
	l->p++;
	l->tok[n] = 0;
	return T_WORD;
}

static bool word_char(char c)
{
	return c && !isspace((unsigned char)c) && c != '{' && c != '}' &&
	       c != '"' && c != '#';
}

static enum tok lex(struct lexer *l)
{
	size_t n = 0;

	while (l->p < l->end && *l->p != '\n' && isspace((unsigned char)*l->p))
		l->p++;
	if (l->p < l->end && *l->p == '#')
		while (l->p < l->end && *l->p != '\n')
			l->p++;
	if (l->p >= l->end)
		return T_EOF;
	switch (*l->p) {
	case '\n':
		l->p++;
		l->line++;
		return T_NL;
	case '{':
		l->p++;
		return T_OPEN;
	case '}':
		l->p++;
		return T_CLOSE;
	case '"':
		return lex_quoted(l);
	case 0:
		return lex_error(l, "NUL byte");
	}
	while (l->p < l->end && word_char(*l->p)) {
		if (n >= SA_MAX_TOKEN)
			return lex_error(l, "word longer than %d bytes", SA_MAX_TOKEN);
		l->tok[n++] = *l->p++;
	}
	l->tok[n] = 0;
	return T_WORD;
}

static struct sa_node *add_kid(struct sa_node *parent, int line)
{
	struct sa_node *k;

	grow(&parent->kids, &parent->capk, parent->nkids, sizeof(*parent->kids));
	k = &parent->kids[parent->nkids++];
	memset(k, 0, sizeof(*k));
	k->line = line;
	return k;
}

static void add_arg(struct sa_node *n, const char *s)
{
	n->args = xrealloc(n->args, (n->nargs + 1) * sizeof(*n->args));
	n->args[n->nargs++] = xstrdup(s);
}

/* the statements of one block, up to its '}' (depth > 0) or the end */
static int parse_block(struct lexer *l, struct sa_node *parent, int depth)
{
	struct sa_node *cur = NULL, *last = NULL;
	int open_line = l->line;

	for (;;) {
		enum tok t = lex(l);

		switch (t) {
		case T_ERR:
			return -1;
		case T_EOF:
			if (depth) {
				snprintf(l->err, l->errlen, "%d: '{' not closed at the end of the file",
					 open_line);
				return -1;
			}
			return 0;
		case T_NL:
			cur = NULL;
			break;
		case T_CLOSE:
			if (!depth) {
				lex_error(l, "'}' without a '{'");
				return -1;
			}
			return 0;
		case T_OPEN:
			if (!cur && last && !last->block)
				cur = last;	/* '{' on the line after its statement */
			if (!cur || cur->block) {
				lex_error(l, "'{' without a statement before it");
				return -1;
			}
			if (depth + 1 >= SA_MAX_DEPTH) {
				lex_error(l, "blocks nested deeper than %d", SA_MAX_DEPTH);
				return -1;
			}
			cur->block = true;
			if (parse_block(l, cur, depth + 1))
				return -1;
			/* cur stays: nothing but a new line may follow its '}' */
			last = NULL;
			break;
		case T_WORD:
			if (!cur) {
				if (++l->nodes > SA_MAX_NODES) {
					lex_error(l, "more than %d statements", SA_MAX_NODES);
					return -1;
				}
				cur = last = add_kid(parent, l->line);
				cur->key = xstrdup(l->tok);
				break;
			}
			if (cur->block) {
				lex_error(l, "text after '}' on the same line");
				return -1;
			}
			if (cur->nargs >= SA_MAX_ARGS) {
				lex_error(l, "more than %d words in a statement", SA_MAX_ARGS);
				return -1;
			}
			add_arg(cur, l->tok);
			break;
		}
	}
}

static void free_kids(struct sa_node *n)
{
	for (int i = 0; i < n->nkids; i++) {
		struct sa_node *k = &n->kids[i];

		free(k->key);
		for (int j = 0; j < k->nargs; j++)
			free(k->args[j]);
		free(k->args);
		free_kids(k);
	}
	free(n->kids);
}

void sa_free(struct sa_node *root)
{
	if (!root)
		return;
	free_kids(root);
	free(root);
}

struct sa_node *sa_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct lexer *l = xcalloc(1, sizeof(*l));
	struct sa_node *root = xcalloc(1, sizeof(*root));

	l->p = buf;
	l->end = buf + len;
	l->line = 1;
	l->err = err;
	l->errlen = errlen;
	if (errlen)
		err[0] = 0;
	if (parse_block(l, root, 0)) {
		sa_free(root);
		root = NULL;
	}
	free(l);
	return root;
}

static bool block_word(const char *p, const char *end)
{
	static const char *const words[] = { "HANDLER", "TARGET_DRIVER",
					     "DEVICE_GROUP" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(end - p) > n && !strncmp(p, words[i], n) &&
		    isspace((unsigned char)p[n]))
			return true;
	}
	return false;
}

bool sa_looks_like(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);

		if (!eol)
			eol = end;
		while (p < eol && isspace((unsigned char)*p))
			p++;
		if (block_word(p, eol) && memchr(p, '{', eol - p))
			return true;
		p = eol + 1;
	}
	return false;
}
