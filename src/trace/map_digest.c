#include "trace/map_digest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"

int map_digest_hash(const uint8_t *data, size_t len, uint8_t *out)
{
	for (size_t off = 0; off < len; off += MAP_PAGE, out += MAP_DIGEST_LEN)
		sha256(data + off, len - off < MAP_PAGE ? len - off : MAP_PAGE, out);
	return 0;
}

/* The file behind descriptor `fd` of `tid`, as the kernel names it. */
static const char *fd_path(struct sp_event *ev, pid_t tid, int fd)
{
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return NULL;
	char *p = arena_alloc(ev->arena, (size_t)n + 1);
	if (!p)
		return NULL;
	memcpy(p, path, (size_t)n);
	p[n] = 0;
	return p;
}

/* ---- reuse within a run ---- */

/* Files larger than this are not remembered: a library is a few MiB, and
 * the table must not grow with a program that maps a database. */
#define REUSE_MAX_FILE ((off_t)64 << 20)
#define REUSE_MAX_FILES 64

struct known_file {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	size_t pages;
	uint8_t *digests; /* MAP_DIGEST_LEN per file page */
	uint8_t *known;   /* 1 where digests[] holds the page's */
};

static struct {
	bool on;
	struct known_file files[REUSE_MAX_FILES];
	size_t n;
} reuse;

void map_digest_reuse(bool on)
{
	reuse.on = on;
}

static bool same_file(const struct known_file *f, const struct stat *st)
{
	return f->dev == st->st_dev && f->ino == st->st_ino && f->size == st->st_size &&
	       f->mtim.tv_sec == st->st_mtim.tv_sec && f->mtim.tv_nsec == st->st_mtim.tv_nsec &&
	       f->ctim.tv_sec == st->st_ctim.tv_sec && f->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

/* The file behind the mmap's descriptor, found or (`add`) added. */
static struct known_file *known_file(pid_t tid, int fd, bool add)
{
	char link[64];
	struct stat st;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	if (stat(link, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > REUSE_MAX_FILE)
		return NULL;
	for (size_t i = 0; i < reuse.n; i++)
		if (same_file(&reuse.files[i], &st))
			return &reuse.files[i];
	if (!add || reuse.n == REUSE_MAX_FILES)
		return NULL;
	struct known_file *f = &reuse.files[reuse.n];
	f->pages = map_digest_pages((uint64_t)st.st_size);
	f->digests = malloc(f->pages * MAP_DIGEST_LEN);
	f->known = calloc(f->pages, 1);
	if (!f->digests || !f->known) {
		free(f->digests);
		free(f->known);
		return NULL;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = st.st_size;
	f->mtim = st.st_mtim;
	f->ctim = st.st_ctim;
	reuse.n++;
	return f;
}

/* The bytes a mapping of `len` bytes at file offset `off` shows: up to the
 * end of the file's last page (the pages past it cannot be read). */
static uint64_t shown_len(const struct known_file *f, uint64_t off, uint64_t len)
{
	uint64_t end = (uint64_t)f->pages * MAP_PAGE;
	if (off >= end)
		return 0;
	return end - off < len ? end - off : len;
}

bool map_digest_cached(struct sp_event *ev, pid_t tid)
{
	const uint64_t *a = ev->raw_args;
	if (!reuse.on || a[5] % MAP_PAGE)
		return false;
	struct known_file *f = known_file(tid, (int)a[4], false);
	if (!f)
		return false;
	uint64_t len = shown_len(f, a[5], a[1]);
	size_t first = (size_t)(a[5] / MAP_PAGE), n = map_digest_pages(len);
	/* Whole pages only: a mapping that ends inside a page has a digest of
	 * that part, which no earlier whole page gives. */
	if (!len || len % MAP_PAGE)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!f->known[first + i])
			return false;
	uint8_t *d = arena_alloc(ev->arena, n * MAP_DIGEST_LEN);
	if (!d)
		return false;
	memcpy(d, f->digests + first * MAP_DIGEST_LEN, n * MAP_DIGEST_LEN);
	struct sp_arg *r = &ev->ret;
	r->flags |= SP_HAS_PTR;
	if (len < a[1]) /* as a read of it would have found */
		r->flags |= SP_UNREADABLE;
	ev->map_digests = (struct sp_bytes){ d, n * MAP_DIGEST_LEN };
	ev->map_len = len;
	ev->map_path = fd_path(ev, tid, (int)a[4]);
	return true;
}

/* Remember the whole pages of a mapping just digested. */
static void remember(const struct sp_event *ev, pid_t tid)
{
	const uint64_t *a = ev->raw_args;
	if (!reuse.on || a[5] % MAP_PAGE)
		return;
	struct known_file *f = known_file(tid, (int)a[4], true);
	if (!f)
		return;
	size_t first = (size_t)(a[5] / MAP_PAGE), whole = (size_t)(ev->map_len / MAP_PAGE);
	for (size_t i = 0; i < whole && first + i < f->pages; i++) {
		memcpy(f->digests + (first + i) * MAP_DIGEST_LEN, ev->map_digests.data + i * MAP_DIGEST_LEN,
		       MAP_DIGEST_LEN);
		f->known[first + i] = 1;
	}
}

void map_digest_capture(struct sp_event *ev, pid_t tid)
{
	const struct sp_arg *r = &ev->ret;
	if (!(r->flags & SP_HAS_BUF) || !r->buf.len)
		return;
	size_t len = r->buf.len;
	uint8_t *d = arena_alloc(ev->arena, map_digest_pages(len) * MAP_DIGEST_LEN);
	if (!d || map_digest_hash(r->buf.data, len, d) < 0)
		return;
	ev->map_digests = (struct sp_bytes){ d, map_digest_pages(len) * MAP_DIGEST_LEN };
	ev->map_len = len;
	ev->map_path = fd_path(ev, tid, (int)ev->raw_args[4]);
	remember(ev, tid);
}
