/* The trace file (src/format/tracefile.h): hand-built events and metadata written
 * with the streaming writer and read back field for field; every possible
 * truncation of the file; garbage, empty files, directories; a
 * differences file. */
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

#include "format/tracefile.h"

#define NR_READ 0
#define NR_WRITE 1
#define NR_RECVMSG 47
#define NR_EXECVE 59
#define NR_EXIT_GROUP 231
#define NR_OPENAT 257
#define NR_GETRANDOM 318

#include "unit_tmpdir.h"

/* ---- building events by hand ---- */

static struct sp_bytes bytes(struct arena *a, const void *p, size_t n)
{
	uint8_t *d = arena_alloc(a, n ? n : 1);
	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return (struct sp_bytes){ d, n };
}

static struct sp_arg scalar(uint8_t kind, uint64_t v)
{
	return (struct sp_arg){ .kind = kind, .value = v };
}

static struct sp_arg buffer(struct arena *a, uint8_t kind, uint64_t ptr, const void *p, size_t n)
{
	struct sp_arg x = { .kind = kind, .ptr = ptr, .value = n, .flags = SP_HAS_PTR | SP_HAS_BUF };
	x.buf = bytes(a, p, n);
	return x;
}

static struct sp_arg string(struct arena *a, uint64_t ptr, const char *s)
{
	struct sp_arg x = buffer(a, K_CHAR_PTR, ptr, s, strlen(s));
	x.value = 0;
	return x;
}

static struct sp_arg same(struct sp_arg in)
{
	if (in.flags & SP_HAS_BUF || in.n_items)
		in.flags |= SP_SAME_AS_ENTRY;
	return in;
}

static void ret(struct sp_event *ev, int64_t v)
{
	ev->returned = true;
	ev->ret = scalar(K_SIGNED_INT, (uint64_t)v);
}

#define N_EVENTS 9

static const uint8_t file_bytes[] = { 'h', 'o', 's', 't', 0, 0xff, '\n', 0x80, '"', '\\' };
static const uint8_t random_bytes[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xf0, 0, 0, 0xfe, 0x7f, 0x20 };

/* Event i of the test file, built into `ev` (whose arena is set). */
static void build_event(struct sp_event *ev, int i)
{
	struct arena *a = ev->arena;
	event_reset(ev);
	ev->tid = 4242;
	switch (i) {
	case 0: /* openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC, 0) = 3 */
		ev->nr = NR_OPENAT;
		ev->nargs = 4;
		ev->entry[0] = scalar(K_INT, 0xffffff9c);
		ev->entry[1] = string(a, 0x7ffff7fd0000, "/etc/hostname");
		ev->entry[2] = scalar(K_INT, 02000000);
		ev->entry[3] = scalar(K_MODE_T, 0);
		for (int k = 0; k < 4; k++)
			ev->exit[k] = same(ev->entry[k]);
		ret(ev, 3);
		break;
	case 1: /* read(3, <bytes with NULs>, 4096) = 10 */
		ev->nr = NR_READ;
		ev->nargs = 3;
		ev->entry[0] = scalar(K_INT, 3);
		ev->entry[1] = (struct sp_arg){ .kind = K_OUT_BUFFER, .ptr = 0x555555559000, .value = 4096, .flags = SP_HAS_PTR };
		ev->entry[2] = scalar(K_SIZE_T, 4096);
		ev->exit[0] = ev->entry[0];
		ev->exit[1] = buffer(a, K_OUT_BUFFER, 0x555555559000, file_bytes, sizeof(file_bytes));
		ev->exit[2] = ev->entry[2];
		ret(ev, sizeof(file_bytes));
		break;
	case 2: /* write(1, <same bytes>, 10) = 10 */
		ev->nr = NR_WRITE;
		ev->nargs = 3;
		ev->entry[0] = scalar(K_INT, 1);
		ev->entry[1] = buffer(a, K_VOID_PTR_FOLLOW, 0x555555559000, file_bytes, sizeof(file_bytes));
		ev->entry[2] = scalar(K_SIZE_T, sizeof(file_bytes));
		for (int k = 0; k < 3; k++)
			ev->exit[k] = same(ev->entry[k]);
		ret(ev, sizeof(file_bytes));
		break;
	case 3: /* openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -ENOENT */
		ev->nr = NR_OPENAT;
		ev->nargs = 4;
		ev->entry[0] = scalar(K_INT, 0xffffff9c);
		ev->entry[1] = string(a, 0x7ffff7fd0100, "/nonexistent");
		ev->entry[2] = scalar(K_INT, 0);
		ev->entry[3] = scalar(K_MODE_T, 0);
		for (int k = 0; k < 4; k++)
			ev->exit[k] = same(ev->entry[k]);
		ret(ev, -2);
		break;
	case 4: { /* recvmsg(3, {name, control, two iovecs}, 0) = 7 */
		ev->nr = NR_RECVMSG;
		ev->nargs = 3;
		uint8_t hdr[56];
		for (int k = 0; k < 56; k++)
			hdr[k] = (uint8_t)(k * 7);
		ev->entry[0] = scalar(K_INT, 3);
		ev->entry[1] = buffer(a, K_STRUCT_MSGHDR, 0x7fffffffd000, hdr, sizeof(hdr));
		ev->entry[2] = scalar(K_INT, 0);
		ev->exit[0] = ev->entry[0];
		ev->exit[1] = buffer(a, K_STRUCT_MSGHDR, 0x7fffffffd000, hdr, sizeof(hdr));
		static const uint8_t name[] = { 2, 0, 0, 53, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
		static const uint8_t control[] = { 0x14, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xaa };
		ev->exit[1].name = bytes(a, name, sizeof(name));
		ev->exit[1].control = bytes(a, control, sizeof(control));
		ev->exit[1].items = arena_alloc(a, 2 * sizeof(struct sp_bytes));
		ev->exit[1].items[0] = bytes(a, "abc", 3);
		ev->exit[1].items[1] = bytes(a, "\0\1\2\3", 4);
		ev->exit[1].n_items = 2;
		ev->exit[2] = ev->entry[2];
		ret(ev, 7);
		break;
	}
	case 5: { /* getrandom(<16 bytes>, 16, 0) = 16, the buffer cut (full_length) */
		ev->nr = NR_GETRANDOM;
		ev->nargs = 3;
		ev->entry[0] = (struct sp_arg){ .kind = K_OUT_BUFFER, .ptr = 0x7fffffffe000, .value = 16, .flags = SP_HAS_PTR };
		ev->entry[1] = scalar(K_SIZE_T, 16);
		ev->entry[2] = scalar(K_INT, 0);
		ev->exit[0] = buffer(a, K_OUT_BUFFER, 0x7fffffffe000, random_bytes, sizeof(random_bytes));
		ev->exit[0].flags |= SP_TRUNCATED;
		ev->exit[0].full_len = 1 << 20;
		ev->exit[1] = ev->entry[1];
		ev->exit[2] = ev->entry[2];
		ret(ev, 16);
		break;
	}
	case 6: { /* execve("/bin/echo", ["echo", "", "hi"], []) = 0, one string unreadable */
		ev->nr = NR_EXECVE;
		ev->nargs = 3;
		ev->entry[0] = string(a, 0x1000, "/bin/echo");
		ev->entry[1] = (struct sp_arg){ .kind = K_STRING_ARRAY, .ptr = 0x2000, .value = 3, .flags = SP_HAS_PTR };
		ev->entry[1].items = arena_alloc(a, 3 * sizeof(struct sp_bytes));
		ev->entry[1].items[0] = bytes(a, "echo", 4);
		ev->entry[1].items[1] = bytes(a, "", 0);
		ev->entry[1].items[2] = bytes(a, "hi", 2);
		ev->entry[1].n_items = 3;
		ev->entry[2] = (struct sp_arg){ .kind = K_STRING_ARRAY, .ptr = 0x3000, .flags = SP_HAS_PTR | SP_UNREADABLE };
		for (int k = 0; k < 3; k++)
			ev->exit[k] = same(ev->entry[k]);
		ret(ev, 0);
		break;
	}
	case 7: /* read(0, ..., 100) never returned */
		ev->nr = NR_READ;
		ev->nargs = 3;
		ev->entry[0] = scalar(K_INT, 0);
		ev->entry[1] = (struct sp_arg){ .kind = K_OUT_BUFFER, .ptr = 0x4000, .value = 100, .flags = SP_HAS_PTR };
		ev->entry[2] = scalar(K_SIZE_T, 100);
		ev->unfinished = true;
		break;
	case 8: /* exit_group(0) */
		ev->nr = NR_EXIT_GROUP;
		ev->nargs = 1;
		ev->entry[0] = scalar(K_INT, 0);
		ev->is_exit_call = true;
		break;
	default:
		fail();
	}
}

/* ---- comparing ---- */

static void assert_bytes(struct sp_bytes got, struct sp_bytes want, const char *what)
{
	if (got.len != want.len)
		fail_msg("%s: %zu bytes, expected %zu", what, got.len, want.len);
	if (want.len)
		assert_memory_equal(got.data, want.data, want.len);
}

/* Flags that survive the file: buffers present (when not empty), cut,
 * unreadable, same-as-entry. SP_HAS_PTR only means something with a ptr. */
#define KEPT_FLAGS (SP_UNREADABLE | SP_TRUNCATED | SP_SAME_AS_ENTRY)

static void assert_arg(const struct sp_arg *got, const struct sp_arg *want, const char *what)
{
	assert_int_equal(got->kind, want->kind);
	if (got->value != want->value)
		fail_msg("%s: value %llu, expected %llu", what, (unsigned long long)got->value,
			 (unsigned long long)want->value);
	assert_int_equal(got->ptr, want->ptr);
	assert_int_equal(got->flags & KEPT_FLAGS, want->flags & KEPT_FLAGS);
	if (want->buf.len)
		assert_true(got->flags & SP_HAS_BUF);
	if (want->flags & SP_TRUNCATED)
		assert_int_equal(got->full_len, want->full_len);
	assert_bytes(got->buf, want->buf, what);
	assert_bytes(got->name, want->name, "msg_name");
	assert_bytes(got->control, want->control, "msg_control");
	assert_int_equal(got->n_items, want->n_items);
	for (uint32_t i = 0; i < want->n_items; i++)
		assert_bytes(got->items[i], want->items[i], "item");
}

static void assert_event(const struct sp_event *got, const struct sp_event *want)
{
	assert_int_equal(got->nr, want->nr);
	assert_int_equal(got->tid, want->tid);
	assert_int_equal(got->nargs, want->nargs);
	assert_int_equal(got->is_exit_call, want->is_exit_call);
	assert_int_equal(got->returned, want->returned);
	assert_int_equal(got->unfinished, want->unfinished);
	for (int i = 0; i < want->nargs; i++) {
		assert_arg(&got->entry[i], &want->entry[i], "entry");
		if (want->returned)
			assert_arg(&got->exit[i], &want->exit[i], "exit");
	}
	if (want->returned) {
		assert_int_equal(got->ret.kind, want->ret.kind);
		assert_int_equal(got->ret.value, want->ret.value);
		assert_int_equal(event_ret(got), event_ret(want));
	}
}

/* ---- the metadata ---- */

static char *argv_[] = { "/bin/cat", "/etc/hostname", "", "with space" };
static char *env_[] = { "LANG=C", "EMPTY=" };
static const uint8_t stdin_[] = { 'i', 'n', 0, 0xff, '\n' };
static struct tf_range ranges_[] = {
	{ "/usr/bin/cat", 0x555555554000, 0x555555556000 },
	{ "[heap]", 0x555555560000, 0x555555581000 },
	{ "", 0x7ffff7dd0000, 0x7ffff7dd3000 },
};

static void build_meta(struct tf_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->version = "sperrips 9.9.9 (abcdef)";
	m->time_recorded = 1700000000;
	m->argv = argv_;
	m->argc = 4;
	m->stdin_bytes = (uint8_t *)stdin_;
	m->stdin_len = sizeof(stdin_);
	m->env = env_;
	m->n_env = 2;
	m->workdir = "/tmp/work";
	m->number_of_syscalls = N_EVENTS;
	m->job_name = "eval_cat";
	m->uname = (struct tf_uname){ "Linux", "host1", "6.1.0-18-amd64", "#1 SMP Debian", "x86_64", "(none)" };
	m->aslr_state = 2;
	m->ranges = ranges_;
	m->n_ranges = 3;
	m->tracee_aslr_off = true;
	m->vdso_hidden = true;
	m->interrupted = true;
	m->pinned = true;
	m->exit_status = 0x8b; /* killed by SIGSEGV, core dumped */
}

static void assert_str(const char *got, const char *want)
{
	/* Empty strings are absent on the wire; the reader may give NULL. */
	assert_string_equal(got ? got : "", want ? want : "");
}

static void assert_meta(const struct tf_meta *g, const struct tf_meta *w)
{
	assert_non_null(g);
	assert_str(g->version, w->version);
	assert_int_equal(g->time_recorded, w->time_recorded);
	assert_int_equal(g->argc, w->argc);
	for (size_t i = 0; i < w->argc; i++)
		assert_str(g->argv[i], w->argv[i]);
	assert_int_equal(g->stdin_len, w->stdin_len);
	assert_memory_equal(g->stdin_bytes, w->stdin_bytes, w->stdin_len);
	assert_int_equal(g->n_env, w->n_env);
	for (size_t i = 0; i < w->n_env; i++)
		assert_str(g->env[i], w->env[i]);
	assert_str(g->workdir, w->workdir);
	assert_int_equal(g->number_of_syscalls, w->number_of_syscalls);
	assert_str(g->job_name, w->job_name);
	assert_str(g->uname.sysname, w->uname.sysname);
	assert_str(g->uname.nodename, w->uname.nodename);
	assert_str(g->uname.release, w->uname.release);
	assert_str(g->uname.version, w->uname.version);
	assert_str(g->uname.machine, w->uname.machine);
	assert_str(g->uname.domainname, w->uname.domainname);
	assert_int_equal(g->aslr_state, w->aslr_state);
	assert_int_equal(g->n_ranges, w->n_ranges);
	for (size_t i = 0; i < w->n_ranges; i++) {
		assert_str(g->ranges[i].section, w->ranges[i].section);
		assert_int_equal(g->ranges[i].from, w->ranges[i].from);
		assert_int_equal(g->ranges[i].to, w->ranges[i].to);
	}
	assert_int_equal(g->tracee_aslr_off, w->tracee_aslr_off);
	assert_int_equal(g->vdso_hidden, w->vdso_hidden);
	assert_int_equal(g->interrupted, w->interrupted);
	assert_int_equal(g->pinned, w->pinned);
	assert_int_equal(g->exit_status, w->exit_status);
}

/* ---- writing the test file ---- */

static uint64_t boundaries[N_EVENTS + 1]; /* file offset after each syscall field */
static off_t full_size;

static void write_recording(const char *path)
{
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	for (int i = 0; i < N_EVENTS; i++) {
		build_event(&ev, i);
		assert_int_equal(tf_write_event(w, &ev), 0);
		boundaries[i] = tf_written(w);
	}
	struct tf_meta m;
	build_meta(&m);
	assert_int_equal(tf_write_metadata(w, &m), 0);
	boundaries[N_EVENTS] = tf_written(w);
	assert_int_equal(tf_writer_close(w), 0);
	arena_free(&a);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	full_size = st.st_size;
	assert_int_equal((uint64_t)full_size, boundaries[N_EVENTS]);
}

static void round_trip(void **state)
{
	(void)state;
	const char *path = path_in("rt.bin");
	write_recording(path);
	char err[512] = "";
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("tf_open: %s", err);
	assert_int_equal(tf_kind(r), TF_RECORDING);
	/* A stream reader: the metadata written last is there once read. */
	assert_int_equal(tf_count(r), 0);
	assert_null(tf_meta(r));

	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event got = { .arena = &a1 }, exp = { .arena = &a2 };
	for (int i = 0; i < N_EVENTS; i++) {
		assert_int_equal(tf_next_event(r, &got), 1);
		build_event(&exp, i);
		assert_event(&got, &exp);
	}
	assert_int_equal(tf_next_event(r, &got), 0);
	assert_int_equal(tf_next_event(r, &got), 0);
	assert_int_equal(tf_count(r), N_EVENTS);
	assert_null(tf_incomplete(r));
	struct tf_meta want;
	build_meta(&want);
	assert_meta(tf_meta(r), &want);
	tf_close(r);
	arena_free(&a1);
	arena_free(&a2);
}

/* The exit copy marked same_as_entry carries the entry's bytes after reading. */
static void same_as_entry_is_resolved(void **state)
{
	(void)state;
	const char *path = path_in("same.bin");
	write_recording(path);
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	assert_non_null(r);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	assert_int_equal(tf_next_event(r, &ev), 1); /* openat */
	assert_true(ev.exit[1].flags & SP_SAME_AS_ENTRY);
	assert_true(ev.exit[1].flags & SP_HAS_BUF);
	assert_int_equal(ev.exit[1].buf.len, strlen("/etc/hostname"));
	assert_memory_equal(ev.exit[1].buf.data, "/etc/hostname", ev.exit[1].buf.len);
	assert_int_equal(tf_next_event(r, &ev), 1); /* read: exit buffer is its own */
	assert_false(ev.exit[1].flags & SP_SAME_AS_ENTRY);
	assert_false(ev.entry[1].flags & SP_HAS_BUF);
	assert_int_equal(tf_next_event(r, &ev), 1); /* write */
	assert_true(ev.exit[1].flags & SP_SAME_AS_ENTRY);
	assert_memory_equal(ev.exit[1].buf.data, file_bytes, sizeof(file_bytes));
	tf_close(r);
	arena_free(&a);
}

/* A buffer that was read but is empty (read at EOF returns 0, the empty path
 * of newfstatat(fd, "")) must stay "captured, 0 bytes" and not turn into
 * "not captured": show prints read(3, "", 4096) = 0 as strace does. */
static void empty_captured_buffer_survives(void **state)
{
	(void)state;
	const char *path = path_in("empty.bin");
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	event_reset(&ev);
	ev.nr = NR_READ;
	ev.nargs = 3;
	ev.entry[0] = scalar(K_INT, 3);
	ev.entry[1] = (struct sp_arg){ .kind = K_OUT_BUFFER, .ptr = 0x5000, .value = 4096, .flags = SP_HAS_PTR };
	ev.entry[2] = scalar(K_SIZE_T, 4096);
	ev.exit[0] = ev.entry[0];
	ev.exit[1] = (struct sp_arg){ .kind = K_OUT_BUFFER, .ptr = 0x5000, .value = 0, .flags = SP_HAS_PTR | SP_HAS_BUF };
	ev.exit[1].buf = bytes(&a, "", 0);
	ev.exit[2] = ev.entry[2];
	ret(&ev, 0);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_write_event(w, &ev), 0);
	assert_int_equal(tf_writer_close(w), 0);
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	assert_non_null(r);
	struct sp_event got = { .arena = &a };
	int k = tf_next_event(r, &got);
	size_t len = got.exit[1].buf.len;
	bool has_buf = (got.exit[1].flags & SP_HAS_BUF) != 0;
	tf_close(r);
	arena_free(&a);
	assert_int_equal(k, 1);
	assert_int_equal(len, 0);
	if (!has_buf)
		fail_msg("read's exit buffer was captured (0 bytes) but reads back as not captured");
}

static void write_prefix(const char *src, const char *dst, off_t len)
{
	FILE *in = fopen(src, "rb");
	assert_non_null(in);
	uint8_t *buf = malloc((size_t)full_size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)full_size, in), (size_t)full_size);
	fclose(in);
	FILE *out = fopen(dst, "wb");
	assert_non_null(out);
	if (len)
		assert_int_equal(fwrite(buf, 1, (size_t)len, out), (size_t)len);
	fclose(out);
	free(buf);
}

static void assert_one_line(const char *msg, const char *path)
{
	assert_true(msg[0] != 0);
	assert_null(strchr(msg, '\n'));
	if (!strstr(msg, path))
		fail_msg("message \"%s\" does not name %s", msg, path);
}

/* Cut the file at every byte: never a crash; either a clean error, or a
 * reader that returns exactly the complete events before the cut and says
 * that the file is incomplete. */
static void truncated_at_every_byte(void **state)
{
	(void)state;
	const char *path = path_in("full.bin");
	write_recording(path);
	const char *cut = path_in("cut.bin");
	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event got = { .arena = &a1 }, exp = { .arena = &a2 };
	int opened = 0, refused = 0;
	for (off_t len = 0; len <= full_size; len++) {
		write_prefix(path, cut, len);
		char err[512] = "";
		struct tf_reader *r = tf_open(cut, err, sizeof(err));
		if (!r) {
			if (len >= (off_t)boundaries[0])
				fail_msg("cut at %lld (after a complete syscall) refused: %s", (long long)len, err);
			assert_one_line(err, cut);
			refused++;
			continue;
		}
		opened++;
		int complete = 0;
		while (complete < N_EVENTS && boundaries[complete] <= (uint64_t)len)
			complete++;
		int n = 0, k;
		while ((k = tf_next_event(r, &got)) == 1) {
			build_event(&exp, n);
			assert_event(&got, &exp);
			n++;
		}
		if (k != 0)
			fail_msg("cut at %lld: tf_next_event ended with %d (%s) after %d events", (long long)len, k,
				 tf_error(r), n);
		assert_int_equal(n, complete);
		assert_int_equal(tf_count(r), complete);
		if (len == full_size) {
			assert_null(tf_incomplete(r));
			assert_non_null(tf_meta(r));
		} else {
			if (!tf_incomplete(r))
				fail_msg("cut at byte %lld of %lld: tf_incomplete() is NULL", (long long)len,
					 (long long)full_size);
			assert_null(strchr(tf_incomplete(r), '\n'));
			assert_null(tf_meta(r));
		}
		tf_close(r);
	}
	assert_true(opened > 0);
	assert_true(refused > 0); /* at least the empty file */
	arena_free(&a1);
	arena_free(&a2);
}

static void write_raw(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void refuses_garbage_empty_and_directories(void **state)
{
	(void)state;
	char err[512];
	const char *p = path_in("garbage.bin");
	const char text[] = "this is not a recording\n";
	write_raw(p, text, sizeof(text) - 1);
	memset(err, 0, sizeof(err));
	assert_null(tf_open(p, err, sizeof(err)));
	assert_one_line(err, p);

	p = path_in("empty.bin");
	write_raw(p, "", 0);
	memset(err, 0, sizeof(err));
	assert_null(tf_open(p, err, sizeof(err)));
	assert_one_line(err, p);

	p = path_in("elf.bin");
	const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	write_raw(p, elf, sizeof(elf));
	memset(err, 0, sizeof(err));
	assert_null(tf_open(p, err, sizeof(err)));
	assert_one_line(err, p);

	/* A field that claims more than protobuf allows. */
	p = path_in("huge.bin");
	const uint8_t huge[] = { 0x12, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3 };
	write_raw(p, huge, sizeof(huge));
	memset(err, 0, sizeof(err));
	struct tf_reader *r = tf_open(p, err, sizeof(err));
	if (r) {
		assert_non_null(tf_incomplete(r));
		struct arena a;
		arena_init(&a, 1024);
		struct sp_event ev = { .arena = &a };
		assert_true(tf_next_event(r, &ev) <= 0);
		tf_close(r);
		arena_free(&a);
	} else {
		assert_one_line(err, p);
	}

	p = tmpdir;
	memset(err, 0, sizeof(err));
	assert_null(tf_open(p, err, sizeof(err)));
	assert_one_line(err, p);

	p = path_in("does-not-exist.bin");
	memset(err, 0, sizeof(err));
	assert_null(tf_open(p, err, sizeof(err)));
	assert_one_line(err, p);
}

/* Random bytes: whatever the reader makes of them, it must not crash and
 * must end cleanly (ASan/UBSan watch this in the sanitizer build). */
static void random_garbage_never_crashes(void **state)
{
	(void)state;
	const char *p = path_in("random.bin");
	uint32_t seed = 12345;
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	for (int round = 0; round < 300; round++) {
		uint8_t buf[512];
		size_t n = 1 + (size_t)(round * 7 % 511);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		/* Every third round starts like a syscall field to get further in. */
		if (round % 3 == 0 && n > 2) {
			buf[0] = 0x12;
			buf[1] = (uint8_t)((n - 2) & 0x7f);
		}
		write_raw(p, buf, n);
		char err[512] = "";
		struct tf_reader *r = tf_open(p, err, sizeof(err));
		if (!r) {
			assert_one_line(err, p);
			continue;
		}
		int k, guard = 0;
		while ((k = tf_next_event(r, &ev)) == 1 && guard++ < 1000)
			;
		if (k < 0)
			assert_true(tf_error(r)[0] != 0);
		tf_close(r);
	}
	arena_free(&a);
}

static void differences_file(void **state)
{
	(void)state;
	const char *path = path_in("diff.bin");
	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event rec = { .arena = &a1 }, rep = { .arena = &a2 };
	build_event(&rec, 1); /* read */
	build_event(&rep, 1);
	static const uint8_t other[] = "evil!";
	rep.exit[1] = buffer(&a2, K_OUT_BUFFER, 0x555555559000, other, 5);
	rep.n_diffs = 1;
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .replayed = true, .klass = 1, .flag = 32,
					 .offset = 0, .field = "buffer" };
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_write_pair(w, &rec, &rep, 17), 0);
	assert_int_equal(tf_write_equal(w, false), 0);
	struct tf_meta m;
	build_meta(&m);
	m.number_of_differences = 1;
	assert_int_equal(tf_write_metadata(w, &m), 0);
	assert_int_equal(tf_writer_close(w), 0);

	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(tf_kind(r), TF_DIFFERENCES);
	struct arena b1, b2;
	arena_init(&b1, 1 << 16);
	arena_init(&b2, 1 << 16);
	struct sp_event g1 = { .arena = &b1 }, g2 = { .arena = &b2 };
	uint64_t index = 0;
	assert_int_equal(tf_next_pair(r, &g1, &g2, &index), 1);
	assert_int_equal(index, 17);
	assert_event(&g1, &rec);
	assert_event(&g2, &rep);
	assert_int_equal(g2.n_diffs, 1);
	assert_int_equal(g2.diffs[0].arg, 2);
	assert_true(g2.diffs[0].at_exit);
	assert_true(g2.diffs[0].replayed);
	assert_int_equal(g2.diffs[0].flag, 32);
	assert_int_equal(g2.diffs[0].klass, 1);
	assert_string_equal(g2.diffs[0].field, "buffer");
	assert_int_equal(tf_next_pair(r, &g1, &g2, NULL), 0);
	assert_int_equal(tf_count(r), 1);
	assert_null(tf_incomplete(r));
	assert_int_equal(tf_meta(r)->number_of_differences, 1);
	tf_close(r);

	/* The prototype's empty differences file: metadata and equal = true. */
	path = path_in("diff-empty.bin");
	w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_write_metadata(w, &m), 0);
	assert_int_equal(tf_write_equal(w, true), 0);
	assert_int_equal(tf_writer_close(w), 0);
	r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(tf_kind(r), TF_DIFFERENCES);
	assert_int_equal(tf_count(r), 0);
	assert_int_equal(tf_next_pair(r, &g1, &g2, NULL), 0);
	tf_close(r);

	/* Pairs but no `equal` field yet (cut short): still a differences file. */
	path = path_in("diff-noequal.bin");
	w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_write_pair(w, &rec, &rep, 3), 0);
	assert_int_equal(tf_writer_close(w), 0);
	r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(tf_kind(r), TF_DIFFERENCES);
	assert_int_equal(tf_next_pair(r, &g1, &g2, NULL), 1);
	assert_int_equal(tf_next_pair(r, &g1, &g2, NULL), 0);
	assert_non_null(tf_incomplete(r));
	tf_close(r);
	arena_free(&a1);
	arena_free(&a2);
	arena_free(&b1);
	arena_free(&b2);
}

/* Issue 12: the metadata in two parts, a header before the first syscall
 * and a trailer after the last. The header is there as soon as the file is
 * opened; once read to the end the two merge into exactly the metadata
 * written (argv, env and ranges once each, not concatenated). */
static void header_and_trailer_merge(void **state)
{
	(void)state;
	const char *path = path_in("header.bin");
	struct tf_meta m;
	build_meta(&m);
	struct tf_meta start = m; /* what the recorder knows before the first syscall */
	start.number_of_syscalls = 0;
	start.interrupted = false;
	start.exit_status = 0;
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_write_header(w, &start), 0);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	for (int i = 0; i < N_EVENTS; i++) {
		build_event(&ev, i);
		assert_int_equal(tf_write_event(w, &ev), 0);
	}
	assert_int_equal(tf_write_trailer(w, &m), 0);
	assert_int_equal(tf_writer_close(w), 0);

	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	const struct tf_meta *h = tf_meta(r);
	assert_non_null(h);
	assert_int_equal(h->argc, 4);
	assert_string_equal(h->argv[3], argv_[3]);
	assert_int_equal(h->n_env, 2);
	assert_int_equal(h->stdin_len, sizeof(stdin_));
	assert_int_equal(h->number_of_syscalls, 0);
	assert_int_equal(h->n_ranges, 0);
	assert_false(h->interrupted);
	assert_string_equal(h->uname.release, "6.1.0-18-amd64");
	int n = 0;
	while (tf_next_event(r, &ev) == 1)
		n++;
	assert_int_equal(n, N_EVENTS);
	assert_null(tf_incomplete(r));
	assert_meta(tf_meta(r), &m);
	tf_close(r);

	/* Cut before the trailer (a killed recorder): the header is all the
	 * metadata there is, and the file is incomplete. */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *buf = malloc((size_t)st.st_size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	const char *cut = path_in("header-cut.bin");
	f = fopen(cut, "wb");
	assert_non_null(f);
	size_t keep = (size_t)st.st_size;
	/* the trailer is the last field: find where it starts */
	size_t pos = 0, last = 0;
	while (pos < (size_t)st.st_size) {
		last = pos;
		uint64_t len = 0;
		size_t p = pos + 1;
		for (int shift = 0; p < (size_t)st.st_size; shift += 7) {
			len |= (uint64_t)(buf[p] & 0x7f) << shift;
			if (!(buf[p++] & 0x80))
				break;
		}
		pos = p + len;
	}
	keep = last;
	assert_int_equal(buf[keep], TAG_METADATA);
	assert_int_equal(fwrite(buf, 1, keep, f), keep);
	fclose(f);
	free(buf);
	r = tf_open(cut, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	n = 0;
	while (tf_next_event(r, &ev) == 1)
		n++;
	assert_int_equal(n, N_EVENTS);
	assert_string_equal(tf_incomplete(r), "no trailer, only the header (the recorder stopped before finishing the file)");
	assert_int_equal(tf_meta(r)->argc, 4);
	assert_int_equal(tf_meta(r)->number_of_syscalls, 0);
	tf_close(r);
	arena_free(&a);
}

static void write_bytes(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Issue 8: a record longer than TF_MAX_RECORD is refused with one line
 * naming its offset, before it is read; one whose unpacking would take more
 * than TF_MAX_UNPACKED (a few MiB of empty arguments) too, after it. */
static void records_are_capped(void **state)
{
	(void)state;
	/* A syscall field claiming 17 MiB, after one small syscall. */
	uint8_t small[] = { 0x12, 0x02, 0x08, 0x27 };
	uint8_t head[16];
	size_t h = 0;
	head[h++] = 0x12;
	h += put_varint(head + h, ((uint64_t)17 << 20));
	uint8_t *file = calloc(1, sizeof(small) + h + 64);
	assert_non_null(file);
	memcpy(file, small, sizeof(small));
	memcpy(file + sizeof(small), head, h);
	const char *p = path_in("long.bin");
	write_bytes(p, file, sizeof(small) + h + 64);
	free(file);
	char err[512];
	struct tf_reader *r = tf_open(p, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	assert_int_equal(tf_next_event(r, &ev), 1);
	assert_int_equal(ev.nr, 39);
	assert_int_equal(tf_next_event(r, &ev), -1);
	char want[200];
	snprintf(want, sizeof(want), "record at byte 4 is %llu bytes, more than the 16 MiB a record may have (refused)",
		 (unsigned long long)17 << 20);
	assert_string_equal(tf_error(r), want);
	tf_close(r);

	/* 6 Mi empty arguments: 12 MiB on the wire, far more unpacked. */
	size_t nargs = (size_t)6 << 20, body = 2 * nargs;
	size_t cap = body + 64;
	uint8_t *item = malloc(cap);
	assert_non_null(item);
	size_t n = 0;
	item[n++] = 0x12;
	size_t inner = 2 + 1 + put_varint(head, body) + body;
	n += put_varint(item + n, inner);
	item[n++] = 0x08; /* type: getpid */
	item[n++] = 0x27;
	item[n++] = 0x12; /* args_on_entry */
	n += put_varint(item + n, body);
	for (size_t i = 0; i < nargs; i++) {
		item[n++] = 0x0a;
		item[n++] = 0x00;
	}
	p = path_in("costly.bin");
	write_bytes(p, item, n);
	free(item);
	r = tf_open(p, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_int_equal(tf_next_event(r, &ev), -1);
	assert_string_equal(tf_error(r), "item at byte 0 needs more than 20 MiB of memory to read (refused)");
	tf_close(r);
	/* tf_validate finds it too, before anything is replayed. */
	r = tf_open(p, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(tf_validate(r), -1);
	assert_string_equal(tf_error(r), "item at byte 0 needs more than 20 MiB of memory to read (refused)");
	tf_close(r);
	arena_free(&a);
}

/* Issue 12: no seek. The same file given through a pipe reads the same. */
static void reads_from_a_pipe(void **state)
{
	(void)state;
	const char *path = path_in("pipe.bin");
	write_recording(path);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		FILE *f = fopen(path, "rb");
		char buf[4096];
		size_t k;
		while (f && (k = fread(buf, 1, sizeof(buf), f)) > 0)
			if (write(fds[1], buf, k) != (ssize_t)k)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	char err[512];
	struct tf_reader *r = tf_open_fd(fds[0], "pipe", err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	struct arena a1, a2;
	arena_init(&a1, 1 << 16);
	arena_init(&a2, 1 << 16);
	struct sp_event got = { .arena = &a1 }, exp = { .arena = &a2 };
	for (int i = 0; i < N_EVENTS; i++) {
		assert_int_equal(tf_next_event(r, &got), 1);
		build_event(&exp, i);
		assert_event(&got, &exp);
	}
	assert_int_equal(tf_next_event(r, &got), 0);
	assert_null(tf_incomplete(r));
	struct tf_meta want;
	build_meta(&want);
	assert_meta(tf_meta(r), &want);
	tf_close(r);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	arena_free(&a1);
	arena_free(&a2);
}

static void meta_copy_and_free(void **state)
{
	(void)state;
	struct tf_meta m, c;
	build_meta(&m);
	assert_int_equal(tf_meta_copy(&c, &m), 0);
	assert_meta(&c, &m);
	assert_ptr_not_equal(c.argv, m.argv);
	tf_meta_free(&c);
	assert_null(c.argv);
}

static void unwritable_path(void **state)
{
	(void)state;
	assert_null(tf_writer_open("/nonexistent-dir/x/recording.bin"));
	assert_null(tf_writer_open(tmpdir)); /* a directory */
}

/* A write error (disk full) is sticky and reported by close. */
static void write_error_is_reported(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	struct tf_writer *w = tf_writer_open("/dev/full");
	assert_non_null(w);
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	build_event(&ev, 1);
	int e = 0;
	for (int i = 0; i < 200000 && !e; i++)
		e = tf_write_event(w, &ev);
	int c = tf_writer_close(w);
	assert_true(e < 0 || c < 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(same_as_entry_is_resolved),
		cmocka_unit_test(empty_captured_buffer_survives),
		cmocka_unit_test(truncated_at_every_byte),
		cmocka_unit_test(refuses_garbage_empty_and_directories),
		cmocka_unit_test(random_garbage_never_crashes),
		cmocka_unit_test(differences_file),
		cmocka_unit_test(meta_copy_and_free),
		cmocka_unit_test(header_and_trailer_merge),
		cmocka_unit_test(records_are_capped),
		cmocka_unit_test(reads_from_a_pipe),
		cmocka_unit_test(unwritable_path),
		cmocka_unit_test(write_error_is_reported),
	};
	return cmocka_run_group_tests_name("tracefile", tests, setup_dir, teardown_dir);
}
