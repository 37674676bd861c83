/* libFuzzer harness: any bytes as a recording or differences file, read
 * back and rendered as show does (text and JSON). A crash, a sanitizer
 * report or a leak is a bug: bad files must give errors, never crashes.
 * Build and run: make fuzz (FUZZ_SECONDS=60 by default). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/render.h"
#include "format/tracefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/dev/shm/sperrips-fuzz-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		return 0;
	/* a signed recording (issue 12): the --verify checks and the note */
	static const uint8_t zero_key[32];
	tf_verify_signer(r, tf_signer(r) ? tf_signer(r) : zero_key, "fuzz.pub", err, sizeof(err));
	tf_origin_note(r, err, sizeof(err));
	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event rec = { .arena = &a1 }, rep = { .arena = &a2 };
	struct render_opts ro = { .strsize = 32 };
	struct strbuf sb = { 0 };
	for (int n = 0; n < 1000; n++) {
		int k = tf_kind(r) == TF_RECORDING ? tf_next_event(r, &rec) : tf_next_pair(r, &rec, &rep, NULL);
		if (k <= 0)
			break;
		sb_clear(&sb);
		render_event(&sb, &rec, &ro);
		render_event_json(&sb, &rec, (uint64_t)n);
		if (tf_kind(r) == TF_DIFFERENCES) {
			render_event(&sb, &rep, &ro);
			render_event_json(&sb, &rep, (uint64_t)n);
		}
	}
	if (tf_sealed(r) && !tf_signer(r))
		__builtin_trap(); /* a seal is only ever taken after a header that names a signer */
	const struct tf_meta *m = tf_meta(r);
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		if (m)
			render_meta(null, m, tf_kind(r), tf_count(r));
		render_meta_json(null, m, tf_kind(r), tf_count(r), tf_incomplete(r));
		fclose(null);
	}
	sb_free(&sb);
	arena_free(&a1);
	arena_free(&a2);
	tf_close(r);
	return 0;
}
