/* Names of flags and constants, as plain lists (strace's xlat idea): a
 * value either equals an entry (constants) or is an OR of entries (flags). */
#ifndef SPERRIPS_NAMES_H
#define SPERRIPS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct name_val {
	uint64_t val;
	const char *name;
};

struct name_list {
	const struct name_val *v;
	size_t n;
	bool flags;       /* OR of bits rather than one constant */
	uint64_t mask;    /* flags: bits below this mask form a leading constant (O_ACCMODE) */
	const char *unknown; /* constants: an unknown value is shown as strace does,
			      * 0x64 /\* PTRACE_??? *\/ with this prefix; NULL: as a number */
};

/** The list for a scalar format (enum sc_fmt), or NULL. */
const struct name_list *names_for_fmt(int fmt);
/** Append the name(s) of `v` to buf as strace would (FLAG_A|FLAG_B|0x40).
 *  Returns the length written. */
size_t names_format(char *buf, size_t len, const struct name_list *l, uint64_t v);
/** "ENOENT" for 2, "ERESTARTSYS" for 512 (the kernel's restart codes), or NULL. */
const char *names_errno(int e);
/** strace's text for a restart code ("Interrupted by signal" for 516), or NULL. */
const char *names_restart_text(int e);
/** STATX_ATTR_*: struct statx's stx_attributes. */
const struct name_list *names_statx_attrs(void);
/** EPOLLIN|EPOLLOUT...: the events of a struct epoll_event. */
const struct name_list *names_epoll_events(void);
/** "SIGINT" for 2 into buf. */
const char *names_signal(int sig, char *buf, size_t len);

#endif
