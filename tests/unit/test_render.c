/* Rendering (src/cli/render.h): exact strace-like text of hand-built events,
 * string escaping and cutting, JSON lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "cli/render.h"
#include "syscalls/table.h"

static struct arena arena;
static struct sp_event ev;
static const struct render_opts opts = { .strsize = 32 };

static int setup(void **state)
{
	(void)state;
	arena_init(&arena, 1 << 16);
	ev.arena = &arena;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static struct sp_bytes bytes(const void *p, size_t n)
{
	uint8_t *d = arena_alloc(&arena, n ? n : 1);
	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return (struct sp_bytes){ d, n };
}

static struct sp_arg scalar(uint8_t kind, uint64_t v)
{
	return (struct sp_arg){ .kind = kind, .value = v };
}

static struct sp_arg buf(uint8_t kind, uint64_t ptr, const void *p, size_t n)
{
	struct sp_arg a = { .kind = kind, .ptr = ptr, .value = n, .flags = SP_HAS_PTR | SP_HAS_BUF };
	a.buf = bytes(p, n);
	return a;
}

static struct sp_arg str(uint64_t ptr, const char *s)
{
	struct sp_arg a = buf(K_CHAR_PTR, ptr, s, strlen(s));
	a.value = 0;
	return a;
}

static struct sp_arg out_ptr(uint8_t kind, uint64_t ptr, uint64_t len)
{
	return (struct sp_arg){ .kind = kind, .ptr = ptr, .value = len, .flags = SP_HAS_PTR };
}

/* Start an event for syscall `name` with `n` arguments. */
static void start(const char *name, int n)
{
	event_reset(&ev);
	int nr = sc_number(name);
	assert_true(nr >= 0);
	ev.nr = (uint32_t)nr;
	ev.nargs = (uint8_t)n;
}

static void returns(int64_t v)
{
	for (int i = 0; i < ev.nargs; i++)
		if (!ev.exit[i].kind)
			ev.exit[i] = ev.entry[i];
	ev.returned = true;
	ev.ret = scalar(K_SIGNED_INT, (uint64_t)v);
}

static void expect_line(const char *want)
{
	struct strbuf sb = { 0 };
	render_event(&sb, &ev, &opts);
	assert_non_null(sb.s);
	char got[4096];
	snprintf(got, sizeof(got), "%s", sb.s);
	sb_free(&sb); /* before a failure, so that LeakSanitizer stays quiet */
	if (strcmp(got, want) != 0)
		fail_msg("\n got: %s\nwant: %s", got, want);
}

static void expect_bytes(const void *p, size_t n, size_t max, const char *want)
{
	struct strbuf sb = { 0 };
	render_bytes(&sb, p, n, max);
	char got[4096];
	snprintf(got, sizeof(got), "%s", sb.s);
	sb_free(&sb);
	if (strcmp(got, want) != 0)
		fail_msg("\n got: %s\nwant: %s", got, want);
}

static void openat_success(void **state)
{
	(void)state;
	start("openat", 4);
	ev.entry[0] = scalar(K_INT, (uint32_t)-100);
	ev.entry[1] = str(0x7ffff7fd0000, "/etc/hostname");
	ev.entry[2] = scalar(K_INT, 02000000); /* O_RDONLY|O_CLOEXEC */
	ev.entry[3] = scalar(K_MODE_T, 0);
	returns(3);
	/* strace (and issue 2) print the mode only with O_CREAT or O_TMPFILE. */
	expect_line("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3");
}

static void openat_with_mode(void **state)
{
	(void)state;
	start("openat", 4);
	ev.entry[0] = scalar(K_INT, 5);
	ev.entry[1] = str(0x1000, "out.txt");
	ev.entry[2] = scalar(K_INT, 01 | 0100 | 01000); /* O_WRONLY|O_CREAT|O_TRUNC */
	ev.entry[3] = scalar(K_MODE_T, 0644);
	returns(4);
	expect_line("openat(5, \"out.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4");
}

static void failing_call(void **state)
{
	(void)state;
	start("access", 2);
	ev.entry[0] = str(0x1000, "/etc/ld.so.preload");
	ev.entry[1] = scalar(K_INT, 4); /* R_OK */
	returns(-2);
	expect_line("access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory)");
	start("close", 1);
	ev.entry[0] = scalar(K_INT, 99);
	returns(-9);
	expect_line("close(99) = -1 EBADF (Bad file descriptor)");
}

static void read_and_write_buffers(void **state)
{
	(void)state;
	start("read", 3);
	ev.entry[0] = scalar(K_INT, 3);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x5000, 4096);
	ev.entry[2] = scalar(K_SIZE_T, 4096);
	ev.exit[1] = buf(K_OUT_BUFFER, 0x5000, "vm\n", 3);
	returns(3);
	expect_line("read(3, \"vm\\n\", 4096) = 3");

	start("write", 3);
	ev.entry[0] = scalar(K_INT, 1);
	ev.entry[1] = buf(K_VOID_PTR_FOLLOW, 0x5000, "hello\tworld\r\n", 13);
	ev.entry[2] = scalar(K_SIZE_T, 13);
	returns(13);
	expect_line("write(1, \"hello\\tworld\\r\\n\", 13) = 13");
}

/* read at end of file: the buffer was captured, 0 bytes. */
static void read_at_eof(void **state)
{
	(void)state;
	start("read", 3);
	ev.entry[0] = scalar(K_INT, 3);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x5000, 4096);
	ev.entry[2] = scalar(K_SIZE_T, 4096);
	ev.exit[1] = buf(K_OUT_BUFFER, 0x5000, "", 0);
	returns(0);
	expect_line("read(3, \"\", 4096) = 0");
}

static void escaping_and_cutting(void **state)
{
	(void)state;
	expect_bytes("a\nb", 3, 32, "\"a\\nb\"");
	expect_bytes("q\"b\\s", 5, 32, "\"q\\\"b\\\\s\"");
	const uint8_t bin[] = { 0, 1, 0x7f, 0x80, 0xff, 'A' };
	expect_bytes(bin, sizeof(bin), 32, "\"\\0\\1\\177\\200\\377A\"");
	expect_bytes("abcdefgh", 8, 4, "\"abcd\"...");
	expect_bytes("abcd", 4, 4, "\"abcd\"");
	expect_bytes("", 0, 32, "\"\"");
	expect_bytes("abc", 3, 0, "\"\"...");

	/* In a line: the string argument is cut at strsize (32). */
	start("write", 3);
	char long_text[100];
	memset(long_text, 'x', sizeof(long_text));
	ev.entry[0] = scalar(K_INT, 1);
	ev.entry[1] = buf(K_VOID_PTR_FOLLOW, 0x5000, long_text, sizeof(long_text));
	ev.entry[2] = scalar(K_SIZE_T, sizeof(long_text));
	returns(100);
	expect_line("write(1, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., 100) = 100");
}

static void unfinished_and_exit_group(void **state)
{
	(void)state;
	start("exit_group", 1);
	ev.entry[0] = scalar(K_INT, 0);
	ev.is_exit_call = true;
	expect_line("exit_group(0) = ?");

	start("read", 3);
	ev.entry[0] = scalar(K_INT, 0);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x4000, 100);
	ev.entry[2] = scalar(K_SIZE_T, 100);
	ev.unfinished = true;
	struct strbuf sb = { 0 };
	render_event(&sb, &ev, &opts);
	const char *want = "read(0, 0x4000, 100) = ?";
	if (strncmp(sb.s, want, strlen(want)) != 0)
		fail_msg("\n got: %s\nwant: %s...", sb.s, want);
	sb_free(&sb);
}

static void pointers_and_time(void **state)
{
	(void)state;
	start("brk", 1);
	ev.entry[0] = (struct sp_arg){ .kind = K_VOID_ADDR };
	ev.returned = true;
	ev.exit[0] = ev.entry[0];
	ev.ret = (struct sp_arg){ .kind = K_VOID_ADDR, .value = 0x555555560000, .ptr = 0x555555560000, .flags = SP_HAS_PTR };
	expect_line("brk(NULL) = 0x555555560000");

	start("clock_gettime", 2);
	ev.entry[0] = scalar(K_INT, 0);
	ev.entry[1] = out_ptr(K_STRUCT_TIMESPEC, 0x7fffffffe000, 16);
	int64_t ts[2] = { 1700000000, 123456789 };
	ev.exit[1] = buf(K_STRUCT_TIMESPEC, 0x7fffffffe000, ts, sizeof(ts));
	returns(0);
	expect_line("clock_gettime(CLOCK_REALTIME, {tv_sec=1700000000, tv_nsec=123456789}) = 0");

	start("getrandom", 3);
	ev.entry[0] = out_ptr(K_OUT_BUFFER, 0x7fffffffe000, 4);
	ev.entry[1] = scalar(K_SIZE_T, 4);
	ev.entry[2] = scalar(K_INT, 1); /* GRND_NONBLOCK */
	ev.exit[0] = buf(K_OUT_BUFFER, 0x7fffffffe000, "\x01\xfe" "AB", 4);
	returns(4);
	expect_line("getrandom(\"\\1\\376AB\", 4, GRND_NONBLOCK) = 4");

	start("getpid", 0);
	returns(4242);
	expect_line("getpid() = 4242");
}

/* Issue 11: restart codes as strace names them, the time left captured. */
static void restart_codes(void **state)
{
	(void)state;
	int64_t req[2] = { 30, 0 }, rem[2] = { 29, 5 };
	start("nanosleep", 2);
	ev.entry[0] = buf(K_STRUCT_TIMESPEC, 0x7fffffffe000, req, sizeof(req));
	ev.entry[1] = out_ptr(K_STRUCT_TIMESPEC, 0x7fffffffe010, 16);
	ev.exit[1] = buf(K_STRUCT_TIMESPEC, 0x7fffffffe010, rem, sizeof(rem));
	returns(-516);
	expect_line("nanosleep({tv_sec=30, tv_nsec=0}, {tv_sec=29, tv_nsec=5}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	start("pause", 0);
	returns(-514);
	expect_line("pause() = ? ERESTARTNOHAND (To be restarted if no handler)");
	start("wait4", 4);
	ev.entry[0] = scalar(K_PID_T, (uint32_t)-1);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x7fffffffe000, 4);
	ev.entry[2] = scalar(K_INT, 0);
	ev.entry[3] = (struct sp_arg){ .kind = K_STRUCT_RUSAGE };
	returns(-512);
	expect_line("wait4(-1, 0x7fffffffe000, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
}

/* A path or struct only partly readable, and the out-argument of a failed
 * call, show as addresses, as strace does. */
static void unreadable_and_failed(void **state)
{
	(void)state;
	start("chdir", 1);
	ev.entry[0] = str(0x7ffff7fc0ff8, "aaaaaaaa");
	ev.entry[0].flags |= SP_UNREADABLE;
	returns(-14);
	expect_line("chdir(0x7ffff7fc0ff8) = -1 EFAULT (Bad address)");
	start("fstat", 2);
	ev.entry[0] = scalar(K_INT, (uint32_t)-1);
	ev.entry[1] = out_ptr(K_STRUCT_STAT, 0x555555558000, 144);
	ev.exit[1] = buf(K_OUT_BUFFER, 0x555555558000, "", 0); /* as read back from a file */
	returns(-9);
	expect_line("fstat(-1, 0x555555558000) = -1 EBADF (Bad file descriptor)");
}

/* Flags named as strace names them. */
static void named_flags(void **state)
{
	(void)state;
	start("openat", 4);
	ev.entry[0] = scalar(K_INT, (uint32_t)-100);
	ev.entry[1] = str(0x1000, "/x");
	ev.entry[2] = scalar(K_INT, 02 | 0100 | 04010000);
	ev.entry[3] = scalar(K_MODE_T, 0600);
	returns(3);
	expect_line("openat(AT_FDCWD, \"/x\", O_RDWR|O_CREAT|O_SYNC, 0600) = 3");
	ev.entry[2] = scalar(K_INT, 02 | 020200000);
	expect_line("openat(AT_FDCWD, \"/x\", O_RDWR|O_TMPFILE, 0600) = 3");
	start("pipe2", 2);
	int fds[2] = { 3, 4 };
	ev.entry[0] = out_ptr(K_INT_ARRAY, 0x1000, 8);
	ev.exit[0] = buf(K_INT_ARRAY, 0x1000, fds, sizeof(fds));
	ev.entry[1] = scalar(K_INT, 02000000);
	returns(0);
	expect_line("pipe2([3, 4], O_CLOEXEC) = 0");
	start("wait4", 4);
	int status = 0x8b; /* killed by SIGSEGV, core dumped */
	ev.entry[0] = scalar(K_PID_T, 77);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x2000, 4);
	ev.exit[1] = buf(K_OUT_BUFFER, 0x2000, &status, 4);
	ev.entry[2] = scalar(K_INT, 0);
	ev.entry[3] = (struct sp_arg){ .kind = K_STRUCT_RUSAGE };
	returns(77);
	expect_line("wait4(77, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 77");
}

static void untyped_syscall(void **state)
{
	(void)state;
	/* Find a syscall without a typed row. */
	uint32_t nr;
	for (nr = 0; nr < sc_count(); nr++)
		if (sc_name(nr) && !sc_is_typed(nr))
			break;
	if (nr == sc_count())
		skip();
	event_reset(&ev);
	ev.nr = nr;
	ev.nargs = 6;
	for (int i = 0; i < 6; i++)
		ev.entry[i] = scalar(K_RAW, (uint64_t)(i + 1) * 16);
	returns(0);
	char want[256];
	snprintf(want, sizeof(want), "%s(0x10, 0x20, 0x30, 0x40, 0x50, 0x60) = 0", sc_name(nr));
	expect_line(want);
}

/* getsockname's addrlen is a socklen_t in/out pointer: strace shows [16]. */
static void socklen_pointer(void **state)
{
	(void)state;
	start("getsockname", 3);
	ev.entry[0] = scalar(K_INT, 5);
	ev.entry[1] = out_ptr(K_STRUCT_SOCKADDR, 0x7000, 16);
	uint32_t len = 16;
	ev.entry[2] = buf(K_SOCKLEN_T_PTR, 0x7100, &len, 4);
	static const uint8_t sin[16] = { 2, 0, 0x94, 0xab, 127, 0, 0, 1 };
	ev.exit[1] = buf(K_STRUCT_SOCKADDR, 0x7000, sin, sizeof(sin));
	ev.exit[2] = ev.entry[2];
	ev.exit[2].flags |= SP_SAME_AS_ENTRY;
	returns(0);
	expect_line("getsockname(5, {sa_family=AF_INET, sin_port=htons(38059), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0");
}

/* recvmsg: the msghdr's iovec lengths must not be read out of the msghdr
 * struct itself (whose bytes 8..15 are msg_namelen and padding). */
static void recvmsg_iov_len(void **state)
{
	(void)state;
	start("recvmsg", 3);
	uint8_t hdr[56] = { 0 };
	uint64_t name = 0x7200, iov = 0x7300, iovlen = 1, control = 0x7400, controllen = 32;
	uint32_t namelen = 16;
	memcpy(hdr, &name, 8);
	memcpy(hdr + 8, &namelen, 4);
	memcpy(hdr + 16, &iov, 8);
	memcpy(hdr + 24, &iovlen, 8);
	memcpy(hdr + 32, &control, 8);
	memcpy(hdr + 40, &controllen, 8);
	ev.entry[0] = scalar(K_INT, 3);
	ev.entry[1] = buf(K_STRUCT_MSGHDR, 0x7500, hdr, sizeof(hdr));
	ev.entry[2] = scalar(K_INT, 0);
	ev.exit[1] = buf(K_STRUCT_MSGHDR, 0x7500, hdr, sizeof(hdr));
	static const uint8_t sin[16] = { 2, 0, 0, 0, 127, 0, 0, 1 };
	ev.exit[1].name = bytes(sin, sizeof(sin));
	uint8_t ctl[32] = { 0 };
	ev.exit[1].control = bytes(ctl, sizeof(ctl));
	uint8_t data[84];
	memset(data, 'E', sizeof(data));
	ev.exit[1].items = arena_alloc(&arena, sizeof(struct sp_bytes));
	ev.exit[1].items[0] = bytes(data, sizeof(data));
	ev.exit[1].n_items = 1;
	returns(84);
	struct strbuf sb = { 0 };
	render_event(&sb, &ev, &opts);
	char got[4096];
	snprintf(got, sizeof(got), "%s", sb.s);
	sb_free(&sb);
	if (!strstr(got, "msg_name={sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}"))
		fail_msg("msg_name: %s", got);
	if (!strstr(got, "msg_iov=[{iov_base=\"EEEE"))
		fail_msg("msg_iov: %s", got);
	if (strstr(got, "iov_len=16"))
		fail_msg("iov_len taken from msg_namelen: %s", got);
	if (!strstr(got, ") = 84"))
		fail_msg("return value: %s", got);
}

static void json_line(void **state)
{
	(void)state;
	start("read", 3);
	ev.tid = 77;
	ev.entry[0] = scalar(K_INT, 3);
	ev.entry[1] = out_ptr(K_OUT_BUFFER, 0x5000, 4096);
	ev.entry[2] = scalar(K_SIZE_T, 4096);
	ev.exit[1] = buf(K_OUT_BUFFER, 0x5000, "\x00\xff" "a\n", 4);
	returns(4);
	struct strbuf sb = { 0 };
	render_event_json(&sb, &ev, 12);
	assert_null(strchr(sb.s, '\n'));
	json_object *o = json_tokener_parse(sb.s);
	if (!o)
		fail_msg("not JSON: %s", sb.s);
	json_object *v;
	assert_true(json_object_object_get_ex(o, "index", &v));
	assert_int_equal(json_object_get_int(v), 12);
	assert_true(json_object_object_get_ex(o, "name", &v));
	assert_string_equal(json_object_get_string(v), "read");
	assert_true(json_object_object_get_ex(o, "nr", &v));
	assert_int_equal(json_object_get_int(v), 0);
	assert_true(json_object_object_get_ex(o, "retval", &v));
	assert_int_equal(json_object_get_int64(v), 4);
	assert_true(json_object_object_get_ex(o, "exit", &v));
	json_object *a1 = json_object_array_get_idx(v, 1), *hex;
	assert_true(json_object_object_get_ex(a1, "hex", &hex));
	assert_string_equal(json_object_get_string(hex), "00ff610a");
	assert_true(json_object_object_get_ex(a1, "type", &hex));
	assert_string_equal(json_object_get_string(hex), "OUT_BUFFER");
	assert_true(json_object_object_get_ex(o, "text", &v));
	assert_string_equal(json_object_get_string(v), "read(3, \"\\0\\377a\\n\", 4096) = 4");
	json_object_put(o);
	sb_free(&sb);

	/* A failing call: retval is the negative errno. */
	start("openat", 4);
	ev.entry[0] = scalar(K_INT, (uint32_t)-100);
	ev.entry[1] = str(0x1000, "/x");
	ev.entry[2] = scalar(K_INT, 0);
	ev.entry[3] = scalar(K_MODE_T, 0);
	returns(-2);
	render_event_json(&sb, &ev, 0);
	o = json_tokener_parse(sb.s);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "retval", &v));
	assert_int_equal(json_object_get_int64(v), -2);
	json_object_put(o);
	sb_free(&sb);
}

static void kind_names(void **state)
{
	(void)state;
	assert_string_equal(render_kind_name(K_OUT_BUFFER), "OUT_BUFFER");
	assert_string_equal(render_kind_name(K_CHAR_PTR), "CHAR_PTR");
	assert_string_equal(render_kind_name(K_DIFFERS), "DIFFERS");
	assert_string_equal(render_kind_name(K_RAW), "RAW");
	assert_string_equal(render_kind_name(K_STRUCT_IFREQ), "STRUCT_IFREQ");
	assert_string_equal(render_kind_name(250), "UNKNOWN");
	for (unsigned k = 0; k < K_MAX; k++)
		assert_string_not_equal(render_kind_name(k), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(openat_success),
		cmocka_unit_test(openat_with_mode),
		cmocka_unit_test(failing_call),
		cmocka_unit_test(read_and_write_buffers),
		cmocka_unit_test(read_at_eof),
		cmocka_unit_test(escaping_and_cutting),
		cmocka_unit_test(unfinished_and_exit_group),
		cmocka_unit_test(pointers_and_time),
		cmocka_unit_test(restart_codes),
		cmocka_unit_test(unreadable_and_failed),
		cmocka_unit_test(named_flags),
		cmocka_unit_test(untyped_syscall),
		cmocka_unit_test(socklen_pointer),
		cmocka_unit_test(recvmsg_iov_len),
		cmocka_unit_test(json_line),
		cmocka_unit_test(kind_names),
	};
	return cmocka_run_group_tests_name("render", tests, setup, teardown);
}
