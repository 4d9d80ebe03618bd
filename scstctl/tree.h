/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scstctl: the ops table every filesystem access goes through. Paths are
 * relative to the scst root. All ops return 0 or a negative errno.
 *  - real ops: plain syscalls on configfs (/sys/kernel/config/scst)
 *  - fake ops (fakefs.c): a plain directory that emulates configfs: mkdir
 *    creates the attribute files with schema defaults and kernel-made
 *    children, rmdir refuses non-empty objects and devices in use,
 *    writes are type-checked and creation attributes are refused (-EBUSY)
 *    while the device is enabled, modprobe creates the module's dirs.
 *  - tests wrap either one to inject failures.
 */
#ifndef SCSTCTL_TREE_H
#define SCSTCTL_TREE_H

#include <stddef.h>
#include <sys/types.h>

#include "schema.h"

#define SCST_CONFIGFS_ROOT "/sys/kernel/config/scst"

struct tree;

struct entry {
	char *name;
	char type;	/* 'd' dir, 'f' file, 'l' symlink, '?' other */
	mode_t mode;
};

struct entries {
	struct entry *v;
	int n, cap;
};

struct tree_ops {
	int (*mkdir)(struct tree *t, const char *path);
	int (*rmdir)(struct tree *t, const char *path);
	int (*write)(struct tree *t, const char *path, const char *val);
	int (*read)(struct tree *t, const char *path, char *buf, size_t n);
	int (*symlink)(struct tree *t, const char *target, const char *path);
	int (*unlink)(struct tree *t, const char *path);
	int (*readlink)(struct tree *t, const char *path, char *buf, size_t n);
	int (*list)(struct tree *t, const char *path, struct entries *out);
	int (*load_module)(struct tree *t, const char *module);
	int (*unload_module)(struct tree *t, const char *module);
};

struct tree {
	const struct tree_ops *ops;
	int rootfd;
	char *root;
	const struct schema *s;
	bool fake;
	struct tree *inner;	/* wrappers (fault injection) */
	void *priv;
};

extern const struct tree_ops real_ops;
extern const struct tree_ops fake_ops;

/*
 * Open the tree at root (NULL = the real configfs root). A root that is
 * not on configfs gets the fake ops. Returns NULL with a message in err.
 */
struct tree *tree_open(const char *root, const struct schema *s,
		       char *err, size_t n);
void tree_close(struct tree *t);
/* fake mode: create the root attribute files and kernel-made dirs */
int fake_init(struct tree *t);
/* fake mode: a kernel-made object appears (a process registered a device) */
int fake_kernel_mkdir(struct tree *t, const char *path);

void entries_free(struct entries *e);
bool entries_has(const struct entries *e, const char *name);

/* real-fs helpers shared by real and fake ops */
int fs_read(int rootfd, const char *path, char *buf, size_t n);
int fs_list(int rootfd, const char *path, struct entries *out);
int fs_exists(int rootfd, const char *path);

#endif
