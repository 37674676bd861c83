/* Facts about the machine and a tracee for the metadata: uname, the ASLR
 * setting, the tracee's memory map. */
#ifndef SPERRIPS_SYSSTATE_H
#define SPERRIPS_SYSSTATE_H

#include <sys/types.h>

#include "format/tracefile.h"

/** This machine's uname into `u` (newly allocated strings). */
void sysstate_uname(struct tf_uname *u);
/** /proc/sys/kernel/randomize_va_space, or -1. */
int sysstate_aslr(void);
/** The ranges of /proc/PID/maps into `m->ranges` (replacing any). 0 or -errno. */
int sysstate_maps(pid_t pid, struct tf_meta *m);

#endif
