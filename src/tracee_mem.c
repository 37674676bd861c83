#include "tracee_mem.h"

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

ssize_t mem_read(pid_t tid, uint64_t addr, void *dst, size_t len)
{
	if (len == 0)
		return 0;
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

ssize_t mem_read_str(pid_t tid, uint64_t addr, char *dst, size_t max)
{
	/* Read page-sized pieces that never cross into a page that may be
	 * unmapped, and stop at the first NUL. */
	size_t done = 0;
	while (done < max) {
		uint64_t a = addr + done;
		size_t chunk = 4096 - (a & 4095);
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

int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	struct iovec local = { (void *)src, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	size_t got = n > 0 ? (size_t)n : 0;
	ssize_t m = procmem_io(tid, addr + got, (char *)src + got, len - got, 1);
	if (m < 0)
		return (int)m;
	return got + (size_t)m == len ? 0 : -EFAULT;
}
