/* libFuzzer harness for the comparison and its report: the input is read
 * as a recording; its first two syscalls become a recorded and a replayed
 * event, compared at entry and exit under the lax policy (compare.c), the
 * pair written to a differences file (the writer), read back and rendered
 * (reader, renderer). A crash, a sanitizer report or a leak is a bug. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/render.h"
#include "format/tracefile.h"
#include "fuzz_util.h"
#include "verify/compare.h"
#include "verify/policy.h"

static void report(const char *path, struct sp_event *rec, struct sp_event *rep)
{
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		__builtin_trap(); /* our own writer's file must read back */
	struct render_opts ro = { .strsize = 32 };
	struct strbuf sb = { 0 };
	uint64_t index = 0;
	int k = tf_next_pair(r, rec, rep, &index);
	if (k != 1 || tf_kind(r) != TF_DIFFERENCES || index != 7)
		__builtin_trap();
	render_event(&sb, rec, &ro);
	render_event_json(&sb, rec, index);
	render_event(&sb, rep, &ro);
	render_event_json(&sb, rep, index);
	sb_free(&sb);
	tf_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy pol;
	static int loaded;
	char err[512];
	if (!loaded) {
		if (policy_load(&pol, "lax", err, sizeof(err)) < 0)
			__builtin_trap();
		loaded = 1;
	}
	const char *in = fuzz_file("compare-in", data, size);
	if (!in)
		return 0;
	struct tf_reader *r = tf_open(in, err, sizeof(err));
	if (!r)
		return 0;
	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event rec = { .arena = &a1 }, rep = { .arena = &a2 };
	if (tf_kind(r) == TF_RECORDING && tf_next_event(r, &rec) == 1 && tf_next_event(r, &rep) == 1) {
		struct ptrmap pm;
		ptrmap_init(&pm);
		struct compare_ctx c = { .pol = &pol, .ptrs = &pm };
		compare_event(&c, &rec, &rep, false);
		compare_event(&c, &rec, &rep, true);
		ptrmap_free(&pm);
		static char out[96];
		snprintf(out, sizeof(out), "/dev/shm/sperrips-fuzz-compare-out-%d", (int)getpid());
		struct tf_writer *w = tf_writer_open(out);
		if (w) {
			tf_write_equal(w, false);
			tf_write_pair(w, &rec, &rep, 7);
			tf_write_equal(w, false);
			if (tf_writer_close(w) == 0) {
				struct arena b1, b2;
				arena_init(&b1, 1 << 16);
				arena_init(&b2, 1 << 16);
				struct sp_event x = { .arena = &b1 }, y = { .arena = &b2 };
				report(out, &x, &y);
				event_reset(&x);
				event_reset(&y);
				arena_free(&b1);
				arena_free(&b2);
			}
		}
	}
	event_reset(&rec);
	event_reset(&rep);
	arena_free(&a1);
	arena_free(&a2);
	tf_close(r);
	return 0;
}
