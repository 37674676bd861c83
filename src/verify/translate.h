/* Replay's translation of the values a program hands back to the kernel.
 *
 * Replay writes recorded values into the program (a pid, an IPC id, the
 * time, a local port ...). When the program hands such a value back to the
 * kernel, the kernel must see the replay's own one, or the call fails (ESRCH,
 * EINVAL), waits on nobody, or times out at once. This module keeps one
 * recorded <-> replayed map per kind of identifier, learned from the
 * differences replay accepts, flags a value that breaks its map, and
 * rewrites arguments (registers, or memory restored when the call returns)
 * on the way in: identifiers by the table in syscalls/x86_64_ids.h, socket
 * addresses by their port, absolute deadlines by the offset between the
 * recorded and the replayed clock. */
#ifndef SPERRIPS_TRANSLATE_H
#define SPERRIPS_TRANSLATE_H

#include <stdint.h>

#include "base/event.h"

struct tracee;
struct translate;

/** A translator with empty maps (never NULL: dies on out of memory). */
struct translate *translate_new(void);
void translate_free(struct translate *tr);

/** At the entry stop, after `rep` was compared with `rec`: accept entry
 *  differences that are identifiers mapping consistently, then give the
 *  kernel the replayed identifiers, ports and deadlines in place of the
 *  recorded ones. 0, or -errno if the tracee could not be written. */
int translate_entry(struct translate *tr, struct tracee *t, const struct sp_event *rec, struct sp_event *rep);

/** At the exit stop, before anything else: put back the program's memory
 *  that translate_entry changed for this call, and note what the kernel
 *  created (timer clocks). 0, or -errno. */
int translate_exit(struct translate *tr, struct tracee *t, const struct sp_event *rep);

/** At the exit stop, after the comparison and before the recorded values
 *  are written back: learn clock offsets and identifier pairs; a difference
 *  in an identifier, a socket inode or a port that maps consistently
 *  becomes acceptable, one that breaks its map stays (or becomes) a
 *  must-match difference. */
void translate_review(struct translate *tr, const struct sp_event *rec, struct sp_event *rep);

/** A call replay makes and the recording lacks (one lock call or clock
 *  read more than recorded): its deadline is moved to this run's clock like
 *  a matched call's. 0, or -errno. */
int translate_unmatched_entry(struct translate *tr, struct tracee *t, const struct sp_event *rep);

/** Its exit, after translate_exit: a clock it read is moved back onto the
 *  recorded clock, where the program's other clock values are (recorded
 *  reads are written back). Otherwise a deadline computed from it would be
 *  moved forward twice, by the whole distance between the two runs'
 *  clocks, and a timed lock wait would sleep that long. 0, or -errno. */
int translate_unmatched_exit(struct translate *tr, struct tracee *t, const struct sp_event *rep);

/** Values rewritten on the way to the kernel so far. */
uint64_t translate_count(const struct translate *tr);

#endif
