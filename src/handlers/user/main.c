// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_user: the character device /dev/scst_user and the handler.
 */
#define pr_fmt(fmt) "scst_user: " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "user.h"

static int su_open(struct inode *inode, struct file *file)
{
	struct su_dev *su;

	su = kzalloc(sizeof(*su), GFP_KERNEL);
	if (!su)
		return -ENOMEM;
	spin_lock_init(&su->lock);
	init_waitqueue_head(&su->wq);
	mutex_init(&su->ioctl_mutex);
	INIT_LIST_HEAD(&su->free);
	INIT_LIST_HEAD(&su->execq);
	INIT_LIST_HEAD(&su->abortq);
	file->private_data = su;
	return nonseekable_open(inode, file);
}

static int su_release(struct inode *inode, struct file *file)
{
	struct su_dev *su = file->private_data;

	if (su->dev)
		su_teardown(su);	/* su is freed by ->free() */
	else
		su_free(su);
	return 0;
}

static long su_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct su_dev *su = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SCST_USER_REGISTER:
		return su_register(su, uarg);
	case SCST_USER_REPLY_AND_GET:
		/* pairs with the smp_store_release() of su->dev */
		if (!smp_load_acquire(&su->dev))
			return -ENODEV;
		return su_reply_and_get(su, uarg);
	case SCST_USER_SET_CAPACITY:
		return su_set_capacity(su, uarg);
	default:
		return -ENOTTY;
	}
}

/* The whole data area, from offset 0, shared: nothing else is accepted. */
static int su_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct su_dev *su = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;

	/* pairs with the smp_store_release() of su->dev */
	if (!smp_load_acquire(&su->dev))
		return -ENODEV;
	if (vma->vm_pgoff || len != su->area_len ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	return remap_vmalloc_range(vma, su->area, 0);
}

static const struct file_operations su_fops = {
	.owner		= THIS_MODULE,
	.open		= su_open,
	.release	= su_release,
	.unlocked_ioctl	= su_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= su_mmap,
};

static struct miscdevice su_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= SU_NAME,
	.fops	= &su_fops,
	.mode	= 0600,
};

static int su_alloc(struct scst_device *dev)
{
	pr_warn("handlers/%s: devices are created by their process through %s, not by mkdir\n",
		SU_NAME, SCST_USER_DEV_PATH);
	return -EPERM;
}

static int su_enable(struct scst_device *dev)
{
	struct su_dev *su = dev->priv;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&su->lock, flags);
	if (su->dead) {
		ret = -ENODEV;
	} else {
		dev->block_shift = ilog2(su->block_size);
		WRITE_ONCE(dev->nr_blocks, su->nr_blocks);
		WRITE_ONCE(dev->no_medium, !su->nr_blocks);
		su->detach = false;
	}
	spin_unlock_irqrestore(&su->lock, flags);
	return ret;
}

/* No command is in flight any more: tell the process. */
static void su_disable(struct scst_device *dev)
{
	struct su_dev *su = dev->priv;
	unsigned long flags;

	spin_lock_irqsave(&su->lock, flags);
	if (!su->dead)
		su->detach = true;
	spin_unlock_irqrestore(&su->lock, flags);
	wake_up(&su->wq);
}

static void su_dev_free(struct scst_device *dev)
{
	su_free(dev->priv);
	module_put(THIS_MODULE);
}

struct scst_dev_handler su_handler = {
	.name		= SU_NAME,
	.owner		= THIS_MODULE,
	.type		= 0,	/* TYPE_DISK: the core decodes CDBs by type */
	.dev_attrs	= su_dev_attrs,
	.alloc		= su_alloc,
	.free		= su_dev_free,
	.enable		= su_enable,
	.disable	= su_disable,
	.exec		= su_exec,
	.abort		= su_abort,
	.reset		= su_reset,
	.alloc_buf	= su_alloc_buf,
	.free_buf	= su_free_buf,
};

static int __init su_init(void)
{
	int ret;

	ret = scst_register_dev_handler(&su_handler);
	if (ret)
		return ret;
	ret = misc_register(&su_misc);
	if (ret)
		scst_unregister_dev_handler(&su_handler);
	return ret;
}

static void __exit su_exit(void)
{
	misc_deregister(&su_misc);
	scst_unregister_dev_handler(&su_handler);
}

module_init(su_init);
module_exit(su_exit);

MODULE_DESCRIPTION("SCST device handlers in user space (/dev/scst_user)");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
