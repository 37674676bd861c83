/* Capture: turn a syscall stop into an event, using the syscall table to
 * know which bytes belong to which argument. The transport is tracee_mem
 * (ptrace-stopped tracee); nothing here knows about files or policies. */
#ifndef SPERRIPS_CAPTURE_H
#define SPERRIPS_CAPTURE_H

#include <sys/types.h>

#include "base/event.h"

/* No single buffer is captured beyond this (full_len keeps the real size). */
#define CAPTURE_MAX ((size_t)256 << 20)

/** Start `ev` (reset by the caller) with the entry stop of syscall `nr`:
 *  scalars from `args`, in- and in-out buffers from tracee memory. */
void capture_entry(struct sp_event *ev, pid_t tid, uint32_t nr, const uint64_t args[6]);
/** Complete `ev` at the exit stop: return value `rval`, out-buffers with the
 *  length the kernel filled, in-out buffers read again. */
void capture_exit(struct sp_event *ev, pid_t tid, int64_t rval);

/** Fill one scalar or pointer argument of the row from its register value at
 *  entry (shared with replay, which reads the same shapes). */
void capture_arg_entry(struct sp_event *ev, pid_t tid, int i, struct sp_arg *a);

/** How many bytes the tracee's buffer of argument `i` holds (-1: the
 *  mapping returned by mmap), as far as the call's arguments tell: replay
 *  never writes more than this. */
uint64_t capture_capacity(const struct sp_event *ev, int i);

#endif
