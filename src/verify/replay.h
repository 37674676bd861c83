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
};

/** Replay the recording and print the verdict. Returns the exit status:
 *  0 identical or equivalent, 1 different, 2 usage, 3 bad recording,
 *  4 the program could not be started (util.h). */
int replay_run(const struct replay_opts *o);

#endif
