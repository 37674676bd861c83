/* Byte streams through pipes, compared as streams: a reader may get the
 * same bytes in other chunks on replay (4096 + 4096 recorded, 8192 at once
 * replayed) when the writer is scheduled otherwise. Each read feeds the
 * recorded and the replayed bytes of one pipe; only the part one side has
 * and the other not yet is kept. Pure logic: no tracee access. */
#ifndef SPERRIPS_VERIFY_STREAMS_H
#define SPERRIPS_VERIFY_STREAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/event.h"
#include "base/strbuf.h"

struct streams;

struct streams *streams_new(void);
void streams_free(struct streams *s);

/** One read from pipe `id`: `rec` what the recorded program got, `rep`
 *  what the kernel gave the replayed one. Returns -1 if both streams agree
 *  so far, the position in the stream of the first byte that differs, or
 *  -3 if bytes differ again in a read right after one that differed (said
 *  already: bytes keep their positions, so a changed byte is one
 *  difference and the stream goes on), or -ENOMEM. */
int64_t streams_feed(struct streams *s, uint64_t id, struct sp_bytes rec, struct sp_bytes rep);

/** How many bytes the recorded reader of pipe `id` got that the replay's
 *  pipe has not delivered yet (0 if none, or if the replay is ahead). */
size_t streams_owed(const struct streams *s, uint64_t id);

/** True if some pipe has bytes on one side only: then every read from a
 *  pipe must be fed, even one whose chunk agrees. */
bool streams_pending(const struct streams *s);

/** The bytes around the last difference streams_feed found, recorded and
 *  replayed (valid until the next call). */
void streams_last_mismatch(const struct streams *s, struct sp_bytes *rec, struct sp_bytes *rep);

/** Lines for the verdict about pipes whose recorded stream goes on beyond
 *  what the replay's pipe delivered (bytes the program was given from the
 *  recording, never checked). Returns how many. */
int streams_report_unmatched(const struct streams *s, struct strbuf *sb);

#endif
