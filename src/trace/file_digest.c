#include "trace/file_digest.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/util.h"
#include "syscalls/table.h"

/* What the stat'ed struct says of the file: enough to know it again. */
struct file_id {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
	bool regular;
};

/* ---- files digested in this run, by identity ---- */

struct known {
	struct file_id id;
	bool used, has;            /* has: a digest was taken (else: skipped) */
	uint8_t md[FILE_DIGEST_LEN];
};

static struct {
	struct known *slot;
	size_t cap, n;
	uint64_t bytes;            /* read for digests so far */
	int64_t start_ns;          /* the run's start (CLOCK_REALTIME) */
	uint64_t budget;           /* bytes to read at most */
} seen = { .budget = FILE_DIGEST_BUDGET };

void file_digest_budget(uint64_t bytes)
{
	seen.budget = bytes;
}

void file_digest_start(void)
{
	seen.start_ns = (int64_t)file_clock_ns();
}

uint64_t file_digest_bytes_read(void)
{
	return seen.bytes;
}

static bool same_id(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns;
}

static size_t id_hash(const struct file_id *id)
{
	uint64_t h = id->ino * 0x9e3779b97f4a7c15ull ^ id->dev ^ (uint64_t)id->mtime_ns * 31u ^ id->size;
	return (size_t)(h ^ h >> 29);
}

static struct known *lookup(const struct file_id *id)
{
	if (!seen.cap)
		return NULL;
	for (size_t i = id_hash(id) & (seen.cap - 1);; i = (i + 1) & (seen.cap - 1)) {
		struct known *k = &seen.slot[i];
		if (!k->used)
			return NULL;
		if (same_id(&k->id, id))
			return k;
	}
}

static void remember(const struct file_id *id, const uint8_t *md)
{
	if ((seen.n + 1) * 4 > seen.cap * 3) {
		size_t cap = seen.cap ? seen.cap * 2 : 256;
		struct known *a = calloc(cap, sizeof(*a));
		if (!a)
			return; /* not remembered: read again next time */
		for (size_t i = 0; i < seen.cap; i++) {
			if (!seen.slot[i].used)
				continue;
			size_t j = id_hash(&seen.slot[i].id) & (cap - 1);
			while (a[j].used)
				j = (j + 1) & (cap - 1);
			a[j] = seen.slot[i];
		}
		free(seen.slot);
		seen.slot = a;
		seen.cap = cap;
	}
	size_t i = id_hash(id) & (seen.cap - 1);
	while (seen.slot[i].used)
		i = (i + 1) & (seen.cap - 1);
	seen.slot[i] = (struct known){ .id = *id, .used = true, .has = md != NULL };
	if (md)
		memcpy(seen.slot[i].md, md, FILE_DIGEST_LEN);
	seen.n++;
}

/* ---- the struct the call filled ---- */

static int64_t ns(int64_t sec, int64_t nsec)
{
	return sec * 1000000000 + nsec;
}

static bool id_from_stat(const struct sp_bytes *b, struct file_id *id)
{
	struct stat st;
	if (b->len < sizeof(st))
		return false;
	memcpy(&st, b->data, sizeof(st));
	*id = (struct file_id){ .dev = st.st_dev, .ino = st.st_ino, .size = (uint64_t)st.st_size,
				.mtime_ns = ns(st.st_mtim.tv_sec, st.st_mtim.tv_nsec),
				.ctime_ns = ns(st.st_ctim.tv_sec, st.st_ctim.tv_nsec),
				.regular = S_ISREG(st.st_mode) };
	return true;
}

static bool id_from_statx(const struct sp_bytes *b, struct file_id *id)
{
	struct statx sx;
	if (b->len < sizeof(sx))
		return false;
	memcpy(&sx, b->data, sizeof(sx));
	/* Without the mtime asked for, no cache key of the program's can
	 * be hidden by writing timestamps back: no digest needed. */
	unsigned need = STATX_TYPE | STATX_INO | STATX_SIZE | STATX_MTIME;
	if ((sx.stx_mask & need) != need)
		return false;
	*id = (struct file_id){ .dev = makedev(sx.stx_dev_major, sx.stx_dev_minor), .ino = sx.stx_ino,
				.size = sx.stx_size,
				.mtime_ns = ns(sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec),
				.ctime_ns = ns(sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec),
				.regular = S_ISREG(sx.stx_mode) };
	return true;
}

/* The struct stat or statx the call filled, and the arguments naming the
 * file: a descriptor (fstat, or an empty path with AT_EMPTY_PATH), or a
 * path relative to a directory descriptor or the working directory. */
static bool file_of_call(const struct sp_event *ev, struct file_id *id, int *fd, const char **path, size_t *path_len)
{
	const struct sc_desc *d = ev->desc;
	bool found = false;
	*fd = AT_FDCWD;
	*path = NULL;
	*path_len = 0;
	for (int i = 0; i < ev->nargs; i++) {
		const struct sc_arg *a = &d->args[i];
		const struct sp_arg *x = &ev->exit[i];
		if (a->kind == K_STRUCT_STAT && (x->flags & SP_HAS_BUF))
			found = id_from_stat(&x->buf, id);
		else if (a->kind == K_STRUCT_STATX && (x->flags & SP_HAS_BUF))
			found = id_from_statx(&x->buf, id);
		else if (a->fmt == F_FD || a->fmt == F_DIRFD)
			*fd = (int)ev->entry[i].value;
		else if (a->kind == K_CHAR_PTR && (ev->entry[i].flags & SP_HAS_BUF)) {
			*path = (const char *)ev->entry[i].buf.data;
			*path_len = strnlen(*path, ev->entry[i].buf.len);
		}
	}
	return found;
}

/* ---- reading it ---- */

/* Pseudo file systems: their files' bytes are made when read, and a
 * timestamp there says nothing of a content that was cached. */
static bool pseudo_fs(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return true;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC: case SYSFS_MAGIC: case CGROUP_SUPER_MAGIC: case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC: case TRACEFS_MAGIC: case SECURITYFS_MAGIC: case BPF_FS_MAGIC:
	case DEVPTS_SUPER_MAGIC: case PSTOREFS_MAGIC: case EFIVARFS_MAGIC:
		return true;
	default:
		return false;
	}
}

static int open_file(pid_t tid, int fd, const char *path, size_t path_len)
{
	char where[4200];
	if (!path || !path_len)
		snprintf(where, sizeof(where), "/proc/%d/fd/%d", (int)tid, fd);
	else if (path[0] == '/')
		snprintf(where, sizeof(where), "/proc/%d/root%.*s", (int)tid, (int)path_len, path);
	else if (fd == AT_FDCWD)
		snprintf(where, sizeof(where), "/proc/%d/cwd/%.*s", (int)tid, (int)path_len, path);
	else
		snprintf(where, sizeof(where), "/proc/%d/fd/%d/%.*s", (int)tid, fd, (int)path_len, path);
	/* Reading must not change what the program sees: no access time. */
	int f = open(where, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOATIME);
	if (f < 0 && errno == EPERM)
		f = open(where, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	return f;
}

static bool digest_fd(int f, uint64_t size, uint8_t md[FILE_DIGEST_LEN])
{
	static uint8_t buf[1 << 16];
	struct sha256 s;
	sha256_init(&s);
	uint64_t got = 0;
	while (got < size) {
		ssize_t n = pread(f, buf, sizeof(buf), (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false; /* shrunk or unreadable: no digest */
		sha256_update(&s, buf, (size_t)n);
		got += (uint64_t)n;
	}
	seen.bytes += got;
	sha256_final(&s, md);
	return true;
}

void file_digest_capture(struct sp_event *ev, pid_t tid)
{
	struct file_id id;
	int fd;
	const char *path;
	size_t path_len;
	if (!ev->desc || !file_of_call(ev, &id, &fd, &path, &path_len))
		return;
	/* An empty file's contents are its size; a large one is compared by
	 * its stat data alone. */
	if (!id.regular || id.size == 0 || id.size > FILE_DIGEST_MAX_FILE)
		return;
	/* Written during the run (a log appended, a database updated and
	 * fstat'ed after each write): not read again at every change. A
	 * statx without the ctime counts by its mtime alone. A file written
	 * in the start's own clock tick may count as older (its coarse time
	 * is): digested, which costs a read and nothing else; one written
	 * just before the recording began never loses its digest. */
	if (seen.start_ns && (id.mtime_ns > seen.start_ns || id.ctime_ns > seen.start_ns))
		return;
	uint8_t md[FILE_DIGEST_LEN];
	struct known *k = lookup(&id);
	if (k && !k->has)
		return;
	if (k) {
		memcpy(md, k->md, sizeof(md));
	} else {
		if (seen.bytes + id.size > seen.budget)
			return;
		int f = open_file(tid, fd, path, path_len);
		if (f < 0)
			return;
		/* Still the file the call saw, unchanged since? */
		struct stat st;
		bool ok = fstat(f, &st) == 0 && st.st_dev == id.dev && st.st_ino == id.ino &&
			  (uint64_t)st.st_size == id.size && ns(st.st_mtim.tv_sec, st.st_mtim.tv_nsec) == id.mtime_ns;
		if (ok && pseudo_fs(f)) {
			close(f);
			remember(&id, NULL);
			return;
		}
		ok = ok && digest_fd(f, id.size, md);
		/* Written to while we read (a writer beside the program)? Then
		 * the digest may be of neither state: none. */
		struct stat after;
		ok = ok && fstat(f, &after) == 0 && after.st_size == st.st_size &&
		     after.st_mtim.tv_sec == st.st_mtim.tv_sec && after.st_mtim.tv_nsec == st.st_mtim.tv_nsec;
		close(f);
		if (!ok)
			return;
		remember(&id, md);
	}
	uint8_t *p = arena_alloc(ev->arena, FILE_DIGEST_LEN);
	if (!p)
		return;
	memcpy(p, md, FILE_DIGEST_LEN);
	ev->file_digest = (struct sp_bytes){ p, FILE_DIGEST_LEN };
}
