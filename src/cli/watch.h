/* What record and replay say while they run: with -v one line per phase
 * and per process (started, forked, exec'd, exited, with its syscall
 * count), with -vv threads too; on a terminal a progress line (syscalls,
 * bytes, elapsed) that is redrawn in place and gone when the run ends.
 * It sits between the tracer and the phase, wrapping the phase's
 * callbacks, so the phase itself does not change. */
#ifndef SPERRIPS_WATCH_H
#define SPERRIPS_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "trace/tracer.h"

struct watch_proc;

struct watch {
	struct tracer_ops inner;   /* the phase's own callbacks */
	const char *phase;         /* "record", "replay" */
	const char *program;       /* what the first process runs */
	int verbosity;             /* -v count; <0 quiet */
	bool progress;             /* stderr is a terminal: draw the progress line */
	bool shown;                /* the progress line is on the screen now */
	bool first_seen;
	uint64_t calls, bytes, total; /* total: syscalls expected (replay), or 0 */
	struct timespec start, next_draw;
	struct watch_proc *procs;  /* by host tid, open addressing */
	size_t cap, used;
	int execve_nr, execveat_nr, clone_nr, clone3_nr;
};

/** Start watching a run of `phase` ("record", "replay") of `program`.
 *  `total`: syscalls the run is expected to make (0: unknown). The
 *  progress line is drawn only if stderr is a terminal and verbosity >= 0. */
void watch_init(struct watch *w, const char *phase, const char *program, int verbosity, uint64_t total);
/** Put the watch between the tracer and the phase: `ops` (the phase's,
 *  filled in) is saved and replaced by forwarders with `w` as context. */
void watch_wrap(struct watch *w, struct tracer_ops *ops);
/** With verbosity >= `level`: one line "sperrips: PHASE: message" on
 *  stderr, the progress line erased first (it comes back at the next
 *  redraw). */
void watch_say(struct watch *w, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Erase the progress line if it is shown (before other output). */
void watch_erase(struct watch *w);
/** The run is over: erase the progress line for good and free the table. */
void watch_done(struct watch *w);
/** Seconds since watch_init. */
double watch_elapsed(const struct watch *w);
/** "1.5 MiB" for 1572864 into buf. */
const char *watch_size(char *buf, size_t len, uint64_t bytes);

#endif
