/* Running the tracee in a container: new mount, PID, UTS and IPC
 * namespaces over an overlay of a root file system (seed.md, issue 4). */
#ifndef SPERRIPS_CONTAINER_H
#define SPERRIPS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

struct spawn_opts;

struct container_opts {
	char *lower;        /* the overlay's lower layer: a root file system */
	char *upper, *work; /* NULL: fresh folders under a temporary directory */
	char *mount_point;  /* NULL: a temporary folder */
	bool keep_upper;
	bool net_none;
};

/** Container options from config.json's `container` keys (any may be NULL).
 *  0, or -1 with a one-line reason in `err`. */
int container_from_config(struct container_opts **out, const char *mount_point, const char *lower,
			  const char *upper, const char *work, char *err, size_t errlen);
void container_opts_free(struct container_opts *c);
/** Check the options and hook the container into `o` (clone flags, setup
 *  in the child). 0, or -1 with a one-line reason in `err`. */
int container_prepare(struct container_opts *c, struct spawn_opts *o, char *err, size_t errlen);
/** Remove what container_prepare created on the host (temporary folders). */
void container_cleanup(struct container_opts *c);

#endif
