// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: UNIT ATTENTION conditions, kept per I_T_L nexus.
 *
 * The two conditions that concern every LUN of a session at once (power
 * on / reset, and reported LUNs data has changed) are bitmaps indexed by
 * LUN, so that a session start or a LUN-set change costs no allocation
 * per LUN.  Every other condition is an entry on the session's list.
 * All of it is under sess->lock; sess->ua_pending lets the I/O path skip
 * the lock when nothing is pending.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/bitmap.h>
#include <linux/slab.h>

#include "scst_priv.h"

struct scst_ua {
	struct list_head	entry;
	u16			lun;
	u8			key;
	u8			asc;
	u8			ascq;
};

/* Max. conditions queued per session; SAM lets us drop the excess. */
#define SCST_UA_LIST_MAX	256

int scst_ua_init_sess(struct scst_session *sess)
{
	sess->ua_reset = bitmap_alloc(SCST_UA_LUN_BITS, GFP_KERNEL);
	sess->ua_luns_changed = bitmap_zalloc(SCST_UA_LUN_BITS, GFP_KERNEL);
	if (!sess->ua_reset || !sess->ua_luns_changed) {
		bitmap_free(sess->ua_reset);
		bitmap_free(sess->ua_luns_changed);
		return -ENOMEM;
	}
	/* A new I_T nexus sees POWER ON, RESET, OR BUS DEVICE RESET first. */
	bitmap_fill(sess->ua_reset, SCST_UA_LUN_BITS);
	INIT_LIST_HEAD(&sess->ua_list);
	sess->ua_pending = true;
	return 0;
}

void scst_ua_free_sess(struct scst_session *sess)
{
	struct scst_ua *ua, *tmp;

	list_for_each_entry_safe(ua, tmp, &sess->ua_list, entry)
		kfree(ua);
	bitmap_free(sess->ua_reset);
	bitmap_free(sess->ua_luns_changed);
}

/* REPORTED LUNS DATA HAS CHANGED for every LUN of @sess. */
void scst_ua_luns_changed(struct scst_session *sess)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	bitmap_fill(sess->ua_luns_changed, SCST_UA_LUN_BITS);
	WRITE_ONCE(sess->ua_pending, true);
	spin_unlock_irqrestore(&sess->lock, flags);
}

/* scst_ua_add() for a caller that holds sess->lock */
int scst_ua_add_locked(struct scst_session *sess, u16 lun, u8 key, u8 asc,
		       u8 ascq)
{
	struct scst_ua *ua;
	unsigned int n = 0;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry(ua, &sess->ua_list, entry) {
		if (ua->lun == lun && ua->asc == asc && ua->ascq == ascq)
			return 0;
		n++;
	}
	if (n >= SCST_UA_LIST_MAX)
		return -ENOSPC;
	ua = kmalloc(sizeof(*ua), GFP_ATOMIC);
	if (!ua)
		return -ENOMEM;
	ua->lun = lun;
	ua->key = key;
	ua->asc = asc;
	ua->ascq = ascq;
	list_add_tail(&ua->entry, &sess->ua_list);
	WRITE_ONCE(sess->ua_pending, true);
	return 0;
}

/**
 * scst_ua_add() - establish a UNIT ATTENTION condition on one I_T_L nexus
 * @sess: the I_T nexus
 * @lun: the LUN
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Return: 0, or -ENOMEM/-ENOSPC when the condition was dropped.
 */
int scst_ua_add(struct scst_session *sess, u16 lun, u8 key, u8 asc, u8 ascq)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&sess->lock, flags);
	ret = scst_ua_add_locked(sess, lun, key, asc, ascq);
	spin_unlock_irqrestore(&sess->lock, flags);
	return ret;
}

static void scst_ua_update_pending(struct scst_session *sess)
{
	lockdep_assert_held(&sess->lock);
	if (list_empty(&sess->ua_list) &&
	    bitmap_empty(sess->ua_reset, SCST_UA_LUN_BITS) &&
	    bitmap_empty(sess->ua_luns_changed, SCST_UA_LUN_BITS))
		WRITE_ONCE(sess->ua_pending, false);
}

static bool scst_ua_take_list(struct scst_session *sess, u16 lun, u8 *key,
			      u8 *asc, u8 *ascq)
{
	struct scst_ua *ua;

	list_for_each_entry(ua, &sess->ua_list, entry) {
		if (ua->lun != lun)
			continue;
		*key = ua->key;
		*asc = ua->asc;
		*ascq = ua->ascq;
		list_del(&ua->entry);
		kfree(ua);
		return true;
	}
	return false;
}

/**
 * scst_ua_take() - report and clear the next UNIT ATTENTION of a nexus
 * @sess: the I_T nexus
 * @lun: the LUN
 * @key: sense key of the condition
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Power-on/reset comes first, then the queued conditions in the order
 * they were established, then reported-LUNs-data-has-changed.
 *
 * Return: true when a condition was taken.
 */
bool scst_ua_take(struct scst_session *sess, u16 lun, u8 *key, u8 *asc,
		  u8 *ascq)
{
	unsigned long flags;
	bool found = true;

	if (!READ_ONCE(sess->ua_pending))
		return false;

	spin_lock_irqsave(&sess->lock, flags);
	*key = SCST_KEY_UNIT_ATTENTION;
	if (test_and_clear_bit(lun, sess->ua_reset)) {
		*asc = 0x29;
		*ascq = 0x00;
		/* A reset supersedes what was queued before it. */
		clear_bit(lun, sess->ua_luns_changed);
	} else if (scst_ua_take_list(sess, lun, key, asc, ascq)) {
		;
	} else if (test_and_clear_bit(lun, sess->ua_luns_changed)) {
		*asc = 0x3f;
		*ascq = 0x0e;
	} else {
		found = false;
	}
	if (found)
		scst_ua_update_pending(sess);
	spin_unlock_irqrestore(&sess->lock, flags);
	return found;
}

/**
 * scst_ua_peek() - the UNIT ATTENTION scst_ua_take() would report next
 * @sess: the I_T nexus
 * @lun: the LUN
 * @key: sense key of the condition
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Leaves the condition pending (QUERY ASYNCHRONOUS EVENT).
 *
 * Return: true when a condition is pending.
 */
bool scst_ua_peek(struct scst_session *sess, u16 lun, u8 *key, u8 *asc,
		  u8 *ascq)
{
	unsigned long flags;
	struct scst_ua *ua;
	bool found = true;

	if (!READ_ONCE(sess->ua_pending) || lun >= SCST_UA_LUN_BITS)
		return false;

	spin_lock_irqsave(&sess->lock, flags);
	*key = SCST_KEY_UNIT_ATTENTION;
	if (test_bit(lun, sess->ua_reset)) {
		*asc = 0x29;
		*ascq = 0x00;
		goto unlock;
	}
	list_for_each_entry(ua, &sess->ua_list, entry) {
		if (ua->lun == lun) {
			*key = ua->key;
			*asc = ua->asc;
			*ascq = ua->ascq;
			goto unlock;
		}
	}
	if (test_bit(lun, sess->ua_luns_changed)) {
		*asc = 0x3f;
		*ascq = 0x0e;
	} else {
		found = false;
	}
unlock:
	spin_unlock_irqrestore(&sess->lock, flags);
	return found;
}

/* REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED on the nexus. */
void scst_ua_clear_luns_changed(struct scst_session *sess)
{
	unsigned long flags;

	if (!READ_ONCE(sess->ua_pending))
		return;
	spin_lock_irqsave(&sess->lock, flags);
	bitmap_zero(sess->ua_luns_changed, SCST_UA_LUN_BITS);
	scst_ua_update_pending(sess);
	spin_unlock_irqrestore(&sess->lock, flags);
}

/* A reset of @lun on @sess: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED. */
void scst_ua_reset(struct scst_session *sess, u16 lun, u8 ascq)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	if (ascq == 0x00) {
		set_bit(lun, sess->ua_reset);
		WRITE_ONCE(sess->ua_pending, true);
	} else {
		scst_ua_add_locked(sess, lun, SCST_KEY_UNIT_ATTENTION, 0x29,
				   ascq);
	}
	spin_unlock_irqrestore(&sess->lock, flags);
}

struct scst_ua_dev_event {
	struct scst_session	*except;
	u8			key;
	u8			asc;
	u8			ascq;
};

static void scst_ua_dev_one(struct scst_session *sess, u16 lun, void *data)
{
	struct scst_ua_dev_event *ev = data;

	if (sess != ev->except)
		scst_ua_add(sess, lun, ev->key, ev->asc, ev->ascq);
}

/**
 * scst_ua_dev_all() - a condition for every I_T_L nexus that reaches @dev
 * @dev: the device
 * @except: a session to leave out (the one that caused it), or NULL
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Context: any context but hard irq; takes no mutex.
 */
void scst_ua_dev_all(struct scst_dev *dev, struct scst_session *except,
		     u8 key, u8 asc, u8 ascq)
{
	struct scst_ua_dev_event ev = {
		.except = except, .key = key, .asc = asc, .ascq = ascq,
	};

	scst_for_each_dev_nexus(dev, scst_ua_dev_one, &ev);
}
