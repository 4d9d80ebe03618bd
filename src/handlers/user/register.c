// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: SCST_USER_REGISTER, SCST_USER_SET_CAPACITY and the end of a
 * device when its file is closed.
 */
#define pr_fmt(fmt) "scst_user: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "user.h"

static int su_bad(const char *field, const char *why)
{
	pr_warn_ratelimited("register (pid %d): %s: %s\n",
			    task_tgid_nr(current), field, why);
	return -EINVAL;
}

static bool su_name_ok(const char *name)
{
	const char *p;

	if (!*name)
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && !strchr("._:-", *p))
			return false;
	return true;
}

/* Every field of the request; one log line names the first bad one. */
static int su_check(const struct scst_user_register *r)
{
	if (r->abi_version != SCST_USER_ABI_VERSION) {
		pr_warn_ratelimited("register (pid %d): abi_version %u, module speaks %u\n",
				    task_tgid_nr(current), r->abi_version,
				    SCST_USER_ABI_VERSION);
		return -EPROTO;
	}
	if (r->type != 0)
		return su_bad("type", "only 0 (direct access block device) is supported");
	if (r->flags & ~SCST_USER_REG_REMOVABLE)
		return su_bad("flags", "unknown bits");
	if (r->pad0[0] || r->pad0[1] || r->pad0[2] || r->pad1)
		return su_bad("pad0/pad1", "must be 0");
	if (!is_power_of_2(r->block_size) || r->block_size < 512 ||
	    r->block_size > 4096)
		return su_bad("block_size", "must be a power of two, 512 to 4096");
	if (r->nr_blocks > (U64_MAX >> 12))
		return su_bad("nr_blocks", "too large");
	if (!r->queue_depth || r->queue_depth > SU_MAX_QUEUE_DEPTH)
		return su_bad("queue_depth", "must be 1 to 1024");
	if (!r->slot_size || r->slot_size % PAGE_SIZE ||
	    r->slot_size > SU_MAX_SLOT_SIZE)
		return su_bad("slot_size",
			      "must be a multiple of the page size, at most 8 MiB");
	if ((u64)r->queue_depth * r->slot_size > SU_MAX_AREA)
		return su_bad("queue_depth*slot_size", "data area over 1 GiB");
	if (!memchr(r->name, 0, sizeof(r->name)))
		return su_bad("name", "not NUL-terminated within 64 bytes");
	if (!su_name_ok(r->name))
		return su_bad("name", "empty or not letters, digits, . _ : -");
	return 0;
}

static int su_alloc_area(struct su_dev *su, const struct scst_user_register *r)
{
	u32 i;

	su->nr_slots = r->queue_depth;
	su->slot_size = r->slot_size;
	su->block_size = r->block_size;
	su->nr_blocks = r->nr_blocks;
	su->area_len = (u64)r->queue_depth * r->slot_size;
	su->slots = kvcalloc(su->nr_slots, sizeof(*su->slots), GFP_KERNEL);
	if (!su->slots)
		return -ENOMEM;
	su->area = vmalloc_user(su->area_len);
	if (!su->area) {
		kvfree(su->slots);
		su->slots = NULL;
		return -ENOMEM;
	}
	if (su_build_sg(su)) {
		vfree(su->area);
		su->area = NULL;
		kvfree(su->slots);
		su->slots = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < su->nr_slots; i++) {
		su->slots[i].idx = i;
		INIT_LIST_HEAD(&su->slots[i].abort_entry);
		list_add_tail(&su->slots[i].entry, &su->free);
	}
	return 0;
}

/**
 * su_register() - SCST_USER_REGISTER
 * @su: the file's state
 * @arg: struct scst_user_register in user space
 *
 * Return: 0; -EPROTO for another ABI version; -EINVAL for a bad field
 * (logged); -EBUSY when this file registered already; -EEXIST when a
 * device of that name exists.
 */
long su_register(struct su_dev *su, void __user *arg)
{
	struct scst_user_register r;
	struct scst_device *dev;
	int ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	ret = su_check(&r);
	if (ret)
		return ret;

	mutex_lock(&su->ioctl_mutex);
	if (su->dev) {
		ret = -EBUSY;
		goto unlock;
	}
	ret = su_alloc_area(su, &r);
	if (ret)
		goto unlock;
	su->pid = task_tgid_nr(current);

	r.mmap_len = su->area_len;
	r.nr_slots = su->nr_slots;
	if (copy_to_user(arg, &r, sizeof(r))) {
		ret = -EFAULT;
		goto free_area;
	}
	/* ->free() of the device drops it */
	__module_get(THIS_MODULE);
	dev = scst_dev_register(&su_handler, r.name, su);
	if (IS_ERR(dev)) {
		module_put(THIS_MODULE);
		ret = PTR_ERR(dev);
		if (ret == -EEXIST)
			pr_warn_ratelimited("register (pid %d): name: device %s exists\n",
					    su->pid, r.name);
		goto free_area;
	}
	/* the area and slots are set up before ioctl/mmap see su->dev */
	smp_store_release(&su->dev, dev);
	mutex_unlock(&su->ioctl_mutex);
	pr_info("device %s registered by pid %d (%u x %u bytes)\n",
		r.name, su->pid, su->nr_slots, su->slot_size);
	return 0;

free_area:
	vfree(su->area);
	su->area = NULL;
	kvfree(su->sgs);
	su->sgs = NULL;
	kvfree(su->slots);
	su->slots = NULL;
	INIT_LIST_HEAD(&su->free);
unlock:
	mutex_unlock(&su->ioctl_mutex);
	return ret;
}

/**
 * su_set_capacity() - SCST_USER_SET_CAPACITY
 * @su: the file's state
 * @arg: the new capacity in blocks (__u64) in user space
 *
 * Every nexus that sees the device gets CAPACITY DATA HAS CHANGED.
 *
 * Return: 0, -ENODEV before SCST_USER_REGISTER, -EINVAL when too large.
 */
long su_set_capacity(struct su_dev *su, void __user *arg)
{
	unsigned long flags;
	u64 nr;
	int ret = 0;

	if (copy_from_user(&nr, arg, sizeof(nr)))
		return -EFAULT;
	if (nr > (U64_MAX >> 12))
		return -EINVAL;
	mutex_lock(&su->ioctl_mutex);
	if (!su->dev) {
		ret = -ENODEV;
		goto unlock;
	}
	spin_lock_irqsave(&su->lock, flags);
	su->nr_blocks = nr;
	spin_unlock_irqrestore(&su->lock, flags);
	if (scst_dev_enabled(su->dev)) {
		WRITE_ONCE(su->dev->nr_blocks, nr);
		WRITE_ONCE(su->dev->no_medium, !nr);
		scst_dev_capacity_changed(su->dev);
	}
unlock:
	mutex_unlock(&su->ioctl_mutex);
	return ret;
}

/**
 * su_teardown() - the file of a registered device is closed
 * @su: its state; freed by ->free(), maybe before this returns
 *
 * Fails every command the device holds with LOGICAL UNIT COMMUNICATION
 * FAILURE; commands that reach ->exec() later fail the same way.  Then
 * the core unmaps the LUNs, disables and removes the device.
 */
void su_teardown(struct su_dev *su)
{
	struct scst_device *dev = su->dev;
	unsigned long flags;

	spin_lock_irqsave(&su->lock, flags);
	su->dead = true;
	spin_unlock_irqrestore(&su->lock, flags);
	/* ->exec() calls copying into the area finish first */
	wait_event(su->wq, !READ_ONCE(su->filling));

	su_fail_all(su);
	pr_info("device %s: process %d gone, removing it\n",
		scst_dev_name(dev), su->pid);
	scst_dev_unregister(dev);
}

/* The last user of @su is gone. */
void su_free(struct su_dev *su)
{
	vfree(su->area);
	kvfree(su->sgs);
	kvfree(su->slots);
	kfree(su);
}
