/* Signals in listings: strace's "--- SIGCHLD {si_signo=SIGCHLD, ...} ---". */
#ifndef SPERRIPS_RENDER_SIGNAL_H
#define SPERRIPS_RENDER_SIGNAL_H

#include "base/event.h"
#include "base/strbuf.h"
#include "cli/render.h"

/** One line (no newline) for a signal event (ev->is_signal). */
void render_signal(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o);
/** The signal event as one JSON object (no newline). */
void render_signal_json(struct strbuf *sb, const struct sp_event *ev);

#endif
