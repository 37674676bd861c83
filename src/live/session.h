/* serve (issue 14): one recorder's session, in a process of its own (a
 * misbehaving recorder can then end only its own session). The recording
 * arrives over the live link and is replayed as it arrives: the bytes go
 * through a pipe into replay (replay_opts.live), which runs the program
 * record by record, lagging the recorder by what the link and the replay
 * take. The session writes into the output folder
 *
 *   session-N.rec   the recording as received (plain stream)
 *   session-N.diff  the differences file of its replay
 *   session-N.log   everything the replay said
 *   session-N.out   the replayed program's standard output
 *
 * and logs one line on stderr when it starts, when the replay finds its
 * first unacceptable difference, and with the verdict (or why there is
 * none); the verdict also goes back to the recorder. */
#ifndef SPERRIPS_LIVE_SESSION_H
#define SPERRIPS_LIVE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "format/seal.h"
#include "verify/replay.h"

/** What every session of one `serve` shares. */
struct live_serve_conf {
	struct seal_signer key;       /* --key S.key */
	uint8_t (*allowed)[32];       /* --allow R.pub... */
	char **allowed_names;         /* their files, for the log */
	size_t n_allowed;
	const char *out_dir;          /* --out DIR */
	int timeout_ms;               /* the longest silence of a recorder */
	struct replay_opts replay;    /* policy, container, ...: passed through */
};

/** Serve one recorder on the accepted socket `fd`; `id` numbers the
 *  session, `peer` is its address for the log. Returns an exit status:
 *  replay's (0 equivalent, 1 DIFFERENT, ...), or EXIT_LIVE_LOST when the
 *  session ended without a verdict (refused, cut, stalled). */
int live_session_run(const struct live_serve_conf *conf, int fd, unsigned id, const char *peer);

/** One line on stderr, written at once (sessions log side by side). */
void live_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
