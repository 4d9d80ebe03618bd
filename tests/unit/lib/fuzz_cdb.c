// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_cdb.c - libFuzzer target for scst_cdb_decode()
 *
 * Input byte 0 selects the device type (bit 0: disk or CD-ROM, bit 1:
 * also try an unsupported type), the rest is the CDB. The CDB is copied
 * into a buffer of exactly its length so that ASan catches any read past
 * @len. After each decode the invariants below are checked and a failure
 * aborts. The same bytes are also fed to the sense and LUN decoders,
 * and a decoded REPORT SUPPORTED OPERATION CODES / TASK MANAGEMENT
 * FUNCTIONS CDB to their formatters, into a buffer of exactly the
 * allocation length (at most 4 KiB).  A decoded command is also judged
 * against every persistent reservation type (scst_resv.c): the holder and
 * a registrant are never refused more than others, and an I_T nexus
 * outside a reservation never writes the medium through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "scst_cdb.h"
#include "scst_lun.h"
#include "scst_resv.h"
#include "scst_rsoc.h"
#include "scst_sense.h"


static unsigned int group_len(u8 opcode)
{
	static const u8 len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

	return len[opcode >> 5];
}

/* some commands are "not carried out", some usage bits cleared */
static bool odd_filter(void *ctx, const struct scst_cdb_opdesc *d, u8 *usage)
{
	(void)ctx;
	usage[1] = 0xff;
	usage[d->cdb_len - 1] &= 0x0f;
	return !(d->opcode & 1) || d->opcode == 0xa3;
}

static void fuzz_rsoc(const u8 *cdb, u8 type, const struct scst_cdb_info *ci)
{
	u32 n = ci->data_len < 4096 ? ci->data_len : 4096;
	u8 *buf = malloc(n ? n : 1);
	struct scst_cdb_err err;
	int r;

	if (ci->service_action == 0x0c) {
		r = scst_rsoc_build(cdb, type, odd_filter, NULL, buf, n, &err);
		CHECK(r == -EINVAL || (r >= 4 &&
					(u32)r <= scst_rsoc_max_len(type)));
		if (r == -EINVAL)
			CHECK(err.sksv && (err.field == 2 || err.field == 3));
		else if (!(cdb[2] & 0x07) && n >= 4)
			CHECK(((u32)buf[2] << 8 | buf[3]) == (u32)r - 4);
	} else {
		r = scst_rstmf_build(cdb, 0xffff, buf, n);
		CHECK(r == 4 || r == 16);
	}
	free(buf);
}

static void check_resv(const struct scst_cdb_info *ci)
{
	static const u8 types[] = { SCST_PR_TYPE_NONE, SCST_PR_TYPE_WE,
				    SCST_PR_TYPE_EA, SCST_PR_TYPE_WE_RO,
				    SCST_PR_TYPE_EA_RO, SCST_PR_TYPE_WE_AR,
				    SCST_PR_TYPE_EA_AR };
	bool hold, reg, out;
	unsigned int i;
	u8 t;

	for (i = 0; i < sizeof(types); i++) {
		t = types[i];
		hold = scst_resv_pr_conflict(ci, t, true, true);
		reg = scst_resv_pr_conflict(ci, t, false, true);
		out = scst_resv_pr_conflict(ci, t, false, false);
		/* holding or registering never adds a conflict */
		CHECK(!hold || reg);
		CHECK(!reg || out);
		if (ci->resv == SCST_RESV_PR_OUT) {
			CHECK(!hold && !reg);
			CHECK(out == (ci->service_action != SCST_PR_OUT_REGISTER &&
				      ci->service_action !=
				      SCST_PR_OUT_REGISTER_IGNORE));
			continue;
		}
		if (ci->resv == SCST_RESV_SPC2) {
			CHECK(hold && reg && out);
			continue;
		}
		CHECK(!hold);
		if (t == SCST_PR_TYPE_NONE)
			CHECK(!out);
		else if (ci->flags & SCST_CDB_WRITES_MEDIUM)
			CHECK(out);
		if (scst_pr_type_all_registrants(t))
			CHECK(!reg);
	}
}

static void check_ok(const u8 *cdb, unsigned int len, u8 type,
		     const struct scst_cdb_info *ci)
{
	const struct scst_cdb_opdesc *d;
	struct scst_cdb_info ci2;
	struct scst_cdb_err err2;
	unsigned int i;

	CHECK(ci->opcode == cdb[0]);
	CHECK(ci->cdb_len == group_len(cdb[0]));
	CHECK(ci->cdb_len <= len);
	CHECK(ci->name != NULL);
	CHECK(ci->dir <= SCST_DIR_BIDI);
	CHECK(ci->resv <= SCST_RESV_SPC2);
	d = scst_cdb_opcode_find(type, ci->opcode, ci->service_action);
	CHECK(d != NULL);
	CHECK(d->cdb_len == ci->cdb_len);
	CHECK(strcmp(d->name, ci->name) == 0);
	for (i = 1; i + 1 < ci->cdb_len; i++) {
		u8 ok = d->usage[i] | d->ignore[i];

		if (i == 1 && (d->flags & SCST_CDB_SERVICE_ACTION))
			ok |= 0x1f;
		CHECK(!(cdb[i] & ~ok));
	}
	CHECK(!(cdb[ci->cdb_len - 1] & 0x3f));
	if (ci->flags & SCST_CDB_NO_DATA)
		CHECK(ci->dir == SCST_DIR_NONE);
	if (ci->dir == SCST_DIR_NONE) {
		if (ci->flags & SCST_CDB_BLOCKIO)
			CHECK(ci->flags & SCST_CDB_NO_DATA);
		else
			CHECK(ci->data_len == 0);
	}
	if (ci->flags & SCST_CDB_BLOCKIO) {
		CHECK(ci->flags & SCST_CDB_HAS_LBA);
		CHECK(ci->data_len == 0);
		CHECK(scst_cdb_data_len(ci, 512) <= 2ULL * ci->nblocks * 512 ||
		      (ci->flags & SCST_CDB_DATA_ONE_BLOCK));
	} else {
		CHECK(scst_cdb_data_len(ci, 512) == ci->data_len);
	}
	if (ci->opcode == 0x08 || ci->opcode == 0x0a)
		CHECK(ci->nblocks >= 1 && ci->nblocks <= 256 &&
		      ci->lba <= 0x1fffff);
	if (!(ci->flags & (SCST_CDB_BLOCKIO | SCST_CDB_HAS_LBA)))
		CHECK(ci->lba == 0);
	if (ci->flags & SCST_CDB_WRITES_MEDIUM)
		CHECK(type == SCST_TYPE_DISK);
	check_resv(ci);
	if (ci->opcode == 0xa3 && (ci->service_action == 0x0c ||
				   ci->service_action == 0x0d))
		fuzz_rsoc(cdb, type, ci);

	/* bytes after cdb_len must not matter */
	CHECK(scst_cdb_decode(cdb, ci->cdb_len, type, &ci2, &err2) == 0);
	CHECK(ci2.opcode == ci->opcode && ci2.dir == ci->dir &&
	      ci2.flags == ci->flags && ci2.lba == ci->lba &&
	      ci2.nblocks == ci->nblocks && ci2.data_len == ci->data_len &&
	      ci2.service_action == ci->service_action &&
	      ci2.resv == ci->resv);
}

static void check_err(const u8 *cdb, unsigned int len,
		      const struct scst_cdb_info *ci,
		      const struct scst_cdb_err *err)
{
	CHECK(err->key == 0x05);
	CHECK(err->asc == 0x24 || err->asc == 0x1a);
	CHECK(err->bit >= -1 && err->bit <= 7);
	if (!err->sksv)
		return;
	CHECK(err->field < len);
	CHECK(!ci->cdb_len || err->field < ci->cdb_len);
	/* CONTROL byte errors point at a set NACA/LINK/reserved bit */
	if (ci->cdb_len && err->field == ci->cdb_len - 1)
		CHECK(err->bit >= 0 && (cdb[err->field] >> err->bit) & 1);
}

static void fuzz_cdb(const u8 *cdb, unsigned int len, u8 type)
{
	struct scst_cdb_info ci;
	struct scst_cdb_err err;
	int ret;

	ret = scst_cdb_decode(cdb, len, type, &ci, &err);
	CHECK(ret == 0 || ret == -EINVAL || ret == -EOPNOTSUPP);
	if (ret == 0)
		check_ok(cdb, len, type, &ci);
	else if (ret == -EINVAL)
		check_err(cdb, len, &ci, &err);
	else if (len && !scst_cdb_opcode_has_sa(cdb[0]))
		CHECK(!scst_cdb_opcode_find(type, cdb[0], 0));
}

static void fuzz_sense(const u8 *data, size_t size)
{
	u8 buf[SCST_SENSE_MAX_LEN + 8];
	u8 key, asc, ascq;
	size_t n = size < sizeof(buf) ? size : sizeof(buf);
	u8 *copy = malloc(n ? n : 1);
	int r;

	memcpy(copy, data, n);
	scst_sense_decode(copy, (unsigned int)n, &key, &asc, &ascq);
	r = scst_sense_set_field_pointer(copy, (unsigned int)n, true, 7, 3);
	CHECK(r == -EINVAL || (r >= 8 && (size_t)r <= n));
	r = scst_sense_set_info(copy, (unsigned int)n, 0x1234);
	CHECK(r == -EINVAL || (r >= 8 && (size_t)r <= n));
	free(copy);

	r = scst_sense_build(buf, sizeof(buf), n & 1, n > 0 ? data[0] : 0,
			     0x24, 0);
	CHECK(r == 8 || r == 18);
	CHECK(scst_sense_decode(buf, (unsigned int)r, &key, &asc, &ascq));
	CHECK(asc == 0x24 && ascq == 0);
}

static void fuzz_lun(const u8 *data, size_t size)
{
	u8 out[8];
	u16 lun, back;

	if (size < 8 || scst_lun_decode(data, &lun))
		return;
	CHECK(lun <= SCST_MAX_LUN);
	scst_lun_encode(lun, out);
	CHECK(scst_lun_decode(out, &back) == 0 && back == lun);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int len;
	u8 *cdb;
	u8 sel;

	if (size < 1)
		return 0;
	sel = data[0];
	len = (unsigned int)(size - 1);
	cdb = malloc(len ? len : 1);
	memcpy(cdb, data + 1, len);
	fuzz_cdb(cdb, len, (sel & 1) ? SCST_TYPE_ROM : SCST_TYPE_DISK);
	if (sel & 2)
		fuzz_cdb(cdb, len, sel >> 2);
	free(cdb);
	fuzz_sense(data + 1, len);
	fuzz_lun(data + 1, len);
	return 0;
}
