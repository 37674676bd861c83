/* The direct encoder of tracefile.c (tf_write_event, tf_write_pair) against
 * the reference: the same events packed through the generated structs by
 * protobuf-c (tf_encode_*_reference). The bytes must be identical. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/event.h"
#include "format/tracefile.h"

#define POOL_SIZE ((size_t)4 << 20)

static uint8_t *pool;
static uint64_t rng_state;
static bool big_ok; /* this event may have buffers of 64 KiB and more */

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure can be reproduced. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* 0, small, medium, every varint length, the top bit. */
static uint64_t rnd_value(void)
{
	switch (below(6)) {
	case 0:
		return 0;
	case 1:
		return below(128);
	case 2:
		return below(1 << 16);
	case 3:
		return rnd() >> below(64);
	case 4:
		return (uint64_t)1 << below(64);
	default:
		return rnd();
	}
}

/* A length: mostly small, some empty, a few around and above 64 KiB and
 * the writer's 1 MiB buffer. */
static size_t rnd_len(void)
{
	unsigned k = (unsigned)below(100);
	if (k < 15)
		return 0;
	if (k < 80)
		return below(300);
	if (k < 92 || !big_ok)
		return below(8192);
	if (k < 95)
		return (64 << 10) - 2 + below(4); /* both sides of the writev threshold */
	if (k < 98)
		return below(300 << 10);
	return (1 << 20) + below(2 << 20);
}

static struct sp_bytes rnd_bytes(void)
{
	size_t len = rnd_len();
	if (!len && chance(50))
		return (struct sp_bytes){ NULL, 0 };
	return (struct sp_bytes){ pool + below(POOL_SIZE - len), len };
}

static const uint8_t kinds[] = { K_NONE, K_INT, K_LONG, K_CHAR_PTR, K_OUT_BUFFER, K_STRUCT_STAT,
				 K_STRUCT_MSGHDR, K_STRUCT_MSGHDR, K_IOVEC_ARRAY, K_STRING_ARRAY,
				 K_PASLR_FOLLOW, K_SIGNED_INT, K_VOID_ADDR, K_STRUCT_IFREQ, K_RAW, 127, 255 };

static void rnd_arg(struct arena *ar, struct sp_arg *a, bool at_exit)
{
	memset(a, 0, sizeof(*a));
	a->kind = chance(80) ? kinds[below(sizeof(kinds))] : (uint8_t)below(K_MAX);
	a->value = rnd_value();
	if (chance(70)) {
		a->ptr = rnd_value();
		a->flags |= SP_HAS_PTR;
	}
	if (chance(60)) {
		a->flags |= SP_HAS_BUF;
		a->buf = rnd_bytes();
	}
	if (chance(10))
		a->flags |= SP_UNREADABLE;
	if (chance(10)) {
		a->flags |= SP_TRUNCATED;
		a->full_len = chance(10) ? 0 : rnd_value();
	}
	if (at_exit && chance(30))
		a->flags |= SP_SAME_AS_ENTRY;
	if (a->kind == K_STRUCT_MSGHDR || chance(30)) {
		if (chance(60))
			a->name = rnd_bytes();
		if (chance(40))
			a->control = rnd_bytes();
	}
	if (a->kind == K_STRUCT_MSGHDR || a->kind == K_IOVEC_ARRAY || a->kind == K_STRING_ARRAY || chance(10)) {
		uint32_t n = (uint32_t)(chance(20) ? 0 : below(chance(90) ? 6 : 100));
		if (n) {
			a->items = arena_alloc(ar, n * sizeof(*a->items));
			assert_non_null(a->items);
			a->n_items = n;
			for (uint32_t i = 0; i < n; i++) {
				a->items[i] = rnd_bytes();
				if (a->items[i].len > 4096 && chance(80))
					a->items[i].len = below(64); /* keep most events small */
			}
		}
	}
}

static const char *const fields[] = { NULL, "", "buffer", "st_ino", "tv_sec", "ptr", "value", "sin_port" };

static void rnd_event(struct arena *ar, struct sp_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->arena = ar;
	big_ok = chance(5);
	switch (below(5)) {
	case 0:
		ev->nr = 0;
		break;
	case 1:
		ev->nr = (uint32_t)rnd(); /* also negative as an int32 enum */
		break;
	default:
		ev->nr = (uint32_t)below(460);
	}
	ev->tid = chance(10) ? 0 : (uint32_t)rnd_value();
	ev->seq = chance(10) ? 0 : rnd_value();
	ev->seq_exit = chance(10) ? 0 : rnd_value();
	ev->nargs = (uint8_t)below(SP_MAX_ARGS + 1);
	ev->is_exit_call = chance(10);
	ev->returned = ev->is_exit_call ? chance(20) : chance(85);
	ev->unfinished = !ev->returned && chance(50);
	for (int i = 0; i < ev->nargs; i++)
		rnd_arg(ar, &ev->entry[i], false);
	if (ev->returned) {
		for (int i = 0; i < ev->nargs; i++) {
			if (chance(50)) {
				ev->exit[i] = ev->entry[i];
				ev->exit[i].flags |= SP_SAME_AS_ENTRY;
			} else {
				rnd_arg(ar, &ev->exit[i], true);
			}
		}
		rnd_arg(ar, &ev->ret, false);
		if (chance(20)) { /* a file mapping by content (fields 70-72) */
			static const char *const paths[] = { "", "/lib/x86_64-linux-gnu/libc.so.6", "/a" };
			ev->map_path = chance(10) ? NULL : paths[below(3)];
			ev->map_digests = rnd_bytes();
			ev->map_len = rnd_value();
		}
	}
	if (chance(20)) {
		ev->n_diffs = (uint8_t)below(SP_MAX_DIFFS + 1);
		for (int i = 0; i < ev->n_diffs; i++) {
			struct sp_diff *d = &ev->diffs[i];
			d->arg = (uint8_t)below(7);
			d->at_exit = chance(50);
			d->replayed = chance(50);
			d->klass = (uint8_t)below(3);
			d->flag = chance(20) ? 0 : (uint32_t)rnd_value();
			d->offset = rnd_value();
			d->field = fields[below(sizeof(fields) / sizeof(fields[0]))];
		}
	}
}

struct expected {
	uint8_t *data;
	size_t len, cap;
	size_t *ends; /* where each item ends */
	size_t n;
};

static void expect(struct expected *e, uint8_t *item, size_t len)
{
	if (e->len + len > e->cap) {
		e->cap = (e->len + len) * 2;
		e->data = realloc(e->data, e->cap);
		assert_non_null(e->data);
	}
	memcpy(e->data + e->len, item, len);
	e->len += len;
	free(item);
	e->ends = realloc(e->ends, (e->n + 1) * sizeof(*e->ends));
	assert_non_null(e->ends);
	e->ends[e->n++] = e->len;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	uint8_t *b = malloc(n ? (size_t)n : 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* The file must hold exactly the expected items; name the first item that
 * differs. */
static void compare(const char *path, const struct expected *e)
{
	size_t len;
	uint8_t *got = slurp(path, &len);
	size_t common = len < e->len ? len : e->len;
	size_t at = 0;
	while (at < common && got[at] == e->data[at])
		at++;
	if (at < common || len != e->len) {
		size_t item = 0;
		while (item < e->n && e->ends[item] <= at)
			item++;
		fail_msg("encoded bytes differ from protobuf-c's at byte %zu (item %zu of %zu; file %zu bytes, expected %zu)",
			 at, item, e->n, len, e->len);
	}
	free(got);
}

static int setup(void **state)
{
	(void)state;
	pool = malloc(POOL_SIZE);
	if (!pool)
		return -1;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < POOL_SIZE; i++)
		pool[i] = (uint8_t)(rnd() >> 56);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

static void random_events_match_protobuf_c(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-test-encoder-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	struct arena ar;
	arena_init(&ar, 1 << 16);
	struct expected e = { 0 };
	struct sp_event ev;
	for (int i = 0; i < 4000; i++) {
		arena_reset(&ar);
		rnd_event(&ar, &ev);
		uint8_t *ref;
		size_t len;
		assert_int_equal(tf_encode_event_reference(&ev, &ref, &len), 0);
		expect(&e, ref, len);
		assert_int_equal(tf_write_event(w, &ev), 0);
		assert_int_equal(tf_written(w), e.len);
	}
	assert_int_equal(tf_writer_close(w), 0);
	compare(path, &e);
	unlink(path);
	arena_free(&ar);
	free(e.data);
	free(e.ends);
}

static void random_pairs_match_protobuf_c(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-test-encoder-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	struct arena ar;
	arena_init(&ar, 1 << 16);
	struct expected e = { 0 };
	struct sp_event *ev = malloc(2 * sizeof(*ev));
	assert_non_null(ev);
	for (int i = 0; i < 1500; i++) {
		arena_reset(&ar);
		rnd_event(&ar, &ev[0]);
		rnd_event(&ar, &ev[1]);
		const struct sp_event *rec = chance(90) ? &ev[0] : NULL;
		const struct sp_event *rep = chance(80) ? &ev[1] : NULL;
		uint64_t index = rnd_value();
		uint8_t *ref;
		size_t len;
		assert_int_equal(tf_encode_pair_reference(rec, rep, index, &ref, &len), 0);
		expect(&e, ref, len);
		assert_int_equal(tf_write_pair(w, rec, rep, index), 0);
		assert_int_equal(tf_written(w), e.len);
		if (chance(5)) {
			/* `equal` fields between pairs, as replay writes them */
			bool equal = chance(50);
			assert_int_equal(tf_write_equal(w, equal), 0);
			uint8_t *eq = malloc(2);
			assert_non_null(eq);
			eq[0] = 0x18; /* Differences.equal, a varint */
			eq[1] = equal;
			expect(&e, eq, 2);
			assert_int_equal(tf_written(w), e.len);
		}
	}
	assert_int_equal(tf_writer_close(w), 0);
	compare(path, &e);
	unlink(path);
	free(ev);
	arena_free(&ar);
	free(e.data);
	free(e.ends);
}

/* Hand-made shapes the random events may miss: all empty, an exit call
 * without exit stop, a msghdr whose iovecs are all empty. */
static void edge_cases_match_protobuf_c(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-test-encoder-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	struct expected e = { 0 };
	struct sp_bytes empty[3] = { { NULL, 0 }, { pool, 0 }, { NULL, 0 } };
	struct sp_event evs[6];
	memset(evs, 0, sizeof(evs));
	/* 0: read(0, ...) of nothing, never returned */
	evs[0].nargs = 3;
	/* 1: exit_group(0), no exit stop */
	evs[1].nr = 231;
	evs[1].nargs = 1;
	evs[1].is_exit_call = true;
	evs[1].entry[0].kind = K_INT;
	/* 2: sendmsg with an empty msghdr and empty iovecs */
	evs[2].nr = 46;
	evs[2].tid = 4242;
	evs[2].nargs = 3;
	evs[2].returned = true;
	evs[2].entry[1] = (struct sp_arg){ .kind = K_STRUCT_MSGHDR, .flags = SP_HAS_PTR | SP_HAS_BUF,
					   .ptr = 0x7ffc0000, .items = empty, .n_items = 3 };
	evs[2].exit[1] = evs[2].entry[1];
	evs[2].exit[1].flags |= SP_SAME_AS_ENTRY;
	evs[2].ret.kind = K_SIGNED_INT;
	evs[2].ret.value = (uint64_t)-14;
	/* 3: a msghdr without iovecs, an empty string array */
	evs[3].nr = 47;
	evs[3].nargs = 2;
	evs[3].returned = true;
	evs[3].entry[0].kind = K_STRUCT_MSGHDR;
	evs[3].entry[1].kind = K_STRING_ARRAY;
	evs[3].exit[0].kind = K_STRUCT_MSGHDR;
	evs[3].exit[0].flags = SP_UNREADABLE | SP_TRUNCATED;
	evs[3].exit[0].full_len = 1ULL << 40;
	/* 4: unfinished with every difference field empty */
	evs[4].nr = 0x80000000u;
	evs[4].unfinished = true;
	evs[4].n_diffs = 2;
	evs[4].diffs[1].field = "buffer";
	/* 5: a buffer of exactly 64 KiB (written with writev) */
	evs[5].nr = 1;
	evs[5].nargs = 3;
	evs[5].returned = true;
	evs[5].entry[1] = (struct sp_arg){ .kind = K_CHAR_PTR, .flags = SP_HAS_BUF, .buf = { pool, 64 << 10 } };
	for (int i = 0; i < 6; i++) {
		uint8_t *ref;
		size_t len;
		assert_int_equal(tf_encode_event_reference(&evs[i], &ref, &len), 0);
		expect(&e, ref, len);
		assert_int_equal(tf_write_event(w, &evs[i]), 0);
	}
	assert_int_equal(tf_writer_close(w), 0);
	compare(path, &e);
	unlink(path);
	free(e.data);
	free(e.ends);
}

/* What the direct encoder writes reads back through the (protobuf-c) reader. */
static void written_events_read_back(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-test-encoder-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	struct arena ar, rar;
	arena_init(&ar, 1 << 16);
	arena_init(&rar, 1 << 16);
	struct sp_event ev;
	uint32_t nrs[200], tids[200];
	uint64_t seqs[200], seq_exits[200];
	uint8_t info[128];
	for (size_t k = 0; k < sizeof(info); k++)
		info[k] = (uint8_t)(k * 7);
	for (int i = 0; i < 200; i++) {
		arena_reset(&ar);
		rnd_event(&ar, &ev);
		nrs[i] = ev.nr;
		tids[i] = ev.tid;
		seqs[i] = ev.seq;
		seq_exits[i] = ev.seq_exit;
		assert_int_equal(tf_write_event(w, &ev), 0);
		if (i % 10 == 0) {
			/* A signal between the syscalls: its own record. */
			struct sp_event sig = { .is_signal = true, .tid = 77 + (uint32_t)i, .seq = 1000 + (uint64_t)i };
			sig.sig = (struct sp_signal){ .signo = 17, .interrupted = i % 20 ? -1 : 61, .at_exit = i % 20 == 0,
						      .siginfo = { info, sizeof(info) } };
			assert_int_equal(tf_write_signal(w, &sig), 0);
		}
	}
	assert_int_equal(tf_writer_close(w), 0);
	char err[256];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(tf_count(r), 0); /* a stream reader: counted as read */
	struct sp_event back;
	memset(&back, 0, sizeof(back));
	back.arena = &rar;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(tf_next_event(r, &back), 1);
		assert_false(back.is_signal);
		assert_int_equal(back.nr, nrs[i]);
		assert_int_equal(back.tid, tids[i]);
		assert_int_equal(back.seq, seqs[i]);
		assert_int_equal(back.seq_exit, seq_exits[i]);
		if (i % 10 == 0) {
			assert_int_equal(tf_next_event(r, &back), 1);
			assert_true(back.is_signal);
			assert_int_equal(back.tid, 77 + (uint32_t)i);
			assert_int_equal(back.seq, 1000 + (uint64_t)i);
			assert_int_equal(back.sig.signo, 17);
			assert_int_equal(back.sig.interrupted, i % 20 ? -1 : 61);
			assert_int_equal(back.sig.at_exit, i % 20 == 0);
			assert_int_equal(back.sig.siginfo.len, sizeof(info));
			assert_memory_equal(back.sig.siginfo.data, info, sizeof(info));
		}
	}
	assert_int_equal(tf_next_event(r, &back), 0);
	assert_int_equal(tf_count(r), 200);
	assert_int_equal(tf_count_signals(r), 20);
	tf_close(r);
	unlink(path);
	arena_free(&ar);
	arena_free(&rar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_events_match_protobuf_c),
		cmocka_unit_test(random_pairs_match_protobuf_c),
		cmocka_unit_test(edge_cases_match_protobuf_c),
		cmocka_unit_test(written_events_read_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
