/* The identifier rows of x86_64_ids.h, found by syscall number. */
#include "syscalls/ids.h"

#include <stdlib.h>

#include "syscalls/table.h"

struct id_row {
	const char *name;
	struct sc_idref ref;
};

#define RET SC_ID_RET
#define PTR(i) (SC_ID_PTR | (i))
#define ID_ROW(nm, w, k, c, v, m) { #nm, { 0, (w), (k), (c), (v), (m) } },
#define ID(nm, w, k) ID_ROW(nm, w, k, -1, 0, 0)
#define ID_IF(nm, w, k, a, v) ID_ROW(nm, w, k, a, v, 0)
#define ID_IN(nm, w, k, a, m) ID_ROW(nm, w, k, a, 0, m)

static const struct id_row rows[] = {
#include "x86_64_ids.h"
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The rows with their numbers, sorted by number (built on first use). */
static struct sc_idref sorted[NROWS];
static size_t n_sorted;
static int built;

static int by_nr(const void *a, const void *b)
{
	const struct sc_idref *x = a, *y = b;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static void build(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		int nr = sc_number(rows[i].name);
		if (nr < 0)
			continue; /* a syscall these headers do not know */
		sorted[n_sorted] = rows[i].ref;
		sorted[n_sorted++].nr = (uint32_t)nr;
	}
	/* A stable order within one syscall: mergesort-free, rows are few. */
	for (size_t i = 1; i < n_sorted; i++)
		for (size_t j = i; j > 0 && by_nr(&sorted[j - 1], &sorted[j]) > 0; j--) {
			struct sc_idref t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	built = 1;
}

const struct sc_idref *sc_ids(uint32_t nr, size_t *n)
{
	if (!built)
		build();
	size_t lo = 0, hi = n_sorted;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sorted[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n_sorted && sorted[end].nr == nr)
		end++;
	*n = end - lo;
	return *n ? &sorted[lo] : NULL;
}

int sc_id_applies(const struct sc_idref *r, const uint64_t args[6])
{
	if (r->cond < 0 || r->cond >= 6)
		return 1;
	uint64_t v = args[r->cond];
	if (r->mask)
		return v < 64 && (r->mask >> v & 1);
	return v == r->val;
}

const char *sc_idkind_label(unsigned kind)
{
	switch (kind) {
	case IDK_PID: case IDK_PID_SIGNED: case IDK_F_OWNER_EX: case IDK_SIGINFO:
		return "pids";
	case IDK_IPC:
		return "IPC ids";
	case IDK_KEY:
		return "key serials";
	case IDK_TIMER:
		return "timer ids";
	}
	return "identifiers";
}
