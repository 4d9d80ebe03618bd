// SPDX-License-Identifier: GPL-2.0-only
/*
 * iSCSI text keys: the key=value data segment format and the negotiation
 * rules of RFC 7143 chapter 13.  The target only answers; it never offers
 * a key of its own except the declarative ones the login code adds.
 *
 * Pure C (no kernel calls): unit-tested and fuzzed on the host.
 */
#include "params.h"
#include "pdu.h"

enum isc_key_type {
	ISC_T_DIGEST,		/* list: CRC32C, None */
	ISC_T_OR,		/* boolean, result = OR */
	ISC_T_AND,		/* boolean, result = AND */
	ISC_T_MIN,		/* numerical, result = min */
	ISC_T_MAX,		/* numerical, result = max */
	ISC_T_DECL,		/* numerical, declarative */
	ISC_T_MARKINT,		/* obsolete marker interval */
	ISC_T_TASKREP,		/* list: RFC3720, ResponseFence, FastAbort */
	ISC_T_SESSTYPE,
	ISC_T_AUTH,
	ISC_T_NAME,		/* InitiatorName, TargetName */
	ISC_T_INI_DECL,		/* InitiatorAlias: accepted, not answered */
	ISC_T_TGT_DECL,		/* sent by targets only */
	ISC_T_SENDTARGETS,
};

/* Where a key may be used */
#define ISC_S_LOGIN	0x1	/* login only (not in a Text Request) */
#define ISC_S_FFP	0x2	/* full feature phase only */
#define ISC_S_SEC	0x4	/* security stage only */

struct isc_key_def {
	const char	*name;
	u8		type;
	u8		scope;
	u32		min;
	u32		max;
	u32		def;		/* RFC 7143 default */
	u32		tdef;		/* target's default configuration */
};

#define ISC_DSL_MIN	512
#define ISC_DSL_MAX	16777215

static const struct isc_key_def isc_keys[ISC_K_COUNT] = {
	[ISC_K_HEADER_DIGEST] = { "HeaderDigest", ISC_T_DIGEST, ISC_S_LOGIN,
		ISC_DIGEST_NONE, ISC_DIGEST_NONE | ISC_DIGEST_CRC32C,
		ISC_DIGEST_NONE, ISC_DIGEST_NONE | ISC_DIGEST_CRC32C },
	[ISC_K_DATA_DIGEST] = { "DataDigest", ISC_T_DIGEST, ISC_S_LOGIN,
		ISC_DIGEST_NONE, ISC_DIGEST_NONE | ISC_DIGEST_CRC32C,
		ISC_DIGEST_NONE, ISC_DIGEST_NONE | ISC_DIGEST_CRC32C },
	[ISC_K_MAX_CONNECTIONS] = { "MaxConnections", ISC_T_MIN, ISC_S_LOGIN,
		1, 65535, 1, 1 },
	[ISC_K_INITIAL_R2T] = { "InitialR2T", ISC_T_OR, ISC_S_LOGIN,
		0, 1, 1, 0 },
	[ISC_K_IMMEDIATE_DATA] = { "ImmediateData", ISC_T_AND, ISC_S_LOGIN,
		0, 1, 1, 1 },
	[ISC_K_MAX_RECV_DSL] = { "MaxRecvDataSegmentLength", ISC_T_DECL, 0,
		ISC_DSL_MIN, ISC_DSL_MAX, 8192, 262144 },
	[ISC_K_MAX_BURST] = { "MaxBurstLength", ISC_T_MIN, ISC_S_LOGIN,
		ISC_DSL_MIN, ISC_DSL_MAX, 262144, 1048576 },
	[ISC_K_FIRST_BURST] = { "FirstBurstLength", ISC_T_MIN, ISC_S_LOGIN,
		ISC_DSL_MIN, ISC_DSL_MAX, 65536, 262144 },
	[ISC_K_TIME2WAIT] = { "DefaultTime2Wait", ISC_T_MAX, ISC_S_LOGIN,
		0, 3600, 2, 2 },
	[ISC_K_TIME2RETAIN] = { "DefaultTime2Retain", ISC_T_MIN, ISC_S_LOGIN,
		0, 3600, 20, 0 },
	[ISC_K_MAX_OUTSTANDING_R2T] = { "MaxOutstandingR2T", ISC_T_MIN,
		ISC_S_LOGIN, 1, 65535, 1, 32 },
	[ISC_K_DATA_PDU_IN_ORDER] = { "DataPDUInOrder", ISC_T_OR, ISC_S_LOGIN,
		0, 1, 1, 1 },
	[ISC_K_DATA_SEQ_IN_ORDER] = { "DataSequenceInOrder", ISC_T_OR,
		ISC_S_LOGIN, 0, 1, 1, 1 },
	[ISC_K_ERL] = { "ErrorRecoveryLevel", ISC_T_MIN, ISC_S_LOGIN,
		0, 2, 0, 0 },
	[ISC_K_OFMARKER] = { "OFMarker", ISC_T_AND, ISC_S_LOGIN, 0, 1, 0, 0 },
	[ISC_K_IFMARKER] = { "IFMarker", ISC_T_AND, ISC_S_LOGIN, 0, 1, 0, 0 },
	[ISC_K_OFMARKINT] = { "OFMarkInt", ISC_T_MARKINT, ISC_S_LOGIN,
		1, 65535, 2048, 2048 },
	[ISC_K_IFMARKINT] = { "IFMarkInt", ISC_T_MARKINT, ISC_S_LOGIN,
		1, 65535, 2048, 2048 },
	[ISC_K_TASK_REPORTING] = { "TaskReporting", ISC_T_TASKREP,
		ISC_S_LOGIN,
		0, 0, 0, 0 },
	[ISC_K_PROTOCOL_LEVEL] = { "iSCSIProtocolLevel", ISC_T_MIN,
		ISC_S_LOGIN, 0, 31, 0, ISC_PROTOCOL_LEVEL },
	[ISC_K_SESSION_TYPE] = { "SessionType", ISC_T_SESSTYPE, ISC_S_LOGIN,
		0, 1, ISC_SESS_NORMAL, ISC_SESS_NORMAL },
	[ISC_K_AUTH_METHOD] = { "AuthMethod", ISC_T_AUTH,
		ISC_S_LOGIN | ISC_S_SEC, 0, 0, ISC_AUTH_NONE, ISC_AUTH_NONE },
	[ISC_K_INITIATOR_NAME] = { "InitiatorName", ISC_T_NAME, ISC_S_LOGIN,
		0, 0, 0, 0 },
	[ISC_K_TARGET_NAME] = { "TargetName", ISC_T_NAME, ISC_S_LOGIN,
		0, 0, 0, 0 },
	[ISC_K_INITIATOR_ALIAS] = { "InitiatorAlias", ISC_T_INI_DECL, 0,
		0, 0, 0, 0 },
	[ISC_K_TARGET_ALIAS] = { "TargetAlias", ISC_T_TGT_DECL, 0,
		0, 0, 0, 0 },
	[ISC_K_TARGET_ADDRESS] = { "TargetAddress", ISC_T_TGT_DECL, 0,
		0, 0, 0, 0 },
	[ISC_K_TPGT] = { "TargetPortalGroupTag", ISC_T_TGT_DECL, ISC_S_LOGIN,
		0, 0, 0, 0 },
	[ISC_K_SEND_TARGETS] = { "SendTargets", ISC_T_SENDTARGETS, ISC_S_FFP,
		0, 0, 0, 0 },
};

/* --- the data segment format --- */

static bool isc_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
	       c == '@' || c == '_' || c == '#';
}

/* "key=value": split in place; -EINVAL if malformed. */
static int isc_text_split(char *pair, struct isc_kv *kv)
{
	char *eq = strchr(pair, '=');
	size_t klen, vlen;
	char *p;

	if (!eq)
		return -EINVAL;
	klen = eq - pair;
	vlen = strlen(eq + 1);
	if (!klen || klen > ISC_KEY_MAX || vlen > ISC_LONG_VALUE_MAX)
		return -EINVAL;
	for (p = pair; p < eq; p++)
		if (!isc_key_char(*p))
			return -EINVAL;
	*eq = '\0';
	kv->key = pair;
	kv->val = eq + 1;
	return 0;
}

/**
 * isc_text_parse() - split a text data segment into key=value pairs
 * @buf: the data segment; modified (the '=' become NULs)
 * @len: its length
 * @kv: the pairs found, pointing into @buf
 * @max: room in @kv
 * @n: number of pairs
 *
 * Every pair must end with a NUL; empty pairs (NUL padding) are skipped.
 *
 * Return: 0, or -EINVAL for a malformed segment, -E2BIG for too many
 * pairs.
 */
int isc_text_parse(char *buf, u32 len, struct isc_kv *kv, unsigned int max,
		   unsigned int *n)
{
	u32 pos = 0;
	char *end;

	*n = 0;
	if (len && buf[len - 1] != '\0')
		return -EINVAL;
	while (pos < len) {
		end = memchr(buf + pos, '\0', len - pos);
		if (end == buf + pos) {
			pos++;
			continue;
		}
		if (*n >= max)
			return -E2BIG;
		if (isc_text_split(buf + pos, &kv[*n]))
			return -EINVAL;
		(*n)++;
		pos = end - buf + 1;
	}
	return 0;
}

/**
 * isc_text_add() - append "key=value\0" to a response
 * @tb: the response
 * @key: key
 * @val: value
 */
void isc_text_add(struct isc_textbuf *tb, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val);

	if (tb->overflow || kl + vl + 2 > tb->cap - tb->len) {
		tb->overflow = true;
		return;
	}
	memcpy(tb->buf + tb->len, key, kl);
	tb->buf[tb->len + kl] = '=';
	memcpy(tb->buf + tb->len + kl + 1, val, vl);
	tb->buf[tb->len + kl + 1 + vl] = '\0';
	tb->len += kl + vl + 2;
}

/**
 * isc_text_add_u32() - append a numerical key
 * @tb: the response
 * @key: key
 * @val: value, written in decimal
 */
void isc_text_add_u32(struct isc_textbuf *tb, const char *key, u32 val)
{
	char num[12];

	snprintf(num, sizeof(num), "%u", val);
	isc_text_add(tb, key, num);
}

/**
 * isc_hex_digit() - value of one hexadecimal digit
 * @c: the character
 *
 * Return: 0 to 15, or -1 when @c is not a hexadecimal digit.
 */
int isc_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * isc_parse_number() - a decimal or 0x hexadecimal constant
 * @s: the text
 * @max: the largest value accepted
 * @val: result
 *
 * Return: 0, or -EINVAL (not a number, or above @max).
 */
int isc_parse_number(const char *s, u64 max, u64 *val)
{
	unsigned int base = 10;
	u64 v = 0;
	int d;

	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = isc_hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		/* (u64)d > max first: max - d would wrap */
		if ((u64)d > max || v > (max - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*val = v;
	return 0;
}

/**
 * isc_list_has() - whether a comma-separated list contains an item
 * @list: "a,b,c"
 * @item: "b"
 */
bool isc_list_has(const char *list, const char *item)
{
	size_t il = strlen(item);
	const char *p = list, *c;

	for (;;) {
		c = strchr(p, ',');
		if ((c ? (size_t)(c - p) : strlen(p)) == il &&
		    !strncmp(p, item, il))
			return true;
		if (!c)
			return false;
		p = c + 1;
	}
}

/* The first item of @list that @accept() takes, copied to @out. */
static bool isc_list_pick(const char *list, bool (*accept)(const char *,
							   u32, u32 *),
			  u32 mask, u32 *res)
{
	char item[ISC_VALUE_MAX + 1];
	const char *p = list, *c;
	size_t l;

	for (;;) {
		c = strchr(p, ',');
		l = c ? (size_t)(c - p) : strlen(p);
		if (l < sizeof(item)) {
			memcpy(item, p, l);
			item[l] = '\0';
			if (accept(item, mask, res))
				return true;
		}
		if (!c)
			return false;
		p = c + 1;
	}
}

/* --- key table access --- */

/**
 * isc_key_name() - the RFC spelling of a key
 * @id: the key
 */
const char *isc_key_name(enum isc_key_id id)
{
	return id < ISC_K_COUNT ? isc_keys[id].name : "";
}

/**
 * isc_key_lookup() - a key's id from its name
 * @name: the key, case-sensitive
 *
 * Return: the id, or -ENOENT.
 */
int isc_key_lookup(const char *name)
{
	int i;

	for (i = 0; i < ISC_K_COUNT; i++)
		if (!strcmp(isc_keys[i].name, name))
			return i;
	return -ENOENT;
}

/**
 * isc_params_set_defaults() - the RFC 7143 defaults
 * @p: the values
 */
void isc_params_set_defaults(struct isc_params *p)
{
	int i;

	for (i = 0; i < ISC_K_COUNT; i++)
		p->v[i] = isc_keys[i].def;
}

/**
 * isc_params_set_target_defaults() - a new target's configuration
 * @p: the values
 */
void isc_params_set_target_defaults(struct isc_params *p)
{
	int i;

	for (i = 0; i < ISC_K_COUNT; i++)
		p->v[i] = isc_keys[i].tdef;
}

/**
 * isc_params_check() - whether a configured value is in range
 * @id: the key
 * @val: the value (a mask for the digest keys)
 *
 * Return: 0 or -EINVAL.
 */
int isc_params_check(enum isc_key_id id, u32 val)
{
	const struct isc_key_def *d = &isc_keys[id];

	switch (d->type) {
	case ISC_T_DIGEST:
		return val && !(val & ~(ISC_DIGEST_NONE | ISC_DIGEST_CRC32C)) ?
		       0 : -EINVAL;
	case ISC_T_OR:
	case ISC_T_AND:
	case ISC_T_MIN:
	case ISC_T_MAX:
	case ISC_T_DECL:
		return val >= d->min && val <= d->max ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static bool isc_digest_accept(const char *item, u32 mask, u32 *res)
{
	if (!strcmp(item, "None") && (mask & ISC_DIGEST_NONE)) {
		*res = ISC_DIGEST_NONE;
		return true;
	}
	if (!strcmp(item, "CRC32C") && (mask & ISC_DIGEST_CRC32C)) {
		*res = ISC_DIGEST_CRC32C;
		return true;
	}
	return false;
}

static int isc_parse_bool(const char *s, u32 *v)
{
	if (!strcmp(s, "Yes"))
		*v = 1;
	else if (!strcmp(s, "No"))
		*v = 0;
	else
		return -EINVAL;
	return 0;
}

/**
 * isc_params_parse_value() - parse a configuration value (configfs)
 * @id: the key
 * @s: "Yes"/"No", a number, or a digest list such as "CRC32C,None"
 * @val: result
 *
 * Return: 0 or -EINVAL.
 */
int isc_params_parse_value(enum isc_key_id id, const char *s, u32 *val)
{
	const struct isc_key_def *d = &isc_keys[id];
	const char *p = s, *c;
	u32 mask = 0, one;
	char item[16];
	u64 v;
	size_t l;

	switch (d->type) {
	case ISC_T_DIGEST:
		for (;;) {
			c = strchr(p, ',');
			l = c ? (size_t)(c - p) : strlen(p);
			if (l >= sizeof(item))
				return -EINVAL;
			memcpy(item, p, l);
			item[l] = '\0';
			if (!isc_digest_accept(item, ~0U, &one))
				return -EINVAL;
			mask |= one;
			if (!c)
				break;
			p = c + 1;
		}
		*val = mask;
		return 0;
	case ISC_T_OR:
	case ISC_T_AND:
		return isc_parse_bool(s, val);
	default:
		if (isc_parse_number(s, d->max, &v) || v < d->min)
			return -EINVAL;
		*val = (u32)v;
		return isc_params_check(id, *val);
	}
}

/**
 * isc_params_format_value() - a configuration value as text
 * @id: the key
 * @val: the value
 * @buf: output
 * @size: its size
 *
 * Return: the length written (as snprintf).
 */
int isc_params_format_value(enum isc_key_id id, u32 val, char *buf,
			    size_t size)
{
	switch (isc_keys[id].type) {
	case ISC_T_DIGEST:
		if (val == (ISC_DIGEST_NONE | ISC_DIGEST_CRC32C))
			return snprintf(buf, size, "CRC32C,None");
		return snprintf(buf, size, "%s",
				val == ISC_DIGEST_CRC32C ? "CRC32C" : "None");
	case ISC_T_OR:
	case ISC_T_AND:
		return snprintf(buf, size, "%s", val ? "Yes" : "No");
	default:
		return snprintf(buf, size, "%u", val);
	}
}

/**
 * isc_name_valid() - a plausible iSCSI name
 * @name: "iqn.", "eui." or "naa." followed by printable characters
 */
bool isc_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (len < 5 || len > ISC_NAME_MAX)
		return false;
	if (strncmp(name, "iqn.", 4) && strncmp(name, "eui.", 4) &&
	    strncmp(name, "naa.", 4))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c <= ' ' || c == 0x7f || c == ',')
			return false;
	}
	return true;
}

/* --- negotiation --- */

/**
 * isc_neg_init() - start a login or the text exchanges of a connection
 * @n: the state
 * @cfg: the target's configuration (or the driver's, for discovery)
 * @phase: where the first request arrives
 */
void isc_neg_init(struct isc_neg *n, const struct isc_params *cfg,
		  enum isc_phase phase)
{
	memset(n, 0, sizeof(*n));
	n->cfg = cfg;
	n->phase = phase;
	n->leading = true;
	isc_params_set_defaults(&n->res);
}

static bool isc_auth_accept(const char *item, u32 mask, u32 *res)
{
	if (!strcmp(item, "CHAP") && (mask & ISC_AUTH_CHAP)) {
		*res = ISC_AUTH_CHAP;
		return true;
	}
	if (!strcmp(item, "None") && (mask & ISC_AUTH_NONE)) {
		*res = ISC_AUTH_NONE;
		return true;
	}
	return false;
}

static bool isc_taskrep_accept(const char *item, u32 mask, u32 *res)
{
	*res = mask;
	return !strcmp(item, "RFC3720");
}

/* A list-valued key: answer the first acceptable item or Reject. */
static int isc_neg_list(struct isc_neg *n, enum isc_key_id id,
			const char *val, struct isc_textbuf *out)
{
	u32 mask = n->cfg->v[id], res;
	const char *name = isc_keys[id].name;

	if (isc_keys[id].type == ISC_T_DIGEST &&
	    isc_list_pick(val, isc_digest_accept, mask, &res)) {
		n->res.v[id] = res;
		isc_text_add(out, name, res == ISC_DIGEST_CRC32C ?
			     "CRC32C" : "None");
		return 0;
	}
	if (isc_keys[id].type == ISC_T_AUTH &&
	    isc_list_pick(val, isc_auth_accept, mask, &res)) {
		n->res.v[id] = res;
		isc_text_add(out, name, res == ISC_AUTH_CHAP ? "CHAP" : "None");
		return 0;
	}
	if (isc_keys[id].type == ISC_T_TASKREP &&
	    isc_list_pick(val, isc_taskrep_accept, 0, &res)) {
		isc_text_add(out, name, "RFC3720");
		return 0;
	}
	isc_text_add(out, name, "Reject");
	if (isc_keys[id].type == ISC_T_AUTH) {
		n->status = ISC_LS_AUTH_FAILED;
		n->fail_key = name;
		return -EACCES;
	}
	return 0;
}

/* A boolean or numerical key. */
static int isc_neg_value(struct isc_neg *n, enum isc_key_id id,
			 const char *val, struct isc_textbuf *out)
{
	const struct isc_key_def *d = &isc_keys[id];
	u32 mine = n->cfg->v[id], res;
	u64 v;

	if (d->type == ISC_T_OR || d->type == ISC_T_AND) {
		u32 b;

		if (isc_parse_bool(val, &b))
			goto reject;
		res = d->type == ISC_T_OR ? (b | mine) : (b & mine);
		n->res.v[id] = res;
		isc_text_add(out, d->name, res ? "Yes" : "No");
		return 0;
	}
	if (isc_parse_number(val, 0xffffffffULL, &v) || v < d->min ||
	    v > d->max)
		goto reject;
	switch (d->type) {
	case ISC_T_MIN:
		res = (u32)v < mine ? (u32)v : mine;
		break;
	case ISC_T_MAX:
		res = (u32)v > mine ? (u32)v : mine;
		break;
	default:	/* declarative: the initiator's own value */
		n->res.v[id] = (u32)v;
		return 0;
	}
	n->res.v[id] = res;
	isc_text_add_u32(out, d->name, res);
	return 0;

reject:
	isc_text_add(out, d->name, "Reject");
	return 0;
}

static int isc_neg_name(struct isc_neg *n, enum isc_key_id id,
			const char *val)
{
	char *dst = id == ISC_K_INITIATOR_NAME ? n->initiator_name :
						  n->target_name;

	if (strlen(val) > ISC_NAME_MAX || !*val) {
		n->status = ISC_LS_INIT_ERR;
		n->fail_key = isc_keys[id].name;
		return -EINVAL;
	}
	strcpy(dst, val);
	return 0;
}

static int isc_neg_session_type(struct isc_neg *n, const char *val)
{
	if (!strcmp(val, "Normal")) {
		n->res.v[ISC_K_SESSION_TYPE] = ISC_SESS_NORMAL;
	} else if (!strcmp(val, "Discovery")) {
		n->res.v[ISC_K_SESSION_TYPE] = ISC_SESS_DISCOVERY;
	} else {
		n->status = ISC_LS_BAD_SESS_TYPE;
		n->fail_key = "SessionType";
		return -EINVAL;
	}
	return 0;
}

static int isc_neg_send_targets(struct isc_neg *n, const char *val)
{
	n->send_targets_all = !strcmp(val, "All");
	if (strlen(val) > ISC_NAME_MAX)
		return -EINVAL;
	strcpy(n->send_targets, n->send_targets_all ? "" : val);
	return 0;
}

/* Whether key @id may appear now; -1 = answer Reject */
static bool isc_neg_scope_ok(struct isc_neg *n, enum isc_key_id id)
{
	u8 scope = isc_keys[id].scope;

	if ((scope & ISC_S_LOGIN) && n->phase == ISC_PH_FFP)
		return false;
	if ((scope & ISC_S_FFP) && n->phase != ISC_PH_FFP)
		return false;
	if ((scope & ISC_S_SEC) && n->phase != ISC_PH_SECURITY)
		return false;
	return true;
}

static bool isc_is_answer(const char *val)
{
	return !strcmp(val, "NotUnderstood") || !strcmp(val, "Irrelevant") ||
	       !strcmp(val, "Reject");
}

static int isc_neg_dispatch(struct isc_neg *n, enum isc_key_id id,
			    const char *val, struct isc_textbuf *out)
{
	const struct isc_key_def *d = &isc_keys[id];

	switch (d->type) {
	case ISC_T_DIGEST:
	case ISC_T_AUTH:
	case ISC_T_TASKREP:
		return isc_neg_list(n, id, val, out);
	case ISC_T_MARKINT:
		isc_text_add(out, d->name, "Irrelevant");
		return 0;
	case ISC_T_SESSTYPE:
		return isc_neg_session_type(n, val);
	case ISC_T_NAME:
		return isc_neg_name(n, id, val);
	case ISC_T_INI_DECL:
		return 0;
	case ISC_T_TGT_DECL:
		isc_text_add(out, d->name, "Reject");
		return 0;
	case ISC_T_SENDTARGETS:
		if (isc_neg_send_targets(n, val))
			isc_text_add(out, d->name, "Reject");
		return 0;
	default:
		return isc_neg_value(n, id, val, out);
	}
}

/**
 * isc_neg_key() - negotiate one key received from the initiator
 * @n: the state
 * @key: the key
 * @val: its value
 * @out: the response, to which the answer (if any) is appended
 *
 * Return: 0 if handled; 1 if the key is not a negotiation key but one
 * the caller knows (CHAP_*); a negative errno if the login must fail
 * (n->status says how).
 */
int isc_neg_key(struct isc_neg *n, const char *key, const char *val,
		struct isc_textbuf *out)
{
	int id;

	if (!strncmp(key, "CHAP_", 5))
		return n->phase == ISC_PH_SECURITY ? 1 : -EINVAL;
	id = isc_key_lookup(key);
	if (id < 0) {
		isc_text_add(out, key, "NotUnderstood");
		return 0;
	}
	if (isc_is_answer(val))
		return 0;
	if (strlen(val) > ISC_VALUE_MAX) {
		isc_text_add(out, key, "Reject");
		return 0;
	}
	if (n->seen & (1ULL << id) && isc_keys[id].type != ISC_T_DECL &&
	    isc_keys[id].type != ISC_T_SENDTARGETS &&
	    isc_keys[id].type != ISC_T_INI_DECL) {
		/* negotiating a key twice is a protocol error */
		n->status = ISC_LS_INIT_ERR;
		n->fail_key = key;
		return -EINVAL;
	}
	n->seen |= 1ULL << id;
	if (!isc_neg_scope_ok(n, id)) {
		isc_text_add(out, key, "Reject");
		return 0;
	}
	return isc_neg_dispatch(n, id, val, out);
}

/**
 * isc_neg_finish() - settle dependent values at the end of a login
 * @n: the state
 *
 * FirstBurstLength never exceeds MaxBurstLength.
 */
void isc_neg_finish(struct isc_neg *n)
{
	struct isc_params *r = &n->res;

	if (r->v[ISC_K_FIRST_BURST] > r->v[ISC_K_MAX_BURST])
		r->v[ISC_K_FIRST_BURST] = r->v[ISC_K_MAX_BURST];
}
