/* Capture plans for the BPF recorder, derived from the syscall table so that
 * the BPF side and the ptrace side capture from the same rows. */
#ifndef SPERRIPS_TRACE_BPF_PLAN_H
#define SPERRIPS_TRACE_BPF_PLAN_H

#include <linux/types.h>
#include <stdint.h>

#include "trace/bpf/record_abi.h"

/** The plan for syscall `nr` from its table row: the one buffer BPF copies,
 *  or SP_BPF_SZ_PTRACE when the row has a shape BPF cannot follow (iovecs,
 *  msghdr, in-out buffers, several buffers, variant rows, exec, mmap'd
 *  files), or SP_BPF_SZ_NONE when nothing is behind a pointer. */
struct sp_bpf_plan bpf_plan_for(uint32_t nr);

#endif
