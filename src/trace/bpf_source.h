/* The BPF event source: loads the BPF recorder (bpf/record.bpf.c), follows
 * processes by thread group id (their children from birth) and hands back
 * one record per syscall. Not yet wired into `record` (issue 15). */
#ifndef SPERRIPS_TRACE_BPF_SOURCE_H
#define SPERRIPS_TRACE_BPF_SOURCE_H

#include <linux/types.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace/bpf/record_abi.h"

struct bpf_source;

/** Called for each record; return nonzero to stop polling early. */
typedef int (*bpf_source_fn)(const struct sp_bpf_rec *rec, void *arg);

/** Load, verify and attach the BPF programs, with plans from the syscall
 *  table. Returns 0 and *out, or -errno and a one-line reason in `why`
 *  (built without BPF, no BTF, no privilege, lockdown). *load_ns gets the
 *  time loading and attaching took. */
int bpf_source_open(struct bpf_source **out, uint64_t *load_ns, char *why, size_t whylen);
/** Follow process `tgid` (and, from now on, every child it forks). */
int bpf_source_follow(struct bpf_source *s, pid_t tgid);
/** Deliver the records in the ring: waits up to timeout_ms for a wakeup
 *  (the BPF side wakes the reader in batches), then takes all there are.
 *  Returns the number delivered, or -errno. */
int bpf_source_poll(struct bpf_source *s, int timeout_ms, bpf_source_fn fn, void *arg);
/** A descriptor that polls readable when the BPF side woke the reader. */
int bpf_source_fd(struct bpf_source *s);
/** Records lost because the ring was full. */
uint64_t bpf_source_lost(struct bpf_source *s);
/** Times a thread was stopped because the ring was more than half full. */
uint64_t bpf_source_throttled(struct bpf_source *s);
/** Detach and free. */
void bpf_source_close(struct bpf_source *s);

#endif
