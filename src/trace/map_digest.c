#include "trace/map_digest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

int map_digest_hash(const uint8_t *data, size_t len, uint8_t *out)
{
	/* One context for all pages: a fresh one per page would cost an
	 * allocation each, and libc alone has some 480 pages. */
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		return -ENOMEM;
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0; off += MAP_PAGE, out += MAP_DIGEST_LEN) {
		size_t n = len - off < MAP_PAGE ? len - off : MAP_PAGE;
		unsigned int got = 0;
		if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 || EVP_DigestUpdate(md, data + off, n) != 1 ||
		    EVP_DigestFinal_ex(md, out, &got) != 1 || got != MAP_DIGEST_LEN)
			rc = -EIO;
	}
	EVP_MD_CTX_free(md);
	return rc;
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
}
