/* Capture plans from the syscall table rows (see bpf_plan.h). */
#include "trace/bpf_plan.h"

#include "syscalls/table.h"

/* Row flags whose capture is more than one plain buffer. */
#define PTRACE_ONLY_FLAGS (SC_RET_MAP | SC_EXEC | SC_RET_MOVED | SC_OUT_IF_POS | SC_OUT_IF_INTR)

struct sp_bpf_plan bpf_plan_for(uint32_t nr)
{
	struct sp_bpf_plan p = { .size = SP_BPF_SZ_NONE };
	const struct sc_desc *d = sc_lookup(nr);
	int found = 0;

	if (d->flags & SC_NORETURN)
		p.flags |= SP_BPF_PLAN_NORETURN;
	for (int i = 0; i < d->nargs && i < 6; i++) {
		const struct sc_arg *a = &d->args[i];

		if (a->dir == D_NONE || a->size == S_NONE)
			continue;
		found++;
		p.arg = i;
		p.ref = a->ref;
		p.n = a->n;
		switch (a->size) {
		case S_FIXED:
			p.size = SP_BPF_SZ_FIXED;
			break;
		case S_ARG:
			p.size = SP_BPF_SZ_ARG;
			break;
		case S_RET:
			p.size = SP_BPF_SZ_RET;
			break;
		case S_STR:
			p.size = SP_BPF_SZ_STR;
			break;
		default:
			p.size = SP_BPF_SZ_PTRACE;
			break;
		}
		/* Bytes read at entry and again at exit need two copies. */
		if (a->dir == D_INOUT)
			p.size = SP_BPF_SZ_PTRACE;
	}
	if (found > 1 || (found && (d->variant || (d->flags & PTRACE_ONLY_FLAGS))))
		p.size = SP_BPF_SZ_PTRACE;
	return p;
}
