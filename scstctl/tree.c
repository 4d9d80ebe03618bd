// SPDX-License-Identifier: GPL-2.0-only
/* scstctl: the ops table on the real configfs */
#include "tree.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONFIGFS_MAGIC 0x62656570

void entries_free(struct entries *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->v[i].name);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

bool entries_has(const struct entries *e, const char *name)
{
	for (int i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].name, name))
			return true;
	return false;
}

static const char *rel(const char *path)
{
	return *path ? path : ".";
}

int fs_exists(int rootfd, const char *path)
{
	struct stat st;

	return !fstatat(rootfd, rel(path), &st, AT_SYMLINK_NOFOLLOW);
}

int fs_read(int rootfd, const char *path, char *buf, size_t n)
{
	int fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t len;
	int err;

	if (fd < 0)
		return -errno;
	len = read(fd, buf, n - 1);
	err = errno;
	close(fd);
	if (len < 0)
		return -err;
	buf[len] = 0;
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = 0;
	return 0;
}

static char type_of(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISLNK(m) ? 'l' : '?';
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

int fs_list(int rootfd, const char *path, struct entries *out)
{
	int fd = openat(rootfd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	struct stat st;
	DIR *d;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;	/* ., .. and scstctl's own .scstctl */
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		grow(&out->v, &out->cap, out->n, sizeof(*out->v));
		out->v[out->n].name = xstrdup(de->d_name);
		out->v[out->n].type = type_of(st.st_mode);
		out->v[out->n++].mode = st.st_mode;
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_entry);
	return 0;
}

static int r_mkdir(struct tree *t, const char *path)
{
	return mkdirat(t->rootfd, path, 0755) ? -errno : 0;
}

static int r_rmdir(struct tree *t, const char *path)
{
	return unlinkat(t->rootfd, path, AT_REMOVEDIR) ? -errno : 0;
}

static int r_write(struct tree *t, const char *path, const char *val)
{
	int fd = openat(t->rootfd, path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(val);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	/* configfs wants the whole value in one write; "" is sent as "\n" */
	n = len ? write(fd, val, len) : write(fd, "\n", 1);
	err = errno;
	if (close(fd) && n >= 0)
		return -errno;
	if (n < 0)
		return -err;
	return (size_t)n == (len ? len : 1) ? 0 : -EIO;
}

static int r_read(struct tree *t, const char *path, char *buf, size_t n)
{
	return fs_read(t->rootfd, path, buf, n);
}

/*
 * configfs resolves the target of a new link from the caller's working
 * directory, not from the link's own directory as other filesystems do:
 * hand it an absolute path.
 */
static int r_symlink(struct tree *t, const char *target, const char *path)
{
	char root[PATH_MAX], *abs = NULL, *slash;
	int ret;

	if (target[0] != '/') {
		if (!realpath(t->root, root))
			return -errno;
		slash = strrchr(path, '/');
		if (asprintf(&abs, "%s/%.*s%s%s", root,
			     slash ? (int)(slash - path) : 0, path,
			     slash ? "/" : "", target) < 0)
			return -ENOMEM;
		target = abs;
	}
	ret = symlinkat(target, t->rootfd, path) ? -errno : 0;
	free(abs);
	return ret;
}

static int r_unlink(struct tree *t, const char *path)
{
	return unlinkat(t->rootfd, path, 0) ? -errno : 0;
}

static int r_readlink(struct tree *t, const char *path, char *buf, size_t n)
{
	ssize_t len = readlinkat(t->rootfd, path, buf, n - 1);

	if (len < 0)
		return -errno;
	buf[len] = 0;
	return 0;
}

static int r_list(struct tree *t, const char *path, struct entries *out)
{
	return fs_list(t->rootfd, path, out);
}

static int run_modprobe(const char *arg, const char *module)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -errno;
	if (!pid) {
		if (arg)
			execlp("modprobe", "modprobe", "-q", arg, module, (char *)NULL);
		else
			execlp("modprobe", "modprobe", "-q", module, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return WIFEXITED(st) && WEXITSTATUS(st) == 127 ? -ENOEXEC : -ENOENT;
	return 0;
}

static int r_load_module(struct tree *t, const char *module)
{
	(void)t;
	return run_modprobe(NULL, module);
}

static int r_unload_module(struct tree *t, const char *module)
{
	(void)t;
	return run_modprobe("-r", module);
}

const struct tree_ops real_ops = {
	.mkdir = r_mkdir, .rmdir = r_rmdir, .write = r_write, .read = r_read,
	.symlink = r_symlink, .unlink = r_unlink, .readlink = r_readlink,
	.list = r_list, .load_module = r_load_module,
	.unload_module = r_unload_module,
};

struct tree *tree_open(const char *root, const struct schema *s,
		       char *err, size_t n)
{
	struct tree *t = xcalloc(1, sizeof(*t));
	struct statfs sf;

	t->root = xstrdup(root ? root : SCST_CONFIGFS_ROOT);
	t->s = s;
	t->rootfd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd < 0) {
		snprintf(err, n, "%s: %s%s", t->root, strerror(errno),
			 root ? "" : " (is scst.ko loaded and configfs mounted?)");
		free(t->root);
		free(t);
		return NULL;
	}
	t->fake = root && (fstatfs(t->rootfd, &sf) || sf.f_type != CONFIGFS_MAGIC);
	t->ops = t->fake ? &fake_ops : &real_ops;
	return t;
}

void tree_close(struct tree *t)
{
	if (!t)
		return;
	close(t->rootfd);
	free(t->root);
	free(t);
}
