/* The executed image: a SHA-256 of the file execve runs and of its
 * interpreter (ELF PT_INTERP or the #! line), so that a replaced program
 * is named as such on replay, not only found through its later syscalls. */
#ifndef SPERRIPS_EXEC_DIGEST_H
#define SPERRIPS_EXEC_DIGEST_H

#include <stddef.h>
#include <sys/types.h>

#include "base/event.h"

#define EXEC_DIGEST_LEN 32

/** SHA-256 of the whole file at `path` into `out`. 0, or -errno. */
int exec_digest_file(const char *path, unsigned char out[EXEC_DIGEST_LEN]);

/** The interpreter a file names: PT_INTERP of an ELF, or the program of
 *  a "#!" line, into `out` (NUL-terminated). 0, -ENOENT if it names none,
 *  or -errno. */
int exec_digest_interp(const char *path, char *out, size_t size);

/** At the exit stop of a successful execve of `tid`: put the digests of the
 *  executed file and of its interpreter into ev->exec_image and
 *  ev->exec_interp (the event's arena). Paths are looked up through the
 *  tracee's own root and working directory (/proc/TID/root, cwd). Nothing
 *  is set where a file cannot be read. */
void exec_digest_capture(struct sp_event *ev, pid_t tid);

#endif
