/* Before replay runs anything a recording asks for: name it, and refuse
 * what would let a recording from elsewhere act on this host. */
#ifndef SPERRIPS_VERIFY_PREFLIGHT_H
#define SPERRIPS_VERIFY_PREFLIGHT_H

#include <stdbool.h>
#include <stdio.h>

#include "base/job.h"
#include "format/tracefile.h"

/** True if setting environment variable `kv` ("NAME=VALUE") changes what a
 *  program loads or runs before its own code: the dynamic loader's LD_*,
 *  glibc's tunables and conversion modules, interpreters' start-up hooks. */
bool preflight_env_loads(const char *kv);

/** One line naming what replay runs: the program, its arguments, working
 *  directory and root. Printed on every replay, just before the program
 *  starts: all of it comes from the recording, and a log of the replay must
 *  show it too. */
void preflight_say_command(FILE *out, const struct job *j, bool in_container);

/** Check what replaying `m` as job `j` will run. Prints to `out` one line
 *  per loader-changing variable. Returns 0,
 *  or -1 after printing a one-line refusal: a recording made in a container
 *  (`m->container_root`) replayed without one (`in_container` false). */
int preflight_check(FILE *out, const struct tf_meta *m, const struct job *j, bool in_container);

#endif
