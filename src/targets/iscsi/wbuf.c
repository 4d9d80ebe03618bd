// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: WRITE data buffers.
 *
 * A WRITE command's data (immediate, unsolicited and solicited) is
 * received straight from the socket into a page vector of the command,
 * which the core then uses as the command's buffer (the driver's buffer,
 * scst_cmd_set_tgt_sg()): one copy per byte, the socket's.  The pages
 * come from a small per-connection pool, so that in steady state a
 * command allocates no page; the scatterlist of a command of up to
 * ISCSI_WSG_INLINE pages is part of the command.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "iscsi.h"

/* Pages a connection keeps for later commands (2 MiB with 4 KiB pages). */
#define ISCSI_POOL_PAGES	512

/**
 * iscsi_wbuf_alloc() - give a command a buffer for @len bytes of WRITE data
 * @conn: the connection
 * @cmd: the command (cmd->wsg is NULL)
 * @len: the Expected Data Transfer Length, > 0
 *
 * On failure the pages already taken stay with the command:
 * iscsi_wbuf_free() gives them back.
 *
 * Context: the rx thread.
 * Return: 0 or -ENOMEM.
 */
int iscsi_wbuf_alloc(struct iscsi_conn *conn, struct iscsi_cmd *cmd, u32 len)
{
	unsigned int i = 0, n = DIV_ROUND_UP(len, PAGE_SIZE);
	struct scatterlist *sg = cmd->wsg_inline;
	unsigned long flags;
	struct page *page;

	if (n > ARRAY_SIZE(cmd->wsg_inline)) {
		sg = kvmalloc_array(n, sizeof(*sg), GFP_KERNEL);
		if (!sg)
			return -ENOMEM;
	}
	sg_init_table(sg, n);
	cmd->wsg = sg;
	spin_lock_irqsave(&conn->lock, flags);
	for (; i < n && conn->pool_n; i++) {
		page = list_first_entry(&conn->pool, struct page, lru);
		list_del(&page->lru);
		conn->pool_n--;
		sg_set_page(&sg[i], page, min_t(u32, len, PAGE_SIZE), 0);
		len -= sg[i].length;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	cmd->wsg_cnt = i;
	for (; i < n; i++) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		sg_set_page(&sg[i], page, min_t(u32, len, PAGE_SIZE), 0);
		len -= sg[i].length;
		cmd->wsg_cnt = i + 1;
	}
	return 0;
}

/**
 * iscsi_wbuf_free() - the command's WRITE buffer back to the pool
 * @conn: the connection
 * @cmd: the command; the core no longer uses its buffer
 *
 * Context: process context.
 */
void iscsi_wbuf_free(struct iscsi_conn *conn, struct iscsi_cmd *cmd)
{
	struct page *page, *tmp;
	unsigned long flags;
	unsigned int i;
	LIST_HEAD(extra);

	if (!cmd->wsg)
		return;
	spin_lock_irqsave(&conn->lock, flags);
	for (i = 0; i < cmd->wsg_cnt; i++) {
		page = sg_page(&cmd->wsg[i]);
		if (conn->pool_n < ISCSI_POOL_PAGES) {
			list_add(&page->lru, &conn->pool);
			conn->pool_n++;
		} else {
			list_add(&page->lru, &extra);
		}
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	list_for_each_entry_safe(page, tmp, &extra, lru)
		__free_page(page);
	if (cmd->wsg != cmd->wsg_inline)
		kvfree(cmd->wsg);
	cmd->wsg = NULL;
	cmd->wsg_cnt = 0;
}

/**
 * iscsi_wbuf_pool_drain() - free the pages a connection keeps
 * @conn: the connection; it has no command any more
 */
void iscsi_wbuf_pool_drain(struct iscsi_conn *conn)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &conn->pool, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	conn->pool_n = 0;
}
