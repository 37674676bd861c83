/* The bytes a syscall moves inside the kernel (sendfile, copy_file_range,
 * splice) never pass through the program's memory: read them again from
 * the source so that a changed file is seen. */
#ifndef SPERRIPS_TRACE_CAPTURE_MOVED_H
#define SPERRIPS_TRACE_CAPTURE_MOVED_H

#include <sys/types.h>

#include "base/event.h"

/* At most this many moved bytes are kept per call (the first ones). */
#define MOVED_MAX ((size_t)64 << 20)

/** At the exit of a call whose row has SC_RET_MOVED and that moved `rval`
 *  > 0 bytes: put the bytes, read from the source descriptor through
 *  /proc/TID/fd at the offset they came from, into ev->ret's buffer. A
 *  source that cannot be read again (a pipe, a socket) leaves it empty. */
void capture_moved(struct sp_event *ev, pid_t tid, int64_t rval);

#endif
