#include "verify/fdnames.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "syscalls/table.h"
#include "verify/policy.h"

#define PROC_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

void fdnames_init(struct fdnames *f)
{
	memset(f, 0, sizeof(*f));
}

void fdnames_free(struct fdnames *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
	free(f->k);
	memset(f, 0, sizeof(*f));
}

/* Events name a thread by the tid the program sees, which in a container
 * is its pid namespace's; /proc here needs the host's. Replay tells each
 * pair (one replay per process, hence one table). */
static struct { uint32_t vtid, host; } *hosts;
static size_t n_hosts, cap_hosts;

void fdnames_host_tid(uint32_t vtid, uint32_t host)
{
	if (vtid == host)
		return;
	for (size_t i = 0; i < n_hosts; i++)
		if (hosts[i].vtid == vtid) {
			hosts[i].host = host;
			return;
		}
	if (n_hosts == cap_hosts) {
		cap_hosts = cap_hosts ? 2 * cap_hosts : 16;
		hosts = realloc(hosts, cap_hosts * sizeof(*hosts));
		if (!hosts)
			abort();
	}
	hosts[n_hosts].vtid = vtid;
	hosts[n_hosts++].host = host;
}

static uint32_t host_of(uint32_t tid)
{
	for (size_t i = 0; i < n_hosts; i++)
		if (hosts[i].vtid == tid)
			return hosts[i].host;
	return tid;
}

/* readlink of /proc/TID/fd/FD: what the kernel says the descriptor is. */
static const char *live_name(uint32_t tid, int fd, char *buf, size_t len)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/%u/fd/%d", host_of(tid), fd);
	ssize_t n = readlink(link, buf, len - 1);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

static int classify(uint32_t tid, int fd, uint64_t *id)
{
	char link[64];
	struct stat st;
	snprintf(link, sizeof(link), "/proc/%u/fd/%d", host_of(tid), fd);
	if (fd < 0 || stat(link, &st) < 0)
		return PS_NONE;
	/* The kernel's random devices, by number: a file named /dev/urandom
	 * in a tampered root is not one, a device node of another name is. */
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && (minor(st.st_rdev) == 8 || minor(st.st_rdev) == 9))
		return PS_RANDOM;
	if (S_ISFIFO(st.st_mode)) {
		*id = st.st_ino;
		return PS_PIPE;
	}
	/* Names an output written by several threads (wstreams.h): a file by
	 * its inode, a device (/dev/null, a terminal) by its number. */
	if (S_ISREG(st.st_mode))
		*id = st.st_ino;
	else if (S_ISCHR(st.st_mode))
		*id = (1ull << 48) | st.st_rdev;
	struct statfs fs;
	if (statfs(link, &fs) < 0 || (fs.f_type != PROC_MAGIC && fs.f_type != SYSFS_MAGIC))
		return PS_NONE;
	char path[4096];
	if (!live_name(tid, fd, path, sizeof(path)))
		return PS_NONE;
	/* A procfs or sysfs file: its path says which counters it shows. */
	const char *p = strstr(path, fs.f_type == PROC_MAGIC ? "/proc" : "/sys");
	return p ? policy_path_source(p) : PS_NONE;
}

int fdnames_source(void *arg, uint32_t tid, int fd, uint64_t *id)
{
	struct fdnames *f = arg;
	for (size_t i = 0; i < f->nk; i++)
		if (f->k[i].tid == tid && f->k[i].fd == fd) {
			*id = f->k[i].id;
			return f->k[i].kind;
		}
	*id = 0;
	int kind = classify(tid, fd, id);
	if (f->nk == f->capk) {
		size_t cap = f->capk ? f->capk * 2 : 32;
		struct fdkind *k = realloc(f->k, cap * sizeof(*k));
		if (!k)
			return kind; /* not kept: asked again next time */
		f->k = k;
		f->capk = cap;
	}
	f->k[f->nk++] = (struct fdkind){ tid, fd, kind, *id };
	return kind;
}

/* Descriptor number `fd` may name something else now, in any process. */
static void reused(struct fdnames *f, int fd)
{
	for (size_t i = 0; i < f->nk;)
		if (f->k[i].fd == fd || fd < 0)
			f->k[i] = f->k[--f->nk];
		else
			i++;
}

long fdnames_drain(void *arg, uint32_t tid, int fd, uint8_t *buf, size_t n)
{
	(void)arg;
	char link[64];
	snprintf(link, sizeof(link), "/proc/%u/fd/%d", host_of(tid), fd);
	/* Non-blocking: the writer may be a tracee stopped by this tracer. */
	int p = open(link, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (p < 0)
		return -errno;
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(p, buf + got, n - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(p);
	return (long)got;
}

static struct fdname *cached(struct fdnames *f, uint32_t tid, int fd)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].tid == tid && f->v[i].fd == fd)
			return &f->v[i];
	return NULL;
}

const char *fdnames_name(struct fdnames *f, uint32_t tid, int fd, char *buf, size_t len)
{
	if (fd < 0 || len < 2)
		return NULL;
	if (live_name(tid, fd, buf, len))
		return buf;
	struct fdname *c = cached(f, tid, fd);
	if (!c || !c->name)
		return NULL;
	snprintf(buf, len, "%s", c->name);
	return buf;
}

static void forget(struct fdnames *f, uint32_t tid, int fd)
{
	struct fdname *c = cached(f, tid, fd);
	if (!c)
		return;
	free(c->name);
	*c = f->v[--f->n];
}

static void remember(struct fdnames *f, uint32_t tid, int fd)
{
	char buf[4096];
	if (!live_name(tid, fd, buf, sizeof(buf)))
		return;
	struct fdname *c = cached(f, tid, fd);
	if (!c) {
		if (f->n == f->cap) {
			size_t cap = f->cap ? f->cap * 2 : 32;
			struct fdname *v = realloc(f->v, cap * sizeof(*v));
			if (!v)
				return; /* the name is only for the verdict */
			f->v = v;
			f->cap = cap;
		}
		c = &f->v[f->n++];
		c->tid = tid;
		c->fd = fd;
		c->name = NULL;
	}
	free(c->name);
	c->name = strdup(buf);
}

void fdnames_after(struct fdnames *f, const struct sp_event *ev)
{
	const struct sc_desc *d = ev->desc;
	if (!d || !ev->returned)
		return;
	int64_t ret = event_ret(ev);
	const char *name = sc_name(ev->nr);
	/* Calls that make or drop descriptors the table does not describe
	 * one by one: exec (close-on-exec), close_range, descriptors passed
	 * over a socket, and any syscall the table does not know. */
	if (!(d->flags & SC_TYPED) || (d->flags & SC_EXEC) ||
	    (name && (!strcmp(name, "close_range") || !strcmp(name, "recvmsg") || !strcmp(name, "recvmmsg"))))
		reused(f, -1);
	if (d->ret_fmt == F_FD && ret >= 0) {
		reused(f, (int)ret);
		remember(f, ev->tid, (int)ret);
		return;
	}
	/* pipe, pipe2, socketpair: two new descriptors in an int[2]. */
	for (int i = 0; i < ev->nargs && ret == 0; i++)
		if (d->args[i].fmt == F_FD && ev->exit[i].kind == K_INT_ARRAY && ev->exit[i].buf.len == 8) {
			int32_t fds[2];
			memcpy(fds, ev->exit[i].buf.data, 8);
			reused(f, fds[0]);
			reused(f, fds[1]);
			remember(f, ev->tid, fds[0]);
			remember(f, ev->tid, fds[1]);
		}
	if (name && !strcmp(name, "close") && ev->nargs) {
		reused(f, (int)ev->entry[0].value);
		if (ret == 0)
			forget(f, ev->tid, (int)ev->entry[0].value);
	}
}

void fdnames_render(struct fdnames *f, struct strbuf *sb, const struct sp_event *ev, int i)
{
	const struct sc_desc *d = ev->desc;
	if (!d || i >= ev->nargs || (d->args[i].fmt != F_FD && d->args[i].fmt != F_DIRFD))
		return;
	int fd = (int)ev->entry[i].value;
	char buf[4096];
	if (fd >= 0 && fdnames_name(f, ev->tid, fd, buf, sizeof(buf)))
		sb_printf(sb, "<%s>", buf);
}
