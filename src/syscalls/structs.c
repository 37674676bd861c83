/* Struct layouts as data, each checked against the kernel's own type where
 * the build headers (Debian's linux-libc-dev) have it: offsets of the fields
 * compare and show rely on, and the size a row captures. Structs newer than
 * those headers (mnt_id_req, statmount, cachestat, xattr_args, file_attr,
 * lsm_ctx) are written from the kernel's uapi definitions. */
#include "structs.h"

#include <linux/aio_abi.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/landlock.h>
#include <linux/mount.h>
#include <linux/mqueue.h>
#include <linux/msg.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <linux/poll.h>
#include <linux/resource.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/signal.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time_types.h>
#include <linux/times.h>
#include <linux/uio.h>
#include <linux/utime.h>
#include <linux/utsname.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/termbits.h>

#include "base/event.h"
#include "syscalls/table.h"

#define F(n, o, s) { .name = #n, .off = o, .size = s, .type = FT_INT }
#define FR(n, o, s, r) { .name = #n, .off = o, .size = s, .type = FT_INT, .role = r }
#define FF(n, o, s, f) { .name = #n, .off = o, .size = s, .type = FT_INT, .fmt = f }
#define P(n, o) { .name = #n, .off = o, .size = 8, .type = FT_PTR }
#define B(n, o, s) { .name = #n, .off = o, .size = s, .type = FT_BYTES }
/* An output-only field (also a pid when `r` says so), and padding
 * (uninitialised stack bytes in the program). */
#define OUTF(n, o, s) { .name = #n, .off = o, .size = s, .type = FT_INT, .flags = SF_NOT_INPUT }
#define OUTFR(n, o, s, r) { .name = #n, .off = o, .size = s, .type = FT_INT, .role = r, .flags = SF_NOT_INPUT }
#define PAD(o, s) { .name = "padding", .off = o, .size = s, .type = FT_BYTES, .flags = SF_PADDING | SF_NOT_INPUT }
#define STRF(n, o, s) { .name = #n, .off = o, .size = s, .type = FT_STR }
#define HID(n, o, s) { .name = #n, .off = o, .size = s, .type = FT_INT, .fmt = F_HIDDEN }
#define LAYOUT(name, sz, ...)                                          \
	static const struct sfield name##_f[] = { __VA_ARGS__ };        \
	static const struct slayout name = { name##_f, sizeof(name##_f) / sizeof(name##_f[0]), sz };

/* The layout matches the kernel's type: its size and some field offsets. */
#define SIZE_IS(type, sz) _Static_assert(sizeof(type) == (sz), "size of " #type)
#define AT(type, field, o) _Static_assert(offsetof(type, field) == (o), #type "." #field)

LAYOUT(stat_l, 144, F(st_dev, 0, 8), F(st_ino, 8, 8), F(st_nlink, 16, 8), F(st_mode, 24, 4), F(st_uid, 28, 4),
       F(st_gid, 32, 4), F(st_rdev, 40, 8), F(st_size, 48, 8), F(st_blksize, 56, 8), F(st_blocks, 64, 8),
       F(st_atime, 72, 8), F(st_atime_nsec, 80, 8), F(st_mtime, 88, 8), F(st_mtime_nsec, 96, 8),
       F(st_ctime, 104, 8), F(st_ctime_nsec, 112, 8))
SIZE_IS(struct stat, 144);
AT(struct stat, st_mode, 24); AT(struct stat, st_size, 48); AT(struct stat, st_ctime_nsec, 112);
LAYOUT(statx_l, 256, F(stx_mask, 0, 4), F(stx_blksize, 4, 4), F(stx_attributes, 8, 8), F(stx_nlink, 16, 4),
       F(stx_uid, 20, 4), F(stx_gid, 24, 4), F(stx_mode, 28, 2), F(stx_ino, 32, 8), F(stx_size, 40, 8),
       F(stx_blocks, 48, 8), F(stx_attributes_mask, 56, 8), F(stx_atime, 64, 16), F(stx_btime, 80, 16),
       F(stx_ctime, 96, 16), F(stx_mtime, 112, 16), F(stx_rdev_major, 128, 4), F(stx_rdev_minor, 132, 4),
       F(stx_dev_major, 136, 4), F(stx_dev_minor, 140, 4), F(stx_mnt_id, 144, 8),
       F(stx_dio_mem_align, 152, 4), F(stx_dio_offset_align, 156, 4))
SIZE_IS(struct statx, 256);
AT(struct statx, stx_mode, 28); AT(struct statx, stx_mtime, 112); AT(struct statx, stx_mnt_id, 144);
LAYOUT(timespec_l, 16, F(tv_sec, 0, 8), F(tv_nsec, 8, 8))
SIZE_IS(struct __kernel_timespec, 16);
LAYOUT(timeval_l, 16, F(tv_sec, 0, 8), F(tv_usec, 8, 8))
SIZE_IS(struct __kernel_old_timeval, 16);
LAYOUT(timezone_l, 8, F(tz_minuteswest, 0, 4), F(tz_dsttime, 4, 4))
LAYOUT(itimerval_l, 32, F(it_interval, 0, 16), F(it_value, 16, 16))
SIZE_IS(struct __kernel_old_itimerval, 32);
LAYOUT(sysinfo_l, 112, F(uptime, 0, 8), F(loads, 8, 24), F(totalram, 32, 8), F(freeram, 40, 8),
       F(sharedram, 48, 8), F(bufferram, 56, 8), F(totalswap, 64, 8), F(freeswap, 72, 8), F(procs, 80, 2),
       F(totalhigh, 88, 8), F(freehigh, 96, 8), F(mem_unit, 104, 4))
SIZE_IS(struct sysinfo, 112);
AT(struct sysinfo, procs, 80); AT(struct sysinfo, mem_unit, 104);
LAYOUT(utsname_l, 390, B(sysname, 0, 65), B(nodename, 65, 65), B(release, 130, 65), B(version, 195, 65),
       B(machine, 260, 65), B(domainname, 325, 65))
SIZE_IS(struct new_utsname, 390);
LAYOUT(sockaddr_l, 128, F(sa_family, 0, 2), F(sin_port, 2, 2), B(address, 4, 124))
/* The kernel's x86_64 struct sigaction (not the uapi one for old libcs). */
LAYOUT(sigaction_l, 32, P(sa_handler, 0), F(sa_flags, 8, 8), P(sa_restorer, 16), F(sa_mask, 24, 8))
LAYOUT(msghdr_l, 56, P(msg_name, 0), F(msg_namelen, 8, 4), PAD(12, 4), P(msg_iov, 16), F(msg_iovlen, 24, 8),
       P(msg_control, 32), F(msg_controllen, 40, 8), F(msg_flags, 48, 4), PAD(52, 4))
LAYOUT(robust_l, 24, P(list_next, 0), F(futex_offset, 8, 8), P(list_op_pending, 16))
SIZE_IS(struct robust_list_head, 24);
LAYOUT(rseq_l, 32, F(cpu_id_start, 0, 4), F(cpu_id, 4, 4), P(rseq_cs, 8), F(flags, 16, 4))
SIZE_IS(struct rseq, 32);
AT(struct rseq, flags, 16);
LAYOUT(rusage_l, 144, F(ru_utime, 0, 16), F(ru_stime, 16, 16), F(ru_maxrss, 32, 8), B(ru_rest, 40, 104))
SIZE_IS(struct rusage, 144);
LAYOUT(rlimit_l, 16, F(rlim_cur, 0, 8), F(rlim_max, 8, 8))
SIZE_IS(struct rlimit64, 16);
LAYOUT(stack_l, 24, P(ss_sp, 0), FF(ss_flags, 8, 4, F_SS_FLAGS), F(ss_size, 16, 8))
LAYOUT(clone_args_l, 88, F(flags, 0, 8), P(pidfd, 8), P(child_tid, 16), P(parent_tid, 24), F(exit_signal, 32, 8),
       P(stack, 40), F(stack_size, 48, 8), P(tls, 56), P(set_tid, 64), F(set_tid_size, 72, 8),
       F(cgroup, 80, 8))
SIZE_IS(struct clone_args, 88);
AT(struct clone_args, exit_signal, 32); AT(struct clone_args, cgroup, 80);
LAYOUT(itimerspec_l, 32, F(it_interval, 0, 16), F(it_value, 16, 16))
SIZE_IS(struct __kernel_itimerspec, 32);
LAYOUT(iovec_l, 16, P(iov_base, 0), F(iov_len, 8, 8))
SIZE_IS(struct iovec, 16);
/* struct statfs: the free counters change with every file written anywhere
 * on the file system (the recording itself writes one). */
LAYOUT(statfs_l, 120, F(f_type, 0, 8), F(f_bsize, 8, 8), F(f_blocks, 16, 8), F(f_bfree, 24, 8),
       F(f_bavail, 32, 8), F(f_files, 40, 8), F(f_ffree, 48, 8), F(f_fsid, 56, 8), F(f_namelen, 64, 8),
       F(f_frsize, 72, 8), F(f_flags, 80, 8), B(f_spare, 88, 32))
SIZE_IS(struct statfs, 120);
AT(struct statfs, f_flags, 80);
/* struct pollfd: the kernel reads fd and events; revents is only written
 * (an array reused from the last call still holds its results). */
LAYOUT(pollfd_l, 8, F(fd, 0, 4), F(events, 4, 2), OUTF(revents, 6, 2))
SIZE_IS(struct pollfd, 8);
LAYOUT(cap_header_l, 8, F(version, 0, 4), FR(pid, 4, 4, R_PID))
SIZE_IS(struct __user_cap_header_struct, 8);
LAYOUT(cap_data_l, 12, F(effective, 0, 4), F(permitted, 4, 4), F(inheritable, 8, 4))
SIZE_IS(struct __user_cap_data_struct, 12);
LAYOUT(epoll_event_l, 12, F(events, 0, 4), F(data, 4, 8))
SIZE_IS(struct epoll_event, 12);
LAYOUT(open_how_l, 24, F(flags, 0, 8), F(mode, 8, 8), F(resolve, 16, 8))
SIZE_IS(struct open_how, 24);
LAYOUT(sched_param_l, 4, F(sched_priority, 0, 4))
LAYOUT(tms_l, 32, F(tms_utime, 0, 8), F(tms_stime, 8, 8), F(tms_cutime, 16, 8), F(tms_cstime, 24, 8))
SIZE_IS(struct tms, 32);
LAYOUT(termios_l, 36, F(c_iflag, 0, 4), F(c_oflag, 4, 4), F(c_cflag, 8, 4), F(c_lflag, 12, 4),
       F(c_line, 16, 1), B(c_cc, 17, 19))
SIZE_IS(struct termios, 36);
LAYOUT(winsize_l, 8, F(ws_row, 0, 2), F(ws_col, 2, 2), F(ws_xpixel, 4, 2), F(ws_ypixel, 6, 2))
LAYOUT(siginfo_l, 128, F(si_signo, 0, 4), F(si_errno, 4, 4), F(si_code, 8, 4), FR(si_pid, 16, 4, R_PID),
       F(si_uid, 20, 4), F(si_status, 24, 4), B(si_rest, 28, 100))
SIZE_IS(siginfo_t, 128);
/* struct flock: F_SETLK reads type, whence, start and len; l_pid is only
 * written (F_GETLK), and the two holes are whatever was on the stack. */
LAYOUT(flock_l, 32, F(l_type, 0, 2), F(l_whence, 2, 2), PAD(4, 4), F(l_start, 8, 8), F(l_len, 16, 8),
       OUTFR(l_pid, 24, 4, R_PID), PAD(28, 4))
SIZE_IS(struct flock, 32);
AT(struct flock, l_pid, 24);
LAYOUT(f_owner_ex_l, 8, F(type, 0, 4), FR(pid, 4, 4, R_PID))
SIZE_IS(struct f_owner_ex, 8);
LAYOUT(fd_set_l, 128, B(fds_bits, 0, 128))
LAYOUT(mmsghdr_l, 64, P(msg_name, 0), F(msg_namelen, 8, 4), P(msg_iov, 16), F(msg_iovlen, 24, 8),
       P(msg_control, 32), F(msg_controllen, 40, 8), F(msg_flags, 48, 4), F(msg_len, 56, 4))
LAYOUT(timex_l, 208, F(modes, 0, 4), F(offset, 8, 8), F(freq, 16, 8), F(maxerror, 24, 8), F(esterror, 32, 8),
       F(status, 40, 4), F(constant, 48, 8), F(precision, 56, 8), F(tolerance, 64, 8), F(time, 72, 16),
       F(tick, 88, 8), F(ppsfreq, 96, 8), F(jitter, 104, 8), F(shift, 112, 4), F(stabil, 120, 8),
       F(jitcnt, 128, 8), F(calcnt, 136, 8), F(errcnt, 144, 8), F(stbcnt, 152, 8), F(tai, 160, 4),
       B(reserved, 164, 44))
LAYOUT(sigevent_l, 64, F(sigev_value, 0, 8), F(sigev_signo, 8, 4), F(sigev_notify, 12, 4),
       FR(sigev_notify_thread_id, 16, 4, R_TID), B(sigev_rest, 20, 44))
SIZE_IS(struct sigevent, 64);
AT(struct sigevent, sigev_notify, 12);

/* Structs a row names by sc_struct. */
LAYOUT(sembuf_l, 6, F(sem_num, 0, 2), F(sem_op, 2, 2), F(sem_flg, 4, 2))
SIZE_IS(struct sembuf, 6);
LAYOUT(mq_attr_l, 64, F(mq_flags, 0, 8), F(mq_maxmsg, 8, 8), F(mq_msgsize, 16, 8), F(mq_curmsgs, 24, 8))
SIZE_IS(struct mq_attr, 64);
LAYOUT(sched_attr_l, 56, F(size, 0, 4), F(sched_policy, 4, 4), F(sched_flags, 8, 8), F(sched_nice, 16, 4),
       F(sched_priority, 20, 4), F(sched_runtime, 24, 8), F(sched_deadline, 32, 8), F(sched_period, 40, 8),
       F(sched_util_min, 48, 4), F(sched_util_max, 52, 4))
SIZE_IS(struct sched_attr, 56);
AT(struct sched_attr, sched_util_max, 52);
LAYOUT(perf_attr_l, 128, FF(type, 0, 4, F_PERF_TYPE), F(size, 4, 4), F(config, 8, 8), F(sample_period, 16, 8),
       F(sample_type, 24, 8), F(read_format, 32, 8), F(flags, 40, 8), F(wakeup_events, 48, 4),
       F(bp_type, 52, 4), F(config1, 56, 8), F(config2, 64, 8), F(branch_sample_type, 72, 8),
       F(sample_regs_user, 80, 8), F(sample_stack_user, 88, 4), F(clockid, 92, 4),
       F(sample_regs_intr, 96, 8), F(aux_watermark, 104, 4), F(sample_max_stack, 108, 2),
       F(aux_sample_size, 112, 4), F(sig_data, 120, 8))
SIZE_IS(struct perf_event_attr, 128);
AT(struct perf_event_attr, config, 8); AT(struct perf_event_attr, wakeup_events, 48);
AT(struct perf_event_attr, clockid, 92); AT(struct perf_event_attr, sig_data, 120);
LAYOUT(bpf_map_create_l, 72, FF(map_type, 0, 4, F_BPF_MAP_TYPE), F(key_size, 4, 4), F(value_size, 8, 4), F(max_entries, 12, 4),
       F(map_flags, 16, 4), F(inner_map_fd, 20, 4), HID(numa_node, 24, 4), STRF(map_name, 28, 16),
       F(map_ifindex, 44, 4), F(btf_fd, 48, 4), F(btf_key_type_id, 52, 4), F(btf_value_type_id, 56, 4),
       F(btf_vmlinux_value_type_id, 60, 4), F(map_extra, 64, 8))
AT(union bpf_attr, max_entries, 12); AT(union bpf_attr, map_name, 28); AT(union bpf_attr, map_extra, 64);
/* In strace's order; what strace leaves out is compared but hidden. */
LAYOUT(io_uring_params_l, 120, FF(flags, 8, 4, F_IORING_SETUP), F(sq_thread_cpu, 12, 4), F(sq_thread_idle, 16, 4),
       F(sq_entries, 0, 4), F(cq_entries, 4, 4), FF(features, 20, 4, F_IORING_FEAT), HID(wq_fd, 24, 4),
       B(resv, 28, 12), F(sq_off.head, 40, 4), F(sq_off.tail, 44, 4), F(sq_off.ring_mask, 48, 4),
       F(sq_off.ring_entries, 52, 4), F(sq_off.flags, 56, 4), F(sq_off.dropped, 60, 4), F(sq_off.array, 64, 4),
       HID(sq_off.resv1, 68, 4), HID(sq_off.user_addr, 72, 8), F(cq_off.head, 80, 4), F(cq_off.tail, 84, 4),
       F(cq_off.ring_mask, 88, 4), F(cq_off.ring_entries, 92, 4), F(cq_off.overflow, 96, 4), F(cq_off.cqes, 100, 4),
       F(cq_off.flags, 104, 4), HID(cq_off.resv1, 108, 4), HID(cq_off.user_addr, 112, 8))
SIZE_IS(struct io_uring_params, 120);
AT(struct io_uring_params, features, 20); AT(struct io_uring_params, sq_off, 40);
AT(struct io_uring_params, cq_off, 80);
AT(struct io_uring_params, sq_off.array, 64); AT(struct io_uring_params, cq_off.cqes, 100);
LAYOUT(landlock_ruleset_l, 24, FF(handled_access_fs, 0, 8, F_LANDLOCK_FS), F(handled_access_net, 8, 8),
       F(scoped, 16, 8))
AT(struct landlock_ruleset_attr, handled_access_fs, 0);
LAYOUT(landlock_path_beneath_l, 12, FF(allowed_access, 0, 8, F_LANDLOCK_FS), F(parent_fd, 8, 4))
SIZE_IS(struct landlock_path_beneath_attr, 12);
AT(struct landlock_path_beneath_attr, parent_fd, 8);
LAYOUT(xattr_args_l, 16, P(value, 0), F(size, 8, 4), F(flags, 12, 4))
LAYOUT(futex_waitv_l, 24, F(val, 0, 8), P(uaddr, 8), F(flags, 16, 4), F(__reserved, 20, 4))
SIZE_IS(struct futex_waitv, 24);
AT(struct futex_waitv, uaddr, 8); AT(struct futex_waitv, flags, 16);
LAYOUT(mnt_id_req_l, 24, F(size, 0, 4), F(spare, 4, 4), F(mnt_id, 8, 8), F(param, 16, 8))
LAYOUT(statmount_l, 512, F(size, 0, 4), F(mnt_opts, 4, 4), F(mask, 8, 8), F(sb_dev_major, 16, 4),
       F(sb_dev_minor, 20, 4), F(sb_magic, 24, 8), F(sb_flags, 32, 4), F(fs_type, 36, 4), F(mnt_id, 40, 8),
       F(mnt_parent_id, 48, 8), F(mnt_id_old, 56, 4), F(mnt_parent_id_old, 60, 4), F(mnt_attr, 64, 8),
       F(mnt_propagation, 72, 8), F(mnt_peer_group, 80, 8), F(mnt_master, 88, 8), F(propagate_from, 96, 8),
       F(mnt_root, 104, 4), F(mnt_point, 108, 4), F(mnt_ns_id, 112, 8), B(rest, 120, 392))
LAYOUT(cachestat_range_l, 16, F(off, 0, 8), F(len, 8, 8))
LAYOUT(cachestat_l, 40, F(nr_cache, 0, 8), F(nr_dirty, 8, 8), F(nr_writeback, 16, 8), F(nr_evicted, 24, 8),
       F(nr_recently_evicted, 32, 8))
LAYOUT(mount_attr_l, 32, F(attr_set, 0, 8), F(attr_clr, 8, 8), F(propagation, 16, 8), F(userns_fd, 24, 8))
SIZE_IS(struct mount_attr, 32);
/* struct file_handle: the kernel's handle bytes follow (MAX_HANDLE_SZ 128). */
LAYOUT(file_handle_l, 136, F(handle_bytes, 0, 4), F(handle_type, 4, 4), B(f_handle, 8, 128))
/* name_to_handle_at reads only handle_bytes; the rest is whatever was in
 * the program's buffer until the kernel fills it. */
LAYOUT(file_handle_out_l, 136, F(handle_bytes, 0, 4), OUTF(handle_type, 4, 4),
       { .name = "f_handle", .off = 8, .size = 128, .type = FT_BYTES, .flags = SF_NOT_INPUT })
LAYOUT(utimbuf_l, 16, F(actime, 0, 8), F(modtime, 8, 8))
SIZE_IS(struct utimbuf, 16);
LAYOUT(iocb_l, 64, F(aio_data, 0, 8), F(aio_key, 8, 4), F(aio_rw_flags, 12, 4), F(aio_lio_opcode, 16, 2),
       F(aio_reqprio, 18, 2), F(aio_fildes, 20, 4), P(aio_buf, 24), F(aio_nbytes, 32, 8),
       F(aio_offset, 40, 8), F(aio_reserved2, 48, 8), F(aio_flags, 56, 4), F(aio_resfd, 60, 4))
SIZE_IS(struct iocb, 64);
AT(struct iocb, aio_buf, 24); AT(struct iocb, aio_resfd, 60);
LAYOUT(io_event_l, 32, F(data, 0, 8), P(obj, 8), F(res, 16, 8), F(res2, 24, 8))
SIZE_IS(struct io_event, 32);
LAYOUT(wait_status_l, 4, F(status, 0, 4))
LAYOUT(shmid_ds_l, 112, B(shm_perm, 0, 48), F(shm_segsz, 48, 8), F(shm_atime, 56, 8), F(shm_dtime, 64, 8),
       F(shm_ctime, 72, 8), FR(shm_cpid, 80, 4, R_PID), FR(shm_lpid, 84, 4, R_PID), F(shm_nattch, 88, 8),
       B(unused, 96, 16))
SIZE_IS(struct shmid64_ds, 112);
AT(struct shmid64_ds, shm_cpid, 80);
LAYOUT(msqid_ds_l, 120, B(msg_perm, 0, 48), F(msg_stime, 48, 8), F(msg_rtime, 56, 8), F(msg_ctime, 64, 8),
       F(msg_cbytes, 72, 8), F(msg_qnum, 80, 8), F(msg_qbytes, 88, 8), FR(msg_lspid, 96, 4, R_PID),
       FR(msg_lrpid, 100, 4, R_PID), B(unused, 104, 16))
SIZE_IS(struct msqid64_ds, 120);
AT(struct msqid64_ds, msg_lspid, 96);
LAYOUT(semid_ds_l, 104, B(sem_perm, 0, 48), F(sem_otime, 48, 8), F(sem_ctime, 64, 8), F(sem_nsems, 80, 8),
       B(unused, 88, 16))
SIZE_IS(struct semid64_ds, 104);
AT(struct semid64_ds, sem_nsems, 80);
LAYOUT(msgbuf_l, 8, F(mtype, 0, 8))
LAYOUT(kexec_segment_l, 32, P(buf, 0), F(bufsz, 8, 8), P(mem, 16), F(memsz, 24, 8))
SIZE_IS(struct kexec_segment, 32);
LAYOUT(file_attr_l, 24, F(fa_xflags, 0, 8), F(fa_extsize, 8, 4), F(fa_nextents, 12, 4), F(fa_projid, 16, 4),
       F(fa_cowextsize, 20, 4))
LAYOUT(lsm_ctx_l, 32, F(id, 0, 8), F(flags, 8, 8), F(len, 16, 8), F(ctx_len, 24, 8))
/* The first record of a getdents64 buffer (each is d_reclen bytes long). */
LAYOUT(dirent64_l, 19, F(d_ino, 0, 8), F(d_off, 8, 8), F(d_reclen, 16, 2), F(d_type, 18, 1))
LAYOUT(int_l, 4, F(value, 0, 4))
LAYOUT(u64_l, 8, F(value, 0, 8))
LAYOUT(ptr_l, 8, P(value, 0))

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
	case K_STRUCT_POLLFD: return &pollfd_l;
	case K_STRUCT_CAP_USER_HEADER_T: return &cap_header_l;
	case K_STRUCT_CAP_USER_DATA_T: return &cap_data_l;
	case K_STRUCT_EPOLL_EVENT: return &epoll_event_l;
	case K_STRUCT_OPEN_HOW: return &open_how_l;
	case K_STRUCT_SCHED_PARAM: return &sched_param_l;
	case K_STRUCT_TMS: return &tms_l;
	case K_STRUCT_TERMIOS: return &termios_l;
	case K_STRUCT_WINSIZE: return &winsize_l;
	case K_STRUCT_SIGINFO: return &siginfo_l;
	case K_STRUCT_FLOCK: return &flock_l;
	case K_STRUCT_F_OWNER_EX: return &f_owner_ex_l;
	case K_FD_SET: return &fd_set_l;
	case K_STRUCT_MMSGHDR: return &mmsghdr_l;
	case K_STRUCT_TIMEX: return &timex_l;
	case K_STRUCT_SIGEVENT: return &sigevent_l;
	}
	return NULL;
}

static const struct {
	const char *name;
	const struct slayout *l;
} by_st[ST_MAX] = {
	[ST_SEMBUF] = { "sembuf", &sembuf_l },
	[ST_SIGEVENT] = { "sigevent", &sigevent_l },
	[ST_MQ_ATTR] = { "mq_attr", &mq_attr_l },
	[ST_SCHED_ATTR] = { "sched_attr", &sched_attr_l },
	[ST_PERF_EVENT_ATTR] = { "perf_event_attr", &perf_attr_l },
	[ST_BPF_MAP_CREATE] = { "bpf_attr", &bpf_map_create_l },
	[ST_IO_URING_PARAMS] = { "io_uring_params", &io_uring_params_l },
	[ST_LANDLOCK_RULESET_ATTR] = { "landlock_ruleset_attr", &landlock_ruleset_l },
	[ST_LANDLOCK_PATH_BENEATH] = { "landlock_path_beneath_attr", &landlock_path_beneath_l },
	[ST_XATTR_ARGS] = { "xattr_args", &xattr_args_l },
	[ST_FUTEX_WAITV] = { "futex_waitv", &futex_waitv_l },
	[ST_MNT_ID_REQ] = { "mnt_id_req", &mnt_id_req_l },
	[ST_STATMOUNT] = { "statmount", &statmount_l },
	[ST_CACHESTAT_RANGE] = { "cachestat_range", &cachestat_range_l },
	[ST_CACHESTAT] = { "cachestat", &cachestat_l },
	[ST_MOUNT_ATTR] = { "mount_attr", &mount_attr_l },
	[ST_FILE_HANDLE] = { "file_handle", &file_handle_l },
	[ST_FILE_HANDLE_OUT] = { "file_handle", &file_handle_out_l },
	[ST_UTIMBUF] = { "utimbuf", &utimbuf_l },
	[ST_TIMEX] = { "timex", &timex_l },
	[ST_IOCB] = { "iocb", &iocb_l },
	[ST_IO_EVENT] = { "io_event", &io_event_l },
	[ST_IOVEC] = { "iovec", &iovec_l },
	[ST_SIGINFO] = { "siginfo", &siginfo_l },
	[ST_FLOCK] = { "flock", &flock_l },
	[ST_F_OWNER_EX] = { "f_owner_ex", &f_owner_ex_l },
	[ST_WAIT_STATUS] = { "int", &wait_status_l },
	[ST_EPOLL_EVENT] = { "epoll_event", &epoll_event_l },
	[ST_SHMID_DS] = { "shmid_ds", &shmid_ds_l },
	[ST_MSQID_DS] = { "msqid_ds", &msqid_ds_l },
	[ST_SEMID_DS] = { "semid_ds", &semid_ds_l },
	[ST_MSGBUF] = { "msgbuf", &msgbuf_l },
	[ST_KEXEC_SEGMENT] = { "kexec_segment", &kexec_segment_l },
	[ST_FILE_ATTR] = { "file_attr", &file_attr_l },
	[ST_LSM_CTX] = { "lsm_ctx", &lsm_ctx_l },
	[ST_OPEN_HOW] = { "open_how", &open_how_l },
	[ST_CLONE_ARGS] = { "clone_args", &clone_args_l },
	[ST_INT] = { "int", &int_l },
	[ST_U64] = { "__u64", &u64_l },
	[ST_DIRENTS] = { "linux_dirent64", &dirent64_l },
	[ST_PTR] = { "void *", &ptr_l },
	[ST_MMSG_SEND] = { "mmsghdr", &mmsghdr_l },
	[ST_MMSG_RECV] = { "mmsghdr", &mmsghdr_l },
};

const struct slayout *struct_layout_st(unsigned st)
{
	return st < ST_MAX ? by_st[st].l : NULL;
}

const char *struct_name_st(unsigned st)
{
	return st < ST_MAX ? by_st[st].name : NULL;
}

const struct slayout *struct_layout_for(const struct sc_desc *d, int i, unsigned kind)
{
	if (d && i >= 0 && i < d->nargs && d->args[i].st)
		return struct_layout_st(d->args[i].st);
	return struct_layout(kind);
}

size_t struct_elem_size(unsigned kind)
{
	switch (kind) {
	case K_IOVEC_ARRAY: return 16;
	case K_STRUCT_POLLFD: return 8;
	}
	return 0;
}
