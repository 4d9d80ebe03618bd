// SPDX-License-Identifier: GPL-2.0-only
/*
 * Configfs attributes of vdisk devices (handlers/<h>/<dev>/)
 *
 * Creation attributes are written under scst_dev_attr_lock(dev, attr,
 * true), which refuses (and logs) while the device is enabled.  Every
 * invalid write logs exactly one line through vdisk_attr_err().
 */
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/utsname.h>

#include "vdisk.h"

/**
 * vdisk_attr_err() - log why an attribute write failed
 * @vd: the device
 * @attr: attribute name
 * @err: negative errno, returned
 * @fmt: reason
 *
 * Return: @err.
 */
int vdisk_attr_err(struct vdisk_dev *vd, const char *attr, int err,
		   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("scst: handlers/%s/%s: %s: %pV\n", vd->vh->h.name,
		scst_dev_name(vd->dev), attr, &vaf);
	va_end(args);
	return err;
}

/* the value of a write without the trailing newline */
static size_t vdisk_attr_len(const char *page, size_t count)
{
	if (count && page[count - 1] == '\n')
		count--;
	return count;
}

static bool vdisk_printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/**
 * vdisk_ids_init() - default identification of a new device
 * @vd: the device
 *
 * t10_dev_id is the device name; naa_id, eui64_id and usn are derived
 * from the setup's identity and the device name
 * (vdisk_fmt_default_ids()): the identity is "id:<setup_id>" when the
 * core's setup_id is not 0, else "host:<host name>", as they are when
 * the device is created (mkdir).
 *
 * Return: 0.
 */
int vdisk_ids_init(struct vdisk_dev *vd)
{
	const char *name = scst_dev_name(vd->dev);
	struct vdisk_ids *ids = &vd->ids;
	char identity[16 + __NEW_UTS_LEN + 1];
	u32 setup_id = scst_get_setup_id();

	if (setup_id) {
		snprintf(identity, sizeof(identity), "id:%u", setup_id);
	} else {
		/*
		 * uts_sem is not exported: a sethostname() racing with the
		 * mkdir could give a mixed name (hosts name themselves at
		 * boot, before SCST is configured).
		 */
		snprintf(identity, sizeof(identity), "host:%.*s",
			 __NEW_UTS_LEN, init_utsname()->nodename);
	}
	strscpy(ids->vend, "SCST", sizeof(ids->vend));
	strscpy(ids->prod, vd->vh->prod_id, sizeof(ids->prod));
	strscpy(ids->dev_id, name, sizeof(ids->dev_id));
	vdisk_fmt_default_ids(identity, name, ids);
	return 0;
}

/* --- creation attributes --- */

static ssize_t vdisk_filename_show(struct config_item *item, char *page)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	ssize_t ret;

	scst_dev_attr_lock(vd->dev, "filename", false);
	ret = sysfs_emit(page, "%s\n", vd->filename ? vd->filename : "");
	scst_dev_attr_unlock(vd->dev);
	return ret;
}

static ssize_t vdisk_filename_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	bool cdrom = vdisk_kind(vd) == VDISK_CDROM;
	size_t len = vdisk_attr_len(page, count);
	char *name;
	int ret;

	if ((!len && !cdrom) || len > 4095 || memchr(page, '\0', len) ||
	    memchr(page, '\n', len))
		return vdisk_attr_err(vd, "filename", -EINVAL,
				      "expected a path of 1 to 4095 characters");
	name = kmemdup_nul(page, len, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = scst_dev_attr_lock(vd->dev, "filename", !cdrom);
	if (ret)
		goto free;
	if (cdrom && scst_dev_enabled(vd->dev))
		ret = vdisk_cdrom_set_medium(vd, name);
	if (!ret)
		swap(vd->filename, name);
	scst_dev_attr_unlock(vd->dev);
free:
	kfree(name);
	return ret ? ret : count;
}
CONFIGFS_ATTR(vdisk_, filename);

static ssize_t vdisk_size_show(struct config_item *item, char *page)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	u64 size;

	scst_dev_attr_lock(vd->dev, "size", false);
	size = scst_dev_enabled(vd->dev) || vdisk_kind(vd) != VDISK_NULLIO ?
	       vd->size : vd->cfg_size;
	scst_dev_attr_unlock(vd->dev);
	return sysfs_emit(page, "%llu\n", size);
}
CONFIGFS_ATTR_RO(vdisk_, size);

static ssize_t vdisk_nullio_size_show(struct config_item *item, char *page)
{
	return vdisk_size_show(item, page);
}

static ssize_t vdisk_nullio_size_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	char *end;
	u64 size;
	int ret;

	size = memparse(page, &end);
	if (end == page || (*end && *end != '\n') || size < 512 ||
	    size > LLONG_MAX)
		return vdisk_attr_err(vd, "size", -EINVAL,
				      "expected 512 to 2^63-1 bytes (K, M, G, T, P suffixes)");
	ret = scst_dev_attr_lock(vd->dev, "size", true);
	if (ret)
		return ret;
	vd->cfg_size = size;
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_nullio_, size);

static ssize_t vdisk_blocksize_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", item_to_vdisk(item)->blocksize);
}

static ssize_t vdisk_blocksize_store(struct config_item *item,
				     const char *page, size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	unsigned int bs;
	int ret;

	if (kstrtouint(page, 10, &bs) || (bs != 512 && bs != 4096))
		return vdisk_attr_err(vd, "blocksize", -EINVAL,
				      "expected 512 or 4096");
	ret = scst_dev_attr_lock(vd->dev, "blocksize", true);
	if (ret)
		return ret;
	vd->blocksize = bs;
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, blocksize);

/* a boolean creation attribute */
static ssize_t vdisk_store_cbool(struct config_item *item, const char *page,
				 size_t count, const char *attr, bool *field)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	bool val;
	int ret;

	if (kstrtobool(page, &val))
		return vdisk_attr_err(vd, attr, -EINVAL, "expected 0 or 1");
	ret = scst_dev_attr_lock(vd->dev, attr, true);
	if (ret)
		return ret;
	*field = val;
	scst_dev_attr_unlock(vd->dev);
	return count;
}

#define VDISK_CBOOL_ATTR(_name, _field)					\
static ssize_t vdisk_##_name##_show(struct config_item *item, char *page) \
{									\
	return sysfs_emit(page, "%d\n", item_to_vdisk(item)->_field);	\
}									\
static ssize_t vdisk_##_name##_store(struct config_item *item,		\
				     const char *page, size_t count)	\
{									\
	return vdisk_store_cbool(item, page, count, #_name,		\
				 &item_to_vdisk(item)->_field);		\
}									\
CONFIGFS_ATTR(vdisk_, _name)

VDISK_CBOOL_ATTR(read_only, read_only);
VDISK_CBOOL_ATTR(o_direct, o_direct);
VDISK_CBOOL_ATTR(thin_provisioned, thin);
/* nullio: 0 = READ leaves the initiator's buffer as it is (nullio.c) */
VDISK_CBOOL_ATTR(read_zero, read_zero);

/* --- run time attributes --- */

/* fileio: how transfers went since enable (see fileio.c) */
static ssize_t vdisk_io_stats_show(struct config_item *item, char *page)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	ssize_t ret;

	scst_dev_attr_lock(vd->dev, "io_stats", false);
	ret = vdisk_fileio_stats_show(vd, page);
	scst_dev_attr_unlock(vd->dev);
	return ret;
}
CONFIGFS_ATTR_RO(vdisk_, io_stats);

static ssize_t vdisk_nv_cache_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_vdisk(item)->nv_cache));
}

/* also resets WCE to the new default: MODE PARAMETERS CHANGED */
static ssize_t vdisk_nv_cache_store(struct config_item *item,
				    const char *page, size_t count)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	bool val, changed;

	if (kstrtobool(page, &val))
		return vdisk_attr_err(vd, "nv_cache", -EINVAL,
				      "expected 0 or 1");
	scst_dev_attr_lock(vd->dev, "nv_cache", false);
	spin_lock_irqsave(&vd->lock, flags);
	changed = vd->nv_cache != val || vd->wce != val;
	WRITE_ONCE(vd->nv_cache, val);
	WRITE_ONCE(vd->wce, val);
	spin_unlock_irqrestore(&vd->lock, flags);
	if (changed && scst_dev_enabled(vd->dev))
		scst_dev_ua_all(vd->dev, SCST_SENSE_MODE_PARAMETERS_CHANGED);
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, nv_cache);

/* TAS and QERR of the control mode page (SPC-4 7.5.8), also MODE SELECT */
static ssize_t vdisk_tas_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(item_to_vdisk(item)->dev->tas));
}

static void vdisk_mode_changed(struct vdisk_dev *vd)
{
	if (scst_dev_enabled(vd->dev))
		scst_dev_ua_all(vd->dev, SCST_SENSE_MODE_PARAMETERS_CHANGED);
}

static ssize_t vdisk_tas_store(struct config_item *item, const char *page,
			       size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	bool val;

	if (kstrtobool(page, &val))
		return vdisk_attr_err(vd, "tas", -EINVAL, "expected 0 or 1");
	scst_dev_attr_lock(vd->dev, "tas", false);
	if (READ_ONCE(vd->dev->tas) != val) {
		WRITE_ONCE(vd->dev->tas, val);
		vdisk_mode_changed(vd);
	}
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, tas);

static ssize_t vdisk_qerr_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(item_to_vdisk(item)->dev->qerr));
}

static ssize_t vdisk_qerr_store(struct config_item *item, const char *page,
				size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	u8 val;

	if (kstrtou8(page, 10, &val) ||
	    (val != SCST_QERR_NONE && val != SCST_QERR_ALL &&
	     val != SCST_QERR_NEXUS))
		return vdisk_attr_err(vd, "qerr", -EINVAL,
				      "expected 0, 1 or 3 (2 is reserved)");
	scst_dev_attr_lock(vd->dev, "qerr", false);
	if (READ_ONCE(vd->dev->qerr) != val) {
		WRITE_ONCE(vd->dev->qerr, val);
		vdisk_mode_changed(vd);
	}
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, qerr);

static void vdisk_inquiry_changed(struct vdisk_dev *vd)
{
	if (scst_dev_enabled(vd->dev))
		scst_dev_ua_all(vd->dev, SCST_SENSE_INQUIRY_DATA_CHANGED);
}

static ssize_t vdisk_rotational_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n",
			  READ_ONCE(item_to_vdisk(item)->rotational));
}

static ssize_t vdisk_rotational_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	bool val;

	if (kstrtobool(page, &val))
		return vdisk_attr_err(vd, "rotational", -EINVAL,
				      "expected 0 or 1");
	scst_dev_attr_lock(vd->dev, "rotational", false);
	if (vd->rotational != val) {
		WRITE_ONCE(vd->rotational, val);
		vdisk_inquiry_changed(vd);
	}
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, rotational);

static ssize_t vdisk_resync_size_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct vdisk_dev *vd = item_to_vdisk(item);
	loff_t size;
	int ret = 0;

	if (vdisk_attr_len(page, count) != 1 || page[0] != '1')
		return vdisk_attr_err(vd, "resync_size", -EINVAL,
				      "expected 1");
	scst_dev_attr_lock(vd->dev, "resync_size", false);
	if (!scst_dev_enabled(vd->dev))
		goto unlock;
	ret = vd->vh->be->get_size(vd, &size);
	if (ret)
		goto unlock;
	if (size < vd->blocksize) {
		ret = vdisk_attr_err(vd, "resync_size", -EINVAL,
				     "backing store is smaller than one block");
		goto unlock;
	}
	if ((u64)size >> vdisk_shift(vd) != vd->dev->nr_blocks) {
		vdisk_set_size(vd, size);
		scst_dev_capacity_changed(vd->dev);
	}
	vd->size = size;
unlock:
	scst_dev_attr_unlock(vd->dev);
	return ret ? ret : count;
}
CONFIGFS_ATTR_WO(vdisk_, resync_size);

/* --- identification --- */

/* store a printable string of at most @max characters into @dst */
static ssize_t vdisk_store_id(struct config_item *item, const char *page,
			      size_t count, const char *attr, char *dst,
			      size_t max)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	size_t len = vdisk_attr_len(page, count);

	if (len > max || !vdisk_printable(page, len))
		return vdisk_attr_err(vd, attr, -EINVAL,
				      "expected at most %zu printable ASCII characters",
				      max);
	scst_dev_attr_lock(vd->dev, attr, false);
	spin_lock_irqsave(&vd->lock, flags);
	memcpy(dst, page, len);
	dst[len] = '\0';
	spin_unlock_irqrestore(&vd->lock, flags);
	vdisk_inquiry_changed(vd);
	scst_dev_attr_unlock(vd->dev);
	return count;
}

static ssize_t vdisk_show_id(struct config_item *item, char *page,
			     const char *src)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	ssize_t ret;

	spin_lock_irqsave(&vd->lock, flags);
	ret = sysfs_emit(page, "%s\n", src);
	spin_unlock_irqrestore(&vd->lock, flags);
	return ret;
}

#define VDISK_ID_ATTR(_name, _field, _max)				\
static ssize_t vdisk_##_name##_show(struct config_item *item, char *page) \
{									\
	return vdisk_show_id(item, page, item_to_vdisk(item)->ids._field); \
}									\
static ssize_t vdisk_##_name##_store(struct config_item *item,		\
				     const char *page, size_t count)	\
{									\
	return vdisk_store_id(item, page, count, #_name,		\
			      item_to_vdisk(item)->ids._field, _max);	\
}									\
CONFIGFS_ATTR(vdisk_, _name)

VDISK_ID_ATTR(t10_vend_id, vend, VDISK_VEND_LEN);
VDISK_ID_ATTR(t10_prod_id, prod, VDISK_PROD_LEN);
VDISK_ID_ATTR(t10_dev_id, dev_id, VDISK_DEV_ID_LEN);
VDISK_ID_ATTR(usn, usn, VDISK_USN_LEN);

static ssize_t vdisk_show_hex(struct config_item *item, char *page,
			      const u8 *id, unsigned int len)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	u8 copy[16];

	spin_lock_irqsave(&vd->lock, flags);
	memcpy(copy, id, len);
	spin_unlock_irqrestore(&vd->lock, flags);
	return sysfs_emit(page, "%*phN\n", len, copy);
}

/* parse 16 or 32 hex digits (or nothing); returns the number of bytes */
static int vdisk_parse_hex(const char *page, size_t count, u8 *out)
{
	size_t len = vdisk_attr_len(page, count);

	if (len != 0 && len != 16 && len != 32)
		return -EINVAL;
	if (hex2bin(out, page, len / 2))
		return -EINVAL;
	return len / 2;
}

static ssize_t vdisk_eui64_id_show(struct config_item *item, char *page)
{
	struct vdisk_dev *vd = item_to_vdisk(item);

	return vdisk_show_hex(item, page, vd->ids.eui64,
			      vd->ids.has_eui64 ? 8 : 0);
}

static ssize_t vdisk_eui64_id_store(struct config_item *item,
				    const char *page, size_t count)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	u8 id[16];
	int n = vdisk_parse_hex(page, count, id);

	if (n != 0 && n != 8)
		return vdisk_attr_err(vd, "eui64_id", -EINVAL,
				      "expected 16 hex digits or nothing");
	scst_dev_attr_lock(vd->dev, "eui64_id", false);
	spin_lock_irqsave(&vd->lock, flags);
	memcpy(vd->ids.eui64, id, n);
	vd->ids.has_eui64 = n;
	spin_unlock_irqrestore(&vd->lock, flags);
	vdisk_inquiry_changed(vd);
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, eui64_id);

static ssize_t vdisk_naa_id_show(struct config_item *item, char *page)
{
	struct vdisk_dev *vd = item_to_vdisk(item);

	return vdisk_show_hex(item, page, vd->ids.naa, vd->ids.naa_len);
}

static ssize_t vdisk_naa_id_store(struct config_item *item,
				  const char *page, size_t count)
{
	unsigned long flags;
	struct vdisk_dev *vd = item_to_vdisk(item);
	u8 id[16];
	int n = vdisk_parse_hex(page, count, id);

	if (n < 0 || (n == 8 && id[0] >> 4 != 5) ||
	    (n == 16 && id[0] >> 4 != 6))
		return vdisk_attr_err(vd, "naa_id", -EINVAL,
				      "expected 16 hex digits starting with 5, 32 starting with 6, or nothing");
	scst_dev_attr_lock(vd->dev, "naa_id", false);
	spin_lock_irqsave(&vd->lock, flags);
	memcpy(vd->ids.naa, id, n);
	vd->ids.naa_len = n;
	spin_unlock_irqrestore(&vd->lock, flags);
	vdisk_inquiry_changed(vd);
	scst_dev_attr_unlock(vd->dev);
	return count;
}
CONFIGFS_ATTR(vdisk_, naa_id);

/* --- per handler lists --- */

struct configfs_attribute *vdisk_fileio_attrs[] = {
	&vdisk_attr_filename,
	&vdisk_attr_size,
	&vdisk_attr_blocksize,
	&vdisk_attr_read_only,
	&vdisk_attr_nv_cache,
	&vdisk_attr_o_direct,
	&vdisk_attr_io_stats,
	&vdisk_attr_thin_provisioned,
	&vdisk_attr_rotational,
	&vdisk_attr_resync_size,
	&vdisk_attr_t10_vend_id,
	&vdisk_attr_t10_prod_id,
	&vdisk_attr_t10_dev_id,
	&vdisk_attr_usn,
	&vdisk_attr_eui64_id,
	&vdisk_attr_naa_id,
	&vdisk_attr_tas,
	&vdisk_attr_qerr,
	NULL,
};

struct configfs_attribute *vdisk_blockio_attrs[] = {
	&vdisk_attr_filename,
	&vdisk_attr_size,
	&vdisk_attr_blocksize,
	&vdisk_attr_read_only,
	&vdisk_attr_nv_cache,
	&vdisk_attr_thin_provisioned,
	&vdisk_attr_rotational,
	&vdisk_attr_resync_size,
	&vdisk_attr_t10_vend_id,
	&vdisk_attr_t10_prod_id,
	&vdisk_attr_t10_dev_id,
	&vdisk_attr_usn,
	&vdisk_attr_eui64_id,
	&vdisk_attr_naa_id,
	&vdisk_attr_tas,
	&vdisk_attr_qerr,
	NULL,
};

struct configfs_attribute *vdisk_nullio_attrs[] = {
	&vdisk_nullio_attr_size,
	&vdisk_attr_blocksize,
	&vdisk_attr_read_only,
	&vdisk_attr_nv_cache,
	&vdisk_attr_thin_provisioned,
	&vdisk_attr_read_zero,
	&vdisk_attr_rotational,
	&vdisk_attr_t10_vend_id,
	&vdisk_attr_t10_prod_id,
	&vdisk_attr_t10_dev_id,
	&vdisk_attr_usn,
	&vdisk_attr_eui64_id,
	&vdisk_attr_naa_id,
	&vdisk_attr_tas,
	&vdisk_attr_qerr,
	NULL,
};

struct configfs_attribute *vdisk_cdrom_attrs[] = {
	&vdisk_attr_filename,
	&vdisk_attr_size,
	&vdisk_attr_t10_vend_id,
	&vdisk_attr_t10_prod_id,
	&vdisk_attr_t10_dev_id,
	&vdisk_attr_usn,
	&vdisk_attr_eui64_id,
	&vdisk_attr_naa_id,
	&vdisk_attr_tas,
	&vdisk_attr_qerr,
	NULL,
};
