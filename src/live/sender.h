/* record --to HOST:PORT (issue 14): the recording goes to its file as
 * always; a thread of its own reads the file back behind the writer and
 * streams it to the verifier, so the traced program never waits for the
 * network: a slow link or a lagging verifier only lets the file run ahead
 * (the file is the spool). At the end the thread sends what is left and
 * waits for the verifier's verdict. */
#ifndef SPERRIPS_LIVE_SENDER_H
#define SPERRIPS_LIVE_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seal_signer;

/** What `record --to` was given. */
struct live_target {
	const char *to;                 /* HOST:PORT of `sperrips serve` */
	const struct seal_signer *key;  /* --key R.key: who we are */
	uint8_t server[32];             /* --server S.pub: who the verifier must be */
	bool fail_on_different;         /* exit 1 on DIFFERENT, 7 without a verdict */
	int timeout_ms;                 /* the longest silence of the verifier */
};

struct live_sender;

/** Connect and authenticate both ways, before anything runs. NULL with a
 *  one-line reason in `err` (unreachable, refused, the wrong key). */
struct live_sender *live_sender_connect(const struct live_target *t, char *err, size_t errlen);
/** Start streaming the recording being written to `path` (a regular
 *  file written through a shared mapping: what the writer reports as
 *  written is in it). 0 or -errno. */
int live_sender_start(struct live_sender *s, const char *path);
/** The writer has `bytes` of whole records in the file (called after each
 *  record: one atomic store). */
void live_sender_progress(struct live_sender *s, uint64_t bytes);
/** The recording ended at `bytes`; `whole`: it has its trailer (else the
 *  stream is cut there and the verifier says so). */
void live_sender_end(struct live_sender *s, uint64_t bytes, bool whole);
/** Wait for the verdict (or the loss of the link), print it on stderr and
 *  free `s`. Returns the exit status given `rc`, record's own: `rc` if
 *  it is not 0; else with fail_on_different 1 on DIFFERENT and
 *  EXIT_LIVE_LOST without a verdict; else 0. `file` names the recording
 *  in messages. */
int live_sender_finish(struct live_sender *s, const char *file, int rc);
/** Abandon the stream (the recording failed before it began) and free. */
void live_sender_abort(struct live_sender *s);

#endif
