/* The container's init (PID 1 of its namespace), so that the program is
 * not: forwarding SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2,
 * reaping orphans, ending with the program's status. */
#ifndef SPERRIPS_INIT_H
#define SPERRIPS_INIT_H

#include <stddef.h>
#include <sys/types.h>

/** In the container's first process, last step of its setup: fork. The
 *  child (the program to be) returns 0; the parent stays as init and never
 *  returns. -1 with a one-line reason in err if the fork fails. */
int container_init_fork(char *err, size_t errlen);

/** For the tracer (spawn_opts.tracee_of): the host pid of the program
 *  below the init `init` (a host pid), or -1. */
pid_t container_tracee_of(void *arg, pid_t init);

#endif
