// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: PERSISTENT RESERVE IN (SPC-4 6.15) and the read-only
 * `pr_state` attribute of a device.
 *
 * The data is built in full and copied up to the allocation length; the
 * ADDITIONAL LENGTH fields always describe the full data.  Runs under
 * dev->resv.mutex, so the registrations cannot change meanwhile.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/slab.h>

#include "scst_priv.h"
#include "pr.h"

#define PR_IN_READ_KEYS		0x00
#define PR_IN_READ_RESERVATION	0x01
#define PR_IN_REPORT_CAPS	0x02
#define PR_IN_READ_FULL_STATUS	0x03

/* largest READ FULL STATUS descriptor: 24 bytes and a TransportID */
#define PR_FS_DESC_MAX		(24 + 4 + SCST_PR_NAME_MAX + 4)

static void scst_pr_in_copy(struct scst_cmd *cmd, const u8 *buf, u32 len)
{
	scst_cmd_copy_to_buf(cmd, buf, len);
}

static u8 *scst_pr_in_alloc(struct scst_cmd *cmd, size_t len)
{
	u8 *buf = kvzalloc(len, GFP_KERNEL);

	if (!buf)
		scst_cmd_set_sense(cmd, SCST_SENSE_TRIPLE(
				   SCST_KEY_ABORTED_COMMAND,
				   SCST_AQ_INSUFFICIENT_RESOURCES));
	return buf;
}

static void scst_pr_read_keys(struct scst_cmd *cmd, struct scst_resv *r)
{
	struct scst_pr_reg *reg;
	u32 off = 8;
	u8 *buf;

	buf = scst_pr_in_alloc(cmd, 8 + 8 * (size_t)r->nr_regs);
	if (!buf)
		return;
	put_unaligned_be32(r->generation, buf);
	list_for_each_entry(reg, &r->regs, entry) {
		put_unaligned_be64(reg->key, buf + off);
		off += 8;
	}
	put_unaligned_be32(off - 8, buf + 4);
	scst_pr_in_copy(cmd, buf, off);
	kvfree(buf);
}

static void scst_pr_read_resv(struct scst_cmd *cmd, struct scst_resv *r)
{
	u8 buf[24] = { 0 };
	u32 len = 8;

	put_unaligned_be32(r->generation, buf);
	if (r->type != SCST_PR_TYPE_NONE) {
		/* all-registrants reservations are reported with key 0 */
		if (!scst_pr_type_all_registrants(r->type))
			put_unaligned_be64(r->holder->key, buf + 8);
		buf[21] = r->type;	/* SCOPE 0h: LU_SCOPE */
		len = 24;
	}
	put_unaligned_be32(len - 8, buf + 4);
	scst_pr_in_copy(cmd, buf, len);
}

static void scst_pr_report_caps(struct scst_cmd *cmd, struct scst_resv *r)
{
	u8 buf[8] = { 0 };

	put_unaligned_be16(sizeof(buf), buf);
	/* CRH, SIP_C, ATP_C, PTPL_C */
	buf[2] = 0x10 | 0x08 | 0x04 | 0x01;
	/* TMV: the type mask is valid; PTPL_A */
	buf[3] = 0x80 | (r->aptpl ? 0x01 : 0x00);
	/* WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX; EX_AC_AR */
	buf[4] = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
	buf[5] = 0x01;
	scst_pr_in_copy(cmd, buf, sizeof(buf));
}

static void scst_pr_read_full_status(struct scst_cmd *cmd,
				     struct scst_resv *r)
{
	struct scst_pr_reg *reg;
	u32 off = 8, tl;
	u8 *buf, *d;

	buf = scst_pr_in_alloc(cmd, 8 + PR_FS_DESC_MAX * (size_t)r->nr_regs);
	if (!buf)
		return;
	put_unaligned_be32(r->generation, buf);
	list_for_each_entry(reg, &r->regs, entry) {
		d = buf + off;
		put_unaligned_be64(reg->key, d);
		if (reg->all_tg_pt)
			d[12] |= 0x02;
		if (scst_pr_is_holder(r, reg)) {
			d[12] |= 0x01;
			d[13] = r->type;
		}
		if (!reg->all_tg_pt)
			put_unaligned_be16(reg->rel_tgt_id, d + 18);
		tl = scst_pr_tid_build(reg->name, d + 24,
				       PR_FS_DESC_MAX - 24);
		put_unaligned_be32(tl, d + 20);
		off += 24 + tl;
	}
	put_unaligned_be32(off - 8, buf + 4);
	scst_pr_in_copy(cmd, buf, off);
	kvfree(buf);
}

/**
 * scst_pr_in() - carry out PERSISTENT RESERVE IN
 * @cmd: the command
 *
 * Context: process context, under dev->resv.mutex.
 */
void scst_pr_in(struct scst_cmd *cmd)
{
	struct scst_resv *r = &to_scst_dev(cmd->dev)->resv;

	lockdep_assert_held(&r->mutex);
	switch (cmd->ci.service_action) {
	case PR_IN_READ_KEYS:
		scst_pr_read_keys(cmd, r);
		break;
	case PR_IN_READ_RESERVATION:
		scst_pr_read_resv(cmd, r);
		break;
	case PR_IN_REPORT_CAPS:
		scst_pr_report_caps(cmd, r);
		break;
	case PR_IN_READ_FULL_STATUS:
		scst_pr_read_full_status(cmd, r);
		break;
	default:
		scst_cmd_set_invalid_field(cmd, true, 1, 4);
		break;
	}
}

static const char *const scst_pr_type_names[] = {
	[SCST_PR_TYPE_WE] = "write_exclusive",
	[SCST_PR_TYPE_EA] = "exclusive_access",
	[SCST_PR_TYPE_WE_RO] = "write_exclusive_registrants_only",
	[SCST_PR_TYPE_EA_RO] = "exclusive_access_registrants_only",
	[SCST_PR_TYPE_WE_AR] = "write_exclusive_all_registrants",
	[SCST_PR_TYPE_EA_AR] = "exclusive_access_all_registrants",
};

/**
 * scst_pr_show() - the reservation state of a device as text
 * @dev: the device
 * @page: where to write
 * @size: its size
 *
 * Lines "generation N", "aptpl 0|1", "type <name>|none",
 * "spc2_holder <initiator port>" (if any), then one line per registration:
 * "registrant <key hex> <initiator port> <rel_tgt_id|all> [holder]";
 * an iSCSI initiator port is "<iqn>,i,0x<ISID>".
 *
 * Return: the length written (truncated to @size).
 */
int scst_pr_show(struct scst_dev *dev, char *page, size_t size)
{
	struct scst_resv *r = &dev->resv;
	struct scst_pr_reg *reg;
	int n;

	mutex_lock(&r->mutex);
	n = scnprintf(page, size, "generation %u\naptpl %d\ntype %s\n",
		      r->generation, r->aptpl,
		      r->type ? scst_pr_type_names[r->type] : "none");
	spin_lock_irq(&r->lock);
	if (r->spc2_holder)
		n += scnprintf(page + n, size - n, "spc2_holder %s\n",
			       r->spc2_holder->port_name);
	spin_unlock_irq(&r->lock);
	list_for_each_entry(reg, &r->regs, entry) {
		char port[8];

		if (reg->all_tg_pt)
			strscpy(port, "all", sizeof(port));
		else
			snprintf(port, sizeof(port), "%u", reg->rel_tgt_id);
		n += scnprintf(page + n, size - n, "registrant 0x%llx %s %s%s\n",
			       reg->key, reg->name, port,
			       scst_pr_is_holder(r, reg) ? " holder" : "");
	}
	mutex_unlock(&r->mutex);
	return n;
}
