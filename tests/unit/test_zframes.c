/* zstd frames of a recording (src/format/zframes.c, issue 12): a
 * compressed recording decompresses to exactly the plain one and reads
 * back event for event, from a file and from a pipe fed a few bytes at a
 * time; cut at every byte of its last frame it still reads every record of
 * the complete frames, as a cut-short file and not as an error; a corrupt
 * frame, a forged window or content size are one-line errors. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <zstd.h>

#include "base/arena.h"
#include "format/tracefile.h"
#include "format/zframes.h"

#define NR_WRITE 1

#include "unit_tmpdir.h"

/* The bytes event i writes: text that compresses, with a varying part. */
static size_t payload(int i, uint8_t *out)
{
	size_t n = 200 + (size_t)(i * 37 % 900);
	uint32_t x = 2463534242u + (uint32_t)i;
	for (size_t k = 0; k < n; k++) {
		if (k % 64 < 8) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			out[k] = (uint8_t)x;
		} else {
			out[k] = (uint8_t)"the quick brown fox jumps over the lazy dog "[k % 44];
		}
	}
	return n;
}

/* Event i: write(1, <payload i>, n) = n. */
static void build_event(struct sp_event *ev, int i)
{
	uint8_t buf[1200];
	size_t n = payload(i, buf);
	event_reset(ev);
	ev->nr = NR_WRITE;
	ev->tid = 100 + (uint32_t)(i % 3);
	ev->seq = (uint64_t)i + 1;
	ev->nargs = 3;
	ev->entry[0] = (struct sp_arg){ .kind = K_INT, .value = 1 };
	uint8_t *d = arena_alloc(ev->arena, n);
	assert_non_null(d);
	memcpy(d, buf, n);
	ev->entry[1] = (struct sp_arg){ .kind = K_VOID_PTR_FOLLOW, .ptr = 0x555555559000, .value = n,
					.flags = SP_HAS_PTR | SP_HAS_BUF, .buf = { d, n } };
	ev->entry[2] = (struct sp_arg){ .kind = K_SIZE_T, .value = n };
	for (int k = 0; k < 3; k++)
		ev->exit[k] = ev->entry[k];
	ev->exit[1].flags |= SP_SAME_AS_ENTRY;
	ev->returned = true;
	ev->ret = (struct sp_arg){ .kind = K_SIGNED_INT, .value = n };
}

static void check_event(const struct sp_event *got, int i)
{
	uint8_t buf[1200];
	size_t n = payload(i, buf);
	assert_int_equal(got->nr, NR_WRITE);
	assert_int_equal(got->tid, 100 + (uint32_t)(i % 3));
	assert_int_equal(got->seq, (uint64_t)i + 1);
	assert_int_equal(got->nargs, 3);
	assert_int_equal(got->entry[1].buf.len, n);
	assert_memory_equal(got->entry[1].buf.data, buf, n);
	assert_int_equal(got->ret.value, n);
}

static char *argv0[] = { "/bin/writer" };

static void build_meta(struct tf_meta *m, uint64_t count)
{
	memset(m, 0, sizeof(*m));
	m->version = "unit";
	m->argv = argv0;
	m->argc = 1;
	m->job_name = "writer";
	m->number_of_syscalls = count;
}

/* A recording of `n` events, the first `flush_after` of them followed by a
 * tf_flush (a frame ends there when compressed; 0: none), compressed at
 * `level` (0: plain). */
static void write_recording(const char *path, int n, int flush_after, int level)
{
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	if (level)
		assert_int_equal(tf_writer_compress(w, level), 0);
	struct tf_meta m;
	build_meta(&m, 0);
	assert_int_equal(tf_write_header(w, &m), 0);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	for (int i = 0; i < n; i++) {
		build_event(&ev, i);
		assert_int_equal(tf_write_event(w, &ev), 0);
		if (i + 1 == flush_after)
			assert_int_equal(tf_flush(w), 0);
	}
	arena_free(&a);
	build_meta(&m, (uint64_t)n);
	assert_int_equal(tf_write_trailer(w, &m), 0);
	assert_int_equal(tf_writer_close(w), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	uint8_t *d = malloc((size_t)st.st_size + 1);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return d;
}

static void spill(const char *path, const uint8_t *d, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The start of each frame of `d`, as zstd sees them; returns how many. */
static size_t frames_of(const uint8_t *d, size_t len, size_t *starts, size_t max)
{
	size_t n = 0, at = 0;
	while (at < len) {
		size_t k = ZSTD_findFrameCompressedSize(d + at, len - at);
		assert_false(ZSTD_isError(k));
		assert_true(n < max);
		starts[n++] = at;
		at += k;
	}
	return n;
}

/* Read `path` to its end: events checked against build_event; returns how
 * many, the end's tf_next_event result in *end. */
static int read_all(const char *path, int *end, char *incomplete, size_t inclen, char *error, size_t errlen)
{
	struct tf_reader *r = tf_open(path, error, errlen);
	if (!r) {
		*end = -2;
		return 0;
	}
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	int n = 0, k;
	while ((k = tf_next_event(r, &ev)) == 1)
		check_event(&ev, n++);
	*end = k;
	snprintf(incomplete, inclen, "%s", tf_incomplete(r) ? tf_incomplete(r) : "");
	snprintf(error, errlen, "%s", tf_error(r));
	tf_close(r);
	arena_free(&a);
	return n;
}

/* Several frames (about 1 MiB of records each): zstd's own decompression
 * gives exactly the bytes of the plain writer, and ours reads every event. */
static void round_trip(void **state)
{
	(void)state;
	const int n = 5000; /* about 3 MiB of records */
	const char *zpath = path_in("z.bin"), *ppath = path_in("p.bin");
	/* a frame ends after record 1000; the last one holds most of a MiB,
	 * more than the decoder's blocks and the reader's buffer */
	write_recording(zpath, n, 1000, ZF_LEVEL_DEFAULT);
	write_recording(ppath, n, 1000, 0);
	size_t zlen, plen;
	uint8_t *z = slurp(zpath, &zlen), *p = slurp(ppath, &plen);
	assert_memory_equal(z, "\x28\xb5\x2f\xfd", 4);
	assert_true(zlen * 4 < plen);
	size_t starts[64];
	size_t nf = frames_of(z, zlen, starts, 64);
	assert_int_equal(nf, 5); /* the header, 1000 records, then one frame per MiB */
	assert_true(plen - 3 * ((size_t)1 << 20) > 512 << 10);
	/* zstd -dc: the plain recording, byte for byte */
	uint8_t *out = malloc(plen + 1);
	assert_non_null(out);
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	ZSTD_inBuffer in = { z, zlen, 0 };
	ZSTD_outBuffer o = { out, plen + 1, 0 };
	while (in.pos < in.size)
		assert_false(ZSTD_isError(ZSTD_decompressStream(dctx, &o, &in)));
	ZSTD_freeDCtx(dctx);
	assert_int_equal(o.pos, plen);
	assert_memory_equal(out, p, plen);
	free(out);
	char inc[256], err[256];
	int end;
	assert_int_equal(read_all(zpath, &end, inc, sizeof(inc), err, sizeof(err)), n);
	assert_int_equal(end, 0);
	assert_string_equal(inc, "");
	assert_string_equal(err, "");
	/* The plain file compressed as one frame by zstd's simple API (as
	 * `zstd --no-check` would): no checksum after the last block, so the
	 * decoder's last output waits for no more input. */
	size_t cap = ZSTD_compressBound(plen);
	uint8_t *one = malloc(cap);
	assert_non_null(one);
	size_t ol = ZSTD_compress(one, cap, p, plen, 3);
	assert_false(ZSTD_isError(ol));
	const char *opath = path_in("one.bin");
	spill(opath, one, ol);
	free(one);
	assert_int_equal(read_all(opath, &end, inc, sizeof(inc), err, sizeof(err)), n);
	assert_int_equal(end, 0);
	assert_string_equal(inc, "");
	free(z);
	free(p);
}

/* A recording of three frames, the header alone, 40 records, 7 records
 * and the trailer, cut at every byte of the last: the 40 records of the
 * second always read, then what the decoded part of the
 * second holds, and the file is reported cut short, never as an error. */
static void cut_at_every_byte_of_the_last_frame(void **state)
{
	(void)state;
	const char *path = path_in("two.bin"), *cut = path_in("cut.bin");
	write_recording(path, 47, 40, ZF_LEVEL_DEFAULT);
	size_t len;
	uint8_t *d = slurp(path, &len);
	size_t starts[4];
	assert_int_equal(frames_of(d, len, starts, 4), 3);
	for (size_t c = starts[2]; c < len; c++) {
		spill(cut, d, c);
		char inc[256], err[256];
		int end;
		int n = read_all(cut, &end, inc, sizeof(inc), err, sizeof(err));
		if (end != 0)
			fail_msg("cut at %zu of %zu: %d, %s", c, len, end, err);
		assert_true(n >= 40 && n <= 47);
		if (c == starts[2]) {
			assert_int_equal(n, 40);
			assert_string_equal(inc, "no trailer, only the header (the recorder stopped before finishing the file)");
		} else {
			char want[200];
			snprintf(want, sizeof(want),
				 "cut short inside compressed frame 3 (at byte %zu of the file, which ends at byte %zu)",
				 starts[2], c);
			assert_string_equal(inc, want);
		}
	}
	/* whole, it reads to the end */
	char inc[256], err[256];
	int end;
	assert_int_equal(read_all(path, &end, inc, sizeof(inc), err, sizeof(err)), 47);
	assert_string_equal(inc, "");
	free(d);
}

/* Corrupt frames: a changed checksum, a second frame that is not one, bytes
 * changed inside a frame. One line each; reading stops there. */
static void corrupt_frames_are_errors(void **state)
{
	(void)state;
	const char *path = path_in("c.bin"), *bad = path_in("bad.bin");
	write_recording(path, 47, 40, ZF_LEVEL_DEFAULT);
	size_t len;
	uint8_t *d = slurp(path, &len);
	size_t starts[4];
	assert_int_equal(frames_of(d, len, starts, 4), 3);
	char inc[256], err[256], want[256];
	int end;

	/* the checksum of the 40 records' frame (its last 4 bytes) */
	d[starts[2] - 1] ^= 0x40;
	spill(bad, d, len);
	int n = read_all(bad, &end, inc, sizeof(inc), err, sizeof(err));
	assert_int_equal(end, -1);
	assert_true(n <= 40);
	snprintf(want, sizeof(want),
		 "compressed frame 2 at byte %zu of the file is corrupt (Restored data doesn't match checksum)", starts[1]);
	assert_string_equal(err, want);
	assert_string_equal(inc, "");
	d[starts[2] - 1] ^= 0x40;

	/* the last frame's magic number */
	d[starts[2]] ^= 0xff;
	spill(bad, d, len);
	n = read_all(bad, &end, inc, sizeof(inc), err, sizeof(err));
	assert_int_equal(end, -1);
	assert_int_equal(n, 40);
	snprintf(want, sizeof(want), "compressed frame 3 at byte %zu of the file is corrupt (Unknown frame descriptor)",
		 starts[2]);
	assert_string_equal(err, want);
	d[starts[2]] ^= 0xff;

	/* garbage in the middle of the last frame: an error, whichever part
	 * of the decoder or of the reader finds it first */
	for (size_t k = starts[2] + 20; k < len - 8; k += 3)
		d[k] = (uint8_t)(d[k] * 31 + 7);
	spill(bad, d, len);
	n = read_all(bad, &end, inc, sizeof(inc), err, sizeof(err));
	assert_int_equal(end, -1);
	assert_true(n >= 40 && n <= 47);
	assert_true(strlen(err) > 0);
	assert_string_equal(inc, "");
	free(d);
}

/* A frame that asks for more memory than ZF_WINDOW_LOG_MAX allows, by its
 * window size or by a single-segment content size, is refused before any
 * of it is decoded. */
static void forged_sizes_are_refused(void **state)
{
	(void)state;
	const char *path = path_in("forged.bin");
	static const uint8_t window_1g[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0x00, /* no content size, not single segment */
		20 << 3,                      /* window descriptor: 2^(10+20) */
		0x01, 0x00, 0x00,             /* last block, raw, empty */
	};
	static const uint8_t content_1t[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0xe0, /* single segment, 8-byte content size */
		0, 0, 0, 0, 0, 1, 0, 0,       /* 2^40 bytes */
		0x01, 0x00, 0x00,
	};
	const struct { const uint8_t *d; size_t len; } cases[] = {
		{ window_1g, sizeof(window_1g) },
		{ content_1t, sizeof(content_1t) },
	};
	for (size_t i = 0; i < 2; i++) {
		spill(path, cases[i].d, cases[i].len);
		char err[512];
		struct tf_reader *r = tf_open(path, err, sizeof(err));
		assert_null(r);
		char want[600];
		snprintf(want, sizeof(want),
			 "%s: compressed frame 1 at byte 0 of the file needs more than 16 MiB of memory to decompress "
			 "(refused)", path);
		assert_string_equal(err, want);
	}
	/* compressed, and empty inside: like an empty plain file */
	size_t cap = ZSTD_compressBound(0);
	uint8_t *z = malloc(cap);
	size_t zl = ZSTD_compress(z, cap, "", 0, 3);
	assert_false(ZSTD_isError(zl));
	spill(path, z, zl);
	free(z);
	char err[512], want[600];
	assert_null(tf_open(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: empty file, not a sperrips recording", path);
	assert_string_equal(err, want);
}

/* From a pipe fed 7 bytes at a time: the reader never waits for input the
 * decoder does not need. */
static void reads_from_a_trickling_pipe(void **state)
{
	(void)state;
	const char *path = path_in("pipe.bin");
	write_recording(path, 300, 100, ZF_LEVEL_DEFAULT);
	size_t len;
	uint8_t *d = slurp(path, &len);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		for (size_t at = 0; at < len; at += 7) {
			size_t k = len - at < 7 ? len - at : 7;
			if (write(fds[1], d + at, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	char err[512];
	struct tf_reader *r = tf_open_fd(fds[0], "pipe", err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	int n = 0;
	while (tf_next_event(r, &ev) == 1)
		check_event(&ev, n++);
	assert_int_equal(n, 300);
	assert_null(tf_incomplete(r));
	assert_string_equal(tf_error(r), "");
	assert_int_equal(tf_meta(r)->number_of_syscalls, 300);
	tf_close(r);
	arena_free(&a);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(d);
}

/* The writer refuses a level out of range and compression once bytes
 * were written. */
static void writer_refuses_bad_requests(void **state)
{
	(void)state;
	struct tf_writer *w = tf_writer_open(path_in("w.bin"));
	assert_non_null(w);
	assert_int_equal(tf_writer_compress(w, ZF_LEVEL_MAX + 1), -EINVAL);
	assert_int_equal(tf_writer_compress(w, 0), -EINVAL);
	struct tf_meta m;
	build_meta(&m, 0);
	assert_int_equal(tf_write_header(w, &m), 0);
	assert_int_equal(tf_writer_compress(w, 1), -EINVAL);
	assert_int_equal(tf_writer_close(w), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(cut_at_every_byte_of_the_last_frame),
		cmocka_unit_test(corrupt_frames_are_errors),
		cmocka_unit_test(forged_sizes_are_refused),
		cmocka_unit_test(reads_from_a_trickling_pipe),
		cmocka_unit_test(writer_refuses_bad_requests),
	};
	return cmocka_run_group_tests_name("zframes", tests, setup_dir, teardown_dir);
}
