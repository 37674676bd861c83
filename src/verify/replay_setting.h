/* Replay's side of the recorded setting (issue 9, item 10): what to ask
 * launch to restore (sandbox/setting.h), the container the recording ran
 * in, the lines that say what was restored and what could not be, and the
 * differences that come from the setting, not from the program. */
#ifndef SPERRIPS_REPLAY_SETTING_H
#define SPERRIPS_REPLAY_SETTING_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/event.h"
#include "format/tracefile.h"
#include "sandbox/launch.h"
#include "sandbox/setting.h"
#include "verify/replay.h"

/** The setting `m` records, to be restored (`workdir_given`: the caller
 *  chose the working directory, so a missing one is an error). */
void replay_setting_from_meta(struct setting *s, const struct tf_meta *m, bool workdir_given);

/** The container to replay in: the caller's `given` (its network set to
 *  none when the recording had none and the caller asked for nothing
 *  else), or, without one, a new one over the recorded root if that is a
 *  folder here (`*made`, to be freed with container_opts_free), or NULL
 *  (a container recording is then refused by preflight). What was
 *  restored or not goes into `notes`. */
struct container_opts *replay_setting_container(const struct tf_meta *m, struct container_opts *given,
						struct container_opts **made, struct setting_notes *notes);

/** Free what replay_setting_container made and the notes. NULLs are fine. */
void replay_setting_free(struct container_opts *made, struct setting_notes *notes);

/** Print the notes of `a` (the container) and of `l` (the rest), each
 *  line indented under the program's name: the parts that could not be
 *  restored always, the restored ones when `verbose`; and a line for each
 *  of stdout/stderr that `o` named a file for while the recording's was of
 *  another kind. */
void replay_setting_say(FILE *out, const struct setting_notes *a, const struct launch *l, const struct tf_meta *m,
			const struct replay_opts *o, bool verbose);

/** If `rep` (compared with `rec`) is a stat of standard output or error
 *  (fstat(1), newfstatat(2, "", AT_EMPTY_PATH), statx) or an lseek, that descriptor was
 *  a regular file when recorded and is still the one replay gave (`dev`,
 *  `ino`, checked through /proc/`tid`/fd), its must-match differences
 *  other than the file type become acceptable ("standard output
 *  setting"): size, blocks, links, permissions and owners describe the
 *  caller's file (a log with earlier lines), not the program; so does
 *  the position lseek(1 or 2, ...) returns. Returns how many were
 *  changed. */
int replay_setting_accept_std_stat(const struct tf_meta *m, pid_t tid, const dev_t dev[2], const ino_t ino[2],
				   const struct sp_event *rec, struct sp_event *rep);

#endif
