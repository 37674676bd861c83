#include "verify/streams.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/render.h"

#define EXCERPT 24

struct stream {
	uint64_t id;
	uint64_t pos;     /* stream position of pend[0] */
	uint8_t *pend;    /* bytes one side has and the other not yet */
	size_t n, cap;
	bool rec_ahead;   /* pend holds recorded bytes (else replayed ones) */
	bool differing;   /* the last read had bytes that differ */
};

struct streams {
	struct stream *s;
	size_t n, cap;
	uint8_t mis_rec[EXCERPT], mis_rep[EXCERPT];
	size_t mis_rec_n, mis_rep_n;
};

struct streams *streams_new(void)
{
	return calloc(1, sizeof(struct streams));
}

void streams_free(struct streams *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->s[i].pend);
	free(s->s);
	free(s);
}

static struct stream *find(struct streams *s, uint64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->s[i].id == id)
			return &s->s[i];
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct stream *p = realloc(s->s, cap * sizeof(*p));
		if (!p)
			return NULL;
		s->s = p;
		s->cap = cap;
	}
	struct stream *st = &s->s[s->n++];
	memset(st, 0, sizeof(*st));
	st->id = id;
	return st;
}

/* Keep `b` as the bytes side `rec_ahead` has beyond the other. */
static int keep(struct stream *st, const uint8_t *b, size_t n, bool rec_ahead)
{
	if (st->n + n > st->cap) {
		size_t cap = st->cap ? st->cap : 4096;
		while (cap < st->n + n)
			cap *= 2;
		uint8_t *p = realloc(st->pend, cap);
		if (!p)
			return -ENOMEM;
		st->pend = p;
		st->cap = cap;
	}
	if (n)
		memmove(st->pend + st->n, b, n);
	st->n += n;
	st->rec_ahead = rec_ahead;
	return 0;
}

static void note_mismatch(struct streams *s, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	s->mis_rec_n = an < EXCERPT ? an : EXCERPT;
	s->mis_rep_n = bn < EXCERPT ? bn : EXCERPT;
	if (s->mis_rec_n)
		memcpy(s->mis_rec, a, s->mis_rec_n);
	if (s->mis_rep_n)
		memcpy(s->mis_rep, b, s->mis_rep_n);
}

/* Index of the first byte where a and b differ within n, or n. */
static size_t first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	if (!n || !memcmp(a, b, n))
		return n;
	size_t i = 0;
	while (a[i] == b[i])
		i++;
	return i;
}

int64_t streams_feed(struct streams *s, uint64_t id, struct sp_bytes rec, struct sp_bytes rep)
{
	struct stream *st = find(s, id);
	if (!st)
		return -ENOMEM;
	int64_t first = -1;
	/* The side that is behind catches up on the pending bytes first. */
	struct sp_bytes behind = st->rec_ahead ? rep : rec, ahead = st->rec_ahead ? rec : rep;
	size_t m = behind.len < st->n ? behind.len : st->n;
	size_t i = first_diff(st->pend, behind.data, m);
	if (i < m) {
		first = (int64_t)(st->pos + i);
		if (st->rec_ahead)
			note_mismatch(s, st->pend + i, st->n - i, behind.data + i, behind.len - i);
		else
			note_mismatch(s, behind.data + i, behind.len - i, st->pend + i, st->n - i);
	}
	st->pos += m;
	if (st->n > m) /* nothing pending: pend may still be NULL */
		memmove(st->pend, st->pend + m, st->n - m);
	st->n -= m;
	behind.data += m;
	behind.len -= m;
	int e = 0;
	if (st->n) {
		/* Still ahead: all of this read's bytes of that side wait too. */
		e = keep(st, ahead.data, ahead.len, st->rec_ahead);
	} else {
		/* Nothing pending: the rest of both reads, side by side. */
		size_t k = behind.len < ahead.len ? behind.len : ahead.len;
		i = first_diff(behind.data, ahead.data, k);
		if (i < k && first < 0) {
			first = (int64_t)(st->pos + i);
			struct sp_bytes r = st->rec_ahead ? ahead : behind, p = st->rec_ahead ? behind : ahead;
			note_mismatch(s, r.data + i, r.len - i, p.data + i, p.len - i);
		}
		st->pos += k;
		bool ahead_is_rec = st->rec_ahead;
		if (behind.len > k)
			e = keep(st, behind.data + k, behind.len - k, !ahead_is_rec);
		else if (ahead.len > k)
			e = keep(st, ahead.data + k, ahead.len - k, ahead_is_rec);
	}
	if (e < 0)
		return e;
	/* Bytes keep their positions after a difference (a changed byte does
	 * not shift the rest): a run of differing reads is said once. */
	bool was = st->differing;
	st->differing = first >= 0;
	if (first < 0)
		return -1;
	return was ? -3 : first;
}

size_t streams_owed(const struct streams *s, uint64_t id)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->s[i].id == id)
			return s->s[i].rec_ahead ? s->s[i].n : 0;
	return 0;
}

bool streams_pending(const struct streams *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->s[i].n)
			return true;
	return false;
}

void streams_last_mismatch(const struct streams *s, struct sp_bytes *rec, struct sp_bytes *rep)
{
	*rec = (struct sp_bytes){ s->mis_rec, s->mis_rec_n };
	*rep = (struct sp_bytes){ s->mis_rep, s->mis_rep_n };
}

int streams_report_unmatched(const struct streams *s, struct strbuf *sb)
{
	int n = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		const struct stream *st = &s->s[i];
		/* Replayed bytes beyond the recorded ones were taken from the pipe
		 * but never shown to the program (it got the recorded chunks). */
		if (!st->n || !st->rec_ahead)
			continue;
		sb_printf(sb, "  pipe:[%" PRIu64 "] the recorded stream goes on at byte %" PRIu64
			  " with %zu bytes the replayed pipe never delivered: ", st->id, st->pos, st->n);
		render_bytes(sb, st->pend, st->n, EXCERPT);
		sb_puts(sb, " [UNEXPECTED_MEMORY_CONTENT]\n");
		n++;
	}
	return n;
}
