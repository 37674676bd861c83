/* Which syscall arguments and return values are kernel-assigned
 * identifiers, from the data in x86_64_ids.h. Pure data lookups. */
#ifndef SPERRIPS_SYSCALLS_IDS_H
#define SPERRIPS_SYSCALLS_IDS_H

#include <stddef.h>
#include <stdint.h>

enum sc_idkind {
	IDK_NONE = 0,
	IDK_PID,         /* a pid, tid or process group > 0 (0 means the caller) */
	IDK_PID_SIGNED,  /* as IDK_PID; -N is process group N, -1 means all */
	IDK_IPC,         /* a System V IPC id (>= 0) */
	IDK_KEY,         /* a key serial (> 0; < 0 are the special keyrings) */
	IDK_TIMER,       /* a POSIX timer id (>= 0) */
	IDK_F_OWNER_EX,  /* struct f_owner_ex: the pid at byte 4 */
	IDK_SIGINFO,     /* siginfo_t handed to the kernel: si_pid at byte 16 */
	IDK_MAX
};

#define SC_ID_RET 6            /* `where` of the return value */
#define SC_ID_PTR 8            /* `where` | SC_ID_PTR: an int the argument points to */

struct sc_idref {
	uint32_t nr;     /* syscall number */
	uint8_t where;   /* 0..5, SC_ID_RET, or SC_ID_PTR | i */
	uint8_t kind;    /* enum sc_idkind */
	int8_t cond;     /* -1, or the argument that selects the row */
	uint64_t val;    /* cond: equal to this value ... */
	uint64_t mask;   /* ... or, if mask != 0, a value < 64 whose bit is set */
};

/** The identifier rows of syscall `nr` (*n of them; NULL if none). */
const struct sc_idref *sc_ids(uint32_t nr, size_t *n);
/** True if the row applies to a call with these register values. */
int sc_id_applies(const struct sc_idref *r, const uint64_t args[6]);
/** A short name of the kind, for the verdict ("pids", "IPC ids", ...). */
const char *sc_idkind_label(unsigned kind);

#endif
