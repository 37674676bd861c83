#include "format/map_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/map_digest.h"

/* DIR/sha256/XX/REST: two levels keep a folder's size reasonable. */
static void page_path(const char *dir, const uint8_t *d, char *out, size_t size, size_t *split)
{
	char hex[2 * MAP_DIGEST_LEN + 1];
	for (unsigned i = 0; i < MAP_DIGEST_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	int n = snprintf(out, size, "%s/sha256/%.2s", dir, hex);
	*split = (size_t)n;
	snprintf(out + n, size - (size_t)n, "/%s", hex + 2);
}

static int mkdir_p1(const char *path)
{
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -errno;
}

static int write_file(const char *tmp, const char *path, const uint8_t *data, size_t len)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	size_t done = 0;
	while (done < len) {
		ssize_t k = write(fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = k < 0 ? -errno : -EIO;
			close(fd);
			unlink(tmp);
			return e;
		}
		done += (size_t)k;
	}
	/* Renamed into place only when whole: a reader never sees half a page. */
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = -errno;
		unlink(tmp);
		return e;
	}
	return 0;
}

int map_store_put(const char *dir, const struct sp_event *ev)
{
	const struct sp_arg *r = &ev->ret;
	if (!(r->flags & SP_HAS_BUF) || ev->map_digests.len != map_digest_pages(r->buf.len) * MAP_DIGEST_LEN)
		return 0;
	char path[4200], tmp[4300];
	size_t split;
	snprintf(path, sizeof(path), "%s/sha256", dir);
	int e = mkdir_p1(dir);
	if (!e)
		e = mkdir_p1(path);
	for (size_t i = 0; !e && i * MAP_PAGE < r->buf.len; i++) {
		page_path(dir, ev->map_digests.data + i * MAP_DIGEST_LEN, path, sizeof(path), &split);
		if (access(path, F_OK) == 0)
			continue;
		path[split] = 0;
		e = mkdir_p1(path);
		path[split] = '/';
		if (e)
			break;
		snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
		size_t n = r->buf.len - i * MAP_PAGE < MAP_PAGE ? r->buf.len - i * MAP_PAGE : MAP_PAGE;
		e = write_file(tmp, path, r->buf.data + i * MAP_PAGE, n);
	}
	return e;
}

ssize_t map_store_get(const char *dir, const uint8_t digest[32], uint8_t *out, size_t size)
{
	char path[4200];
	size_t split;
	page_path(dir, digest, path, sizeof(path), &split);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, out, size);
	int e = n < 0 ? -errno : 0;
	close(fd);
	if (e)
		return e;
	uint8_t md[MAP_DIGEST_LEN];
	if ((size_t)n > MAP_PAGE || map_digest_hash(out, (size_t)n, md) < 0 || memcmp(md, digest, MAP_DIGEST_LEN))
		return -EBADMSG;
	return n;
}
