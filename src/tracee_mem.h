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
/** Write `len` bytes to `addr`, through read-only pages too. 0 or -errno. */
int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len);

#endif
