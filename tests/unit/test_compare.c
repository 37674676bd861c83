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
	free(f);
	return 0;
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
	};
	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
