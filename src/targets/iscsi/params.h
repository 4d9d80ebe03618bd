/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iSCSI text keys (RFC 7143 chapters 6 and 13): parsing of key=value
 * data segments and the negotiation of login and text keys.  Pure C:
 * also built in user space.
 */
#ifndef _ISC_PARAMS_H
#define _ISC_PARAMS_H

#include "isc_types.h"

#define ISC_NAME_MAX		223	/* iSCSI names (RFC 7143 4.2.7.1) */
#define ISC_KEY_MAX		63
#define ISC_VALUE_MAX		255
#define ISC_LONG_VALUE_MAX	8192	/* CHAP_C, CHAP_R (binary values) */
#define ISC_MAX_PAIRS		128
#define ISC_TEXT_MAX		(64 * 1024)	/* one login/text exchange */
#define ISC_PROTOCOL_LEVEL	1	/* RFC 7144: RFC 7143 */

/* Keys whose values the negotiation keeps (indices into isc_params.v) */
enum isc_key_id {
	ISC_K_HEADER_DIGEST,
	ISC_K_DATA_DIGEST,
	ISC_K_MAX_CONNECTIONS,
	ISC_K_INITIAL_R2T,
	ISC_K_IMMEDIATE_DATA,
	ISC_K_MAX_RECV_DSL,
	ISC_K_MAX_BURST,
	ISC_K_FIRST_BURST,
	ISC_K_TIME2WAIT,
	ISC_K_TIME2RETAIN,
	ISC_K_MAX_OUTSTANDING_R2T,
	ISC_K_DATA_PDU_IN_ORDER,
	ISC_K_DATA_SEQ_IN_ORDER,
	ISC_K_ERL,
	ISC_K_OFMARKER,
	ISC_K_IFMARKER,
	ISC_K_OFMARKINT,
	ISC_K_IFMARKINT,
	ISC_K_TASK_REPORTING,
	ISC_K_PROTOCOL_LEVEL,
	ISC_K_SESSION_TYPE,
	ISC_K_AUTH_METHOD,
	ISC_K_INITIATOR_NAME,
	ISC_K_TARGET_NAME,
	ISC_K_INITIATOR_ALIAS,
	ISC_K_TARGET_ALIAS,
	ISC_K_TARGET_ADDRESS,
	ISC_K_TPGT,
	ISC_K_SEND_TARGETS,
	ISC_K_COUNT
};

/* Digest values: bit masks in a configuration, one bit in a result */
#define ISC_DIGEST_NONE		0x1
#define ISC_DIGEST_CRC32C	0x2
/* AuthMethod values */
#define ISC_AUTH_NONE		0x1
#define ISC_AUTH_CHAP		0x2
/* SessionType values */
#define ISC_SESS_NORMAL		0
#define ISC_SESS_DISCOVERY	1

/* Negotiation phases */
enum isc_phase {
	ISC_PH_SECURITY,
	ISC_PH_OPERATIONAL,
	ISC_PH_FFP,		/* Text Request in full feature phase */
};

/*
 * Values of the negotiable keys.  In a target's configuration, the digest
 * keys hold the mask of acceptable digests; in a result, the one chosen.
 * For MaxRecvDataSegmentLength a configuration holds what the target
 * declares (the longest PDU data it accepts), a result what the initiator
 * declared (the longest the target may send).
 */
struct isc_params {
	u32	v[ISC_K_COUNT];
};

struct isc_kv {
	char	*key;
	char	*val;
};

/* A growing key=value response; overflow is sticky. */
struct isc_textbuf {
	char	*buf;
	u32	len;
	u32	cap;
	bool	overflow;
};

/* State of one login (or of the text exchanges of a connection). */
struct isc_neg {
	const struct isc_params	*cfg;	/* the target's values */
	struct isc_params	res;	/* the negotiated values */
	u64			seen;	/* keys already negotiated, 1 << id */
	enum isc_phase		phase;
	bool			leading;	/* first connection of a session */
	u16			status;	/* login status on failure */
	const char		*fail_key;
	char	initiator_name[ISC_NAME_MAX + 1];
	char	target_name[ISC_NAME_MAX + 1];
	char	send_targets[ISC_NAME_MAX + 1];
	bool	send_targets_all;
};

int isc_text_parse(char *buf, u32 len, struct isc_kv *kv, unsigned int max,
		   unsigned int *n);
void isc_text_add(struct isc_textbuf *tb, const char *key, const char *val);
void isc_text_add_u32(struct isc_textbuf *tb, const char *key, u32 val);
int isc_parse_number(const char *s, u64 max, u64 *val);
int isc_hex_digit(char c);
bool isc_list_has(const char *list, const char *item);

void isc_params_set_defaults(struct isc_params *p);
void isc_params_set_target_defaults(struct isc_params *p);
int isc_params_check(enum isc_key_id id, u32 val);
int isc_params_parse_value(enum isc_key_id id, const char *s, u32 *val);
int isc_params_format_value(enum isc_key_id id, u32 val, char *buf,
			    size_t size);
const char *isc_key_name(enum isc_key_id id);
int isc_key_lookup(const char *name);

void isc_neg_init(struct isc_neg *n, const struct isc_params *cfg,
		  enum isc_phase phase);
int isc_neg_key(struct isc_neg *n, const char *key, const char *val,
		struct isc_textbuf *out);
void isc_neg_finish(struct isc_neg *n);
bool isc_name_valid(const char *name);

#endif /* _ISC_PARAMS_H */
