/* The BPF event source (see bpf_source.h). Without the BPF toolchain at
 * build time (SPERRIPS_HAVE_BPF unset) opening says why, in one line. */
#include "trace/bpf_source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef SPERRIPS_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "record.skel.h"
#include "syscalls/table.h"
#include "trace/bpf_plan.h"

struct bpf_source {
	struct record_bpf *skel;
	struct ring_buffer *ring;
	bpf_source_fn fn;
	void *arg;
	int delivered;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* libbpf prints its own diagnostics to stderr by default; lower layers
 * do not print, the caller gets the reason in `why`. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int fill_plans(struct bpf_source *s)
{
	int fd = bpf_map__fd(s->skel->maps.plans);
	uint32_t max = sc_count() < SP_BPF_NR_MAX ? sc_count() : SP_BPF_NR_MAX;

	for (uint32_t nr = 0; nr < max; nr++) {
		struct sp_bpf_plan p = bpf_plan_for(nr);

		if (bpf_map_update_elem(fd, &nr, &p, BPF_ANY) < 0)
			return -errno;
	}
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct bpf_source *s = ctx;

	const struct sp_bpf_rec *rec = data;

	/* Only the header and the bytes captured are in the ring. */
	if (size < SP_BPF_REC_HDR || rec->len > SP_BPF_DATA_MAX || rec->len2 > SP_BPF_HALF ||
	    size < SP_BPF_REC_HDR + (rec->len2 ? SP_BPF_HALF + rec->len2 : rec->len) ||
	    (rec->len2 && rec->len > SP_BPF_HALF))
		return -EPROTO;
	s->delivered++;
	return s->fn(rec, s->arg);
}

int bpf_source_open(struct bpf_source **out, uint64_t *load_ns, char *why, size_t whylen)
{
	uint64_t t0 = now_ns();
	struct bpf_source *s;
	const char *step;
	int err;

	libbpf_set_print(quiet);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	step = "open";
	s->skel = record_bpf__open();
	if (!s->skel) {
		err = -errno;
		goto fail;
	}
	step = "load (verifier, BTF, privilege or lockdown)";
	err = record_bpf__load(s->skel);
	if (err)
		goto fail;
	step = "fill the capture plans";
	err = fill_plans(s);
	if (err)
		goto fail;
	step = "attach to the syscall tracepoints";
	err = record_bpf__attach(s->skel);
	if (err)
		goto fail;
	step = "map the ring buffer";
	s->ring = ring_buffer__new(bpf_map__fd(s->skel->maps.ring), on_record, s, NULL);
	if (!s->ring) {
		err = -errno;
		goto fail;
	}
	if (load_ns)
		*load_ns = now_ns() - t0;
	*out = s;
	return 0;
fail:
	if (err >= 0)
		err = -EINVAL;
	snprintf(why, whylen, "BPF unavailable: %s failed: %s", step, strerror(-err));
	bpf_source_close(s);
	return err;
}

int bpf_source_follow(struct bpf_source *s, pid_t tgid)
{
	uint32_t key = tgid;
	uint8_t one = 1;

	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.pids), &key, &one, BPF_ANY) < 0)
		return -errno;
	return 0;
}

int bpf_source_poll(struct bpf_source *s, int timeout_ms, bpf_source_fn fn, void *arg)
{
	int err;

	s->fn = fn;
	s->arg = arg;
	s->delivered = 0;
	err = ring_buffer__poll(s->ring, timeout_ms);
	/* Records submitted without a wakeup (batched) are there too. */
	if (err >= 0)
		err = ring_buffer__consume(s->ring);
	if (err < 0 && s->delivered == 0)
		return err;
	return s->delivered;
}

int bpf_source_fd(struct bpf_source *s)
{
	return ring_buffer__epoll_fd(s->ring);
}

/* Slot 0 of the `lost` map counts records lost, slot 1 throttle stops. */
static uint64_t lost_slot(struct bpf_source *s, uint32_t k)
{
	uint64_t v = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.lost), &k, &v) < 0)
		return 0;
	return v;
}

uint64_t bpf_source_throttled(struct bpf_source *s)
{
	return lost_slot(s, 1);
}

uint64_t bpf_source_lost(struct bpf_source *s)
{
	return lost_slot(s, 0);
}

void bpf_source_close(struct bpf_source *s)
{
	if (!s)
		return;
	ring_buffer__free(s->ring);
	record_bpf__destroy(s->skel);
	free(s);
}

#else /* !SPERRIPS_HAVE_BPF */

#ifndef SPERRIPS_BPF_WHY
#define SPERRIPS_BPF_WHY "the BPF toolchain was missing at build time"
#endif

int bpf_source_open(struct bpf_source **out, uint64_t *load_ns, char *why, size_t whylen)
{
	(void)out;
	(void)load_ns;
	snprintf(why, whylen, "BPF unavailable: built without it (%s)", SPERRIPS_BPF_WHY);
	return -ENOSYS;
}

int bpf_source_follow(struct bpf_source *s, pid_t tgid)
{
	(void)s;
	(void)tgid;
	return -ENOSYS;
}

int bpf_source_poll(struct bpf_source *s, int timeout_ms, bpf_source_fn fn, void *arg)
{
	(void)s;
	(void)timeout_ms;
	(void)fn;
	(void)arg;
	return -ENOSYS;
}

int bpf_source_fd(struct bpf_source *s)
{
	(void)s;
	return -1;
}

uint64_t bpf_source_throttled(struct bpf_source *s)
{
	(void)s;
	return 0;
}

uint64_t bpf_source_lost(struct bpf_source *s)
{
	(void)s;
	return 0;
}

void bpf_source_close(struct bpf_source *s)
{
	(void)s;
}
#endif
