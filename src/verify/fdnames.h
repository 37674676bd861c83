/* What the descriptors of the replayed processes are: a name for the
 * verdict (`read(3</etc/passwd>, ...)`, as strace -y) and a kind for the
 * comparison (random device, /proc counters, pipe). Both come from the
 * kernel through /proc/TID/fd, so a descriptor is known by what it is,
 * not by the name the program opened. */
#ifndef SPERRIPS_VERIFY_FDNAMES_H
#define SPERRIPS_VERIFY_FDNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "base/event.h"
#include "base/strbuf.h"

struct fdname {
	uint32_t tid;
	int fd;
	char *name;
};

struct fdkind {
	uint32_t tid;
	int fd;
	int kind;      /* enum policy_source */
	uint64_t id;
};

/** Names of descriptors seen when they were made, so that a closed one is
 *  still named in the verdict of its close(); and the kinds found so far,
 *  so that a descriptor read many times is looked at once. */
struct fdnames {
	struct fdname *v;
	size_t n, cap;
	struct fdkind *k;
	size_t nk, capk;
};

void fdnames_init(struct fdnames *f);
/** Thread `vtid` (as the program sees it, in a container's PID namespace)
 *  is `host` on this machine, where /proc is read. */
void fdnames_host_tid(uint32_t vtid, uint32_t host);
void fdnames_free(struct fdnames *f);

/** The kind of descriptor `fd` of `tid` (enum policy_source); for a pipe
 *  *id is its inode. Signature of compare_ctx.source. */
int fdnames_source(void *f, uint32_t tid, int fd, uint64_t *id);

/** Read up to n bytes from pipe `fd` of `tid` without waiting, through a
 *  descriptor of the tracer's own on the same pipe (/proc/TID/fd/FD):
 *  bytes read, 0, or -errno. Signature of compare_ctx.drain. */
long fdnames_drain(void *f, uint32_t tid, int fd, uint8_t *buf, size_t n);

/** The name of descriptor `fd` of `tid` (a path, "pipe:[N]",
 *  "socket:[N]", ...) into buf, or NULL if unknown. */
const char *fdnames_name(struct fdnames *f, uint32_t tid, int fd, char *buf, size_t len);

/** If argument `i` of `ev` is a descriptor with a name, append "<name>"
 *  (strace -y style) to sb. */
void fdnames_render(struct fdnames *f, struct strbuf *sb, const struct sp_event *ev, int i);

/** After a syscall completed: remember the name of a descriptor it made,
 *  forget one it closed, and forget the kind of every descriptor number
 *  it may have reused (in any process: threads share their table). */
void fdnames_after(struct fdnames *f, const struct sp_event *ev);

#endif
