/* The setting a program starts in, beyond its command and environment:
 * its working directory, what its standard output and error are (a file,
 * a pipe, /dev/null, ... and their open flags) and the signals it starts
 * with ignored and blocked (issue 9, item 10). record notes it; replay
 * restores every part it can and says, one line each, what it restored
 * and what it could not. Used by launch.c, which starts the program. */
#ifndef SPERRIPS_SETTING_H
#define SPERRIPS_SETTING_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/strbuf.h"

struct spawn_opts;

/** The recorded setting replay asks for (job.want). */
struct setting {
	bool workdir_recorded;   /* job.workdir comes from the recording: fall back if missing */
	const char *std_kind[2]; /* stdout, stderr: "file", "pipe", "null", ...; NULL unknown */
	uint32_t std_flags[2];   /* their O_ACCMODE|O_APPEND (when signals_known) */
	bool signals_known;      /* the recording has the two masks below */
	uint64_t sig_ignored, sig_blocked; /* bit n-1: signal n */
};

/** A restored standard output or error of kind "file" or "pipe" whose
 *  bytes still reach the caller's own descriptor: a thread drains the
 *  pipe as the program writes; the fresh file is copied at the end. */
struct setting_drain {
	int from, to; /* -1: none */
	bool is_pipe, running;
	pthread_t thread;
};

/** What replay says about the setting before the run, one line each:
 *  the parts it could not restore (always said) and the ones it restored
 *  that differ from the caller's own (said with -v). */
struct setting_notes {
	struct strbuf cannot, restored;
};

/** One launch's share of the setting (inside struct launch). */
struct setting_run {
	uint64_t sig_ignored, sig_blocked; /* what the program starts with */
	struct setting_drain drain[2];
	bool close_std[2];                 /* recorded closed: closed in the child */
	/* The container's hooks, called after ours set the signals. */
	int (*next_child)(void *arg, char *err, size_t errlen);
	int (*next_parent)(void *arg, pid_t child, char *err, size_t errlen);
	void *next_arg;
};

/** Note the signal dispositions this process was started with, before
 *  the tracer puts its own handlers in (they would hide an ignored
 *  SIGINT). Call first thing in main. */
void setting_note_start(void);

/** Append the names of the signals in `mask` (bit n-1: signal n) to `sb`,
 *  comma-separated ("INT,PIPE"; a number for real-time ones), or "none". */
void setting_sig_names(struct strbuf *sb, uint64_t mask);

/** What the kind names `kind` ("file", "pipe", ...) in words ("a regular
 *  file", "a pipe"). */
const char *setting_kind_words(const char *kind);

/** What descriptor `fd` is, as the program sees it through fstat/ioctl:
 *  "file", "pipe", "socket", "tty", "null", "chardev", "other", "closed". */
const char *setting_fd_kind(int fd);

/** The working directory the program starts in, into `*out` (newly
 *  allocated or NULL): `workdir` if it is a directory here (in a container
 *  it is a path inside, taken as is, "/" without one); one that `want` says was recorded,
 *  not asked for, and is no directory here: NULL (this one) after a line
 *  in `notes->cannot`; no `workdir`: the current one, so that record notes
 *  it. Returns 0, or -errno when an asked-for `workdir` is no directory
 *  (-ENOTDIR if it exists). */
int setting_workdir(const char *workdir, const struct setting *want, bool in_container, struct setting_notes *notes,
		    char **out);

/** Standard output (i = 0) or error (1) of the recorded kind, when the
 *  caller gave no file for it (`*fd` < 0) and its own is of another kind
 *  or (a file) other flags: a fresh unnamed file (O_APPEND as recorded), a
 *  pipe drained to the caller's, /dev/null. Sets `*fd` to the program's
 *  descriptor; says in `notes` what it restored or could not. */
void setting_restore_std(struct setting_run *s, int i, const struct setting *want, int *fd, struct setting_notes *notes);

/** Hook the signal dispositions into `o` (after the container's hooks
 *  are in it): the recorded ones of `want` when known (a line in `notes`
 *  if they are not this process's), else the ones this process started
 *  with. `s` must outlive the run. */
void setting_hook_signals(struct setting_run *s, struct spawn_opts *o, const struct setting *want,
			  struct setting_notes *notes);

/** The program ended: the drained or copied outputs reach the caller's
 *  (`*fd` of a restored pipe is closed first so that the drain ends).
 *  Idempotent. */
void setting_finish(struct setting_run *s, int *fd[2]);

#endif
