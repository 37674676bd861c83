/* Capture plans from the syscall table rows (see bpf_plan.h). */
#include "trace/bpf_plan.h"

#include "syscalls/table.h"

/* Row flags whose capture is more than plain buffers. */
#define PTRACE_ONLY_FLAGS (SC_RET_MAP | SC_EXEC | SC_RET_MOVED | SC_OUT_IF_POS | SC_OUT_IF_INTR)

/* The BPF size rule of one argument, SP_BPF_SZ_PTRACE if it has none. */
static uint8_t size_rule(const struct sc_arg *a)
{
	/* Bytes read at entry and again at exit need two copies. */
	if (a->dir == D_INOUT)
		return SP_BPF_SZ_PTRACE;
	switch (a->size) {
	case S_FIXED:
		return SP_BPF_SZ_FIXED;
	case S_ARG:
		return SP_BPF_SZ_ARG;
	case S_RET:
		return SP_BPF_SZ_RET;
	case S_STR:
		return SP_BPF_SZ_STR;
	default:
		return SP_BPF_SZ_PTRACE;
	}
}

struct sp_bpf_plan bpf_plan_for(uint32_t nr)
{
	struct sp_bpf_plan p = { .size = SP_BPF_SZ_NONE, .size2 = SP_BPF_SZ_NONE };
	const struct sc_desc *d = sc_lookup(nr);
	int found = 0;

	if (d->flags & SC_NORETURN)
		p.flags |= SP_BPF_PLAN_NORETURN;
	for (int i = 0; i < d->nargs && i < 6; i++) {
		const struct sc_arg *a = &d->args[i];

		if (a->dir == D_NONE || a->size == S_NONE)
			continue;
		/* Up to two buffers, each in half of the record's data. */
		if (found++ == 0) {
			p.arg = i;
			p.ref = a->ref;
			p.n = a->n;
			p.size = size_rule(a);
		} else {
			p.arg2 = i;
			p.ref2 = a->ref;
			p.n2 = a->n;
			p.size2 = size_rule(a);
		}
	}
	if (found > 2 || (found && (d->variant || (d->flags & PTRACE_ONLY_FLAGS))) ||
	    (found == 2 && (p.size == SP_BPF_SZ_PTRACE || p.size2 == SP_BPF_SZ_PTRACE))) {
		p.size = SP_BPF_SZ_PTRACE;
		p.size2 = SP_BPF_SZ_NONE;
	}
	return p;
}
