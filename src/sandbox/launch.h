/* From a job to a running tracee: resolve the program, open the output
 * files, fill the spawn options. Shared by record and replay so that both
 * start the program in exactly the same way. */
#ifndef SPERRIPS_LAUNCH_H
#define SPERRIPS_LAUNCH_H

#include "base/job.h"
#include "sandbox/setting.h"
#include "trace/tracer.h"

struct launch {
	struct spawn_opts spawn;
	char *path;       /* the resolved program */
	char **envp;
	int out_fd, err_fd;
	const char *stdout_kind, *stderr_kind; /* what fstat says they are */
	char *workdir;          /* where it starts (NULL only if getcwd failed) */
	uint32_t std_flags[2];  /* its stdout's and stderr's O_ACCMODE|O_APPEND */
	struct setting_run set; /* signals it starts with, restored outputs */
	struct setting_notes notes; /* replay: what was restored or not, one line each */
};

/** Prepare `l` for `j`. Returns 0, or an exit status (util.h) after printing
 *  a one-line error. */
int launch_prepare(struct launch *l, const struct job *j);
/** Finish: restored outputs reach the caller's, descriptors closed, memory
 *  freed (the notes too). Idempotent. */
void launch_release(struct launch *l);
/** Say once on stderr that the program at `path` is setuid, setgid or has
 *  file capabilities that it will not get under the tracer (unprivileged
 *  tracer, or no_new_privs in the container). `as_root`: it runs as uid 0,
 *  for which setuid root, setgid root and file capabilities change nothing. */
void launch_note_privileged(const char *path, bool as_root);

#endif
