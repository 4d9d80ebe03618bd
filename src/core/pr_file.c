// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCST core: persistent reservations that persist through power loss
 * (APTPL), kept in <pr_dir>/<device name>.
 *
 * Every change made while APTPL is in effect (and the change that turns
 * it off) rewrites the file: the new state goes to a temporary file in
 * the same directory, which is synced and renamed over the old one, and
 * the directory is synced, so the file is always either the old or the
 * new state.  Its format (src/lib/scst_pr.c) carries a version, a length
 * and a CRC-32: a truncated or corrupt file is reported with one log line
 * and not loaded, and the device comes up without reservations.  The
 * state is loaded when the device is enabled.  Version 2 records the
 * initiator port of each registration ("<iqn>,i,0x<ISID>" for iSCSI); a
 * version 1 file still loads, its names being initiator names that
 * match every port of their initiator (see scst_pr_find_nexus()).
 */
#define pr_fmt(fmt) "scst: " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "scst_priv.h"
#include "pr.h"

char *scst_pr_dir = "/var/lib/scst/pr";
module_param_named(pr_dir, scst_pr_dir, charp, 0444);
MODULE_PARM_DESC(pr_dir,
		 "directory of the APTPL persistent reservation files (default /var/lib/scst/pr)");

static int scst_pr_write_tmp(const char *tmp, const u8 *buf, size_t len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int ret;

	f = filp_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, buf, len, &pos);
	ret = n < 0 ? n : (n != len ? -EIO : 0);
	if (!ret)
		ret = vfs_fsync(f, 0);
	filp_close(f, NULL);
	return ret;
}

static int scst_pr_rename(const char *from, const char *to)
{
	struct dentry *old, *new;
	struct path dir;
	int ret;

	ret = kern_path(scst_pr_dir, LOOKUP_DIRECTORY, &dir);
	if (ret)
		return ret;
	ret = mnt_want_write(dir.mnt);
	if (ret)
		goto put;
	lock_rename(dir.dentry, dir.dentry);
	old = lookup_one_len(from, dir.dentry, strlen(from));
	if (IS_ERR(old)) {
		ret = PTR_ERR(old);
		goto unlock;
	}
	new = lookup_one_len(to, dir.dentry, strlen(to));
	if (IS_ERR(new)) {
		ret = PTR_ERR(new);
		goto put_old;
	}
	ret = d_really_is_negative(old) ? -ENOENT :
	      scst_vfs_rename(d_inode(dir.dentry), old, new);
	dput(new);
put_old:
	dput(old);
unlock:
	unlock_rename(dir.dentry, dir.dentry);
	mnt_drop_write(dir.mnt);
put:
	path_put(&dir);
	return ret;
}

static int scst_pr_sync_dir(void)
{
	struct file *d = filp_open(scst_pr_dir, O_RDONLY | O_DIRECTORY, 0);
	int ret;

	if (IS_ERR(d))
		return PTR_ERR(d);
	ret = vfs_fsync(d, 0);
	filp_close(d, NULL);
	return ret;
}

/* The file image of the current state; under r->mutex. */
static u8 *scst_pr_file_build(struct scst_resv *r, size_t *len)
{
	struct scst_pr_file_state st = {
		.generation = r->generation, .aptpl = r->aptpl,
	};
	struct scst_pr_rec *recs = NULL;
	struct scst_pr_reg *reg;
	u8 *buf = NULL;
	u32 i = 0;

	if (r->aptpl) {
		st.nr_regs = r->nr_regs;
		st.type = r->type;
		recs = kvcalloc(max(1u, st.nr_regs), sizeof(*recs),
				GFP_KERNEL);
		if (!recs)
			return NULL;
		list_for_each_entry(reg, &r->regs, entry) {
			recs[i].key = reg->key;
			recs[i].rel_tgt_id = reg->rel_tgt_id;
			recs[i].all_tg_pt = reg->all_tg_pt;
			recs[i].holder = r->holder == reg;
			strscpy(recs[i].name, reg->name, sizeof(recs[i].name));
			i++;
		}
	}
	buf = kvmalloc(scst_pr_file_size(st.nr_regs), GFP_KERNEL);
	if (buf)
		*len = scst_pr_file_encode(buf, scst_pr_file_size(st.nr_regs),
					   &st, recs);
	kvfree(recs);
	return buf;
}

/**
 * scst_pr_file_save() - write the state of @dev if APTPL asks for it
 * @dev: the device, its resv.mutex held
 *
 * Return: 0, or a negative errno (logged).
 */
int scst_pr_file_save(struct scst_dev *dev)
{
	struct scst_resv *r = &dev->resv;
	char *tmpname = NULL, *tmp = NULL, *path = NULL;
	size_t len = 0;
	int ret = -ENOMEM;
	u8 *buf;

	lockdep_assert_held(&r->mutex);
	if (!r->aptpl && !r->file_aptpl)
		return 0;
	buf = scst_pr_file_build(r, &len);
	tmpname = kasprintf(GFP_KERNEL, ".%s.tmp", dev->pub.name);
	tmp = kasprintf(GFP_KERNEL, "%s/%s", scst_pr_dir, tmpname ?: "");
	path = kasprintf(GFP_KERNEL, "%s/%s", scst_pr_dir, dev->pub.name);
	if (!buf || !tmpname || !tmp || !path)
		goto out;
	ret = scst_pr_write_tmp(tmp, buf, len);
	if (!ret)
		ret = scst_pr_rename(tmpname, dev->pub.name);
	if (!ret)
		ret = scst_pr_sync_dir();
	if (!ret)
		r->file_aptpl = r->aptpl;
out:
	if (ret)
		pr_err("%s: cannot write persistent reservation file %s: %d\n",
		       dev->pub.name, path ?: scst_pr_dir, ret);
	kfree(path);
	kfree(tmp);
	kfree(tmpname);
	kvfree(buf);
	return ret;
}

static u8 *scst_pr_file_read(const char *path, size_t *len, int *err)
{
	size_t max = scst_pr_file_size(SCST_PR_FILE_MAX_REGS);
	struct file *f;
	loff_t size, pos = 0;
	ssize_t n;
	u8 *buf;

	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	size = i_size_read(file_inode(f));
	*err = -EINVAL;
	buf = size > 0 && size <= max ? kvmalloc(size, GFP_KERNEL) : NULL;
	if (buf) {
		n = kernel_read(f, buf, size, &pos);
		if (n != size) {
			kvfree(buf);
			buf = NULL;
		}
	}
	filp_close(f, NULL);
	*len = size;
	return buf;
}

/* Registrations of a file that scst_pr_file_check() accepted. */
static int scst_pr_file_regs(const u8 *buf, size_t len,
			     const struct scst_pr_file_state *st,
			     struct list_head *regs, struct scst_pr_reg **holder)
{
	struct scst_pr_rec rec;
	struct scst_pr_reg *reg;
	u32 i;

	*holder = NULL;
	for (i = 0; i < st->nr_regs; i++) {
		if (scst_pr_file_rec(buf, len, i, &rec))
			return -EINVAL;
		reg = kzalloc(sizeof(*reg), GFP_KERNEL);
		if (!reg)
			return -ENOMEM;
		reg->key = rec.key;
		reg->rel_tgt_id = rec.rel_tgt_id;
		reg->all_tg_pt = rec.all_tg_pt;
		strscpy(reg->name, rec.name, sizeof(reg->name));
		list_add_tail(&reg->entry, regs);
		if (rec.holder)
			*holder = reg;
	}
	/* A reservation needs a holder, a holder needs a reservation. */
	if (!st->type != !*holder)
		return -EINVAL;
	return 0;
}

/**
 * scst_pr_file_load() - the device is being enabled: start from a clean
 *	state, or from its APTPL file
 * @dev: the device
 *
 * Context: process context.
 */
void scst_pr_file_load(struct scst_dev *dev)
{
	struct scst_resv *r = &dev->resv;
	struct scst_pr_file_state st;
	struct scst_pr_reg *holder, *reg, *tmp;
	size_t len = 0;
	LIST_HEAD(regs);
	char *path;
	int ret;
	u8 *buf;

	mutex_lock(&r->mutex);
	scst_pr_remove_all(r);
	r->generation = 0;
	r->aptpl = false;
	r->file_aptpl = false;
	path = kasprintf(GFP_KERNEL, "%s/%s", scst_pr_dir, dev->pub.name);
	if (!path)
		goto unlock;
	buf = scst_pr_file_read(path, &len, &ret);
	if (!buf) {
		if (ret != -ENOENT)
			pr_err("%s: persistent reservation file %s unreadable or of bad size (%d): not loaded\n",
			       dev->pub.name, path, ret);
		goto free_path;
	}
	ret = scst_pr_file_check(buf, len, &st);
	if (!ret)
		ret = scst_pr_file_regs(buf, len, &st, &regs, &holder);
	if (ret) {
		pr_err("%s: persistent reservation file %s is corrupt or truncated: not loaded\n",
		       dev->pub.name, path);
		goto free;
	}
	/* APTPL was turned off: the file holds nothing to restore. */
	r->file_aptpl = st.aptpl;
	if (!st.aptpl)
		goto free;
	spin_lock_irq(&r->lock);
	list_splice_init(&regs, &r->regs);
	r->nr_regs = st.nr_regs;
	r->generation = st.generation;
	r->type = st.type;
	r->holder = holder;
	r->aptpl = true;
	scst_resv_update_active(r);
	spin_unlock_irq(&r->lock);
	pr_info("%s: restored %u persistent registrations from %s (format %u)\n",
		dev->pub.name, st.nr_regs, path, st.version);
free:
	list_for_each_entry_safe(reg, tmp, &regs, entry)
		kfree(reg);
	kvfree(buf);
free_path:
	kfree(path);
unlock:
	mutex_unlock(&r->mutex);
	scst_resv_changed(dev);
}
