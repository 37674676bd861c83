/* Containment: once a replay has met an unacceptable difference, the
 * program runs on recorded data it would not have had here, so it may no
 * longer act on the world. */
#ifndef SPERRIPS_VERIFY_CONTAIN_H
#define SPERRIPS_VERIFY_CONTAIN_H

#include <stdbool.h>
#include <stdint.h>

/** What a contained program may not do with syscall `name` and these
 *  register values. */
enum contain_action {
	CONTAIN_RUN = 0, /* effects stay inside the program: execute it */
	CONTAIN_EMULATE, /* effects outside the program: skip it, give it the recorded result */
	CONTAIN_STOP,    /* cannot be emulated (execve: a new image): end the run */
};

/** The action for syscall `name` (NULL: unknown, emulated) with `args`;
 *  `fd0_is_stream`: its first argument is a pipe or socket descriptor. */
enum contain_action contain_action(const char *name, const uint64_t args[6], bool fd0_is_stream);

#endif
