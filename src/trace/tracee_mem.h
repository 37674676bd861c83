/* Reading and writing a stopped tracee's memory: whole buffers per call
 * (process_vm_readv/writev), /proc/PID/mem where page protections refuse. */
#ifndef SPERRIPS_TRACEE_MEM_H
#define SPERRIPS_TRACEE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** Read `len` bytes at `addr` into `dst`. Returns the bytes read (less than
 *  `len` where the mapping ends) or -errno if nothing could be read. */
ssize_t mem_read(pid_t tid, uint64_t addr, void *dst, size_t len);
/** Read a NUL-terminated string of at most `max` bytes; returns its length
 *  without the NUL (`max` if none was found) or -errno. */
ssize_t mem_read_str(pid_t tid, uint64_t addr, char *dst, size_t max);
/** Where a string read starts: at most this many bytes, then page by page. */
#define MEM_STR_FIRST 256
/** The size of the first piece mem_read_str reads at `addr`: at most
 *  MEM_STR_FIRST and `max`, never across a page boundary. */
size_t mem_str_chunk(uint64_t addr, size_t max);
/** mem_read_str for a string whose first `done` bytes, without a NUL, are
 *  already in `dst`. */
ssize_t mem_read_str_from(pid_t tid, uint64_t addr, char *dst, size_t max, size_t done);

/** One of several independent buffers to read at once. */
struct mem_seg {
	uint64_t addr;
	void *dst;
	size_t len;
};
/** Read the segments with as few process_vm_readv calls as possible (one
 *  per 64). Returns how many leading segments were read completely: all `n`,
 *  or, since process_vm_readv stops at the first remote range it cannot
 *  read, fewer; the caller reads the rest one by one with mem_read (partial
 *  reads, /proc/PID/mem for protected pages). Empty segments count as read. */
size_t mem_readv(pid_t tid, const struct mem_seg *seg, size_t n);
/** Write `len` bytes to `addr`, only where the program could write them
 *  itself and only into private mappings: -EACCES for a read-only or shared
 *  mapping (nothing written), else 0 or -errno. */
int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len);

/** Bytes of a tracee's memory captured elsewhere (the bpf backend: the
 *  one buffer its BPF program copied at `addr`). */
struct mem_window {
	uint64_t addr;
	const void *data;
	size_t len;
	const struct mem_window *next; /* another buffer, or NULL */
};
/** From now on, in the calling thread only, the reads above are served from
 *  `w` instead of the tracee: bytes outside it read as unmapped (-EFAULT or
 *  a short read), so that capture marks them unreadable. NULL: the tracee
 *  again. */
void mem_use_window(const struct mem_window *w);

#endif
