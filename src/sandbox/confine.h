/* Confining the program in the container: what is taken away after the
 * root is built and before the exec (capabilities, and any way to gain
 * privileges back) and the optional seccomp denylist. Parsing runs in the
 * tracer, the rest in the child only; every function returns 0 or -1 with
 * a one-line reason. */
#ifndef SPERRIPS_CONFINE_H
#define SPERRIPS_CONFINE_H

#include <stddef.h>
#include <stdint.h>

/** Parse "NET_RAW,CAP_SYS_TIME,..." (case-insensitive, CAP_ optional) into
 *  a mask of capability bits. 0, or -1 with the reason in err. */
int confine_parse_caps(const char *list, uint64_t *mask, char *err, size_t errlen);

/** The name of capability `bit` ("NET_RAW"), or NULL. */
const char *confine_cap_name(int bit);

/** In the child, last step before the exec: no new privileges, and no
 *  capability outside `keep` (bit CAP_* set) in the bounding, inheritable
 *  and ambient sets: the program runs as root inside, whose exec gets
 *  exactly the bounding set. */
int confine_drop(uint64_t keep, char *err, size_t errlen);

/** Install the seccomp denylist (EPERM for mount, umount2, pivot_root,
 *  ptrace but PTRACE_TRACEME, kexec_load, kexec_file_load, init_module,
 *  finit_module, delete_module, bpf, perf_event_open, keyctl, add_key,
 *  request_key, open_by_handle_at, name_to_handle_at, and any syscall of
 *  another ABI). Needs no-new-privs set first. */
int confine_seccomp(char *err, size_t errlen);

#endif
