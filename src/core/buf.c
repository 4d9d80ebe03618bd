// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: the data-buffer cache.
 *
 * Buffers are page vectors in size classes of 1, 2, 4, ... pages up to
 * SCST_MAX_IO_BYTES.  Freed buffers go back to a per-CPU free list of
 * their class and are handed out again without touching the page
 * allocator: no allocation per command in steady state.
 *
 * Bound: the cache holds at most buf_cache_max bytes (the root configfs
 * attribute; default 16 MiB per possible CPU, at most 1/16 of the RAM),
 * each CPU at most its share, buf_cache_max / the number of possible
 * CPUs.  A buffer that would exceed the share is freed instead.  A
 * shrinker gives every cached buffer back under memory pressure (and on
 * "echo 2 >/proc/sys/vm/drop_caches").
 *
 * Locking: each CPU's lists and counters are under its own spinlock.
 * The CPU takes it for itself (uncontended: no cache line bounces in
 * steady state); the shrinker and a lower buf_cache_max take it for
 * every CPU in turn, to drain the lists from afar.  Buffers are freed
 * outside the lock.
 *
 * Invariant: the first cmd->data_len bytes of a buffer handed out never
 * hold data of an earlier command (of another initiator, perhaps) that
 * could be returned to this one.  New pages come zeroed (__GFP_ZERO).  A
 * recycled buffer is zeroed (its data_len bytes only) when the command
 * returns data that its handler may not overwrite entirely: every
 * data-in command except block READs (SCST_CDB_BLOCKIO), where the
 * handler fills all it returns (vdisk reads the whole range or fails;
 * pass-through returns only what the device transferred).  Handlers set
 * cmd->resp_len to the bytes they wrote (scst_cmd_copy_to_buf() does),
 * and the target drivers never send more than resp_len.  Data-out and
 * block READ buffers are not zeroed: their bytes are overwritten in full
 * by the transfer or the read before anything is returned.
 *
 * Shared pages: a target driver may hand a buffer's pages to the network
 * stack by reference (zero-copy send, scst_cmd_buf_lend()); an skb
 * then holds a page reference of its own, possibly after the command is
 * finished (until TCP has the data acknowledged, or the receiver on
 * loopback has read it).  A page is reused only while the buffer holds
 * its only reference: when a buffer is freed, a page with more references
 * is given up (put_page(): whoever holds it frees it) and the buffer gets
 * a new zeroed page when it is handed out again.  A cached buffer with
 * such a hole still counts its full size against buf_cache_max (the
 * bound errs on the safe side).
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "scst_priv.h"

#define SCST_BUF_CLASSES	(ilog2(SCST_MAX_IO_BYTES >> PAGE_SHIFT) + 1)
/* Default buf_cache_max per possible CPU: 16 MiB. */
#define SCST_BUF_CPU_DEFAULT	(16ULL << 20)

struct scst_buf {
	struct list_head	entry;
	unsigned int		cls;		/* 1 << cls pages */
	struct scatterlist	*sg;
	struct page		*pages[];
};

struct scst_buf_cpu {
	spinlock_t		lock;
	struct list_head	free[SCST_BUF_CLASSES];
	unsigned long		pages;
	u64			hits;
	u64			misses;
};

static DEFINE_PER_CPU(struct scst_buf_cpu, scst_buf_cpu);

static DEFINE_MUTEX(scst_buf_max_mutex);	/* serialises buf_cache_max writes */
static u64 scst_buf_max_bytes;		/* buf_cache_max */
static unsigned long scst_buf_cpu_pages;	/* each CPU's share, in pages */
static struct shrinker *scst_buf_shrinker;

static void scst_buf_destroy(struct scst_buf *buf)
{
	unsigned int i;

	for (i = 0; i < (1U << buf->cls); i++)
		if (buf->pages[i])
			put_page(buf->pages[i]);
	kfree(buf->sg);
	kfree(buf);
}

/* Give up the pages someone else still holds (see "Shared pages"). */
static void scst_buf_unshare(struct scst_buf *buf)
{
	unsigned int i;

	for (i = 0; i < (1U << buf->cls); i++) {
		if (page_ref_count(buf->pages[i]) == 1)
			continue;
		put_page(buf->pages[i]);
		buf->pages[i] = NULL;
	}
}

/* New zeroed pages where scst_buf_unshare() gave some up. */
static int scst_buf_refill(struct scst_buf *buf, gfp_t gfp)
{
	unsigned int i;

	for (i = 0; i < (1U << buf->cls); i++) {
		if (buf->pages[i])
			continue;
		buf->pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!buf->pages[i])
			return -ENOMEM;
	}
	return 0;
}

static struct scst_buf *scst_buf_create(unsigned int cls, gfp_t gfp)
{
	unsigned int i, n = 1U << cls;
	struct scst_buf *buf;

	buf = kzalloc(struct_size(buf, pages, n), gfp);
	if (!buf)
		return NULL;
	buf->cls = cls;
	buf->sg = kmalloc_array(n, sizeof(*buf->sg), gfp);
	if (!buf->sg)
		goto free;
	for (i = 0; i < n; i++) {
		buf->pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!buf->pages[i])
			goto free;
	}
	return buf;
free:
	while (i--)
		__free_page(buf->pages[i]);
	kfree(buf->sg);
	kfree(buf);
	return NULL;
}

/* @*hit: the buffer was recycled (it holds an earlier command's data) */
static struct scst_buf *scst_buf_get(unsigned int cls, gfp_t gfp, bool *hit)
{
	struct scst_buf_cpu *pc;
	struct scst_buf *buf = NULL;
	unsigned long flags;

	/* Another CPU's list, should this task move: harmless. */
	pc = raw_cpu_ptr(&scst_buf_cpu);
	spin_lock_irqsave(&pc->lock, flags);
	if (!list_empty(&pc->free[cls])) {
		buf = list_first_entry(&pc->free[cls], struct scst_buf, entry);
		list_del(&buf->entry);
		WRITE_ONCE(pc->pages, pc->pages - (1U << cls));
		pc->hits++;
	} else {
		pc->misses++;
	}
	spin_unlock_irqrestore(&pc->lock, flags);
	if (buf && scst_buf_refill(buf, gfp)) {
		scst_buf_destroy(buf);
		return NULL;
	}
	*hit = buf != NULL;
	return buf ? buf : scst_buf_create(cls, gfp);
}

/* Whether the handler may return fewer bytes than it writes: zero first. */
static bool scst_buf_needs_zero(const struct scst_cmd *cmd)
{
	if (cmd->dir != SCST_DIR_READ && cmd->dir != SCST_DIR_BIDI)
		return false;
	return !(cmd->ci.flags & SCST_CDB_BLOCKIO);
}

/**
 * scst_buf_alloc() - give a command a data buffer of cmd->data_len bytes
 * @cmd: the command, its direction and cmd->ci decoded
 * @gfp: allocation flags for a cache miss
 *
 * The buffer holds no earlier command's data where this one could return
 * it (see the invariant at the top of this file).
 *
 * Return: 0 or -ENOMEM.
 */
int scst_buf_alloc(struct scst_cmd *cmd, gfp_t gfp)
{
	unsigned int i, n = DIV_ROUND_UP(cmd->data_len, PAGE_SIZE);
	unsigned int left = cmd->data_len;
	struct scst_buf *buf;
	bool hit;

	buf = scst_buf_get(order_base_2(n), gfp | __GFP_NOWARN, &hit);
	if (!buf)
		return -ENOMEM;
	sg_init_table(buf->sg, n);
	for (i = 0; i < n; i++) {
		unsigned int len = min_t(unsigned int, left, PAGE_SIZE);

		sg_set_page(&buf->sg[i], buf->pages[i], len, 0);
		left -= len;
	}
	if (hit && scst_buf_needs_zero(cmd))
		sg_zero_buffer(buf->sg, n, cmd->data_len, 0);
	cmd->buf = buf;
	cmd->sg = buf->sg;
	cmd->sg_cnt = n;
	cmd->buf_len = cmd->data_len;
	set_bit(SCST_CMD_CORE_BUF, &cmd->flags);
	return 0;
}

/**
 * scst_buf_free() - return a command's buffer to the cache
 * @cmd: the command
 */
void scst_buf_free(struct scst_cmd *cmd)
{
	struct scst_buf *buf = cmd->buf;
	struct scst_buf_cpu *pc;
	unsigned long flags;
	bool cached = false;

	if (test_and_clear_bit(SCST_CMD_BUF_LENT, &cmd->flags))
		scst_buf_unshare(buf);
	pc = raw_cpu_ptr(&scst_buf_cpu);
	spin_lock_irqsave(&pc->lock, flags);
	if (pc->pages + (1U << buf->cls) <= READ_ONCE(scst_buf_cpu_pages)) {
		list_add(&buf->entry, &pc->free[buf->cls]);
		WRITE_ONCE(pc->pages, pc->pages + (1U << buf->cls));
		cached = true;
	}
	spin_unlock_irqrestore(&pc->lock, flags);
	if (!cached)
		scst_buf_destroy(buf);
	cmd->buf = NULL;
	cmd->sg = NULL;
	clear_bit(SCST_CMD_CORE_BUF, &cmd->flags);
}

/**
 * scst_buf_stats() - cache hits and misses since the module was loaded
 * @hits: allocations served from the cache
 * @misses: allocations that went to the page allocator
 */
void scst_buf_stats(u64 *hits, u64 *misses)
{
	int cpu;

	*hits = 0;
	*misses = 0;
	for_each_possible_cpu(cpu) {
		struct scst_buf_cpu *pc = per_cpu_ptr(&scst_buf_cpu, cpu);

		*hits += READ_ONCE(pc->hits);
		*misses += READ_ONCE(pc->misses);
	}
}

/*
 * Take buffers off one CPU's lists, the largest first, until it keeps
 * at most @keep pages or @goal pages are freed; free them.  Return the
 * pages freed.
 */
static unsigned long scst_buf_drain_cpu(struct scst_buf_cpu *pc,
					unsigned long keep, unsigned long goal)
{
	struct scst_buf *buf, *tmp;
	unsigned long flags, freed = 0;
	LIST_HEAD(victims);
	int i;

	spin_lock_irqsave(&pc->lock, flags);
	for (i = SCST_BUF_CLASSES - 1; i >= 0; i--) {
		while (pc->pages > keep && freed < goal &&
		       !list_empty(&pc->free[i])) {
			buf = list_first_entry(&pc->free[i], struct scst_buf,
					       entry);
			list_move(&buf->entry, &victims);
			WRITE_ONCE(pc->pages, pc->pages - (1U << i));
			freed += 1U << i;
		}
	}
	spin_unlock_irqrestore(&pc->lock, flags);
	list_for_each_entry_safe(buf, tmp, &victims, entry)
		scst_buf_destroy(buf);
	return freed;
}

/* Drain every CPU down to @keep pages, or until @goal pages are freed. */
static unsigned long scst_buf_drain(unsigned long keep, unsigned long goal)
{
	unsigned long freed = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		if (freed >= goal)
			break;
		freed += scst_buf_drain_cpu(per_cpu_ptr(&scst_buf_cpu, cpu),
					    keep, goal - freed);
	}
	return freed;
}

static unsigned long scst_buf_cached_pages(void)
{
	unsigned long pages = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		pages += READ_ONCE(per_cpu_ptr(&scst_buf_cpu, cpu)->pages);
	return pages;
}

/**
 * scst_buf_cached_bytes() - bytes of data buffers cached now
 *
 * Return: the sum over the CPUs (each read without its lock).
 */
u64 scst_buf_cached_bytes(void)
{
	return (u64)scst_buf_cached_pages() << PAGE_SHIFT;
}

/**
 * scst_buf_cache_max() - the bound of the cache (buf_cache_max)
 *
 * Return: bytes.
 */
u64 scst_buf_cache_max(void)
{
	return READ_ONCE(scst_buf_max_bytes);
}

/* The largest buf_cache_max accepted: half of the RAM. */
u64 scst_buf_cache_limit(void)
{
	return ((u64)totalram_pages() << PAGE_SHIFT) / 2;
}

/**
 * scst_buf_set_cache_max() - bound the cache, trimming it at once
 * @bytes: the new bound; 0 caches nothing
 *
 * Return: 0, or -ERANGE above scst_buf_cache_limit().
 */
int scst_buf_set_cache_max(u64 bytes)
{
	unsigned long share;

	if (bytes > scst_buf_cache_limit())
		return -ERANGE;
	share = (bytes >> PAGE_SHIFT) / num_possible_cpus();
	mutex_lock(&scst_buf_max_mutex);
	WRITE_ONCE(scst_buf_max_bytes, bytes);
	WRITE_ONCE(scst_buf_cpu_pages, share);
	/*
	 * A free reads the share under its CPU's lock: one that took the
	 * lock before the drain does is trimmed by it, one that takes it
	 * after reads the new share.
	 */
	scst_buf_drain(share, ULONG_MAX);
	mutex_unlock(&scst_buf_max_mutex);
	return 0;
}

static unsigned long scst_buf_shrink_count(struct shrinker *s,
					   struct shrink_control *sc)
{
	return scst_buf_cached_pages();
}

static unsigned long scst_buf_shrink_scan(struct shrinker *s,
					  struct shrink_control *sc)
{
	unsigned long freed = scst_buf_drain(0, sc->nr_to_scan);

	return freed ? freed : SHRINK_STOP;
}

int scst_buf_init(void)
{
	u64 max = SCST_BUF_CPU_DEFAULT * num_possible_cpus();
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct scst_buf_cpu *pc = per_cpu_ptr(&scst_buf_cpu, cpu);

		spin_lock_init(&pc->lock);
		for (i = 0; i < SCST_BUF_CLASSES; i++)
			INIT_LIST_HEAD(&pc->free[i]);
	}
	max = min(max, ((u64)totalram_pages() << PAGE_SHIFT) / 16);
	scst_buf_set_cache_max(max);
	scst_buf_shrinker = scst_shrinker_create("scst-buf",
						 scst_buf_shrink_count,
						 scst_buf_shrink_scan);
	return scst_buf_shrinker ? 0 : -ENOMEM;
}

void scst_buf_exit(void)
{
	if (scst_buf_shrinker) {
		scst_shrinker_destroy(scst_buf_shrinker);
		scst_buf_shrinker = NULL;
	}
	scst_buf_drain(0, ULONG_MAX);
}
