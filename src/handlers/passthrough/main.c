// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_passthrough.ko: one handler per SCSI device type; a device is a
 * local SCSI device named by its address, handlers/dev_disk/H:C:I:L.
 *
 * The local upper driver (sd, st, sr, ...) stays attached.  Exported I/O
 * and local I/O to the same device are not coordinated: the target does
 * not see what local users do and the other way round, as with any two
 * hosts sharing a disk.  Detaching the upper driver is the
 * administrator's choice (echo H:C:I:L > /sys/bus/scsi/drivers/sd/unbind),
 * made outside SCST: forcing it from here would break whatever has the
 * local device open or mounted, and refusing `enable` while it is open
 * would need the upper driver's private open count.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <scsi/scsi_host.h>

#include "pt.h"

struct workqueue_struct *pt_wq;

/* "H:C:I:L", decimal numbers without sign or spaces */
static int pt_parse_hctl(const char *name, unsigned int *h, unsigned int *c,
			 unsigned int *i, u64 *l)
{
	unsigned int colons = 0;
	const char *p;
	int n = 0;

	for (p = name; *p; p++) {
		if (*p == ':') {
			if (p == name || p[-1] == ':' || !p[1])
				return -EINVAL;
			colons++;
		} else if (!isdigit(*p)) {
			return -EINVAL;
		}
	}
	if (colons != 3 ||
	    sscanf(name, "%u:%u:%u:%llu%n", h, c, i, l, &n) != 4 ||
	    name[n])
		return -EINVAL;
	return 0;
}

static struct scsi_device *pt_lookup(const char *name, int *err)
{
	struct Scsi_Host *shost;
	struct scsi_device *sdev;
	unsigned int h, c, i;
	u64 l;

	*err = pt_parse_hctl(name, &h, &c, &i, &l);
	if (*err)
		return NULL;
	*err = -ENODEV;
	shost = scsi_host_lookup(h);
	if (!shost)
		return NULL;
	sdev = scsi_device_lookup(shost, c, i, l);
	scsi_host_put(shost);
	if (sdev)
		*err = 0;
	return sdev;
}

static int pt_alloc(struct scst_device *dev)
{
	const char *name = scst_dev_name(dev);
	const char *hname = dev->handler->name;
	struct scsi_device *sdev;
	struct pt_dev *pd;
	int ret;

	sdev = pt_lookup(name, &ret);
	if (ret == -EINVAL) {
		pr_warn("handlers/%s/%s: name must be H:C:I:L of a local SCSI device\n",
			hname, name);
		return ret;
	}
	if (!sdev) {
		pr_warn("handlers/%s/%s: no such SCSI device\n", hname, name);
		return -ENODEV;
	}
	if (sdev->type != dev->handler->type) {
		pr_warn("handlers/%s/%s: device type is %u, handler type %u\n",
			hname, name, sdev->type, dev->handler->type);
		scsi_device_put(sdev);
		return -EINVAL;
	}
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd) {
		scsi_device_put(sdev);
		return -ENOMEM;
	}
	pd->dev = dev;
	pd->sdev = sdev;
	INIT_WORK(&pd->cap_work, pt_cap_work);
	spin_lock_init(&pd->lock);
	dev->priv = pd;
	return 0;
}

static void pt_free(struct scst_device *dev)
{
	struct pt_dev *pd = to_pt(dev);

	if (!pd)
		return;
	dev->priv = NULL;
	scsi_device_put(pd->sdev);
	kfree(pd);
}

/* called by the core with the device mutex held */
static int pt_enable(struct scst_device *dev)
{
	struct pt_dev *pd = to_pt(dev);

	if (!scsi_device_online(pd->sdev)) {
		pr_warn("handlers/%s/%s: enable: SCSI device is offline\n",
			dev->handler->name, scst_dev_name(dev));
		return -ENODEV;
	}
	dev->d_sense = false;
	dev->read_only = false;
	dev->block_shift = dev->handler->type == TYPE_ROM ? 11 : 9;
	dev->nr_blocks = 0;
	/* Best effort: a device without medium reports it on each command. */
	pt_read_capacity(pd);
	return 0;
}

static void pt_disable(struct scst_device *dev)
{
	cancel_work_sync(&to_pt(dev)->cap_work);
}

#define PT_HANDLER(_name, _type)					\
	{								\
		.name		= _name,				\
		.owner		= THIS_MODULE,				\
		.type		= _type,				\
		.flags		= SCST_HANDLER_EXEC_SLEEPS |		\
				  SCST_HANDLER_PASSTHROUGH,		\
		.dev_attrs	= pt_dev_attrs,				\
		.alloc		= pt_alloc,				\
		.free		= pt_free,				\
		.enable		= pt_enable,				\
		.disable	= pt_disable,				\
		.exec		= pt_exec,				\
		.exec_nowait	= pt_exec_nowait,			\
		.abort		= pt_abort,				\
	}

static struct scst_dev_handler pt_handlers[] = {
	PT_HANDLER("dev_disk", TYPE_DISK),
	PT_HANDLER("dev_tape", TYPE_TAPE),
	PT_HANDLER("dev_processor", TYPE_PROCESSOR),
	PT_HANDLER("dev_cdrom", TYPE_ROM),
	PT_HANDLER("dev_modisk", TYPE_MOD),
	PT_HANDLER("dev_changer", TYPE_MEDIUM_CHANGER),
	PT_HANDLER("dev_raid", TYPE_RAID),
};

static void pt_unregister(unsigned int n)
{
	while (n--)
		scst_unregister_dev_handler(&pt_handlers[n]);
}

static int __init pt_init(void)
{
	unsigned int i;
	int ret;

	pt_wq = alloc_workqueue("scst_pt", WQ_MEM_RECLAIM, 0);
	if (!pt_wq)
		return -ENOMEM;
	ret = pt_cmd_cache_init();
	if (ret)
		goto wq;
	for (i = 0; i < ARRAY_SIZE(pt_handlers); i++) {
		ret = scst_register_dev_handler(&pt_handlers[i]);
		if (ret) {
			pt_unregister(i);
			goto cache;
		}
	}
	return 0;
cache:
	pt_cmd_cache_exit();
wq:
	destroy_workqueue(pt_wq);
	return ret;
}

static void __exit pt_exit(void)
{
	pt_unregister(ARRAY_SIZE(pt_handlers));
	pt_cmd_cache_exit();
	destroy_workqueue(pt_wq);
}

module_init(pt_init);
module_exit(pt_exit);

MODULE_DESCRIPTION("SCST pass-through device handlers for local SCSI devices");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION);
