/* The record phase: every completed syscall goes straight to the file. */
#include "cli/record.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/container.h"
#include "sandbox/launch.h"
#include "trace/file_digest.h"
#include "trace/map_digest.h"
#include "trace/sysstate.h"
#include "format/map_store.h"
#include "format/tracefile.h"
#include "format/zframes.h"
#include "trace/tracer.h"
#include "trace/bpf_record.h"
#include "base/util.h"
#include "cli/watch.h"
#include "live/sender.h"

struct recorder {
	struct tf_writer *w;
	uint64_t count, signals;
	int write_err;
	struct tf_meta meta;
	int verbosity;
	const struct job *job;
	int store_err;     /* the first error writing to --store (said once) */
	struct live_sender *live; /* record --to: told of each whole record */
};

/* A file mapping is kept by its page digests (map_digest.h): its bytes go
 * to the --store folder if one is given, and into the recording only with
 * --map-bytes. */
static void rec_map_bytes(struct recorder *r, struct sp_event *ev)
{
	if (!ev->map_digests.len)
		return;
	if (r->job->map_store && !r->store_err) {
		r->store_err = map_store_put(r->job->map_store, ev);
		if (r->store_err)
			warnx_("cannot put mapped pages into the store %s: %s (the recording keeps their digests)",
			       r->job->map_store, strerror(-r->store_err));
	}
	if (!r->job->map_bytes) {
		ev->ret.flags &= (uint8_t)~SP_HAS_BUF;
		ev->ret.buf = (struct sp_bytes){ 0 };
	}
}

static int rec_on_exit(void *ctx, struct tracee *t, struct sp_event *ev)
{
	(void)t;
	struct recorder *r = ctx;
	rec_map_bytes(r, ev);
	int e = tf_write_event(r->w, ev);
	if (e < 0) {
		r->write_err = e;
		return -1;
	}
	r->count++;
	if (r->live)
		live_sender_progress(r->live, tf_written(r->w));
	return 0;
}

/* A signal is written as its own record, in delivery order among the
 * syscalls, and delivered unchanged. */
static int rec_on_signal(void *ctx, struct tracee *t, struct sp_event *ev, int *deliver)
{
	(void)t, (void)deliver;
	struct recorder *r = ctx;
	int e = tf_write_signal(r->w, ev);
	if (e < 0) {
		r->write_err = e;
		return -1;
	}
	r->signals++;
	if (r->live)
		live_sender_progress(r->live, tf_written(r->w));
	return 0;
}

static void rec_on_end(void *ctx, struct tracee *t, struct sp_event *ev)
{
	int deliver;
	rec_on_signal(ctx, t, ev, &deliver);
}

/* A daemon or a background job outlives the program: say why record goes
 * on waiting, once, naming what it waits for. */
static void rec_on_left_behind(void *ctx, struct tracee *const *left, int n)
{
	struct recorder *r = ctx;
	if (r->verbosity < 0)
		return;
	char list[512];
	size_t len = 0;
	int shown = 0, procs = 0;
	list[0] = 0;
	for (int i = 0; i < n; i++) {
		char path[64], comm[64] = "?";
		/* Threads of one process are named once, by the process. */
		snprintf(path, sizeof(path), "/proc/%d/status", (int)left[i]->tid);
		FILE *f = fopen(path, "re");
		int tgid = left[i]->tid;
		if (f) {
			char line[128];
			while (fgets(line, sizeof(line), f))
				if (!strncmp(line, "Name:", 5))
					sscanf(line + 5, " %63s", comm);
				else if (!strncmp(line, "Tgid:", 5))
					tgid = atoi(line + 5);
			fclose(f);
		}
		if (tgid != left[i]->tid)
			continue;
		procs++;
		if (shown < 8 && len < sizeof(list) - 80) {
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d (%s)", shown ? ", " : "",
						(int)left[i]->vtid, comm);
			shown++;
		}
	}
	if (!procs)
		return;
	fprintf(stderr, "%s: the program exited; still recording %d process%s it left running: %s%s "
		"(the recording ends when they do; SIGINT or SIGTERM ends it now)\n", progname, procs,
		procs == 1 ? "" : "es", list, procs > shown ? ", ..." : "");
}

static void rec_on_exiting(void *ctx, pid_t pid)
{
	struct recorder *r = ctx;
	sysstate_maps(pid, &r->meta);
}

void record_meta_from_job(struct tf_meta *m, const struct job *j)
{
	static char version[64];
	snprintf(version, sizeof(version), "sperrips %s (%s)", SPERRIPS_VERSION, SPERRIPS_COMMIT);
	m->version = version;
	m->argv = j->argv;
	m->argc = j->argc;
	m->stdin_bytes = j->stdin_data;
	m->stdin_len = j->stdin_len;
	m->env = j->env;
	m->n_env = j->n_env;
	m->workdir = j->workdir;
	m->job_name = j->name;
	m->tracee_aslr_off = !j->aslr;
	m->vdso_hidden = true;
	m->pinned = j->pin;
	m->container_root = j->container ? j->container->lower : NULL;
	m->net_none = j->container && j->container->net_none;
	m->net_raw = j->container && j->container->net_raw;
}

static void free_owned_meta(struct tf_meta *m)
{
	/* Only the uname strings and ranges are ours; the rest is the job's. */
	tf_uname_free(&m->uname);
	for (size_t i = 0; i < m->n_ranges; i++)
		free(m->ranges[i].section);
	free(m->ranges);
}

static int record_job(const struct job *j, struct live_sender *live)
{
	struct launch l;
	int rc = launch_prepare(&l, j);
	if (rc) {
		launch_release(&l);
		return rc;
	}
	/* From before the output exists: a SIGTERM that finds the file must
	 * find it finished and marked interrupted, not cut by the default
	 * action. */
	tracer_catch_signals();
	struct recorder r = { .verbosity = j->verbosity, .job = j, .live = live };
	struct bpf_record *bpf = NULL;
	if (j->backend != JOB_BACKEND_PTRACE) {
		char why[256];
		int e = bpf_record_open(&bpf, why, sizeof(why));
		if (e && j->backend == JOB_BACKEND_BPF) {
			warnx_("record --backend=bpf: %s", why);
			launch_release(&l);
			return EXIT_TRACER;
		}
		if (e && j->verbosity >= 1)
			warnx_("record --backend=auto: %s; recording with ptrace", why);
	}
	/* Without the bytes, a library mapped again unchanged need not be
	 * read again: its pages' digests are known. */
	map_digest_reuse(!j->map_bytes);
	if (j->file_digests_set)
		file_digest_budget(j->file_digests);
	/* BPF records reach us after the call, maybe after the file changed
	 * again or the process left: a digest then would be of another time. */
	if (bpf)
		file_digest_budget(0);
	file_digest_start();
	r.w = tf_writer_open(j->output);
	if (!r.w) {
		warnx_("cannot write %s: %s", j->output, strerror(errno));
		launch_release(&l);
		bpf_record_close(bpf);
		return EXIT_OUTPUT;
	}
	/* --sign: chained from the header on, sealed after the trailer */
	if (j->signer && tf_writer_sign(r.w, j->signer) < 0) {
		warnx_("cannot sign %s: out of memory", j->output);
		tf_writer_close(r.w);
		unlink(j->output);
		launch_release(&l);
		bpf_record_close(bpf);
		return EXIT_OUTPUT;
	}
	/* Compressed as the records come, the frame in the making would be
	 * lost with the recorder (a kill -9, a program that kills its tracer).
	 * A regular file is therefore written plain, every syscall in it as it
	 * completes, and compressed once the recording is whole; a pipe is
	 * compressed as it goes. */
	int compress_after = j->compress && tf_writer_durable(r.w) ? j->compress : 0;
	if (j->compress && !compress_after) {
		int e = tf_writer_compress(r.w, j->compress);
		if (e) {
			warnx_("cannot write %s compressed: %s", j->output, strerror(-e));
			tf_writer_close(r.w);
			launch_release(&l);
			bpf_record_close(bpf);
			return EXIT_OUTPUT;
		}
	}
	/* --to: the sender reads the file back behind the writer, which
	 * needs every record in the file as it is written (tracefile.h:
	 * tf_writer_durable); a pipe or a file system without fallocate is
	 * refused. */
	if (live) {
		int e = tf_writer_durable(r.w) ? live_sender_start(live, j->output) : -ESPIPE;
		if (e) {
			if (e == -ESPIPE)
				warnx_("record --to: %s cannot be read back as it is written (a pipe, or a file system "
				       "without fallocate): give -o a regular file", j->output);
			else
				warnx_("record --to: cannot stream %s: %s", j->output, strerror(-e));
			tf_writer_close(r.w);
			unlink(j->output);
			launch_release(&l);
			bpf_record_close(bpf);
			return e == -ESPIPE ? EXIT_USAGE : EXIT_OUTPUT;
		}
	}
	record_meta_from_job(&r.meta, j);
	r.meta.backend = bpf ? "bpf" : NULL;
	r.meta.time_recorded = (uint64_t)time(NULL);
	r.meta.started_ns = file_clock_ns();
	r.meta.stdout_kind = (char *)l.stdout_kind;
	r.meta.stderr_kind = (char *)l.stderr_kind;
	/* The rest of the setting replay restores (sandbox/setting.h): where
	 * the program started, its signals, how its outputs were opened. */
	char *workdir = l.workdir;
	l.workdir = NULL;
	if (workdir)
		r.meta.workdir = workdir;
	r.meta.setting_recorded = true;
	r.meta.sig_ignored = l.set.sig_ignored;
	r.meta.sig_blocked = l.set.sig_blocked;
	r.meta.std_flags[0] = l.std_flags[0];
	r.meta.std_flags[1] = l.std_flags[1];
	sysstate_uname(&r.meta.uname);
	r.meta.aslr_state = sysstate_aslr();
	/* What is known now goes first (issue 12): a reader of a pipe, or of
	 * a file whose recorder was killed, has the command at once. */
	r.write_err = tf_write_header(r.w, &r.meta);
	if (live)
		live_sender_progress(live, tf_written(r.w));
	struct tracer_ops ops = { .ctx = &r, .on_exit = rec_on_exit, .on_exiting = rec_on_exiting,
				  .on_signal = rec_on_signal, .on_end = rec_on_end,
				  .on_left_behind = rec_on_left_behind };
	struct tracer_result res;
	struct watch w;
	watch_init(&w, "record", j->argv[0], j->verbosity, 0);
	watch_say(&w, 1, "writing %s; %zu environment variable%s, ASLR %s, vDSO hidden, %s%s", j->output, j->n_env,
		  j->n_env == 1 ? "" : "s", j->aslr ? "on" : "off", j->pin ? "pinned to one CPU" : "not pinned",
		  j->container ? ", in the container" : "");
	watch_wrap(&w, &ops);
	/* --backend=bpf: the syscalls come from the BPF ring, into the same
	 * callbacks (trace/bpf_record.h); the tracer follows the lifecycle. */
	if (bpf && bpf_record_wrap(bpf, &ops) < 0) {
		bpf_record_close(bpf);
		bpf = NULL;
		warnx_("record --backend: cannot start the BPF ring reader; recording with ptrace");
	}
	enum tracer_status st = tracer_run(&l.spawn, &ops, &res);
	uint64_t bpf_lost = 0, bpf_uncaptured = 0, bpf_load_ns = 0;
	bool bpf_used = false;
	if (bpf) {
		bpf_lost = bpf_record_finish(bpf, &bpf_load_ns);
		bpf_uncaptured = bpf_record_uncaptured(bpf);
		watch_say(&w, 1, "BPF: loaded in %.1f ms; %llu syscall records lost; threads stopped %llu time%s while the ring drained",
			  bpf_load_ns / 1e6, (unsigned long long)bpf_lost, (unsigned long long)bpf_record_throttled(bpf),
			  bpf_record_throttled(bpf) == 1 ? "" : "s");
		bpf_record_close(bpf);
		bpf_used = true;
	}
	watch_done(&w);
	launch_release(&l);
	if (st == TRACER_SPAWN_FAILED) {
		if (live)
			live_sender_end(live, tf_written(r.w), false);
		tf_writer_close(r.w);
		unlink(j->output);
		free_owned_meta(&r.meta);
		warnx_("cannot start %s: %s", j->argv[0], res.error);
		free(workdir);
		return EXIT_NO_TRACEE;
	}
	r.meta.number_of_syscalls = r.count;
	r.meta.number_of_signals = r.signals;
	r.meta.exit_status = res.wait_status;
	r.meta.interrupted = st == TRACER_INTERRUPTED;
	r.meta.backend = bpf_used ? "bpf" : NULL;
	r.meta.lost_records = bpf_lost;
	r.meta.ended_ns = file_clock_ns();
	int werr = r.write_err;
	if (!werr)
		werr = tf_write_trailer(r.w, &r.meta);
	uint64_t in_file = tf_items_in_file(r.w);
	/* The sender holds its own descriptor of the file: the compression
	 * below replaces the file by another, not these bytes. */
	if (live)
		live_sender_end(live, tf_written(r.w), !werr);
	int cerr = tf_writer_close(r.w);
	if (!werr && !cerr)
		watch_say(&w, 1, "%llu syscall%s and %llu signal%s written in %.2f s", (unsigned long long)r.count,
			  r.count == 1 ? "" : "s", (unsigned long long)r.signals, r.signals == 1 ? "" : "s",
			  watch_elapsed(&w));
	if (!werr)
		werr = cerr;
	free_owned_meta(&r.meta);
	free(workdir);
	if (werr) {
		warnx_("writing %s failed: %s; the file holds the first %llu of %llu syscalls",
		       j->output, strerror(-werr), (unsigned long long)in_file, (unsigned long long)r.count);
		return EXIT_OUTPUT;
	}
	if (compress_after) {
		int e = zf_compress_file(j->output, compress_after);
		if (e)
			warnx_("cannot compress %s: %s; it stays uncompressed (it reads the same)", j->output,
			       strerror(-e));
	}
	if (st == TRACER_ERROR) {
		warnx_("tracing failed: %s", res.error);
		return EXIT_TRACER;
	}
	if (st == TRACER_INTERRUPTED) {
		warnx_("interrupted by SIG%s: the tracee was killed; %s holds %llu syscalls, marked interrupted",
		       sigabbrev_np(res.signal) ? sigabbrev_np(res.signal) : "?", j->output, (unsigned long long)r.count);
		return 128 + res.signal;
	}
	if (j->verbosity >= 0) {
		char how[64] = "";
		if (WIFEXITED(res.wait_status))
			snprintf(how, sizeof(how), "exited with %d", WEXITSTATUS(res.wait_status));
		else if (WIFSIGNALED(res.wait_status))
			snprintf(how, sizeof(how), "killed by SIG%s",
				 sigabbrev_np(WTERMSIG(res.wait_status)) ? sigabbrev_np(WTERMSIG(res.wait_status)) : "?");
		fprintf(stderr, "%s: recorded %llu syscalls of %s (%s) into %s\n", progname,
			(unsigned long long)r.count, j->argv[0], how, j->output);
	}
	if (bpf_uncaptured && j->verbosity >= 0)
		fprintf(stderr, "%s: %llu syscall%s with bytes BPF could not capture (marked unreadable)\n", progname,
			(unsigned long long)bpf_uncaptured, bpf_uncaptured == 1 ? "" : "s");
	if (bpf_lost) {
		warnx_("%llu syscall record%s lost: the BPF ring was full; the recording is incomplete",
		       (unsigned long long)bpf_lost, bpf_lost == 1 ? "" : "s");
		return EXIT_TRACER;
	}
	if (j->exit_status) /* the recording is complete; now say how the program ended */
		return WIFEXITED(res.wait_status) ? WEXITSTATUS(res.wait_status)
		       : WIFSIGNALED(res.wait_status) ? 128 + WTERMSIG(res.wait_status) : EXIT_SAME;
	return EXIT_SAME;
}

int record_run(const struct job *j)
{
	if (!j->live)
		return record_job(j, NULL);
	/* Both sides proven before anything runs: a wrong key or an
	 * unreachable verifier is said now, not after the program. */
	char err[512];
	struct live_sender *live = live_sender_connect(j->live, err, sizeof(err));
	if (!live) {
		warnx_("record --to %s", err);
		return EXIT_LIVE_LOST;
	}
	int rc = record_job(j, live);
	return live_sender_finish(live, j->output, rc);
}
