/* A recorded signal as text: the siginfo fields that mean something for
 * its si_code, named as strace names them. */
#include "cli/render_signal.h"

#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/names.h"

/* x86_64 siginfo_t: si_signo, si_errno, si_code, then the union at 16. */
struct si_view {
	int32_t signo, errno_, code;
	int32_t pid, uid, status;  /* kill / sigchld (status at 24) */
	int64_t utime, stime;      /* sigchld, at 32 and 40 */
	uint64_t addr;             /* faults, at 16 */
	int32_t timerid, overrun;  /* timers, at 16 and 20 */
	uint64_t value;            /* sigval at 24 (timers, sigqueue) */
};

static int32_t i32(const uint8_t *p, size_t len, size_t off)
{
	int32_t v = 0;
	if (off + 4 <= len)
		memcpy(&v, p + off, 4);
	return v;
}

static int64_t i64(const uint8_t *p, size_t len, size_t off)
{
	int64_t v = 0;
	if (off + 8 <= len)
		memcpy(&v, p + off, 8);
	return v;
}

static void view(struct si_view *v, const struct sp_event *ev)
{
	const uint8_t *p = ev->sig.siginfo.data;
	size_t n = ev->sig.siginfo.len;
	v->signo = n >= 4 ? i32(p, n, 0) : ev->sig.signo;
	v->errno_ = i32(p, n, 4);
	v->code = i32(p, n, 8);
	v->pid = v->timerid = i32(p, n, 16);
	v->uid = v->overrun = i32(p, n, 20);
	v->status = i32(p, n, 24);
	v->value = (uint64_t)i64(p, n, 24);
	v->utime = i64(p, n, 32);
	v->stime = i64(p, n, 40);
	v->addr = (uint64_t)i64(p, n, 16);
}

static const char *code_name(int signo, int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TIMER: return "SI_TIMER";
	case SI_MESGQ: return "SI_MESGQ";
	case SI_ASYNCIO: return "SI_ASYNCIO";
	case SI_SIGIO: return "SI_SIGIO";
	case SI_TKILL: return "SI_TKILL";
	}
	static const char *const chld[] = { NULL, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED",
					     "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
	static const char *const segv[] = { NULL, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR" };
	static const char *const bus[] = { NULL, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR" };
	static const char *const fpe[] = { NULL, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF",
					   "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB" };
	if (signo == SIGCHLD && code > 0 && code < 7)
		return chld[code];
	if (signo == SIGSEGV && code > 0 && code < 5)
		return segv[code];
	if (signo == SIGBUS && code > 0 && code < 4)
		return bus[code];
	if (signo == SIGFPE && code > 0 && code < 9)
		return fpe[code];
	return NULL;
}

static bool is_fault(int signo)
{
	return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE || signo == SIGILL || signo == SIGTRAP;
}

void render_signal(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o)
{
	struct si_view v;
	view(&v, ev);
	char name[32], sname[32];
	if (ev->sig.exited) {
		if (o && o->show_tid && ev->tid)
			sb_printf(sb, "[pid %u] ", ev->tid);
		if (WIFSIGNALED(ev->sig.status))
			sb_printf(sb, "+++ killed by %s +++", names_signal(WTERMSIG(ev->sig.status), sname, sizeof(sname)));
		else
			sb_printf(sb, "+++ exited with %d +++", WEXITSTATUS(ev->sig.status));
		return;
	}
	names_signal(ev->sig.signo, name, sizeof(name));
	names_signal(v.signo, sname, sizeof(sname));
	if (o && o->show_tid && ev->tid)
		sb_printf(sb, "[pid %u] ", ev->tid);
	sb_printf(sb, "--- %s {si_signo=%s, si_code=", name, sname);
	const char *cn = code_name(v.signo, v.code);
	if (cn)
		sb_puts(sb, cn);
	else
		sb_printf(sb, "%d", v.code);
	if (v.errno_)
		sb_printf(sb, ", si_errno=%d", v.errno_);
	if (v.signo == SIGCHLD && v.code > 0) {
		sb_printf(sb, ", si_pid=%d, si_uid=%d, si_status=", v.pid, v.uid);
		if (v.code == CLD_EXITED)
			sb_printf(sb, "%d", v.status);
		else
			sb_puts(sb, names_signal(v.status, sname, sizeof(sname)));
		sb_printf(sb, ", si_utime=%" PRId64 ", si_stime=%" PRId64, v.utime, v.stime);
	} else if (v.code == SI_TIMER) {
		sb_printf(sb, ", si_timerid=%#x, si_overrun=%d, si_value={int=%d, ptr=%#" PRIx64 "}", (unsigned)v.timerid,
			  v.overrun, (int32_t)v.value, v.value);
	} else if (v.code == SI_QUEUE) {
		sb_printf(sb, ", si_pid=%d, si_uid=%d, si_value={int=%d, ptr=%#" PRIx64 "}", v.pid, v.uid, (int32_t)v.value,
			  v.value);
	} else if (v.code <= 0) {
		sb_printf(sb, ", si_pid=%d, si_uid=%d", v.pid, v.uid);
	} else if (is_fault(v.signo)) {
		sb_printf(sb, ", si_addr=%#" PRIx64, v.addr);
	}
	sb_puts(sb, "} ---");
}

void render_signal_json(struct strbuf *sb, const struct sp_event *ev)
{
	char name[32];
	struct strbuf text = { 0 };
	render_signal(&text, ev, NULL);
	if (ev->sig.exited) {
		sb_printf(sb, "{\"exit\":%d,\"tid\":%u,\"seq\":%" PRIu64, ev->sig.status, ev->tid, ev->seq);
		if (ev->sig.exit_stop_seq)
			sb_printf(sb, ",\"exit_stop_seq\":%" PRIu64, ev->sig.exit_stop_seq);
		sb_puts(sb, ",\"text\":\"");
		sb_puts(sb, text.s ? text.s : "");
		sb_puts(sb, "\"}");
		sb_free(&text);
		return;
	}
	sb_printf(sb, "{\"signal\":\"%s\",\"signo\":%d,\"tid\":%u,\"seq\":%" PRIu64 ",\"interrupted\":%d,\"siginfo\":\"",
		  names_signal(ev->sig.signo, name, sizeof(name)), ev->sig.signo, ev->tid, ev->seq, ev->sig.interrupted);
	for (size_t i = 0; i < ev->sig.siginfo.len; i++)
		sb_printf(sb, "%02x", ev->sig.siginfo.data[i]);
	sb_puts(sb, "\",\"text\":\"");
	sb_puts(sb, text.s ? text.s : "");
	sb_puts(sb, "\"}");
	sb_free(&text);
}
