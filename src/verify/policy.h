/* What a difference between recording and replay means: must match,
 * acceptable (the recorded value is written back and the run goes on), or
 * ignored. Rules are data: a built-in table, overridden by a JSON file. */
#ifndef SPERRIPS_POLICY_H
#define SPERRIPS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum policy_class {
	PC_MUST = 0,   /* a real difference: DIFFERENT */
	PC_ACCEPT = 1, /* benign nondeterminism: replayed, verdict equivalent */
	PC_IGNORE = 2, /* not even reported */
};

#define POLICY_RET 6   /* `arg` of the return value */
#define POLICY_ANY 7   /* any argument or the return value */

struct policy_rule {
	const char *syscall; /* name, or "*" */
	uint8_t arg;         /* 0..5, POLICY_RET or POLICY_ANY */
	const char *field;   /* struct field, "buffer", "value", "items", or "*" */
	uint8_t klass;       /* enum policy_class */
	const char *label;   /* the kind of nondeterminism, for the summary */
	uint32_t flag;       /* result flag to report instead of the default (0: default) */
};

struct policy {
	bool strict;                 /* stop at the first difference that is not acceptable */
	struct policy_rule *rules;   /* user rules, searched before the built-in ones */
	size_t n_rules;
	void *owned;                 /* the JSON document the rule strings point into */
};

/* Result flags (seed.md). */
enum {
	RF_CORRECT = 0,
	RF_FAILED_PARSING_RECFILE = 1,
	RF_COMPARING_DIFFERENT_JOBS = 2,
	RF_POTENTIAL_MEMORY_CORRUPTION = 4,
	RF_DIFFERENT_SYSCALLS_ENCOUNTERED = 8,
	RF_WRONG_POINTER = 16,
	RF_UNEXPECTED_MEMORY_CONTENT = 32,
	RF_UNEXPECTED_ARGUMENT = 64,
	RF_UNEXPECTED_ARGUMENT_VALUE = 128,
	RF_UNKNOWN_PARAMETER_TYPE = 256,
	RF_ERROR_WRITING_TO_CHILD = 512,
	RF_WRONG_INTEGER = 1024,
	RF_STAT_DIFFERS = 2048,
	RF_UNIMPLEMENTED_SYSCALL = 4096,
	RF_UNDEFINED_SYSTEM_STATE = 8192,
	RF_UNAME_DIFFERENT = 16384,
};

/* What a descriptor is, as far as its bytes are concerned: identified by
 * what it is (device numbers, file system type), not by the name it was
 * opened under. */
enum policy_source {
	PS_NONE = 0,         /* a file, a socket, ...: its bytes must match */
	PS_RANDOM = 1,       /* /dev/random or /dev/urandom (char 1:8, 1:9) */
	PS_SYSTEM_STATE = 2, /* a /proc or /sys file of live counters (meminfo, loadavg, ...) */
	PS_PIPE = 3,         /* a pipe: compared as a byte stream, not read by read */
	PS_MOUNTS = 4,       /* /proc/PID/mounts, mountinfo: compared without the overlay's host folders */
};

/** "lax", "strict" or a JSON policy file. 0, or -1 with a reason in err. */
int policy_load(struct policy *p, const char *spec, char *err, size_t errlen);
void policy_free(struct policy *p);
/** The rule for a difference in `field` of argument `arg` (0..5 or
 *  POLICY_RET) of syscall `name`; NULL means "must match". */
const struct policy_rule *policy_lookup(const struct policy *p, const char *name, int arg, const char *field);
/** The same, searching only the rules of the policy file (NULL: none). */
const struct policy_rule *policy_lookup_user(const struct policy *p, const char *name, int arg, const char *field);
/** The rule for bytes read (and the count returned) from a descriptor of
 *  kind `source` that differ: acceptable with the kind's label, or NULL.
 *  (PS_MOUNTS: only once compare found the tables equal but for the
 *  overlay's folders.) */
const struct policy_rule *policy_source_rule(int source);
/** The rule for reads from a pipe whose byte stream agrees with the
 *  recording and only the chunks differ. */
const struct policy_rule *policy_chunking_rule(void);
/** What a /proc or /sys file (its path as the kernel names it) holds:
 *  PS_SYSTEM_STATE for live counters whose contents differ from run to
 *  run, PS_MOUNTS for a mount table, PS_NONE for anything else. */
int policy_path_source(const char *path);
/** Names of the flags set in `flags`, "|"-separated, into buf. */
const char *policy_flag_names(uint32_t flags, char *buf, size_t len);

#endif
