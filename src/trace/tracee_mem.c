#include "trace/tracee_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t procmem_io(pid_t tid, uint64_t addr, void *buf, size_t len, int writing)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)tid);
	int fd = open(path, (writing ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t done = 0;
	while (done < len) {
		ssize_t n = writing ? pwrite(fd, (const char *)buf + done, len - done, (off_t)(addr + done))
				    : pread(fd, (char *)buf + done, len - done, (off_t)(addr + done));
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		done += (size_t)n;
	}
	int err = errno;
	close(fd);
	if (done == 0 && len > 0)
		return -(err ? err : EFAULT);
	return (ssize_t)done;
}

/* The bpf backend's recorder thread reads captured bytes, never a tracee
 * (which runs on meanwhile): thread-local, the tracer thread is not
 * affected. */
static __thread const struct mem_window *window;

void mem_use_window(const struct mem_window *w)
{
	window = w;
}

/* A read served from the window: what of [addr, addr+len) it holds from
 * `addr` on, like a mapping that ends there. */
static ssize_t window_read(uint64_t addr, void *dst, size_t len)
{
	for (const struct mem_window *w = window; w; w = w->next) {
		if (!w->data || addr < w->addr || addr - w->addr >= w->len)
			continue;
		size_t off = (size_t)(addr - w->addr), n = w->len - off;
		if (n > len)
			n = len;
		memcpy(dst, (const char *)w->data + off, n);
		return (ssize_t)n;
	}
	return -EFAULT;
}

ssize_t mem_read(pid_t tid, uint64_t addr, void *dst, size_t len)
{
	if (len == 0)
		return 0;
	if (window)
		return window_read(addr, dst, len);
	struct iovec local = { dst, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return n;
	/* A partial read stops at a page that is unmapped or unreadable
	 * (PROT_NONE, or past the end of a mapped file): /proc/PID/mem reads
	 * through protections, page by page, as far as anything is mapped. */
	size_t got = n > 0 ? (size_t)n : 0;
	ssize_t m = procmem_io(tid, addr + got, (char *)dst + got, len - got, 0);
	if (m > 0)
		return (ssize_t)(got + (size_t)m);
	return got ? (ssize_t)got : (n < 0 ? -errno : m);
}

size_t mem_str_chunk(uint64_t addr, size_t max)
{
	size_t chunk = 4096 - (addr & 4095);
	if (chunk > MEM_STR_FIRST)
		chunk = MEM_STR_FIRST;
	return chunk < max ? chunk : max;
}

ssize_t mem_read_str_from(pid_t tid, uint64_t addr, char *dst, size_t max, size_t done)
{
	/* Read pieces that never cross into a page that may be unmapped, and
	 * stop at the first NUL: first a short piece (most strings are paths
	 * and names well under MEM_STR_FIRST bytes), then the rest of each page. */
	if (window && done < max) {
		ssize_t n = window_read(addr + done, dst + done, max - done);
		if (n <= 0)
			return done ? (ssize_t)done : n;
		char *nul = memchr(dst + done, 0, (size_t)n);
		if (nul)
			return nul - dst;
		done += (size_t)n;
		return done < max ? (ssize_t)done : (ssize_t)max;
	}
	while (done < max) {
		uint64_t a = addr + done;
		size_t chunk = done ? 4096 - (a & 4095) : mem_str_chunk(a, max);
		if (chunk > max - done)
			chunk = max - done;
		struct iovec local = { dst + done, chunk }, remote = { (void *)(uintptr_t)a, chunk };
		ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			n = procmem_io(tid, a, dst + done, chunk, 0);
		if (n <= 0)
			return done ? (ssize_t)done : (n < 0 ? n : -EFAULT);
		char *nul = memchr(dst + done, 0, (size_t)n);
		if (nul)
			return nul - dst;
		done += (size_t)n;
	}
	return (ssize_t)max;
}

ssize_t mem_read_str(pid_t tid, uint64_t addr, char *dst, size_t max)
{
	return mem_read_str_from(tid, addr, dst, max, 0);
}

/* Segments per process_vm_readv call (the kernel takes up to UIO_MAXIOV). */
#define READV_BATCH 64

size_t mem_readv(pid_t tid, const struct mem_seg *seg, size_t n)
{
	struct iovec local[READV_BATCH], remote[READV_BATCH];
	size_t done = 0;
	if (window) {
		for (; done < n; done++)
			if (seg[done].len && window_read(seg[done].addr, seg[done].dst, seg[done].len) !=
						     (ssize_t)seg[done].len)
				break;
		return done;
	}
	while (done < n) {
		size_t k = 0, want = 0, i;
		for (i = done; i < n && k < READV_BATCH; i++) {
			if (!seg[i].len)
				continue;
			local[k] = (struct iovec){ seg[i].dst, seg[i].len };
			remote[k] = (struct iovec){ (void *)(uintptr_t)seg[i].addr, seg[i].len };
			want += seg[i].len;
			k++;
		}
		ssize_t got = k ? process_vm_readv(tid, local, k, remote, k, 0) : 0;
		if (got == (ssize_t)want) {
			done = i;
			continue;
		}
		/* Short: the segments before the one that failed are complete. */
		size_t left = got > 0 ? (size_t)got : 0;
		while (done < i && seg[done].len <= left) {
			left -= seg[done].len;
			done++;
		}
		return done;
	}
	return n;
}

/* Is [addr, addr+len) inside mappings the program may write itself and
 * that belong to it alone (private)? Replay puts recorded bytes into the
 * program; through a shared mapping they would reach a file on disk or
 * another process, and into a read-only one (code, .rodata, a file mapped
 * for reading) the program could never have received them. */
static int writable_private(pid_t tid, uint64_t addr, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	uint64_t at = addr, end = addr + len;
	char line[512];
	while (at < end && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];
		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= at)
			continue;
		if (lo > at || perms[1] != 'w' || perms[3] != 'p')
			break;
		at = hi;
	}
	fclose(f);
	return at >= end ? 0 : -EACCES;
}

int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	int e = writable_private(tid, addr, len);
	if (e < 0)
		return e;
	/* process_vm_writev honours the program's own page protections, which
	 * /proc/PID/mem (FOLL_FORCE) would not: no fallback for writing. */
	struct iovec local = { (void *)src, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EFAULT;
}
