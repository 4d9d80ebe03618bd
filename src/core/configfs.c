// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: the configfs subsystem root /sys/kernel/config/scst.
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "scst_priv.h"

DEFINE_MUTEX(scst_cfg_mutex);

static u32 scst_setup_id;

/**
 * scst_parse_bool() - parse "0"/"1" (and the forms kstrtobool accepts)
 * @page: text written to an attribute
 * @val: result
 *
 * Return: 0 or -EINVAL.
 */
int scst_parse_bool(const char *page, bool *val)
{
	return kstrtobool(page, val) ? -EINVAL : 0;
}

static struct configfs_subsystem scst_subsys;

/*
 * Log one line that names the object (its configfs path below scst/) and
 * the attribute that an invalid write was aimed at.
 */
void scst_log_attr(struct config_item *item, const char *attr,
		   const char *fmt, ...)
{
	struct config_item *chain[12];
	struct va_format vaf;
	char path[256];
	size_t len = 0;
	va_list args;
	int n = 0;

	/* The path below /sys/kernel/config, from "scst" down. */
	for (; item && n < ARRAY_SIZE(chain); item = item->ci_parent) {
		chain[n++] = item;
		if (item == &scst_subsys.su_group.cg_item)
			break;
	}
	path[0] = '\0';
	while (n-- > 0)
		len += scnprintf(path + len, sizeof(path) - len, "%s%s",
				 len ? "/" : "", config_item_name(chain[n]));

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("%s: %s: %pV\n", path, attr, &vaf);
	va_end(args);
}

static ssize_t scst_root_version_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", SCST_VERSION);
}
CONFIGFS_ATTR_RO(scst_root_, version);

static ssize_t scst_root_setup_id_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(scst_setup_id));
}

static ssize_t scst_root_setup_id_store(struct config_item *item,
					const char *page, size_t count)
{
	u32 val;

	if (kstrtou32(page, 0, &val)) {
		scst_log_attr(item, "setup_id", "not a 32-bit number");
		return -EINVAL;
	}
	WRITE_ONCE(scst_setup_id, val);
	return count;
}
CONFIGFS_ATTR(scst_root_, setup_id);

/* The data-buffer cache (buf.c): its bound, and what it holds now. */
static ssize_t scst_root_buf_cache_max_show(struct config_item *item,
					    char *page)
{
	return sysfs_emit(page, "%llu\n", scst_buf_cache_max());
}

static ssize_t scst_root_buf_cache_max_store(struct config_item *item,
					     const char *page, size_t count)
{
	u64 val;

	if (kstrtou64(page, 0, &val)) {
		scst_log_attr(item, "buf_cache_max", "not a number of bytes");
		return -EINVAL;
	}
	if (scst_buf_set_cache_max(val)) {
		scst_log_attr(item, "buf_cache_max",
			      "above half of the memory (%llu bytes)",
			      scst_buf_cache_limit());
		return -ERANGE;
	}
	return count;
}
CONFIGFS_ATTR(scst_root_, buf_cache_max);

static ssize_t scst_root_buf_cached_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", scst_buf_cached_bytes());
}
CONFIGFS_ATTR_RO(scst_root_, buf_cached);

/**
 * scst_get_setup_id() - the root's setup_id: this setup's identity
 *
 * 0 (the default) means none was set; handlers then derive names from
 * the host name (vdisk).
 */
u32 scst_get_setup_id(void)
{
	return READ_ONCE(scst_setup_id);
}
EXPORT_SYMBOL_GPL(scst_get_setup_id);

static struct configfs_attribute *scst_root_attrs[] = {
	&scst_root_attr_version,
	&scst_root_attr_setup_id,
	&scst_root_attr_buf_cache_max,
	&scst_root_attr_buf_cached,
	NULL,
};

static const struct config_item_type scst_root_type = {
	.ct_attrs	= scst_root_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem scst_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "scst",
			.ci_type = &scst_root_type,
		},
	},
};

int scst_configfs_init(void)
{
	struct config_group *root = &scst_subsys.su_group;
	int ret;

	config_group_init(root);
	mutex_init(&scst_subsys.su_mutex);

	ret = scst_handlers_init(root);
	if (ret)
		return ret;
	ret = scst_targets_init(root);
	if (ret)
		goto handlers_exit;
	scst_alua_init(root);

	ret = configfs_register_subsystem(&scst_subsys);
	if (ret) {
		pr_err("cannot register configfs subsystem: %d\n", ret);
		goto targets_exit;
	}
	return 0;

targets_exit:
	scst_targets_exit();
handlers_exit:
	scst_handlers_exit();
	return ret;
}

void scst_configfs_exit(void)
{
	configfs_unregister_subsystem(&scst_subsys);
	scst_targets_exit();
	scst_handlers_exit();
}
