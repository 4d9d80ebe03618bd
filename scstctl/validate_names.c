// SPDX-License-Identifier: GPL-2.0-only
/*
 * scstctl: the rules the kernel applies to names and addresses, checked
 * before the kernel sees them (validate_config()), and the host checks
 * of `check` (validate_host(): backing files and devices exist).
 *
 * iSCSI target names: the kernel (isc_name_valid()) wants "iqn.", "eui."
 * or "naa.", 5..223 bytes, no space, control character or comma; those
 * are errors. The finer rules of RFC 3720 3.2.6 / RFC 7143 4.2.7 (iqn.
 * followed by yyyy-mm. and a reversed domain, lower case; eui. with 16
 * hex digits; naa. with 16 or 32) are warnings.
 * iSCSI portals: "a.b.c.d:port" or "[ipv6]:port", port 1..65535.
 */
#include "parse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ISCSI_NAME_MAX 223

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return strlen(s) == n;
}

/* NULL when the kernel takes the name; else the reason */
const char *iscsi_name_error(const char *name)
{
	size_t len = strlen(name);

	if (strncmp(name, "iqn.", 4) && strncmp(name, "eui.", 4) &&
	    strncmp(name, "naa.", 4))
		return "an iSCSI name starts with iqn., eui. or naa. (RFC 7143 4.2.7.1)";
	if (len < 5 || len > ISCSI_NAME_MAX)
		return "an iSCSI name has 5 to 223 characters";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == ',')
			return "an iSCSI name has no space, comma or control character";
	return NULL;
}

/* NULL when the name follows RFC 3720 3.2.6 to the letter; else why not */
const char *iscsi_name_warning(const char *name)
{
	const char *p = name + 4;

	if (!strncmp(name, "eui.", 4))
		return all_hex(p, 16) ? NULL : "eui. is followed by 16 hex digits";
	if (!strncmp(name, "naa.", 4))
		return all_hex(p, 16) || all_hex(p, 32) ? NULL :
			"naa. is followed by 16 or 32 hex digits";
	if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	      isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
	      p[4] == '-' && isdigit((unsigned char)p[5]) &&
	      isdigit((unsigned char)p[6]) && p[7] == '.' && isalnum((unsigned char)p[8])))
		return "iqn. is followed by yyyy-mm. and a reversed domain name (iqn.2024-01.com.example:name)";
	for (; *p; p++)
		if (isupper((unsigned char)*p))
			return "iSCSI names are lower case (RFC 3722 stringprep): initiators may not match it";
	return NULL;
}

/* NULL when the kernel can listen on it; else the reason */
const char *portal_error(const char *portal)
{
	const char *colon = strrchr(portal, ':');
	unsigned char addr[16];
	char host[64], *end;
	unsigned long port;
	size_t n;

	if (!colon || !colon[1])
		return "a portal is ADDRESS:PORT (\"0.0.0.0:3260\", \"[::]:3260\")";
	port = strtoul(colon + 1, &end, 10);
	if (*end || !isdigit((unsigned char)colon[1]) || port < 1 || port > 65535)
		return "the port is a number from 1 to 65535";
	n = colon - portal;
	if (portal[0] == '[') {
		if (n < 3 || portal[n - 1] != ']' || n - 2 >= sizeof(host))
			return "an IPv6 address is written in brackets: \"[::1]:3260\"";
		memcpy(host, portal + 1, n - 2);
		host[n - 2] = 0;
		return inet_pton(AF_INET6, host, addr) == 1 ? NULL :
			"not an IPv6 address";
	}
	if (n >= sizeof(host))
		return "not an IPv4 address (a.b.c.d)";
	memcpy(host, portal, n);
	host[n] = 0;
	if (strchr(host, ':'))
		return "an IPv6 address is written in brackets: \"[::1]:3260\"";
	return inet_pton(AF_INET, host, addr) == 1 ? NULL :
		"not an IPv4 address (a.b.c.d; host names are not resolved)";
}

static void check_target_names(const struct config *c, struct errlist *el)
{
	char ctx[300];

	for (int i = 0; i < c->ntgts; i++) {
		const struct target *t = &c->tgts[i];
		const char *why;

		if (strcmp(t->driver, "iscsi"))
			continue;
		snprintf(ctx, sizeof(ctx), "targets[%s/%s].name", t->driver, t->name);
		why = iscsi_name_error(t->name);
		if (why) {
			el_error(el, c->file, t->line, ctx, "%s", why);
			continue;
		}
		why = iscsi_name_warning(t->name);
		if (why)
			el_warn(el, c->file, t->line, ctx, "%s", why);
	}
}

static void check_portals(const struct config *c, struct errlist *el)
{
	char ctx[100];

	for (int i = 0; i < c->ndrvs; i++) {
		const struct drvcfg *d = &c->drvs[i];

		if (strcmp(d->driver, "iscsi"))
			continue;
		snprintf(ctx, sizeof(ctx), "drivers.%s.portals", d->driver);
		for (int j = 0; j < d->portals.n; j++) {
			const char *why = portal_error(d->portals.v[j]);

			if (why)
				el_error(el, c->file, d->line, ctx, "\"%s\": %s",
					 d->portals.v[j], why);
		}
	}
}

void validate_names(const struct config *c, struct errlist *el)
{
	check_target_names(c, el);
	check_portals(c, el);
}

/* the backing store of the device exists (and is the right kind) */
static void check_backing(const struct config *c, const struct device *d,
			  struct errlist *el)
{
	const struct kv *f = kv_get(&d->attrs, "filename");
	char ctx[300];
	struct stat st;

	if (!f || !*f->val)
		return;
	snprintf(ctx, sizeof(ctx), "devices[%s].filename", d->name);
	if (stat(f->val, &st)) {
		el_error(el, c->file, f->line ? f->line : d->line, ctx,
			 "%s: %m (use --offline to check the file only)", f->val);
		return;
	}
	if (!strcmp(d->handler, "vdisk_blockio") && !S_ISBLK(st.st_mode))
		el_error(el, c->file, f->line ? f->line : d->line, ctx,
			 "%s: not a block device (vdisk_blockio; vdisk_fileio takes files)",
			 f->val);
	else if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		el_error(el, c->file, f->line ? f->line : d->line, ctx,
			 "%s: neither a regular file nor a block device", f->val);
}

void validate_host(const struct config *c, struct errlist *el)
{
	for (int i = 0; i < c->ndevs; i++)
		if (!strncmp(c->devs[i].handler, "vdisk_", 6) ||
		    !strcmp(c->devs[i].handler, "vcdrom"))
			check_backing(c, &c->devs[i], el);
}
