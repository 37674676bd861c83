/* The replay schedule (src/verify/schedule.h): who takes the next step,
 * and whom it lets go, in which order of preference, when nothing moves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "verify/schedule.h"

/* Each test thread's recorded steps, for the peek callback. */
struct steps {
	uint64_t seq[8];
	size_t n, at;
};

static uint64_t peek(void *ctx, struct sched_thread *th)
{
	(void)ctx;
	struct steps *s = th->owner;
	return s->at < s->n ? s->seq[s->at] : SCHED_NONE;
}

static void take_step(struct sched_thread *th)
{
	((struct steps *)th->owner)->at++;
	sched_stepped(th);
}

static void turns_follow_the_recorded_order(void **state)
{
	(void)state;
	struct schedule s;
	sched_init(&s, peek, NULL);
	struct steps sa = { { 1, 4 }, 2, 0 }, sb = { { 2, 3 }, 2, 0 };
	struct sched_thread a = { .owner = &sa }, b = { .owner = &sb };
	assert_int_equal(sched_add(&s, &a), 0);
	assert_int_equal(sched_add(&s, &b), 0);
	assert_true(sched_turn(&s, &a, 1));
	assert_false(sched_turn(&s, &b, 2));
	take_step(&a);
	assert_true(sched_turn(&s, &b, 2));
	assert_false(sched_turn(&s, &a, 4));
	/* a waits parked at its entry; b takes 2 and 3, then it is a's turn */
	a.park = SCHED_AT_ENTRY;
	a.waiting = 4;
	assert_null(sched_ready(&s));
	take_step(&b);
	take_step(&b);
	assert_ptr_equal(sched_ready(&s), &a);
	sched_free(&s);
}

/* sort --parallel=2: the main thread is held before its lock wait (entered
 * at its exit's turn) while the worker blocks in a lock call the recording
 * lacks. The held wait goes in first, once; only then is the blocked
 * thread taken out of the order. */
static void held_wait_goes_in_before_a_thread_is_let_go(void **state)
{
	(void)state;
	struct schedule s;
	sched_init(&s, peek, NULL);
	struct steps main_steps = { { 238, 239 }, 2, 0 }, worker_steps = { { 163, 165 }, 2, 0 };
	struct sched_thread m = { .owner = &main_steps }, w = { .owner = &worker_steps };
	assert_int_equal(sched_add(&s, &m), 0);
	assert_int_equal(sched_add(&s, &w), 0);
	m.park = SCHED_AT_ENTRY;
	m.waiting = 238;
	m.needs_kernel = false;
	assert_null(sched_ready(&s)); /* the worker's 163 comes first */
	uint64_t before = s.relaxations;
	assert_ptr_equal(sched_relax(&s, false), &m);
	assert_int_equal(s.relaxations, before + 1);
	assert_false(w.relaxed);
	assert_ptr_equal(sched_ready(&s), &m);
	/* It went in but took no recorded step (a call the recording lacks)
	 * and is held again: the next relaxation lets the worker go. */
	m.park = SCHED_AT_ENTRY;
	m.waiting = 238;
	assert_ptr_equal(sched_relax(&s, false), &w);
	assert_true(w.relaxed);
	assert_ptr_equal(sched_ready(&s), &m);
	/* A recorded step makes it eligible again. */
	take_step(&m);
	assert_false(m.let_in);
	sched_free(&s);
}

/* A call that does its work at once (needs the kernel token) is never let
 * in early: its order among such calls is what it returns. */
static void call_needing_the_kernel_is_not_let_in(void **state)
{
	(void)state;
	struct schedule s;
	sched_init(&s, peek, NULL);
	struct steps sa = { { 10 }, 1, 0 }, sb = { { 5 }, 1, 0 };
	struct sched_thread a = { .owner = &sa }, b = { .owner = &sb };
	assert_int_equal(sched_add(&s, &a), 0);
	assert_int_equal(sched_add(&s, &b), 0);
	a.park = SCHED_AT_ENTRY;
	a.waiting = 10;
	a.needs_kernel = true;
	assert_ptr_equal(sched_relax(&s, false), &b);
	assert_true(b.relaxed);
	assert_false(a.let_in);
	assert_int_equal(a.waiting, 10);
	sched_free(&s);
}

/* python's threads: an open held (its recorded descriptor is another
 * thread's still to close) is not ready even at its turn, and the others
 * take their turns past it meanwhile; once the hold ends it is first. */
static void held_open_lets_the_others_pass(void **state)
{
	(void)state;
	struct schedule s;
	sched_init(&s, peek, NULL);
	struct steps so = { { 20, 21 }, 2, 0 }, sc = { { 25, 30 }, 2, 0 };
	struct sched_thread o = { .owner = &so }, c = { .owner = &sc };
	assert_int_equal(sched_add(&s, &o), 0);
	assert_int_equal(sched_add(&s, &c), 0);
	o.park = SCHED_AT_ENTRY;
	o.waiting = 20;
	o.needs_kernel = true;
	assert_false(sched_turn(&s, &c, 25));
	o.held = true;
	assert_null(sched_ready(&s));
	assert_true(sched_turn(&s, &c, 25));
	c.park = SCHED_AT_ENTRY;
	c.waiting = 25;
	assert_ptr_equal(sched_ready(&s), &c);
	c.park = SCHED_RUNNING;
	take_step(&c);
	o.held = false;
	assert_ptr_equal(sched_ready(&s), &o);
	assert_false(sched_turn(&s, &c, 30));
	sched_free(&s);
}

/* The thread computing in user space is not let go before the caller says
 * it waited long enough (user_too). */
static void computing_thread_is_waited_for(void **state)
{
	(void)state;
	struct schedule s;
	sched_init(&s, peek, NULL);
	struct steps sa = { { 7 }, 1, 0 }, sb = { { 3 }, 1, 0 };
	struct sched_thread a = { .owner = &sa }, b = { .owner = &sb };
	assert_int_equal(sched_add(&s, &a), 0);
	assert_int_equal(sched_add(&s, &b), 0);
	a.park = SCHED_AT_EXIT;
	a.waiting = 7;
	sched_enter_user(&s, &b);
	assert_null(sched_relax(&s, false));
	assert_ptr_equal(sched_relax(&s, true), &b);
	assert_true(b.relaxed);
	/* a still waits for user space, which b holds */
	assert_null(sched_ready(&s));
	sched_leave_user(&s, &b);
	assert_ptr_equal(sched_ready(&s), &a);
	sched_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(turns_follow_the_recorded_order),
		cmocka_unit_test(held_wait_goes_in_before_a_thread_is_let_go),
		cmocka_unit_test(call_needing_the_kernel_is_not_let_in),
		cmocka_unit_test(held_open_lets_the_others_pass),
		cmocka_unit_test(computing_thread_is_waited_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
