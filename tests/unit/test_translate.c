/* Replay's translation of handed-back values, its pure parts: identifiers
 * paired both ways (src/verify/ptrmap.h), the identifier rows
 * (src/syscalls/ids.h) and the review of differences at exit
 * (src/verify/translate.h): consistent pairs become acceptable, a value that
 * breaks its map becomes a must-match difference. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "syscalls/ids.h"
#include "syscalls/table.h"
#include "verify/policy.h"
#include "verify/ptrmap.h"
#include "verify/translate.h"

static void ids_pair_zero_like_any_value(void **state)
{
	(void)state;
	struct ptrmap m;
	ptrmap_init(&m);
	assert_true(ptrmap_pair(&m, 0, 5));   /* IPC id 0 is an id, not NULL */
	assert_true(ptrmap_pair(&m, 0, 5));
	assert_false(ptrmap_pair(&m, 0, 6));
	assert_false(ptrmap_pair(&m, 7, 5));
	uint64_t v = 99;
	assert_true(ptrmap_to_replayed(&m, 0, &v));
	assert_int_equal(v, 5);
	assert_true(ptrmap_to_recorded(&m, 5, &v));
	assert_int_equal(v, 0);
	assert_false(ptrmap_to_replayed(&m, 5, &v));
	/* ptrmap_check keeps NULL only matching NULL. */
	assert_false(ptrmap_check(&m, 0, 8));
	for (uint64_t i = 1; i < 1000; i++) /* growing keeps every pair */
		assert_true(ptrmap_pair(&m, 1000 + i, 5000 + i));
	assert_true(ptrmap_to_replayed(&m, 1500, &v));
	assert_int_equal(v, 5500);
	assert_int_equal(ptrmap_size(&m), 1000);
	ptrmap_free(&m);
}

static const struct sc_idref *row(const char *name, unsigned where, const uint64_t a[6])
{
	size_t n;
	const struct sc_idref *r = sc_ids((uint32_t)sc_number(name), &n);
	for (size_t i = 0; i < n; i++)
		if (r[i].where == where && sc_id_applies(&r[i], a))
			return &r[i];
	return NULL;
}

static void id_rows_by_condition(void **state)
{
	(void)state;
	uint64_t a[6] = { 0 };
	assert_non_null(row("sched_setattr", 0, a));
	assert_int_equal(row("kill", 0, a)->kind, IDK_PID_SIGNED);
	assert_int_equal(row("msgget", SC_ID_RET, a)->kind, IDK_IPC);
	assert_int_equal(row("timer_create", SC_ID_PTR | 2, a)->kind, IDK_TIMER);
	/* getpriority: PRIO_PROCESS 0 and PRIO_PGRP 1 name processes, PRIO_USER 2 a uid. */
	a[0] = 0;
	assert_non_null(row("getpriority", 1, a));
	a[0] = 2;
	assert_null(row("getpriority", 1, a));
	/* fcntl: F_SETOWN 8 has a pid, F_SETFL 4 flags. */
	a[1] = 8;
	assert_int_equal(row("fcntl", 2, a)->kind, IDK_PID_SIGNED);
	a[1] = 4;
	assert_null(row("fcntl", 2, a));
	/* ioctl(TIOCSPGRP) points to a pgid; other requests do not. */
	a[1] = 0x5410;
	assert_int_equal(row("ioctl", SC_ID_PTR | 2, a)->kind, IDK_PID);
	a[1] = 0x5413;
	assert_null(row("ioctl", SC_ID_PTR | 2, a));
	/* keyctl: JOIN_SESSION_KEYRING (1) takes a name, READ (11) a serial. */
	a[0] = 1;
	assert_null(row("keyctl", 1, a));
	a[0] = 11;
	assert_int_equal(row("keyctl", 1, a)->kind, IDK_KEY);
	assert_null(row("read", 0, a));
	assert_string_equal(sc_idkind_label(IDK_KEY), "key serials");
}

/* A returned event of `name` with return values rec/rep and one diff on it. */
static void ret_pair(struct sp_event *rec, struct sp_event *rep, const char *name, int64_t a, int64_t b, uint8_t klass,
		     const char *label)
{
	memset(rec, 0, sizeof(*rec));
	memset(rep, 0, sizeof(*rep));
	rec->nr = rep->nr = (uint32_t)sc_number(name);
	rec->returned = rep->returned = true;
	rec->ret.value = (uint64_t)a;
	rep->ret.value = (uint64_t)b;
	rep->n_diffs = 1;
	rep->diffs[0] = (struct sp_diff){ .arg = 0, .at_exit = true, .klass = klass, .flag = RF_WRONG_INTEGER,
					  .field = "value", .label = label };
}

static void review_accepts_consistent_ids_and_flags_breaks(void **state)
{
	(void)state;
	struct translate *tr = translate_new();
	struct sp_event rec, rep;
	/* msgget: recorded id 1, replayed id 32769: an IPC id, paired. */
	ret_pair(&rec, &rep, "msgget", 1, 32769, PC_MUST, NULL);
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "IPC ids");
	/* The same recorded id now meets another replayed one: the map breaks. */
	ret_pair(&rec, &rep, "msgget", 1, 65537, PC_MUST, NULL);
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].flag, RF_WRONG_INTEGER);
	/* An id against an error is no pair. */
	ret_pair(&rec, &rep, "semget", 3, -22, PC_MUST, NULL);
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* A pid the policy accepts is learned; a second one for it is flagged. */
	ret_pair(&rec, &rep, "getpid", 100, 200, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	ret_pair(&rec, &rep, "gettid", 101, 200, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_null(rep.diffs[0].label);
	/* A syscall whose return value is no identifier is left alone. */
	ret_pair(&rec, &rep, "read", 5, 6, PC_MUST, NULL);
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(translate_count(tr), 0);
	translate_free(tr);
}

/* Two children that ended in the other order: wait4 returns each run's
 * children swapped. Both are known children, so it is scheduling; a pid no
 * clone paired is not. */
static void review_wait4_reaping_in_other_order(void **state)
{
	(void)state;
	struct translate *tr = translate_new();
	struct sp_event rec, rep;
	ret_pair(&rec, &rep, "clone", 300, 400, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	ret_pair(&rec, &rep, "clone", 301, 401, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	ret_pair(&rec, &rep, "wait4", 300, 401, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "scheduling");
	ret_pair(&rec, &rep, "wait4", 301, 400, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "scheduling");
	/* In order, it is the pair itself. */
	ret_pair(&rec, &rep, "wait4", 300, 400, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "pids");
	/* A replayed pid that is no known child breaks the map. */
	ret_pair(&rec, &rep, "wait4", 300, 999, PC_ACCEPT, "pids");
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	translate_free(tr);
}

static void review_socket_inodes_and_ports(void **state)
{
	(void)state;
	struct translate *tr = translate_new();
	struct sp_event rec, rep;
	static const char a[] = "socket:[426213]", b[] = "socket:[427180]", c[] = "pipe:[426213]";
	ret_pair(&rec, &rep, "readlink", 15, 15, PC_MUST, NULL);
	rec.nargs = rep.nargs = 3;
	rec.exit[1].buf = (struct sp_bytes){ (const uint8_t *)a, 15 };
	rep.exit[1].buf = (struct sp_bytes){ (const uint8_t *)b, 15 };
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .klass = PC_MUST,
					 .flag = RF_UNEXPECTED_MEMORY_CONTENT, .field = "buffer" };
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "socket inodes");
	/* Another kind of object behind the same number is a real difference. */
	rep.exit[1].buf = (struct sp_bytes){ (const uint8_t *)c, 13 };
	rep.diffs[0].klass = PC_MUST;
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* getsockname's port: 40000 recorded, 40001 replayed; then recvfrom's
	 * source port 40000 vs 40002 breaks that pair. */
	uint8_t sa[16] = { 2, 0, 0x9c, 0x40, 127, 0, 0, 1 }, sb[16] = { 2, 0, 0x9c, 0x41, 127, 0, 0, 1 };
	ret_pair(&rec, &rep, "getsockname", 0, 0, PC_ACCEPT, "local ports");
	rec.nargs = rep.nargs = 3;
	rec.exit[1].buf = (struct sp_bytes){ sa, 16 };
	rep.exit[1].buf = (struct sp_bytes){ sb, 16 };
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .klass = PC_ACCEPT, .field = "sin_port",
					 .label = "local ports", .offset = 2 };
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	sb[3] = 0x42;
	rep.diffs[0].klass = PC_MUST;
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* The address itself differing is not a port difference. */
	sb[3] = 0x41;
	sb[7] = 2;
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	translate_free(tr);
}

static void review_scm_credentials(void **state)
{
	(void)state;
	struct translate *tr = translate_new();
	struct sp_event rec, rep;
	/* cmsghdr {len 28, SOL_SOCKET, SCM_CREDENTIALS} + ucred {pid, uid 0, gid 0} + padding */
	uint8_t a[32] = { 28, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 100, 0, 0, 0 }, b[32];
	memcpy(b, a, 32);
	b[16] = 200;
	ret_pair(&rec, &rep, "recvmsg", 5, 5, PC_MUST, NULL);
	rec.nargs = rep.nargs = 3;
	rec.exit[1].control = (struct sp_bytes){ a, 32 };
	rep.exit[1].control = (struct sp_bytes){ b, 32 };
	rep.diffs[0] = (struct sp_diff){ .arg = 2, .at_exit = true, .klass = PC_MUST,
					 .flag = RF_UNEXPECTED_MEMORY_CONTENT, .field = "msg_control_data", .offset = 16 };
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_ACCEPT);
	assert_string_equal(rep.diffs[0].label, "pids");
	/* The uid differing too is no pid difference. */
	b[20] = 1;
	rep.diffs[0].klass = PC_MUST;
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	/* Pid 100 met 300 after 200: the map breaks. */
	b[20] = 0;
	b[16] = 44;
	b[17] = 1;
	translate_review(tr, &rec, &rep);
	assert_int_equal(rep.diffs[0].klass, PC_MUST);
	assert_int_equal(rep.diffs[0].flag, RF_WRONG_INTEGER);
	translate_free(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_pair_zero_like_any_value),
		cmocka_unit_test(id_rows_by_condition),
		cmocka_unit_test(review_accepts_consistent_ids_and_flags_breaks),
		cmocka_unit_test(review_wait4_reaping_in_other_order),
		cmocka_unit_test(review_socket_inodes_and_ports),
		cmocka_unit_test(review_scm_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
