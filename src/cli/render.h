/* Text and JSON output of events and metadata (show, replay reports). */
#ifndef SPERRIPS_RENDER_H
#define SPERRIPS_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/event.h"
#include "base/strbuf.h"
#include "format/tracefile.h"

struct render_opts {
	size_t strsize;   /* strings and buffers are cut after this many bytes */
	bool show_tid;
};

/** One strace-like line for `ev` (no newline): name(args) = ret. */
void render_event(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o);
/** Only the call part "name(args)", as it looked at entry. */
void render_call(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o);
/** One argument (0-based `i`, or -1 for the return value) as text. */
void render_arg(struct strbuf *sb, const struct sp_event *ev, int i, bool at_exit, const struct render_opts *o);
/** A byte string quoted and escaped as strace does, cut at `max` bytes. */
void render_bytes(struct strbuf *sb, const uint8_t *p, size_t n, size_t max);
/** Up to 24 bytes of `p` (n bytes) from a little before offset `at`,
 *  quoted, with "..." when cut at the front: a difference in context. */
void render_excerpt(struct strbuf *sb, const uint8_t *p, size_t n, size_t at);
/** The event as one JSON object (no newline), buffers in hex. */
void render_event_json(struct strbuf *sb, const struct sp_event *ev, uint64_t index);
/** A short header for a recording or differences file. */
void render_meta(FILE *out, const struct tf_meta *m, enum tf_kind kind, uint64_t count);
/** Who signed a file and whether --verify checked it (render_meta_json). */
struct render_signer {
	const uint8_t *key;          /* the signer's Ed25519 public key (32 bytes), NULL if unsigned */
	const char *verified_with;   /* the .pub file it was verified with, or NULL */
};
/** The metadata as one JSON object line; `signer` may be NULL. */
void render_meta_json(FILE *out, const struct tf_meta *m, enum tf_kind kind, uint64_t count, const char *incomplete,
		      const struct render_signer *signer);
/** A file mode as strace shows st_mode: S_IFREG|0644. */
void render_mode(struct strbuf *sb, uint64_t mode);
/** "OUT_BUFFER" for 6. */
const char *render_kind_name(unsigned kind);

#endif
