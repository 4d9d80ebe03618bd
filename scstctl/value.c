// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: checking and canonicalizing attribute values against the schema */
#include "schema.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHY(...) (snprintf(why, wlen, __VA_ARGS__), -1)

static int canon_bool(const char *in, char *canon, size_t clen,
		      char *why, size_t wlen)
{
	static const char *const t[] = { "1", "true", "yes", "on", "y" };
	static const char *const f[] = { "0", "false", "no", "off", "n" };

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcasecmp(in, t[i])) {
			snprintf(canon, clen, "1");
			return 0;
		}
		if (!strcasecmp(in, f[i])) {
			snprintf(canon, clen, "0");
			return 0;
		}
	}
	return WHY("expected a boolean (true/false, 1/0)");
}

static int parse_ll(const char *in, long long *v)
{
	char *end;

	if (!*in || isspace((unsigned char)*in))
		return -1;
	errno = 0;
	*v = strtoll(in, &end, 10);
	if (errno || *end)
		return -1;
	return 0;
}

static int range(const struct sc_attr *a, long long v, char *canon,
		 size_t clen, char *why, size_t wlen)
{
	if (v < a->min || v > a->max)
		return WHY("%lld out of range %lld..%lld", v, a->min, a->max);
	snprintf(canon, clen, "%lld", v);
	return 0;
}

static int canon_int(const struct sc_attr *a, const char *in, char *canon,
		     size_t clen, char *why, size_t wlen)
{
	long long v;

	if (parse_ll(in, &v))
		return WHY("expected a decimal integer, got \"%.40s\"", in);
	return range(a, v, canon, clen, why, wlen);
}

static int size_shift(char c)
{
	const char *units = "KMGTP";
	const char *p = strchr(units, toupper((unsigned char)c));

	return c && p ? 10 * (int)(p - units + 1) : -1;
}

static int canon_size(const struct sc_attr *a, const char *in, char *canon,
		      size_t clen, char *why, size_t wlen)
{
	char num[32];
	size_t n = strlen(in);
	long long v;
	int shift = 0;

	if (n && n < sizeof(num) && size_shift(in[n - 1]) > 0) {
		shift = size_shift(in[n - 1]);
		n--;
	} else if (n > 3 && n < sizeof(num) && !strcasecmp(in + n - 3, "iB") &&
		   size_shift(in[n - 3]) > 0) {
		shift = size_shift(in[n - 3]);
		n -= 3;
	}
	if (n >= sizeof(num))
		return WHY("size too long");
	memcpy(num, in, n);
	num[n] = 0;
	if (parse_ll(num, &v) || v < 0)
		return WHY("expected a size in bytes (suffix K, M, G, T, P allowed), got \"%.40s\"", in);
	if (shift && v > (a->max >> shift))
		return WHY("%s is too large (max %lld bytes)", in, a->max);
	return range(a, v << shift, canon, clen, why, wlen);
}

/* text (read-only status) may have several lines */
static int check_chars(const char *in, bool lines, char *why, size_t wlen)
{
	for (const unsigned char *p = (const unsigned char *)in; *p; p++)
		if ((*p < 0x20 && !(lines && *p == '\n')) || *p == 0x7f)
			return WHY("control character 0x%02x not allowed", *p);
	return 0;
}

static int canon_string(const struct sc_attr *a, const char *in, char *canon,
			size_t clen, char *why, size_t wlen)
{
	int len = strlen(in);

	if (check_chars(in, a->type == T_TEXT, why, wlen))
		return -1;
	if (a->type == T_SECRET && !len && a->allow_empty)
		goto ok;
	if (len < a->min_len || len > a->max_len)
		return WHY("length %d not in %d..%d", len, a->min_len, a->max_len);
ok:
	if ((size_t)len >= clen)
		return WHY("value too long");
	memcpy(canon, in, len + 1);
	return 0;
}

static int canon_enum(const struct sc_attr *a, const char *in, char *canon,
		      size_t clen, char *why, size_t wlen)
{
	struct sbuf b;

	for (int i = 0; i < a->nvalues; i++)
		if (!strcasecmp(in, a->values[i])) {
			snprintf(canon, clen, "%s", a->values[i]);
			return 0;
		}
	sb_init(&b);
	for (int i = 0; i < a->nvalues; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", a->values[i]);
	snprintf(why, wlen, "\"%.40s\" is not one of: %s", in, b.s ? b.s : "");
	sb_free(&b);
	return -1;
}

static int canon_hex(const struct sc_attr *a, const char *in, char *canon,
		     size_t clen, char *why, size_t wlen)
{
	size_t n;

	if (!strncasecmp(in, "0x", 2))
		in += 2;
	n = strlen(in);
	if (!n && a->allow_empty)
		goto ok;
	if ((int)n != a->digits[0] && (int)n != a->digits[1])
		return a->digits[1] ?
		       WHY("expected %d or %d hex digits", a->digits[0], a->digits[1]) :
		       WHY("expected %d hex digits", a->digits[0]);
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)in[i]))
			return WHY("'%c' is not a hex digit", in[i]);
	if (a->naa && n == 16 && in[0] != '5')
		return WHY("a 16-digit NAA id must start with 5 (NAA 5)");
	if (a->naa && n == 32 && in[0] != '6')
		return WHY("a 32-digit NAA id must start with 6 (NAA 6)");
ok:
	if (n >= clen)
		return WHY("value too long");
	for (size_t i = 0; i <= n; i++)
		canon[i] = tolower((unsigned char)in[i]);
	return 0;
}

int schema_canon(const struct sc_attr *a, const char *in, char *canon,
		 size_t clen, char *why, size_t wlen)
{
	switch (a->type) {
	case T_BOOL:
		return canon_bool(in, canon, clen, why, wlen);
	case T_INT:
		return canon_int(a, in, canon, clen, why, wlen);
	case T_SIZE:
		return canon_size(a, in, canon, clen, why, wlen);
	case T_ENUM:
		return canon_enum(a, in, canon, clen, why, wlen);
	case T_HEX:
		return canon_hex(a, in, canon, clen, why, wlen);
	case T_STRING:
	case T_SECRET:
	case T_TEXT:
		return canon_string(a, in, canon, clen, why, wlen);
	}
	return WHY("unknown type");
}

/* charset syntax: literal characters and ranges like a-z; '-' last is literal */
static bool in_charset(const char *set, unsigned char c)
{
	for (const char *p = set; *p; p++) {
		if (p[1] == '-' && p[2]) {
			if (c >= (unsigned char)p[0] && c <= (unsigned char)p[2])
				return true;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return true;
		}
	}
	return false;
}

static int check_int_name(const struct sc_placeholder *p, const char *name,
			  char *why, size_t wlen)
{
	long long v;

	if (parse_ll(name, &v) || (name[0] == '0' && name[1]) || name[0] == '+' ||
	    name[0] == '-')
		return WHY("\"%.40s\" is not a %s number", name, p->name);
	if (v < p->min || v > p->max)
		return WHY("%s %lld out of range %lld..%lld", p->name, v, p->min, p->max);
	return 0;
}

int schema_check_name(const struct sc_placeholder *p, const char *name,
		      char *why, size_t wlen)
{
	int len = strlen(name);

	if (p->type == T_INT)
		return check_int_name(p, name, why, wlen);
	if (len < p->min_len || len > p->max_len)
		return WHY("%s name length %d not in %d..%d", p->name, len,
			   p->min_len, p->max_len);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return WHY("\"%s\" is not a valid %s name", name, p->name);
	for (int i = 0; p->charset && i < len; i++)
		if (!in_charset(p->charset, name[i]))
			return isprint((unsigned char)name[i]) ?
			       WHY("character '%c' not allowed in a %s name (allowed: %s)",
				   name[i], p->name, p->charset) :
			       WHY("byte 0x%02x not allowed in a %s name",
				   (unsigned char)name[i], p->name);
	return 0;
}

void schema_type_desc(const struct sc_attr *a, char *buf, size_t n)
{
	struct sbuf b;

	switch (a->type) {
	case T_INT:
		snprintf(buf, n, "int %lld..%lld", a->min, a->max);
		break;
	case T_SIZE:
		snprintf(buf, n, "size %lld..%lld", a->min, a->max);
		break;
	case T_STRING:
	case T_SECRET:
	case T_TEXT:
		snprintf(buf, n, "%s %d..%d chars%s", schema_type_name(a->type),
			 a->min_len, a->max_len,
			 a->allow_empty && a->min_len ? " or empty" : "");
		break;
	case T_ENUM:
		sb_init(&b);
		for (int i = 0; i < a->nvalues; i++)
			sb_printf(&b, "%s%s", i ? " | " : "", a->values[i]);
		snprintf(buf, n, "enum %s", b.s ? b.s : "");
		sb_free(&b);
		break;
	case T_HEX:
		if (a->digits[1])
			snprintf(buf, n, "hex %d or %d digits%s", a->digits[0],
				 a->digits[1], a->allow_empty ? " or empty" : "");
		else
			snprintf(buf, n, "hex %d digits%s", a->digits[0],
				 a->allow_empty ? " or empty" : "");
		break;
	default:
		snprintf(buf, n, "%s", schema_type_name(a->type));
	}
}
