#include "structs.h"

#include "base/event.h"

#define F(n, o, s) { #n, o, s, FT_INT }
#define P(n, o) { #n, o, 8, FT_PTR }
#define B(n, o, s) { #n, o, s, FT_BYTES }
/* An output-only field, and padding (uninitialised stack bytes in the program). */
#define OUTF(n, o, s) { #n, o, s, FT_INT, SF_NOT_INPUT }
#define PAD(o, s) { "padding", o, s, FT_BYTES, SF_PADDING | SF_NOT_INPUT }
#define LAYOUT(name, ...)                                              \
	static const struct sfield name##_f[] = { __VA_ARGS__ };        \
	static const struct slayout name = { name##_f, sizeof(name##_f) / sizeof(name##_f[0]) };

LAYOUT(stat_l, F(st_dev, 0, 8), F(st_ino, 8, 8), F(st_nlink, 16, 8), F(st_mode, 24, 4), F(st_uid, 28, 4),
       F(st_gid, 32, 4), F(st_rdev, 40, 8), F(st_size, 48, 8), F(st_blksize, 56, 8), F(st_blocks, 64, 8),
       F(st_atime, 72, 8), F(st_atime_nsec, 80, 8), F(st_mtime, 88, 8), F(st_mtime_nsec, 96, 8),
       F(st_ctime, 104, 8), F(st_ctime_nsec, 112, 8))
LAYOUT(statx_l, F(stx_mask, 0, 4), F(stx_blksize, 4, 4), F(stx_attributes, 8, 8), F(stx_nlink, 16, 4),
       F(stx_uid, 20, 4), F(stx_gid, 24, 4), F(stx_mode, 28, 2), F(stx_ino, 32, 8), F(stx_size, 40, 8),
       F(stx_blocks, 48, 8), F(stx_attributes_mask, 56, 8), F(stx_atime, 64, 16), F(stx_btime, 80, 16),
       F(stx_ctime, 96, 16), F(stx_mtime, 112, 16), F(stx_rdev_major, 128, 4), F(stx_rdev_minor, 132, 4),
       F(stx_dev_major, 136, 4), F(stx_dev_minor, 140, 4), F(stx_mnt_id, 144, 8),
       F(stx_dio_mem_align, 152, 4), F(stx_dio_offset_align, 156, 4))
LAYOUT(timespec_l, F(tv_sec, 0, 8), F(tv_nsec, 8, 8))
LAYOUT(timeval_l, F(tv_sec, 0, 8), F(tv_usec, 8, 8))
LAYOUT(timezone_l, F(tz_minuteswest, 0, 4), F(tz_dsttime, 4, 4))
LAYOUT(itimerval_l, F(it_interval, 0, 16), F(it_value, 16, 16))
LAYOUT(sysinfo_l, F(uptime, 0, 8), F(loads, 8, 24), F(totalram, 32, 8), F(freeram, 40, 8),
       F(sharedram, 48, 8), F(bufferram, 56, 8), F(totalswap, 64, 8), F(freeswap, 72, 8), F(procs, 80, 2),
       F(totalhigh, 88, 8), F(freehigh, 96, 8), F(mem_unit, 104, 4))
LAYOUT(utsname_l, B(sysname, 0, 65), B(nodename, 65, 65), B(release, 130, 65), B(version, 195, 65),
       B(machine, 260, 65), B(domainname, 325, 65))
LAYOUT(sockaddr_l, F(sa_family, 0, 2), F(sin_port, 2, 2), B(address, 4, 124))
LAYOUT(sigaction_l, P(sa_handler, 0), F(sa_flags, 8, 8), P(sa_restorer, 16), F(sa_mask, 24, 8))
LAYOUT(msghdr_l, P(msg_name, 0), F(msg_namelen, 8, 4), PAD(12, 4), P(msg_iov, 16), F(msg_iovlen, 24, 8),
       P(msg_control, 32), F(msg_controllen, 40, 8), F(msg_flags, 48, 4), PAD(52, 4))
/* struct pollfd: the kernel reads fd and events; revents is only written
 * (an array reused from the last call still holds its results). */
LAYOUT(pollfd_l, F(fd, 0, 4), F(events, 4, 2), OUTF(revents, 6, 2))
LAYOUT(robust_l, P(list_next, 0), F(futex_offset, 8, 8), P(list_op_pending, 16))
LAYOUT(rseq_l, F(cpu_id_start, 0, 4), F(cpu_id, 4, 4), P(rseq_cs, 8), F(flags, 16, 4))
LAYOUT(rusage_l, F(ru_utime, 0, 16), F(ru_stime, 16, 16), F(ru_maxrss, 32, 8), B(ru_rest, 40, 104))
LAYOUT(rlimit_l, F(rlim_cur, 0, 8), F(rlim_max, 8, 8))
LAYOUT(stack_l, P(ss_sp, 0), F(ss_flags, 8, 4), F(ss_size, 16, 8))
LAYOUT(clone_args_l, F(flags, 0, 8), P(pidfd, 8), P(child_tid, 16), P(parent_tid, 24), F(exit_signal, 32, 8),
       P(stack, 40), F(stack_size, 48, 8), P(tls, 56), P(set_tid, 64), F(set_tid_size, 72, 8),
       F(cgroup, 80, 8))
LAYOUT(itimerspec_l, F(it_interval, 0, 16), F(it_value, 16, 16))
/* struct statfs: the free counters change with every file written anywhere
 * on the file system (the recording itself writes one). */
LAYOUT(statfs_l, F(f_type, 0, 8), F(f_bsize, 8, 8), F(f_blocks, 16, 8), F(f_bfree, 24, 8), F(f_bavail, 32, 8),
       F(f_files, 40, 8), F(f_ffree, 48, 8), F(f_fsid, 56, 8), F(f_namelen, 64, 8), F(f_frsize, 72, 8),
       F(f_flags, 80, 8), B(f_spare, 88, 32))
/* struct flock: F_SETLK reads type, whence, start and len; l_pid is only
 * written (F_GETLK), and the two holes are whatever was on the stack. */
LAYOUT(flock_l, F(l_type, 0, 2), F(l_whence, 2, 2), PAD(4, 4), F(l_start, 8, 8), F(l_len, 16, 8),
       OUTF(l_pid, 24, 4), PAD(28, 4))
LAYOUT(iovec_l, P(iov_base, 0), F(iov_len, 8, 8))

const struct slayout *struct_layout(unsigned kind)
{
	switch (kind) {
	case K_STRUCT_STAT: return &stat_l;
	case K_STRUCT_STATX: return &statx_l;
	case K_STRUCT_TIMESPEC: return &timespec_l;
	case K_STRUCT_TIMEVAL: return &timeval_l;
	case K_STRUCT_TIMEZONE: return &timezone_l;
	case K_STRUCT_SET_ITIMERVAL: return &itimerval_l;
	case K_STRUCT_SYSINFO: return &sysinfo_l;
	case K_STRUCT_UTSNAME: return &utsname_l;
	case K_STRUCT_SOCKADDR: return &sockaddr_l;
	case K_STRUCT_SIGACTION: return &sigaction_l;
	case K_STRUCT_MSGHDR: return &msghdr_l;
	case K_STRUCT_ROBUST_LIST_HEAD: return &robust_l;
	case K_STRUCT_RSEQ: return &rseq_l;
	case K_STRUCT_RUSAGE: return &rusage_l;
	case K_STRUCT_RLIMIT64: return &rlimit_l;
	case K_STRUCT_STACK: return &stack_l;
	case K_STRUCT_CLONE_ARGS: return &clone_args_l;
	case K_STRUCT_ITIMERSPEC: return &itimerspec_l;
	case K_IOVEC_ARRAY: return &iovec_l;
	case K_STRUCT_STATFS: return &statfs_l;
	case K_STRUCT_FLOCK: return &flock_l;
	case K_STRUCT_POLLFD: return &pollfd_l;
	}
	return NULL;
}

size_t struct_elem_size(unsigned kind)
{
	switch (kind) {
	case K_IOVEC_ARRAY: return 16;
	case K_STRUCT_POLLFD: return 8;
	}
	return 0;
}
