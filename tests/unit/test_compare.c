/* Replay's pure logic: the address map (src/verify/ptrmap.h), the policy rules
 * (src/verify/policy.h) and the comparison of two events (src/verify/compare.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "verify/compare.h"
#include "verify/policy.h"
#include "verify/ptrmap.h"
#include "verify/dirlists.h"
#include "verify/streams.h"
#include "verify/texts.h"
#include "base/strbuf.h"
#include "syscalls/table.h"

static struct sp_arg buf(uint8_t kind, uint64_t ptr, const void *p, size_t n)
{
	return (struct sp_arg){ .kind = kind, .ptr = ptr, .value = n, .flags = SP_HAS_PTR | SP_HAS_BUF,
				.buf = { p, n } };
}

static struct sp_arg scalar(uint8_t kind, uint64_t v)
{
	return (struct sp_arg){ .kind = kind, .value = v };
}

/* An event of syscall `name` with its arguments at entry and exit the same. */
static void make(struct sp_event *ev, const char *name, int nargs, const struct sp_arg *args, int64_t ret)
{
	memset(ev, 0, sizeof(*ev));
	ev->nr = (uint32_t)sc_number(name);
	ev->nargs = (uint8_t)nargs;
	ev->desc = sc_lookup(ev->nr);
	for (int i = 0; i < nargs; i++)
		ev->entry[i] = ev->exit[i] = args[i];
	ev->returned = true;
	ev->ret = scalar(K_SIGNED_INT, (uint64_t)ret);
}

static void ptrmap_pairs_both_ways(void **state)
{
	(void)state;
	struct ptrmap m;
	ptrmap_init(&m);
	assert_true(ptrmap_check(&m, 0x1000, 0x2000));
	assert_true(ptrmap_check(&m, 0x1000, 0x2000));
	assert_false(ptrmap_check(&m, 0x1000, 0x3000)); /* one recorded, two replayed */
	assert_false(ptrmap_check(&m, 0x4000, 0x2000)); /* two recorded, one replayed */
	assert_true(ptrmap_check(&m, 0, 0));
	assert_false(ptrmap_check(&m, 0, 0x5000));
	for (uint64_t i = 1; i <= 10000; i++) /* growth keeps every pair */
		assert_true(ptrmap_check(&m, 0x10000 + i * 16, 0x90000 + i * 16));
	for (uint64_t i = 1; i <= 10000; i++)
		assert_true(ptrmap_check(&m, 0x10000 + i * 16, 0x90000 + i * 16));
	assert_int_equal(ptrmap_size(&m), 10001);
	ptrmap_free(&m);
}

static void policy_builtin_rules(void **state)
{
	(void)state;
	const struct policy_rule *r = policy_lookup(NULL, "getrandom", 0, "buffer");
	assert_non_null(r);
	assert_int_equal(r->klass, PC_ACCEPT);
	assert_string_equal(r->label, "random bytes");
	assert_null(policy_lookup(NULL, "read", 1, "buffer"));
	r = policy_lookup(NULL, "newfstatat", 2, "st_ino");
	assert_non_null(r);
	assert_int_equal(r->klass, PC_ACCEPT);
	assert_null(policy_lookup(NULL, "newfstatat", 2, "st_size"));
	assert_null(policy_lookup(NULL, "newfstatat", 2, "st_mode"));
	r = policy_lookup(NULL, "uname", 0, "nodename");
	assert_non_null(r);
	assert_int_equal(r->flag, RF_UNAME_DIFFERENT);
	assert_non_null(policy_lookup(NULL, "getpid", POLICY_RET, "value"));
	r = policy_lookup(NULL, "sysinfo", 0, "freeram");
	assert_non_null(r);
	assert_string_equal(r->label, "system state"); /* one class with /proc counters and free space */
	r = policy_lookup(NULL, "fstatfs", 1, "f_bavail");
	assert_non_null(r);
	assert_string_equal(r->label, "system state");
	assert_null(policy_lookup(NULL, "fstatfs", 1, "f_blocks"));
	assert_null(policy_lookup(NULL, "openat", POLICY_RET, "value"));
}

static void policy_file_overrides(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-policy-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *json = "{\"mode\": \"strict\", \"rules\": ["
			   "{\"syscall\": \"read\", \"arg\": 2, \"field\": \"buffer\", \"class\": \"accept\", \"label\": \"logs\"},"
			   "{\"syscall\": \"getrandom\", \"arg\": \"*\", \"class\": \"must\"}]}";
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	struct policy p;
	char err[256];
	assert_int_equal(policy_load(&p, path, err, sizeof(err)), 0);
	assert_true(p.strict);
	const struct policy_rule *r = policy_lookup(&p, "read", 1, "buffer");
	assert_non_null(r);
	assert_int_equal(r->klass, PC_ACCEPT);
	assert_string_equal(r->label, "logs");
	r = policy_lookup(&p, "getrandom", 0, "buffer");
	assert_non_null(r);
	assert_int_equal(r->klass, PC_MUST);
	policy_free(&p);
	unlink(path);

	assert_int_equal(policy_load(&p, "strict", err, sizeof(err)), 0);
	assert_true(p.strict);
	assert_int_equal(policy_load(&p, "/nonexistent/policy.json", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/policy.json"));
	assert_null(strchr(err, '\n'));
}

static void flag_names(void **state)
{
	(void)state;
	char b[256];
	assert_string_equal(policy_flag_names(0, b, sizeof(b)), "CORRECT");
	assert_string_equal(policy_flag_names(RF_UNEXPECTED_MEMORY_CONTENT | RF_WRONG_INTEGER, b, sizeof(b)),
			    "UNEXPECTED_MEMORY_CONTENT|WRONG_INTEGER");
}

struct fixture {
	struct policy pol;
	struct ptrmap ptrs;
	struct compare_ctx c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[64];
	policy_load(&f->pol, "lax", err, sizeof(err));
	ptrmap_init(&f->ptrs);
	f->c.pol = &f->pol;
	f->c.ptrs = &f->ptrs;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ptrmap_free(&f->ptrs);
	streams_free(f->c.streams);
	dirlists_free(f->c.dirs);
	texts_free(f->c.texts);
	sb_free(&f->c.why);
	free(f);
	return 0;
}

/* What the fake descriptor table says every descriptor is. */
static int fake_source = PS_NONE;
static uint64_t fake_pipe = 77;

static int source_of(void *arg, uint32_t tid, int fd, uint64_t *id)
{
	(void)arg;
	(void)tid;
	(void)fd;
	*id = fake_pipe;
	return fake_source;
}

static void read_buffer_differs(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	struct sp_arg a[3] = { scalar(K_INT, 3), buf(K_OUT_BUFFER, 0x7000, "Hello", 5), scalar(K_SIZE_T, 64) };
	make(&rec, "read", 3, a, 5);
	a[1] = buf(K_OUT_BUFFER, 0x7000, "Evil!", 5);
	make(&rep, "read", 3, a, 5);
	/* As capture leaves them: an out-buffer has no bytes at entry. */
	rec.entry[1].flags = rep.entry[1].flags = SP_HAS_PTR;
	rec.entry[1].buf.len = rep.entry[1].buf.len = 0;
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].arg, 2);
	assert_true(rep.diffs[0].at_exit);
	assert_string_equal(rep.diffs[0].field, "buffer");
	assert_int_equal(rep.diffs[0].flag, RF_UNEXPECTED_MEMORY_CONTENT);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].offset, 0);
}

static void return_value_and_random(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	struct sp_arg a[3] = { buf(K_OUT_BUFFER, 0x7000, "abcdefgh", 8), scalar(K_SIZE_T, 8), scalar(K_INT, 0) };
	make(&rec, "getrandom", 3, a, 8);
	a[0] = buf(K_OUT_BUFFER, 0x7000, "zyxwvuts", 8);
	make(&rep, "getrandom", 3, a, 8);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "random bytes");

	struct sp_arg o[4] = { scalar(K_INT, (uint32_t)-100), buf(K_CHAR_PTR, 0x5000, "/etc/x", 6), scalar(K_INT, 0),
			       scalar(K_MODE_T, 0) };
	make(&rec, "openat", 4, o, 3);
	make(&rep, "openat", 4, o, -2);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].arg, 0);
	assert_string_equal(rep.diffs[0].field, "value");
	assert_int_equal(rep.diffs[0].flag, RF_WRONG_INTEGER);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* A path that differs at entry. */
	o[1] = buf(K_CHAR_PTR, 0x5000, "/etc/y", 6);
	make(&rep, "openat", 4, o, 3);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_int_equal(rep.diffs[0].offset, 5);
	assert_false(rep.diffs[0].at_exit);
}

static void stat_fields(void **state)
{
	struct fixture *f = *state;
	uint8_t s1[144] = { 0 }, s2[144];
	uint64_t ino = 42, size = 100;
	memcpy(s1 + 8, &ino, 8);
	memcpy(s1 + 48, &size, 8);
	memcpy(s2, s1, sizeof(s2));
	ino = 43;
	memcpy(s2 + 8, &ino, 8); /* st_ino: acceptable */
	struct sp_event rec, rep;
	struct sp_arg a[2] = { scalar(K_INT, 3), buf(K_STRUCT_STAT, 0x6000, s1, 144) };
	make(&rec, "fstat", 2, a, 0);
	a[1] = buf(K_STRUCT_STAT, 0x6000, s2, 144);
	make(&rep, "fstat", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "st_ino");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	size = 101;
	memcpy(s2 + 48, &size, 8); /* st_size: must match */
	make(&rep, "fstat", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[1].field, "st_size");
	assert_int_equal(rep.diffs[1].flag, RF_STAT_DIFFERS);
	assert_int_equal(rep.diffs[1].klass, PC_MUST);
	assert_int_equal(rep.diffs[1].offset, 48);
}

static void pointers_inside_structs(void **state)
{
	struct fixture *f = *state;
	/* struct sigaction: the handler differs (ASLR) but maps consistently. */
	uint64_t s1[4] = { 0x555500001000, 0x04000000, 0x7fff00002000, 0 };
	uint64_t s2[4] = { 0x565600001000, 0x04000000, 0x7ffe00002000, 0 };
	struct sp_event rec, rep;
	struct sp_arg a[4] = { scalar(K_INT, 2), buf(K_STRUCT_SIGACTION, 0x100, s1, 32), scalar(K_VOID_ADDR, 0),
			       scalar(K_SIZE_T, 8) };
	make(&rec, "rt_sigaction", 4, a, 0);
	a[1] = buf(K_STRUCT_SIGACTION, 0x200, s2, 32);
	make(&rep, "rt_sigaction", 4, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	assert_true(f->c.mapped >= 3);
	/* The same recorded handler later meets another replayed one. */
	s2[0] = 0x575700001000;
	make(&rep, "rt_sigaction", 4, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "sa_handler");
	assert_int_equal(rep.diffs[0].flag, RF_WRONG_POINTER);
}

static void unix_socket_path_ends_at_nul(void **state)
{
	struct fixture *f = *state;
	uint8_t a1[110] = { 1, 0 }, a2[110] = { 1, 0 };
	strcpy((char *)a1 + 2, "/run/sock");
	strcpy((char *)a2 + 2, "/run/sock");
	a1[50] = 0xaa; /* stack garbage after the path */
	struct sp_event rec, rep;
	struct sp_arg a[3] = { scalar(K_INT, 3), buf(K_STRUCT_SOCKADDR, 0x100, a1, 110), scalar(K_SOCKLEN_T, 110) };
	make(&rec, "connect", 3, a, 0);
	a[1] = buf(K_STRUCT_SOCKADDR, 0x100, a2, 110);
	make(&rep, "connect", 3, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	strcpy((char *)a2 + 2, "/run/evil");
	make(&rep, "connect", 3, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "address");
}


static void statfs_free_space(void **state)
{
	struct fixture *f = *state;
	uint64_t s1[15] = { 0xef53, 4096, 1000, 500, 450, 800, 700, 0x1234, 255, 4096, 0x1020 }, s2[15];
	memcpy(s2, s1, sizeof(s2));
	s2[3] = 499; /* f_bfree */
	s2[4] = 449; /* f_bavail */
	s2[6] = 699; /* f_ffree */
	struct sp_event rec, rep;
	struct sp_arg a[2] = { buf(K_CHAR_PTR, 0x100, "/", 1), buf(K_STRUCT_STATFS, 0x200, s1, 120) };
	make(&rec, "statfs", 2, a, 0);
	a[1] = buf(K_STRUCT_STATFS, 0x200, s2, 120);
	make(&rep, "statfs", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rep.diffs[i].klass, PC_ACCEPT);
		assert_string_equal(rep.diffs[i].label, "system state");
	}
	assert_string_equal(rep.diffs[0].field, "f_bfree");
	assert_string_equal(rep.diffs[2].field, "f_ffree");
	s2[2] = 2000; /* f_blocks: another file system */
	make(&rep, "fstatfs", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 4);
	assert_string_equal(rep.diffs[0].field, "f_blocks");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].offset, 16);
}

static void flock_padding_is_not_input(void **state)
{
	struct fixture *f = *state;
	uint8_t l1[32], l2[32];
	memset(l1, 0xaa, sizeof(l1));
	memset(l2, 0x55, sizeof(l2)); /* other stack garbage in the holes and l_pid */
	uint16_t type = 1, whence = 0;
	uint64_t start = 0, len = 100;
	for (int k = 0; k < 2; k++) {
		uint8_t *l = k ? l2 : l1;
		memcpy(l, &type, 2);
		memcpy(l + 2, &whence, 2);
		memcpy(l + 8, &start, 8);
		memcpy(l + 16, &len, 8);
	}
	struct sp_event rec, rep;
	struct sp_arg a[3] = { scalar(K_INT, 3), scalar(K_INT, 6), buf(K_STRUCT_FLOCK, 0x300, l1, 32) };
	make(&rec, "fcntl", 3, a, 0);
	a[2] = buf(K_STRUCT_FLOCK, 0x300, l2, 32);
	make(&rep, "fcntl", 3, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	len = 101; /* the range locked is input */
	memcpy(l2 + 16, &len, 8);
	make(&rep, "fcntl", 3, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "l_len");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* F_GETLK at exit: l_pid is the lock holder's pid, the holes still garbage. */
	len = 100;
	memcpy(l2 + 16, &len, 8);
	make(&rep, "fcntl", 3, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "l_pid");
	assert_string_equal(rep.diffs[0].label, "pids");
}

static void directory_sizes(void **state)
{
	struct fixture *f = *state;
	uint8_t s1[144] = { 0 }, s2[144];
	uint32_t mode = 040755;
	uint64_t size = 4096, blocks = 8;
	memcpy(s1 + 24, &mode, 4);
	memcpy(s1 + 48, &size, 8);
	memcpy(s1 + 64, &blocks, 8);
	memcpy(s2, s1, sizeof(s2));
	size = 12288;
	blocks = 24;
	memcpy(s2 + 48, &size, 8);
	memcpy(s2 + 64, &blocks, 8);
	struct sp_event rec, rep;
	struct sp_arg a[2] = { scalar(K_INT, 3), buf(K_STRUCT_STAT, 0x6000, s1, 144) };
	make(&rec, "fstat", 2, a, 0);
	a[1] = buf(K_STRUCT_STAT, 0x6000, s2, 144);
	make(&rep, "fstat", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].field, "dir_st_size");
	assert_string_equal(rep.diffs[1].field, "dir_st_blocks");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "directory sizes");
	uint64_t nlink = 23; /* /tmp got another subfolder meanwhile */
	memcpy(s2 + 16, &nlink, 8);
	make(&rep, "fstat", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 3);
	assert_string_equal(rep.diffs[0].field, "dir_st_nlink");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	memset(s2 + 16, 0, 8);
	/* The same bytes for a regular file: its size must match. */
	mode = 0100644;
	memcpy(s1 + 24, &mode, 4);
	memcpy(s2 + 24, &mode, 4);
	make(&rec, "fstat", 2, (struct sp_arg[]){ scalar(K_INT, 3), buf(K_STRUCT_STAT, 0x6000, s1, 144) }, 0);
	make(&rep, "fstat", 2, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].field, "st_size");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* Its blocks are allocation, not content: a file just written (xz's
	 * input, written by seq before) has blocks reserved or not yet. */
	assert_string_equal(rep.diffs[1].field, "st_blocks");
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[1].label, "block allocation");
}

/* A directory's link count is 2 + its subdirectories: history, like its
 * size (df and sqlite3 stat /tmp); a file's link count must match. */
static void directory_link_count(void **state)
{
	struct fixture *f = *state;
	uint8_t s1[144] = { 0 }, s2[144];
	uint32_t mode = 040755;
	uint64_t nlink = 42;
	memcpy(s1 + 24, &mode, 4);
	memcpy(s1 + 16, &nlink, 8);
	memcpy(s2, s1, sizeof(s2));
	nlink = 41;
	memcpy(s2 + 16, &nlink, 8);
	struct sp_event rec, rep;
	struct sp_arg a[2] = { scalar(K_INT, 3), buf(K_STRUCT_STAT, 0x6000, s1, 144) };
	make(&rec, "fstat", 2, a, 0);
	struct sp_arg b[2] = { scalar(K_INT, 3), buf(K_STRUCT_STAT, 0x6000, s2, 144) };
	make(&rep, "fstat", 2, b, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "dir_st_nlink");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	mode = 0100644;
	memcpy(s1 + 24, &mode, 4);
	memcpy(s2 + 24, &mode, 4);
	make(&rec, "fstat", 2, a, 0);
	make(&rep, "fstat", 2, b, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "st_nlink");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
}

/* A linux_dirent64 listing of `n` names with inode numbers from `ino`. */
static size_t dents(uint8_t *out, const char *const *names, int n, uint64_t ino)
{
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		uint16_t reclen = (uint16_t)((19 + len + 1 + 7) & ~7u);
		uint64_t doff = off + reclen;
		memset(out + off, 0, reclen);
		uint64_t in = ino + (uint64_t)i;
		memcpy(out + off, &in, 8);
		memcpy(out + off + 8, &doff, 8);
		memcpy(out + off + 16, &reclen, 2);
		out[off + 18] = 8; /* DT_REG */
		memcpy(out + off + 19, names[i], len);
		off += reclen;
	}
	return off;
}

static void directory_listing(void **state)
{
	struct fixture *f = *state;
	static const char *const n1[] = { ".", "..", "alpha", "beta" }, *const n2[] = { "..", "beta", ".", "alpha" },
				 *const n3[] = { ".", "..", "alpha", "gamma" };
	uint8_t b1[256], b2[256];
	size_t l1 = dents(b1, n1, 4, 100), l2 = dents(b2, n1, 4, 900);
	struct sp_event rec, rep;
	struct sp_arg a[3] = { scalar(K_INT, 3), buf(K_OUT_BUFFER, 0x7000, b1, l1), scalar(K_INT, 256) };
	make(&rec, "getdents64", 3, a, (int64_t)l1);
	a[1] = buf(K_OUT_BUFFER, 0x7000, b2, l2);
	make(&rep, "getdents64", 3, a, (int64_t)l2);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "d_ino");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	/* The same entries in another order (a recreated folder). */
	l2 = dents(b2, n2, 4, 100);
	a[1] = buf(K_OUT_BUFFER, 0x7000, b2, l2);
	make(&rep, "getdents64", 3, a, (int64_t)l2);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "dirent_order");
	assert_string_equal(rep.diffs[0].label, "directory order");
	/* Another name: must match, at the first entry that differs. */
	l2 = dents(b2, n3, 4, 100);
	a[1] = buf(K_OUT_BUFFER, 0x7000, b2, l2);
	make(&rep, "getdents64", 3, a, (int64_t)l2);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].field, "d_name");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].offset, 24 + 24 + 32 + 19);
	assert_string_equal(rep.diffs[1].field, "value"); /* "gamma" takes 8 bytes more than "beta" */
	assert_int_equal(rep.diffs[1].klass, PC_MUST);
}

/* read(3, buf, 64) of `r` recorded and `p` replayed bytes. */
static void reads(struct sp_event *rec, struct sp_event *rep, const char *r, const char *p)
{
	struct sp_arg a[3] = { scalar(K_INT, 3), buf(K_OUT_BUFFER, 0x7000, r, strlen(r)), scalar(K_SIZE_T, 64) };
	make(rec, "read", 3, a, (int64_t)strlen(r));
	a[1] = buf(K_OUT_BUFFER, 0x7000, p, strlen(p));
	make(rep, "read", 3, a, (int64_t)strlen(p));
}

static void random_and_system_state_descriptors(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	f->c.source = source_of;
	fake_source = PS_RANDOM;
	reads(&rec, &rep, "\x01\x02\x03\x04", "\x09\x08\x07\x06");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "random bytes");
	fake_source = PS_SYSTEM_STATE; /* /proc/meminfo: other numbers, another length */
	reads(&rec, &rep, "MemFree: 1000 kB\n", "MemFree: 99 kB\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].label, "system state");
	assert_string_equal(rep.diffs[1].field, "value");
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	fake_source = PS_NONE; /* a file: must match */
	reads(&rec, &rep, "MemFree: 1000 kB\n", "MemFree: 99 kB\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[1].klass, PC_MUST);
	f->c.source = NULL;
}

static void pipe_stream_not_chunks(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	f->c.source = source_of;
	f->c.streams = streams_new();
	fake_source = PS_PIPE;
	/* Recorded 4 + 4 + 4 bytes, replayed 10 + 2 + 0. */
	reads(&rec, &rep, "abcd", "abcdefghij");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].label, "pipe chunking");
	assert_string_equal(rep.diffs[1].label, "pipe chunking");
	assert_true(streams_pending(f->c.streams));
	reads(&rec, &rep, "efgh", "kl");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	reads(&rec, &rep, "ijkl", "");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	assert_false(streams_pending(f->c.streams));
	/* Another pipe with one byte changed: the stream differs at byte 6. */
	fake_pipe = 78;
	reads(&rec, &rep, "012345", "0123456X89");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	reads(&rec, &rep, "6789", "");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 3);
	assert_string_equal(rep.diffs[0].field, "pipe_stream");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].offset, 7);
	struct sp_bytes x, y;
	streams_last_mismatch(f->c.streams, &x, &y);
	assert_int_equal(x.len, 3);
	assert_memory_equal(x.data, "789", 3);
	assert_int_equal(y.len, 3);
	assert_memory_equal(y.data, "X89", 3);
	fake_pipe = 77;
	f->c.source = NULL;
}

static void streams_unmatched_end(void **state)
{
	(void)state;
	struct streams *s = streams_new();
	struct sp_bytes none = { NULL, 0 }, hello = { (const uint8_t *)"hello", 5 }, he = { (const uint8_t *)"he", 2 };
	struct sp_bytes zz = { (const uint8_t *)"zz", 2 };
	assert_int_equal(streams_feed(s, 5, hello, he), -1);
	/* Replayed bytes ahead at the end were never shown to the program. */
	assert_int_equal(streams_feed(s, 6, none, zz), -1);
	/* A changed byte keeps the positions: the stream goes on after it; a
	 * run of differing reads is one difference. */
	struct sp_bytes abc = { (const uint8_t *)"abc", 3 }, aXc = { (const uint8_t *)"aXc", 3 };
	struct sp_bytes def = { (const uint8_t *)"def", 3 }, dXf = { (const uint8_t *)"dXf", 3 };
	assert_int_equal(streams_feed(s, 7, abc, aXc), 1);
	assert_int_equal(streams_feed(s, 7, def, dXf), -3);
	assert_int_equal(streams_feed(s, 7, abc, abc), -1);
	assert_int_equal(streams_feed(s, 7, def, dXf), 10);
	struct strbuf sb = { 0 };
	assert_int_equal(streams_report_unmatched(s, &sb), 1);
	assert_string_equal(sb.s, "  pipe:[5] the recorded stream goes on at byte 2 with 3 bytes the replayed pipe never "
				  "delivered: \"llo\" [UNEXPECTED_MEMORY_CONTENT]\n");
	sb_free(&sb);
	streams_free(s);
}

static void many_differences_keep_must(void **state)
{
	struct fixture *f = *state;
	uint8_t s1[256], s2[256];
	memset(s1, 0, sizeof(s1));
	memset(s2, 0x11, 160); /* all 22 statx fields differ */
	memset(s2 + 160, 0, sizeof(s2) - 160);
	struct sp_event rec, rep;
	struct sp_arg a[5] = { scalar(K_INT, 3), buf(K_CHAR_PTR, 0x100, "", 0), scalar(K_INT, 0x1000),
			       scalar(K_INT, 0xfff), buf(K_STRUCT_STATX, 0x200, s1, 256) };
	make(&rec, "statx", 5, a, 0);
	a[4] = buf(K_STRUCT_STATX, 0x200, s2, 256);
	make(&rep, "statx", 5, a, 0);
	f->c.dropped = f->c.dropped_must = 0;
	compare_event(&f->c, &rec, &rep, true);
	assert_int_equal(rep.n_diffs, SP_MAX_DIFFS);
	static const char *const must[] = { "stx_mask", "stx_blksize", "stx_attributes", "stx_nlink", "stx_uid",
					    "stx_gid", "stx_mode", "stx_size", "stx_attributes_mask",
					    "stx_rdev_major", "stx_rdev_minor", "stx_dio_mem_align",
					    "stx_dio_offset_align" };
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		bool found = false;
		for (int k = 0; k < rep.n_diffs; k++)
			if (!strcmp(rep.diffs[k].field, must[i]) && rep.diffs[k].klass == PC_MUST)
				found = true;
		assert_true(found);
	}
	assert_int_equal(f->c.dropped, 6);
	assert_int_equal(f->c.dropped_must, 0);
}

static void pointer_checked_once(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	struct sp_arg a[6] = { scalar(K_VOID_ADDR, 0), scalar(K_INT, 0), scalar(K_INT, 1),
			       scalar(K_VOID_ADDR, 0), scalar(K_VOID_ADDR, 0), scalar(K_INT, 0) };
	a[0].flags = SP_HAS_PTR;
	a[0].ptr = 0x1000;
	make(&rec, "futex", 6, a, 0);
	make(&rep, "futex", 6, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	a[0].ptr = 0x2000; /* the same recorded address, another replayed one */
	make(&rep, "futex", 6, a, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_int_equal(rep.diffs[0].flag, RF_WRONG_POINTER);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 0);

	/* recvmsg's msghdr is read at entry and again at exit: a broken
	 * msg_iov mapping is one line, from the entry. */
	uint64_t m1[7] = { 0, 0, 0x3000, 1, 0, 0, 0 }, m2[7] = { 0, 0, 0x3000, 1, 0, 0, 0 };
	struct sp_arg r[3] = { scalar(K_INT, 3), buf(K_STRUCT_MSGHDR, 0x400, m1, 56), scalar(K_INT, 0) };
	make(&rec, "recvmsg", 3, r, 0);
	make(&rep, "recvmsg", 3, r, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	m2[2] = 0x4000;
	r[1] = buf(K_STRUCT_MSGHDR, 0x400, m2, 56);
	make(&rep, "recvmsg", 3, r, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "msg_iov");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 0);
	assert_int_equal(rep.n_diffs, 1);
}

static void mount_tables_without_overlay_folders(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	f->c.source = source_of;
	fake_source = PS_MOUNTS;
	reads(&rec, &rep, "overlay / overlay rw,lowerdir=/srv/root,upperdir=/tmp/sperrips-ab/upper,workdir=/tmp/w 0 0\n",
	      "overlay / overlay rw,lowerdir=/srv/copy,upperdir=/tmp/sperrips-xyz/upper,workdir=/tmp/w 0 0\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "mount ids and folders");
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	/* mountinfo: mount ids, device numbers and peer groups are the host's counters. */
	reads(&rec, &rep, "68 43 0:40 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/a,upperdir=/b\n"
			  "78 70 0:45 / /dev rw - tmpfs tmpfs rw\n",
	      "71 43 0:42 / / rw,relatime shared:7 - overlay overlay rw,lowerdir=/c,upperdir=/d\n"
	      "81 73 0:47 / /dev rw - tmpfs tmpfs rw\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].label, "mount ids and folders");
	reads(&rec, &rep, "68 43 0:40 / / rw - overlay overlay rw\n", "68 43 0:40 / /x rw - overlay overlay rw\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* Any other option must match. */
	reads(&rec, &rep, "overlay / overlay rw,lowerdir=/srv/root 0 0\n", "overlay / overlay ro,lowerdir=/srv/root 0 0\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	f->c.source = NULL;
}

static void proc_paths(void **state)
{
	(void)state;
	assert_int_equal(policy_path_source("/proc/meminfo"), PS_SYSTEM_STATE);
	assert_int_equal(policy_path_source("/proc/1234/stat"), PS_SYSTEM_STATE);
	assert_int_equal(policy_path_source("/proc/1234/task/1235/status"), PS_SYSTEM_STATE);
	assert_int_equal(policy_path_source("/proc/pressure/cpu"), PS_SYSTEM_STATE);
	assert_int_equal(policy_path_source("/sys/devices/system/node/node0/meminfo"), PS_SYSTEM_STATE);
	assert_int_equal(policy_path_source("/proc/1/mounts"), PS_MOUNTS);
	assert_int_equal(policy_path_source("/proc/1/mountinfo"), PS_MOUNTS);
	/* What a process is must match. */
	assert_int_equal(policy_path_source("/proc/1234/cmdline"), PS_NONE);
	assert_int_equal(policy_path_source("/proc/1234/maps"), PS_NONE);
	assert_int_equal(policy_path_source("/proc/1234/exe"), PS_NONE);
	assert_int_equal(policy_path_source("/proc/1234/environ"), PS_NONE);
	assert_int_equal(policy_path_source("/proc/sys/kernel/osrelease"), PS_NONE);
	assert_int_equal(policy_path_source("/proc/self/stat/x"), PS_NONE);
	assert_int_equal(policy_path_source("/etc/passwd"), PS_NONE);
}

static void pollfd_revents_and_msghdr_holes(void **state)
{
	struct fixture *f = *state;
	/* Two pollfds; the caller reused the array: old revents at entry. */
	uint8_t p1[16] = { 3, 0, 0, 0, 1, 0, 0x04, 0, 4, 0, 0, 0, 1, 0, 0, 0 };
	uint8_t p2[16] = { 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0x19, 0 };
	struct sp_event rec, rep;
	struct sp_arg a[3] = { buf(K_STRUCT_POLLFD, 0x100, p1, 16), scalar(K_INT, 2), scalar(K_INT, -1) };
	make(&rec, "poll", 3, a, 1);
	a[0] = buf(K_STRUCT_POLLFD, 0x100, p2, 16);
	make(&rep, "poll", 3, a, 1);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	/* At exit revents is the answer: it must match, in the element that differs. */
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].field, "revents");
	assert_int_equal(rep.diffs[0].offset, 6);
	assert_string_equal(rep.diffs[1].field, "revents");
	assert_int_equal(rep.diffs[1].offset, 14);
	p2[8] = 5; /* another descriptor polled */
	make(&rep, "poll", 3, a, 1);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "fd");
	assert_int_equal(rep.diffs[0].offset, 8);

	/* struct msghdr: the holes after msg_namelen and msg_flags are stack garbage. */
	uint8_t m1[56] = { 0 }, m2[56] = { 0 };
	memset(m1 + 12, 0xaa, 4);
	memset(m1 + 52, 0xbb, 4);
	struct sp_arg s[3] = { scalar(K_INT, 3), buf(K_STRUCT_MSGHDR, 0x200, m1, 56), scalar(K_INT, 0) };
	make(&rec, "sendmsg", 3, s, 0);
	s[1] = buf(K_STRUCT_MSGHDR, 0x200, m2, 56);
	make(&rep, "sendmsg", 3, s, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 0);
	m2[48] = 1; /* msg_flags */
	make(&rep, "sendmsg", 3, s, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, false), 1);
	assert_string_equal(rep.diffs[0].field, "msg_flags");
}

/* getdents64(3, ...) of listing bytes `r` recorded and `p` replayed. */
static void listing_call(struct sp_event *rec, struct sp_event *rep, const uint8_t *r, size_t rn, const uint8_t *p,
			 size_t pn)
{
	struct sp_arg a[3] = { scalar(K_INT, 3), buf(K_OUT_BUFFER, 0x7000, r, rn), scalar(K_INT, 4096) };
	make(rec, "getdents64", 3, a, (int64_t)rn);
	a[1] = buf(K_OUT_BUFFER, 0x7000, p, pn);
	make(rep, "getdents64", 3, a, (int64_t)pn);
	if (!rn)
		rec->exit[1].flags &= (uint8_t)~SP_HAS_BUF;
	if (!pn)
		rep->exit[1].flags &= (uint8_t)~SP_HAS_BUF;
}

static void directory_listing_across_calls(void **state)
{
	struct fixture *f = *state;
	f->c.dirs = dirlists_new();
	static const char *const r1[] = { ".", "..", "alpha" }, *const r2[] = { "b", "c" };
	static const char *const p1[] = { "c", "b", ".", ".." }, *const p2[] = { "alpha" };
	uint8_t a1[256], a2[256], b1[256], b2[256];
	size_t la1 = dents(a1, r1, 3, 10), la2 = dents(a2, r2, 2, 20);
	size_t lb1 = dents(b1, p1, 4, 50), lb2 = dents(b2, p2, 1, 60);
	struct sp_event rec, rep;
	/* The same five entries, cut otherwise into two calls: acceptable. */
	listing_call(&rec, &rep, a1, la1, b1, lb1);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_string_equal(rep.diffs[0].field, "dirent_order");
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[1].field, "value");
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	listing_call(&rec, &rep, a2, la2, b2, lb2);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	listing_call(&rec, &rep, NULL, 0, NULL, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 0);
	assert_false(dirlists_any(f->c.dirs));
	/* The replay's listing has "planted" instead of "c": said at its end. */
	static const char *const q1[] = { "planted", "b", ".", ".." };
	lb1 = dents(b1, q1, 4, 50);
	listing_call(&rec, &rep, a1, la1, b1, lb1);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	listing_call(&rec, &rep, a2, la2, b2, lb2);
	compare_event(&f->c, &rec, &rep, true);
	listing_call(&rec, &rep, NULL, 0, NULL, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "dir_listing");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_string_equal(f->c.why.s,
			    "the directory listing differs: 1 entry only recorded: \"c\"; 1 entry only replayed: \"planted\"");
	/* A listing closed before its end with entries on one side: said at close. */
	listing_call(&rec, &rep, a1, la1, b1, lb1);
	compare_event(&f->c, &rec, &rep, true);
	struct sp_arg c[1] = { scalar(K_INT, 3) };
	make(&rec, "close", 1, c, 0);
	make(&rep, "close", 1, c, 0);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "dir_listing");
	assert_false(dirlists_any(f->c.dirs));
}

static void mount_table_read_whole(void **state)
{
	struct fixture *f = *state;
	struct sp_event rec, rep;
	f->c.source = source_of;
	f->c.texts = texts_new();
	fake_source = PS_MOUNTS;
	/* Longer mount ids on the replay's side cut the table elsewhere. */
	reads(&rec, &rep, "68 43 0:40 / / rw - overlay overlay rw,lowerdir=/a\n78 70 0:4",
	      "105 69 0:47 / / rw - overlay overlay rw,lowerdir=/b\n115 99 0");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	reads(&rec, &rep, "5 / /dev rw - tmpfs tmpfs rw\n", ":48 / /dev rw - tmpfs tmpfs rw\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[1].klass, PC_ACCEPT);
	reads(&rec, &rep, "", "");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 0);
	assert_false(texts_any(f->c.texts));
	/* lseek to the end of it: another position, acceptable. */
	struct sp_arg l[3] = { scalar(K_INT, 3), scalar(K_OFF_T, 0), scalar(K_INT, 2) };
	make(&rec, "lseek", 3, l, 1199);
	make(&rep, "lseek", 3, l, 1222);
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "mount ids and folders");
	/* Another mount point: one line at the end of the table. */
	reads(&rec, &rep, "68 43 0:40 / / rw - overlay overlay rw\n", "105 43 0:40 / /mnt rw - overlay overlay rw\n");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 2);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	reads(&rec, &rep, "", "");
	assert_int_equal(compare_event(&f->c, &rec, &rep, true), 1);
	assert_string_equal(rep.diffs[0].field, "mount_table");
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_string_equal(f->c.why.s, "the mount table differs (mount ids and overlay folders aside) at byte 9: "
					"...\" # # / / rw - overlay ov\"... vs ...\" # # / /mnt rw - overlay\"...");
	f->c.source = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ptrmap_pairs_both_ways),
		cmocka_unit_test(policy_builtin_rules),
		cmocka_unit_test(policy_file_overrides),
		cmocka_unit_test(flag_names),
		cmocka_unit_test_setup_teardown(read_buffer_differs, setup, teardown),
		cmocka_unit_test_setup_teardown(return_value_and_random, setup, teardown),
		cmocka_unit_test_setup_teardown(stat_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(pointers_inside_structs, setup, teardown),
		cmocka_unit_test_setup_teardown(unix_socket_path_ends_at_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(statfs_free_space, setup, teardown),
		cmocka_unit_test_setup_teardown(flock_padding_is_not_input, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_link_count, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(random_and_system_state_descriptors, setup, teardown),
		cmocka_unit_test_setup_teardown(pipe_stream_not_chunks, setup, teardown),
		cmocka_unit_test(streams_unmatched_end),
		cmocka_unit_test_setup_teardown(many_differences_keep_must, setup, teardown),
		cmocka_unit_test_setup_teardown(pointer_checked_once, setup, teardown),
		cmocka_unit_test_setup_teardown(mount_tables_without_overlay_folders, setup, teardown),
		cmocka_unit_test(proc_paths),
		cmocka_unit_test_setup_teardown(pollfd_revents_and_msghdr_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_listing_across_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(mount_table_read_whole, setup, teardown),
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
