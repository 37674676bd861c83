/* The bpf recording backend (issue 15): the tracer follows the program's
 * lifecycle only (no syscall stops), the BPF programs record its syscalls,
 * and this turns their records into the same events, through the same
 * capture code and the same table rows, handed to the same phase callbacks
 * (record's writer) as the ptrace tracer does. */
#ifndef SPERRIPS_TRACE_BPF_RECORD_H
#define SPERRIPS_TRACE_BPF_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "trace/tracer.h"

struct bpf_record;

/** Load the BPF programs. 0 and *out, or -errno and a one-line reason in
 *  `why` (built without BPF, no BTF, no privilege, lockdown). */
int bpf_record_open(struct bpf_record **out, char *why, size_t whylen);
/** Route `ops` through the backend: `ops` is saved, then replaced by
 *  callbacks that run it under one lock, with the syscalls the ring holds
 *  delivered to its on_exit first (so every signal and end comes after the
 *  syscalls its thread made before it). Starts the thread that drains the
 *  ring while the program runs. */
int bpf_record_wrap(struct bpf_record *b, struct tracer_ops *ops);
/** After tracer_run: deliver what the ring still holds, stop the drain
 *  thread. Returns the records lost (ring full) and, in *load_ns, what
 *  loading took. */
uint64_t bpf_record_finish(struct bpf_record *b, uint64_t *load_ns);
/** Syscalls delivered so far whose bytes BPF could not capture (marked
 *  unreadable in the recording). */
uint64_t bpf_record_uncaptured(const struct bpf_record *b);
/** Times a thread was stopped while the ring was more than half full
 *  and resumed once it was drained (the lossless throttle). */
uint64_t bpf_record_throttled(const struct bpf_record *b);
/** Unload and free (after bpf_record_finish, or instead of it). */
void bpf_record_close(struct bpf_record *b);

#endif
