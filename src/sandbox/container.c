/* The container: checks on the host, then one setup in the child that reads
 * top to bottom. The tracer clones the child into new namespaces (mount,
 * PID, UTS, IPC, NET with --net=none, USER but for NET_RAW on the host's
 * network); the child builds its root there, gives up every capability
 * the job did not ask for (confine.c), and execs the program. Every mount
 * lives and dies with the child's mount namespace: the host never sees
 * one, so no run, failed or interrupted, can leave a mount behind. */
#include "sandbox/container.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "sandbox/confine.h"
#include "sandbox/init.h"
#include "sandbox/launch.h"
#include "trace/tracer.h"
#include "base/util.h"

#define HOST_NAME "sperrips"

/* ---- options ---- */

static struct container_opts *opts_get(struct container_opts **c)
{
	if (!*c) {
		*c = xcalloc(1, sizeof(**c));
		(*c)->sysfs_fd = -1;
	}
	return *c;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

int container_parse_opt(struct container_opts **c, int opt, const char *arg, char *err, size_t errlen)
{
	struct container_opts *o = opts_get(c);
	switch (opt) {
	case CONTAINER_OPT_ROOTFS: set_str(&o->lower, arg); return 0;
	case CONTAINER_OPT_UPPER: set_str(&o->upper, arg); return 0;
	case CONTAINER_OPT_WORK: set_str(&o->work, arg); return 0;
	case CONTAINER_OPT_KEEP_UPPER: o->keep_upper = true; return 0;
	case CONTAINER_OPT_NET:
		if (strcmp(arg, "none") != 0) {
			snprintf(err, errlen, "--net=%s: only --net=none is supported (the default is the host's network)",
				 arg);
			return -1;
		}
		o->net_none = true;
		return 0;
	case CONTAINER_OPT_NET_RAW:
		o->net_raw = true;
		o->caps |= 1ULL << CAP_NET_RAW;
		return 0;
	case CONTAINER_OPT_CAP: return confine_parse_caps(arg, &o->caps, err, errlen);
	case CONTAINER_OPT_SECCOMP: o->seccomp = true; return 0;
	}
	snprintf(err, errlen, "internal error: option %d is not a container option", opt);
	return -1;
}

int container_from_config(struct container_opts **out, const char *mount_point, const char *lower,
			  const char *upper, const char *work, char *err, size_t errlen)
{
	if (!lower || !*lower) {
		*out = NULL;
		snprintf(err, errlen, "config.json enables the container but gives no container.ol_lowerdir");
		return -1;
	}
	struct container_opts *c = xcalloc(1, sizeof(*c));
	c->sysfs_fd = -1;
	set_str(&c->lower, lower);
	set_str(&c->upper, upper && *upper ? upper : NULL);
	set_str(&c->work, work && *work ? work : NULL);
	set_str(&c->mount_point, mount_point && *mount_point ? mount_point : NULL);
	/* The prototype's jobs include ping on the host's network, which ran
	 * with root's raw sockets: config.json has no word for capabilities,
	 * so its container keeps CAP_NET_RAW where it can (as root). */
	c->caps = 1ULL << CAP_NET_RAW;
	c->caps_implicit = true;
	*out = c;
	return 0;
}

void container_opts_free(struct container_opts *c)
{
	if (!c)
		return;
	container_cleanup(c);
	free(c->lower);
	free(c->upper);
	free(c->work);
	free(c->mount_point);
	free(c);
}

/* ---- host side: checks and temporary folders ---- */

/* Remove `name` under `dirfd` and everything below it, never following a
 * symbolic link. Overlayfs leaves work/work with mode 000, which an
 * unprivileged owner can only enter after a chmod. 0 or -1 with errno. */
static int rm_tree_at(int at, const char *name)
{
	if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES && fchmodat(at, name, 0700, 0) == 0)
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (rm_tree_at(dirfd(d), e->d_name) < 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(at, name, AT_REMOVEDIR) < 0)
		rc = -1;
	return rc;
}

static int rm_tree(const char *path)
{
	return rm_tree_at(AT_FDCWD, path);
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	char *s = xmalloc(n + m + 2);
	memcpy(s, a, n);
	s[n] = '/';
	memcpy(s + n + 1, b, m + 1);
	return s;
}

/* A folder the caller named: it must exist and be a directory; its
 * absolute path into *abs. -1 with the reason in err. */
static int check_dir(const char *what, const char *path, char **abs, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s: not a directory", what, path);
		return -1;
	}
	*abs = realpath(path, NULL);
	if (!*abs) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	/* The overlay's mount options are one comma- and colon-separated
	 * string; such paths cannot be said in it unambiguously. */
	if (strpbrk(*abs, ",:\\")) {
		snprintf(err, errlen, "%s %s: a path with ',', ':' or '\\' cannot be given to overlayfs", what, *abs);
		free(*abs);
		*abs = NULL;
		return -1;
	}
	return 0;
}

/* An upper or work folder the caller named: created if missing (one
 * level), since it only ever holds what a run creates. */
static int check_or_make_dir(const char *what, const char *path, char **abs, bool *made, char *err,
			     size_t errlen)
{
	if (mkdir(path, 0755) == 0)
		*made = true;
	else if (errno != EEXIST) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	return check_dir(what, path, abs, err, errlen);
}

/* The caller's folder `given`, or `name` in our temporary folder. */
static int make_layer_dir(struct container_opts *c, const char *what, const char *given, const char *name,
			  char **abs, char *err, size_t errlen)
{
	bool made = false;
	if (given) {
		int rc = check_or_make_dir(what, given, abs, &made, err, errlen);
		/* Ours to remove if the run does not happen. */
		if (made && !c->made[0])
			c->made[0] = xstrdup(given);
		else if (made)
			c->made[1] = xstrdup(given);
		return rc;
	}
	char *p = join(c->tmp, name);
	int rc = check_or_make_dir(what, p, abs, &made, err, errlen);
	free(p);
	return rc;
}

static bool overlay_available(void)
{
	FILE *f = fopen("/proc/filesystems", "r");
	if (!f)
		return true; /* cannot tell: let the mount say */
	char line[128];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = strcmp(line, "nodev\toverlay\n") == 0;
	fclose(f);
	if (found)
		return true;
	/* Not loaded yet is not absent: a module would be loaded by the mount. */
	struct stat st;
	char path[256];
	FILE *r = fopen("/proc/sys/kernel/osrelease", "r");
	if (!r)
		return false;
	char rel[65] = "";
	if (!fgets(rel, sizeof(rel), r))
		rel[0] = 0;
	fclose(r);
	rel[strcspn(rel, "\n")] = 0;
	snprintf(path, sizeof(path), "/lib/modules/%s/kernel/fs/overlayfs", rel);
	return stat(path, &st) == 0;
}

/* Can this (unprivileged) process create a user namespace? Probed in a
 * throwaway child so that the message comes before anything is created. */
static int probe_userns(char *err, size_t errlen)
{
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) < 0 ? errno & 0x7f : 0);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
		snprintf(err, errlen, "cannot probe for user namespaces");
		return -1;
	}
	if (WEXITSTATUS(st)) {
		snprintf(err, errlen,
			 "the container needs root or a user namespace, and the kernel refuses to create one for "
			 "uid %d: %s (see sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone, "
			 "or run as root)",
			 (int)getuid(), strerror(WEXITSTATUS(st)));
		return -1;
	}
	return 0;
}

/* Temporary folders of earlier runs whose tracer was killed (SIGKILL
 * leaves it no chance to clean up): named sperrips-PID-XXXXXX, each is
 * removed here once PID is gone, if it is a folder of ours. A pid reused
 * by another process only postpones the removal. */
static void remove_stale(const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		int pid, n = 0;
		struct stat st;
		if (sscanf(e->d_name, "sperrips-%d-%*6[A-Za-z0-9]%n", &pid, &n) != 1 || !n || e->d_name[n] ||
		    pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		rm_tree_at(dirfd(d), e->d_name);
	}
	closedir(d);
}

#define NET_RAW_BIT (1ULL << CAP_NET_RAW)

/* What the program keeps (c->keep) and whether it gets a user namespace.
 * With a network of its own (--net=none) its raw sockets reach only its
 * loopback, so NET_RAW comes without asking (ping works there). On the
 * host's network a raw socket needs CAP_NET_RAW of the host's user
 * namespace: only root can hand that on, and only without a user
 * namespace of the program's own; every other capability would then be
 * the host's too, so none may come with it. */
static int decide_caps(struct container_opts *c, char *err, size_t errlen)
{
	c->keep = c->caps | (c->net_none ? NET_RAW_BIT : 0);
	bool host_raw = (c->keep & NET_RAW_BIT) && !c->net_none;
	if (host_raw && geteuid() != 0) {
		if (!c->caps_implicit) {
			snprintf(err, errlen, "%s needs root: a raw socket on the host's network needs CAP_NET_RAW "
					      "on the host (--net=none gives the program a network of its own)",
				 c->net_raw ? "--net-raw" : "--cap NET_RAW");
			return -1;
		}
		/* config.json never asked: run without, as the user could. */
		c->keep &= ~NET_RAW_BIT;
		host_raw = false;
	}
	if (host_raw && c->keep != NET_RAW_BIT) {
		char names[256] = "";
		for (int b = 0; b < 64; b++)
			if (b != CAP_NET_RAW && (c->keep & (1ULL << b)))
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
					 names[0] ? "," : "", confine_cap_name(b) ? confine_cap_name(b) : "?");
		snprintf(err, errlen, "--cap %s with NET_RAW on the host's network: the program then runs without a "
				      "user namespace, where every capability is the host's; only NET_RAW can be given",
			 names);
		return -1;
	}
	/* A user namespace always, for root too, but for a raw socket on the
	 * host's network: the program's capabilities then reach no further
	 * than its own namespaces. */
	c->userns = !host_raw;
	return 0;
}

/* The new mount API (Linux 5.2), by number: glibc's <sys/mount.h> and
 * <linux/mount.h> do not mix. */
#ifndef SYS_fsopen
#define SYS_move_mount 429
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#define SP_FSCONFIG_SET_STRING 1
#define SP_FSCONFIG_CMD_CREATE 6
#define SP_FSOPEN_CLOEXEC 0x1
#define SP_FSMOUNT_CLOEXEC 0x1
#define SP_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define SP_MOUNT_ATTR_RDONLY 0x1ULL
#define SP_MOUNT_ATTR_NOSUID 0x2ULL
#define SP_MOUNT_ATTR_NODEV 0x4ULL
#define SP_MOUNT_ATTR_NOEXEC 0x8ULL

/* sysfs can only be mounted by the owner of the network namespace it
 * shows, and on the host's network the container's user namespace is not.
 * Root makes one here, detached and read-only, for the child to attach
 * (move_mount): the container then has a sysfs of its own, without the
 * host's mounts below /sys (cgroups, tracefs, debugfs, ...). -1 if the
 * kernel cannot; the child then binds the host's /sys. */
static int host_sysfs(void)
{
	int fs = (int)syscall(SYS_fsopen, "sysfs", SP_FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	int m = -1;
	/* The source named as mount(8) would: /proc/mounts reads the same. */
	if (syscall(SYS_fsconfig, fs, SP_FSCONFIG_SET_STRING, "source", "sysfs", 0) == 0 &&
	    syscall(SYS_fsconfig, fs, SP_FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = (int)syscall(SYS_fsmount, fs, SP_FSMOUNT_CLOEXEC,
				 SP_MOUNT_ATTR_RDONLY | SP_MOUNT_ATTR_NOSUID | SP_MOUNT_ATTR_NODEV | SP_MOUNT_ATTR_NOEXEC);
	close(fs);
	return m;
}

static int child_setup(void *arg, char *err, size_t errlen);
static int parent_setup(void *arg, pid_t child, char *err, size_t errlen);

int container_prepare(struct container_opts *c, struct spawn_opts *o, char *err, size_t errlen)
{
	if (!c->lower) {
		snprintf(err, errlen, "--upper, --work, --keep-upper, --net, --net-raw, --cap and --seccomp need --rootfs DIR");
		return -1;
	}
	container_cleanup(c); /* a second run with the same options starts afresh */
	c->sysfs_fd = -1;
	if (check_dir("lower layer", c->lower, &c->lower_abs, err, errlen) < 0)
		goto fail;
	/* /proc must exist in the root: creating it would change the upper
	 * layer, and every Debian root has it. */
	char *proc = join(c->lower_abs, "proc");
	struct stat st;
	int e = stat(proc, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	free(proc);
	if (e) {
		snprintf(err, errlen, "root %s has no /proc mount point (%s/proc: %s)", c->lower, c->lower,
			 strerror(e));
		goto fail;
	}
	if (!overlay_available()) {
		snprintf(err, errlen, "no overlayfs: the kernel lists no \"overlay\" in /proc/filesystems "
				      "(modprobe overlay), needed for lower layer %s", c->lower);
		goto fail;
	}
	if (c->mount_point && check_dir("mount point", c->mount_point, &c->mp_abs, err, errlen) < 0)
		goto fail;
	if (c->net_raw && c->net_none) {
		snprintf(err, errlen, "--net-raw is for the host's network; with --net=none the program has "
				      "raw sockets on its own network already");
		goto fail;
	}
	if (decide_caps(c, err, errlen) < 0)
		goto fail;
	if (c->userns && geteuid() != 0 && probe_userns(err, errlen) < 0)
		goto fail;
	if (!c->upper || !c->work || !c->mount_point) {
		const char *t = getenv("TMPDIR");
		t = t && *t ? t : "/tmp";
		remove_stale(t);
		/* The tracer's pid in the name: remove_stale can tell a dead
		 * run's folder from a live one's. */
		char name[64];
		snprintf(name, sizeof(name), "sperrips-%d-XXXXXX", (int)getpid());
		char *tmpl = join(t, name);
		if (!mkdtemp(tmpl)) {
			snprintf(err, errlen, "cannot create a temporary folder %s: %s", tmpl, strerror(errno));
			free(tmpl);
			goto fail;
		}
		c->tmp = tmpl;
	}
	if (make_layer_dir(c, "upper", c->upper, "upper", &c->upper_abs, err, errlen) < 0 ||
	    make_layer_dir(c, "work", c->work, "work", &c->work_abs, err, errlen) < 0 ||
	    (!c->mount_point && make_layer_dir(c, "mount point", NULL, "root", &c->mp_abs, err, errlen) < 0))
		goto fail;
	/* overlayfs demands it (workdir is renamed into upperdir); say so
	 * before the kernel answers a bare EXDEV or EINVAL. */
	struct stat su, sw;
	if (stat(c->upper_abs, &su) < 0 || stat(c->work_abs, &sw) < 0 || su.st_dev != sw.st_dev) {
		snprintf(err, errlen, "upper %s and work %s are on different file systems (overlayfs needs one)",
			 c->upper ? c->upper : c->upper_abs, c->work ? c->work : c->work_abs);
		goto fail;
	}
	if (!strcmp(c->upper_abs, c->work_abs)) {
		snprintf(err, errlen, "upper and work must be two different folders (both are %s)", c->upper_abs);
		goto fail;
	}
	/* The child looks the program up in the root with the job's PATH. */
	free(c->path_env);
	c->path_env = NULL;
	for (char *const *ev = o->envp; ev && *ev; ev++)
		if (!strncmp(*ev, "PATH=", 5))
			c->path_env = xstrdup(*ev + 5);
	if (c->userns && !c->net_none && geteuid() == 0)
		c->sysfs_fd = host_sysfs();
	c->spawn = o;
	c->prepared = true;
	o->clone_flags |= CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
	if (c->net_none)
		o->clone_flags |= CLONE_NEWNET;
	if (c->userns)
		o->clone_flags |= CLONE_NEWUSER;
	o->child_setup = child_setup;
	o->parent_setup = c->userns ? parent_setup : NULL;
	o->setup_arg = c;
	o->tracee_of = container_tracee_of;
	o->new_session = true;
	return 0;
fail:
	for (int i = 0; i < 2; i++)
		if (c->made[i])
			rmdir(c->made[i]);
	c->prepared = true; /* so that cleanup removes the rest */
	container_cleanup(c);
	return -1;
}

void container_cleanup(struct container_opts *c)
{
	if (!c || !c->prepared)
		return;
	if (c->tmp) {
		bool kept = c->keep_upper && !c->upper && c->upper_abs;
		if (kept) {
			/* Keep tmp/upper; drop the rest of tmp. */
			char *w = join(c->tmp, "work"), *r = join(c->tmp, "root");
			rm_tree(w);
			rm_tree(r);
			free(w);
			free(r);
			fprintf(stderr, "%s: upper layer kept at %s\n", progname, c->upper_abs);
		} else if (rm_tree(c->tmp) < 0) {
			warnx_("cannot remove the temporary folder %s: %s", c->tmp, strerror(errno));
		}
	} else if (c->keep_upper && c->upper_abs) {
		fprintf(stderr, "%s: upper layer kept at %s\n", progname, c->upper_abs);
	}
	if (c->sysfs_fd >= 0)
		close(c->sysfs_fd);
	c->sysfs_fd = -1;
	free(c->tmp);
	free(c->lower_abs);
	free(c->upper_abs);
	free(c->work_abs);
	free(c->mp_abs);
	free(c->path_env);
	c->tmp = c->lower_abs = c->upper_abs = c->work_abs = c->mp_abs = c->path_env = NULL;
	for (int i = 0; i < 2; i++) {
		free(c->made[i]);
		c->made[i] = NULL;
	}
	c->spawn = NULL;
	c->prepared = false;
}

char *container_upper_path(const struct container_opts *c, const char *path)
{
	const char *up = c ? (c->upper_abs ? c->upper_abs : c->upper) : NULL;
	if (!up)
		return NULL;
	while (*path == '/')
		path++;
	return join(up, path);
}

char *container_job_file(const struct container_opts *c, const char *workdir, const char *name)
{
	const char *up = c->upper_abs ? c->upper_abs : c->upper;
	if (!up)
		return xstrdup(name);
	char *dir = container_upper_path(c, workdir ? workdir : "/");
	/* mkdir -p: a folder made in the upper layer before the mount merges
	 * with the lower layer's folder of the same name. */
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0755);
	char *file = join(dir, name);
	free(dir);
	return file;
}

/* ---- parent side: map the caller to root inside ---- */

static int write_proc(pid_t pid, const char *file, const char *text, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)strlen(text)) {
		snprintf(err, errlen, "cannot write %s (mapping uid %d to root in the container): %s", path,
			 (int)getuid(), strerror(e));
		return -1;
	}
	return 0;
}

static int parent_setup(void *arg, pid_t child, char *err, size_t errlen)
{
	(void)arg;
	char map[64];
	snprintf(map, sizeof(map), "0 %d 1\n", (int)geteuid());
	if (write_proc(child, "uid_map", map, err, errlen) < 0)
		return -1;
	/* An unprivileged gid_map needs setgroups denied first
	 * (user_namespaces(7)); for root it keeps the supplementary groups
	 * as they are, which is as well. */
	if (write_proc(child, "setgroups", "deny", err, errlen) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %d 1\n", (int)getegid());
	return write_proc(child, "gid_map", map, err, errlen);
}

/* ---- child side: build the root, top to bottom ---- */

/* Mount, with the reason in err on failure. */
static int do_mount(const char *src, const char *target, const char *type, unsigned long flags,
		    const char *data, char *err, size_t errlen)
{
	if (mount(src, target, type, flags, data) == 0)
		return 0;
	snprintf(err, errlen, "cannot mount %s on %s: %s", type ? type : src ? src : "(none)", target, strerror(errno));
	return -1;
}

static int ensure_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	return -1;
}

/* A minimal /dev: a tmpfs holding bind mounts of the host's device nodes.
 * devtmpfs would show every device of the host and cannot be mounted in a
 * user namespace; binding nodes works the same with and without root, as
 * in bubblewrap. */
static int setup_dev(const char *dev, char *err, size_t errlen)
{
	/* No tty: the caller's terminal has no business inside (TIOCSTI). */
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom" };
	if (ensure_dir(dev, err, errlen) < 0 ||
	    do_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755", err, errlen) < 0)
		return -1;
	int rc = -1;
	char *path = NULL;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char *host = join("/dev", nodes[i]);
		free(path);
		path = join(dev, nodes[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		else
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		int m = fd < 0 ? -1 : do_mount(host, path, NULL, MS_BIND, NULL, err, errlen);
		free(host);
		if (m < 0)
			goto out;
	}
	/* Programs find their standard streams and ttys through these. */
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" },     { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" },
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		free(path);
		path = join(dev, links[i][1]);
		if (symlink(links[i][0], path) < 0) {
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
			goto out;
		}
	}
	/* A private devpts instance: the container's ptys are its own. */
	free(path);
	path = join(dev, "pts");
	if (ensure_dir(path, err, errlen) < 0 ||
	    do_mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620", err,
		     errlen) < 0)
		goto out;
	free(path);
	path = join(dev, "shm");
	if (ensure_dir(path, err, errlen) < 0 ||
	    do_mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", err, errlen) < 0)
		goto out;
	rc = 0;
out:
	free(path);
	return rc;
}

/* An empty network namespace has a loopback device that is down; bring it
 * up with the ioctl that ip(8) would use, since the root need not have ip. */
static int loopback_up(char *err, size_t errlen)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP | IFF_RUNNING, ioctl(s, SIOCSIFFLAGS, &ifr) < 0)) {
		snprintf(err, errlen, "cannot bring up the loopback device in the container: %s", strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	close(s);
	return 0;
}

static bool is_exec_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* After pivot_root: find the program in the container's root, as the
 * launcher does on the host, and point the spawn options at it (this is
 * the child's own copy of them). */
static int resolve_program(struct container_opts *c, char *err, size_t errlen)
{
	struct spawn_opts *o = c->spawn;
	const char *prog = o->path;
	if (strchr(prog, '/')) {
		char buf[PATH_MAX];
		const char *p = prog;
		if (prog[0] != '/' && o->workdir) {
			snprintf(buf, sizeof(buf), "%s/%s", o->workdir, prog);
			p = buf;
		}
		if (is_exec_file(p))
			return 0;
		snprintf(err, errlen, "%s: %s inside the container root %s", prog,
			 access(p, F_OK) < 0 ? "no such file" : "not an executable file", c->lower);
		return -1;
	}
	const char *path = c->path_env ? c->path_env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char cand[PATH_MAX];
		snprintf(cand, sizeof(cand), "%.*s/%s", (int)len, path, prog);
		if (len && is_exec_file(cand)) {
			o->path = xstrdup(cand);
			return 0;
		}
		path += len + (path[len] == ':');
	}
	snprintf(err, errlen, "%s: program not found inside the container root %s", prog, c->lower);
	return -1;
}

/* mount_setattr(2) (Linux 5.12): glibc's header and <linux/mount.h>
 * clash, so the little it takes is here. */
struct sp_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

/* Make the mount at `path` and every mount below it read-only (and
 * nosuid, nodev, noexec). One call for the whole tree: a remount would
 * only reach the top of a recursive bind, leaving /sys/fs/cgroup & co.
 * writable. The program cannot undo it: it holds no CAP_SYS_ADMIN, and a
 * namespace of its own gets these flags locked. */
static int make_read_only(const char *path, char *err, size_t errlen)
{
	struct sp_mount_attr a = {
		.attr_set = SP_MOUNT_ATTR_RDONLY | SP_MOUNT_ATTR_NOSUID | SP_MOUNT_ATTR_NODEV | SP_MOUNT_ATTR_NOEXEC,
	};
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, 0x8000 /* AT_RECURSIVE */, &a, sizeof(a)) == 0)
		return 0;
	snprintf(err, errlen, "cannot make %s read-only: %s%s", path, strerror(errno),
		 errno == ENOSYS ? " (mount_setattr needs Linux 5.12 or later)" : "");
	return -1;
}

/* sysfs can only be mounted by the owner of the network namespace: with
 * --net=none or --net-raw a sysfs of its own; on the host's network root
 * attaches the one host_sysfs made, and an unprivileged container binds
 * the host's /sys instead, as bubblewrap does. Read-only in every case,
 * every mount below included. */
static int setup_sys(const struct container_opts *c, const char *path, char *err, size_t errlen)
{
	if (ensure_dir(path, err, errlen) < 0)
		return -1;
	if (mount("sysfs", path, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		if (errno != EPERM) {
			snprintf(err, errlen, "cannot mount sysfs on %s: %s", path, strerror(errno));
			return -1;
		}
		if ((c->sysfs_fd < 0 ||
		     syscall(SYS_move_mount, c->sysfs_fd, "", AT_FDCWD, path, SP_MOVE_MOUNT_F_EMPTY_PATH) < 0) &&
		    do_mount("/sys", path, NULL, MS_BIND | MS_REC, NULL, err, errlen) < 0)
			return -1;
	}
	return make_read_only(path, err, errlen);
}

static int child_setup(void *arg, char *err, size_t errlen)
{
	struct container_opts *c = arg;
	const char *mp = c->mp_abs;
	char data[3 * PATH_MAX + 64];
	char *path = NULL;
	int rc = -1;

	/* Die with the tracer, before anything else happens; PTRACE_O_EXITKILL
	 * covers the same once the tracer has attached. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set the parent death signal: %s", strerror(errno));
		return -1;
	}

	/* Our mount namespace is a copy of the host's, with its shared
	 * propagation: make every mount private first, or the overlay and
	 * everything below would appear on the host too. */
	if (do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, err, errlen) < 0)
		return -1;

	/* The root: the lower layer seen through an overlay, so that every
	 * change lands in the upper layer and the lower stays as it was.
	 * Unprivileged overlays keep their metadata in user.* xattrs. */
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s%s", c->lower_abs, c->upper_abs, c->work_abs,
		 c->userns ? ",userxattr" : "");
	if (mount("overlay", mp, "overlay", 0, data) < 0) {
		int e = errno;
		if (c->userns && (e == EPERM || e == EINVAL))
			snprintf(err, errlen,
				 "the kernel refuses an overlayfs mount at %s in an unprivileged user namespace: %s "
				 "(needs Linux 5.11 or later; or run as root)",
				 mp, strerror(e));
		else if (e == ENODEV)
			snprintf(err, errlen, "no overlayfs in this kernel, needed for lower layer %s", c->lower);
		else
			snprintf(err, errlen, "cannot mount overlayfs of %s (upper %s, work %s) at %s: %s", c->lower,
				 c->upper_abs, c->work_abs, mp, strerror(e));
		return -1;
	}

	/* /proc of the new PID namespace: the tracee sees itself as PID 1
	 * and nothing of the host's processes. Read-only, all of it: with
	 * --net-raw root inside is the host's uid 0, and even in its user
	 * namespace /proc/sys, sysrq-trigger, bus and irq act on the whole
	 * host. One mount rather than a bind per part: /proc/mounts stays
	 * short (replay compares it as one read). */
	path = join(mp, "proc");
	if (do_mount("proc", path, "proc", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err, errlen) < 0)
		goto out;

	free(path);
	path = join(mp, "dev");
	if (setup_dev(path, err, errlen) < 0)
		goto out;

	free(path);
	path = join(mp, "sys");
	if (setup_sys(c, path, err, errlen) < 0)
		goto out;

	/* The same host name on both systems: uname and hostname agree. */
	if (sethostname(HOST_NAME, strlen(HOST_NAME)) < 0) {
		snprintf(err, errlen, "cannot set the host name: %s", strerror(errno));
		goto out;
	}
	if (c->net_none && loopback_up(err, errlen) < 0)
		goto out;

	/* Into the new root. pivot_root(".", ".") stacks the old root on top
	 * of the new one; detaching it leaves the host's tree unreachable
	 * without needing a folder for it in the root. */
	if (chdir(mp) < 0) {
		snprintf(err, errlen, "cannot enter %s: %s", mp, strerror(errno));
		goto out;
	}
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		snprintf(err, errlen, "pivot_root into %s: %s", mp, strerror(errno));
		goto out;
	}
	if (umount2(".", MNT_DETACH) < 0) {
		snprintf(err, errlen, "cannot detach the old root: %s", strerror(errno));
		goto out;
	}
	if (chdir("/") < 0) {
		snprintf(err, errlen, "chdir /: %s", strerror(errno));
		goto out;
	}
	rc = resolve_program(c, err, errlen);
	/* no_new_privs: setuid bits and file capabilities mean nothing inside. */
	if (rc == 0)
		launch_note_privileged(c->spawn->path, true);
	/* Last: nothing above needs privileges once they are gone. */
	if (rc == 0)
		rc = confine_drop(c->keep, err, errlen);
	if (rc == 0 && c->seccomp)
		rc = confine_seccomp(err, errlen);
	/* This process stays as the namespace's init; the program runs as
	 * its child (PID 2). */
	if (rc == 0)
		rc = container_init_fork(err, errlen);
out:
	free(path);
	return rc;
}
