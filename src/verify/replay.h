#ifndef SPERRIPS_REPLAY_H
#define SPERRIPS_REPLAY_H

#include "base/job.h"

/** Options of a replay that do not come from the recording. */
struct replay_opts {
	const char *input;        /* the recording */
	const char *output;       /* the differences file */
	const char *policy;       /* "lax", "strict" or a JSON file */
	const char *stdout_path, *stderr_path, *workdir;
	const char *expect_job;   /* seed mode: the job config.json names */
	int aslr;                 /* -1: as recorded, 0 off, 1 on */
	bool pin;
	int verbosity;
	const char *map_store;    /* --store: folder of recorded mapped pages, or NULL */
	struct container_opts *container;
	const uint8_t *verify_key; /* --verify: the signer's public key (32 bytes), or NULL */
	const char *verify_path;   /* the file it came from, for messages */
	/* serve (live/session.c): the input is a stream still being written
	 * (a pipe fed from the network). It is read once, as it arrives: no
	 * check pass before the program starts, the trailer's facts (counts,
	 * end status, interrupted) taken when the stream ends. */
	bool live;
	/* When > 0: the first unacceptable difference is written there as
	 * one line the moment it is found (the verdict comes much later). */
	int notify_fd;
};

/** Replay the recording and print the verdict. Returns the exit status:
 *  0 identical or equivalent, 1 different, 2 usage, 3 bad recording,
 *  4 the program could not be started (util.h). */
int replay_run(const struct replay_opts *o);

#endif
