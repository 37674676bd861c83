#include "cli/names.h"

#include <stdio.h>
#include <string.h>

#include "syscalls/table.h"

#define N(x) { x, #x }
#define LIST(name, isflags, m, ...)                                                   \
	static const struct name_val name##_v[] = { __VA_ARGS__ };                    \
	static const struct name_list name = { name##_v, sizeof(name##_v) / sizeof(name##_v[0]), isflags, m, NULL };
/* A list of constants whose unknown values strace shows as 0x64 /\* PREFIX??? *\/. */
#define LISTP(name, prefix, ...)                                                      \
	static const struct name_val name##_v[] = { __VA_ARGS__ };                    \
	static const struct name_list name = { name##_v, sizeof(name##_v) / sizeof(name##_v[0]), false, 0, prefix };

/* Values spelled out rather than taken from headers: the names describe
 * the x86_64 ABI of the recording, not the machine showing it. */
LIST(open_flags, true, 3,
     { 0, "O_RDONLY" }, { 1, "O_WRONLY" }, { 2, "O_RDWR" },
     /* strace's order. O_SYNC is __O_SYNC|O_DSYNC, O_TMPFILE __O_TMPFILE|
      * O_DIRECTORY: the combinations come first, so that they are named as
      * the program wrote them. */
     { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
     { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 04010000, "O_SYNC" }, { 010000, "O_DSYNC" },
     { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
     { 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 020200000, "O_TMPFILE" }, { 0200000, "O_DIRECTORY" },
     { 020000, "FASYNC" }, { 04000000, "__O_SYNC" }, { 020000000, "__O_TMPFILE" })
/* pipe2, dup3, userfaultfd: flags only, no access mode to name. */
LIST(pipe_flags, true, 0, { 04000, "O_NONBLOCK" }, { 040000, "O_DIRECT" }, { 0200, "O_NOTIFICATION_PIPE" },
     { 02000000, "O_CLOEXEC" })
LIST(dup3_flags, true, 0, { 02000000, "O_CLOEXEC" })
LIST(epoll_op, false, 0, { 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" })
LIST(epoll_create, true, 0, { 02000000, "EPOLL_CLOEXEC" })
LIST(epoll_events, true, 0,
     { 1, "EPOLLIN" }, { 2, "EPOLLPRI" }, { 4, "EPOLLOUT" }, { 8, "EPOLLERR" }, { 16, "EPOLLHUP" },
     { 0x20, "EPOLLNVAL" }, { 0x40, "EPOLLRDNORM" }, { 0x80, "EPOLLRDBAND" }, { 0x100, "EPOLLWRNORM" },
     { 0x200, "EPOLLWRBAND" }, { 0x400, "EPOLLMSG" }, { 0x2000, "EPOLLRDHUP" },
     { 1u << 28, "EPOLLEXCLUSIVE" }, { 1u << 29, "EPOLLWAKEUP" }, { 1u << 30, "EPOLLONESHOT" },
     { 1u << 31, "EPOLLET" })
LIST(tfd_flags, true, 0, { 02000000, "TFD_CLOEXEC" }, { 04000, "TFD_NONBLOCK" })
LIST(tfd_settime, true, 0, { 1, "TFD_TIMER_ABSTIME" }, { 2, "TFD_TIMER_CANCEL_ON_SET" })
LIST(timer_flags, true, 0, { 1, "TIMER_ABSTIME" })
LIST(xattr_flags, true, 0, { 1, "XATTR_CREATE" }, { 2, "XATTR_REPLACE" })
LIST(msync_flags, true, 0, { 1, "MS_ASYNC" }, { 2, "MS_INVALIDATE" }, { 4, "MS_SYNC" })
LIST(mremap_flags, true, 0, { 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" }, { 4, "MREMAP_DONTUNMAP" })
LIST(mfd_flags, true, 0, { 1, "MFD_CLOEXEC" }, { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
     { 8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" })
LIST(in_init, true, 0, { 04000, "IN_NONBLOCK" }, { 02000000, "IN_CLOEXEC" })
LIST(efd_flags, true, 0, { 1, "EFD_SEMAPHORE" }, { 04000, "EFD_NONBLOCK" }, { 02000000, "EFD_CLOEXEC" })
LIST(keyctl_op, false, 0,
     { 0, "KEYCTL_GET_KEYRING_ID" }, { 1, "KEYCTL_JOIN_SESSION_KEYRING" }, { 2, "KEYCTL_UPDATE" },
     { 3, "KEYCTL_REVOKE" }, { 4, "KEYCTL_CHOWN" }, { 5, "KEYCTL_SETPERM" }, { 6, "KEYCTL_DESCRIBE" },
     { 7, "KEYCTL_CLEAR" }, { 8, "KEYCTL_LINK" }, { 9, "KEYCTL_UNLINK" }, { 10, "KEYCTL_SEARCH" },
     { 11, "KEYCTL_READ" }, { 12, "KEYCTL_INSTANTIATE" }, { 13, "KEYCTL_NEGATE" },
     { 14, "KEYCTL_SET_REQKEY_KEYRING" }, { 15, "KEYCTL_SET_TIMEOUT" }, { 16, "KEYCTL_ASSUME_AUTHORITY" },
     { 17, "KEYCTL_GET_SECURITY" }, { 18, "KEYCTL_SESSION_TO_PARENT" }, { 19, "KEYCTL_REJECT" },
     { 20, "KEYCTL_INSTANTIATE_IOV" }, { 21, "KEYCTL_INVALIDATE" }, { 22, "KEYCTL_GET_PERSISTENT" },
     { 23, "KEYCTL_DH_COMPUTE" }, { 29, "KEYCTL_RESTRICT_KEYRING" }, { 30, "KEYCTL_MOVE" },
     { 31, "KEYCTL_CAPABILITIES" }, { 32, "KEYCTL_WATCH_KEY" })
LIST(key_spec, false, 0,
     { 0xffffffff, "KEY_SPEC_THREAD_KEYRING" }, { 0xfffffffe, "KEY_SPEC_PROCESS_KEYRING" },
     { 0xfffffffd, "KEY_SPEC_SESSION_KEYRING" }, { 0xfffffffc, "KEY_SPEC_USER_KEYRING" },
     { 0xfffffffb, "KEY_SPEC_USER_SESSION_KEYRING" }, { 0xfffffffa, "KEY_SPEC_GROUP_KEYRING" },
     { 0xfffffff9, "KEY_SPEC_REQKEY_AUTH_KEY" })
LIST(fan_init, true, 0xc,
     { 0, "FAN_CLASS_NOTIF" }, { 4, "FAN_CLASS_CONTENT" }, { 8, "FAN_CLASS_PRE_CONTENT" },
     { 1, "FAN_CLOEXEC" }, { 2, "FAN_NONBLOCK" }, { 0x10, "FAN_UNLIMITED_QUEUE" },
     { 0x20, "FAN_UNLIMITED_MARKS" }, { 0x40, "FAN_ENABLE_AUDIT" }, { 0x100, "FAN_REPORT_TID" },
     { 0x200, "FAN_REPORT_FID" }, { 0x400, "FAN_REPORT_DIR_FID" }, { 0x800, "FAN_REPORT_NAME" },
     { 0x1000, "FAN_REPORT_TARGET_FID" }, { 0x80, "FAN_REPORT_PIDFD" })
LIST(fan_mark, true, 0,
     { 1, "FAN_MARK_ADD" }, { 2, "FAN_MARK_REMOVE" }, { 4, "FAN_MARK_DONT_FOLLOW" },
     { 8, "FAN_MARK_ONLYDIR" }, { 0x10, "FAN_MARK_MOUNT" }, { 0x20, "FAN_MARK_IGNORED_MASK" },
     { 0x40, "FAN_MARK_IGNORED_SURV_MODIFY" }, { 0x80, "FAN_MARK_FLUSH" }, { 0x100, "FAN_MARK_FILESYSTEM" },
     { 0x200, "FAN_MARK_EVICTABLE" }, { 0x400, "FAN_MARK_IGNORE" })
LIST(fan_events, true, 0,
     { 1, "FAN_ACCESS" }, { 2, "FAN_MODIFY" }, { 4, "FAN_ATTRIB" }, { 8, "FAN_CLOSE_WRITE" },
     { 0x10, "FAN_CLOSE_NOWRITE" }, { 0x20, "FAN_OPEN" }, { 0x40, "FAN_MOVED_FROM" }, { 0x80, "FAN_MOVED_TO" },
     { 0x100, "FAN_CREATE" }, { 0x200, "FAN_DELETE" }, { 0x400, "FAN_DELETE_SELF" }, { 0x800, "FAN_MOVE_SELF" },
     { 0x1000, "FAN_OPEN_EXEC" }, { 0x4000, "FAN_Q_OVERFLOW" }, { 0x8000, "FAN_FS_ERROR" },
     { 0x10000, "FAN_OPEN_PERM" }, { 0x20000, "FAN_ACCESS_PERM" }, { 0x40000, "FAN_OPEN_EXEC_PERM" },
     { 0x40000000, "FAN_ONDIR" }, { 0x08000000, "FAN_EVENT_ON_CHILD" }, { 0x10000000, "FAN_RENAME" })
LIST(ioring_register, false, 0,
     { 0, "IORING_REGISTER_BUFFERS" }, { 1, "IORING_UNREGISTER_BUFFERS" }, { 2, "IORING_REGISTER_FILES" },
     { 3, "IORING_UNREGISTER_FILES" }, { 4, "IORING_REGISTER_EVENTFD" }, { 5, "IORING_UNREGISTER_EVENTFD" },
     { 6, "IORING_REGISTER_FILES_UPDATE" }, { 7, "IORING_REGISTER_EVENTFD_ASYNC" },
     { 8, "IORING_REGISTER_PROBE" }, { 9, "IORING_REGISTER_PERSONALITY" },
     { 10, "IORING_UNREGISTER_PERSONALITY" }, { 11, "IORING_REGISTER_RESTRICTIONS" },
     { 12, "IORING_REGISTER_ENABLE_RINGS" }, { 13, "IORING_REGISTER_FILES2" },
     { 14, "IORING_REGISTER_FILES_UPDATE2" }, { 15, "IORING_REGISTER_BUFFERS2" },
     { 16, "IORING_REGISTER_BUFFERS_UPDATE" }, { 17, "IORING_REGISTER_IOWQ_AFF" },
     { 18, "IORING_UNREGISTER_IOWQ_AFF" }, { 19, "IORING_REGISTER_IOWQ_MAX_WORKERS" },
     { 20, "IORING_REGISTER_RING_FDS" }, { 21, "IORING_UNREGISTER_RING_FDS" },
     { 22, "IORING_REGISTER_PBUF_RING" }, { 23, "IORING_UNREGISTER_PBUF_RING" },
     { 24, "IORING_REGISTER_SYNC_CANCEL" }, { 25, "IORING_REGISTER_FILE_ALLOC_RANGE" })
LIST(ioring_enter, true, 0,
     { 1, "IORING_ENTER_GETEVENTS" }, { 2, "IORING_ENTER_SQ_WAKEUP" }, { 4, "IORING_ENTER_SQ_WAIT" },
     { 8, "IORING_ENTER_EXT_ARG" }, { 0x10, "IORING_ENTER_REGISTERED_RING" })
LIST(bpf_cmd, false, 0,
     { 0, "BPF_MAP_CREATE" }, { 1, "BPF_MAP_LOOKUP_ELEM" }, { 2, "BPF_MAP_UPDATE_ELEM" },
     { 3, "BPF_MAP_DELETE_ELEM" }, { 4, "BPF_MAP_GET_NEXT_KEY" }, { 5, "BPF_PROG_LOAD" },
     { 6, "BPF_OBJ_PIN" }, { 7, "BPF_OBJ_GET" }, { 8, "BPF_PROG_ATTACH" }, { 9, "BPF_PROG_DETACH" },
     { 10, "BPF_PROG_TEST_RUN" }, { 11, "BPF_PROG_GET_NEXT_ID" }, { 12, "BPF_MAP_GET_NEXT_ID" },
     { 13, "BPF_PROG_GET_FD_BY_ID" }, { 14, "BPF_MAP_GET_FD_BY_ID" }, { 15, "BPF_OBJ_GET_INFO_BY_FD" },
     { 16, "BPF_PROG_QUERY" }, { 17, "BPF_RAW_TRACEPOINT_OPEN" }, { 18, "BPF_BTF_LOAD" },
     { 19, "BPF_BTF_GET_FD_BY_ID" }, { 20, "BPF_TASK_FD_QUERY" }, { 21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM" },
     { 22, "BPF_MAP_FREEZE" }, { 23, "BPF_BTF_GET_NEXT_ID" }, { 24, "BPF_MAP_LOOKUP_BATCH" },
     { 25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH" }, { 26, "BPF_MAP_UPDATE_BATCH" },
     { 27, "BPF_MAP_DELETE_BATCH" }, { 28, "BPF_LINK_CREATE" }, { 29, "BPF_LINK_UPDATE" },
     { 30, "BPF_LINK_GET_FD_BY_ID" }, { 31, "BPF_LINK_GET_NEXT_ID" }, { 32, "BPF_ENABLE_STATS" },
     { 33, "BPF_ITER_CREATE" }, { 34, "BPF_LINK_DETACH" }, { 35, "BPF_PROG_BIND_MAP" },
     { 36, "BPF_TOKEN_CREATE" })
LIST(mpol_mode, true, 0xffff,
     { 0, "MPOL_DEFAULT" }, { 1, "MPOL_PREFERRED" }, { 2, "MPOL_BIND" }, { 3, "MPOL_INTERLEAVE" },
     { 4, "MPOL_LOCAL" }, { 5, "MPOL_PREFERRED_MANY" }, { 6, "MPOL_WEIGHTED_INTERLEAVE" },
     { 1u << 15, "MPOL_F_STATIC_NODES" }, { 1u << 14, "MPOL_F_RELATIVE_NODES" },
     { 1u << 13, "MPOL_F_NUMA_BALANCING" })
LIST(pkey_access, true, 0, { 1, "PKEY_DISABLE_ACCESS" }, { 2, "PKEY_DISABLE_WRITE" })
LIST(futex2_flags, true, 0x3,
     { 0, "FUTEX2_SIZE_U8" }, { 1, "FUTEX2_SIZE_U16" }, { 2, "FUTEX2_SIZE_U32" }, { 3, "FUTEX2_SIZE_U64" },
     { 4, "FUTEX2_NUMA" }, { 0x20, "FUTEX2_MPOL" }, { 128, "FUTEX2_PRIVATE" })
LIST(shut_how, false, 0, { 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" })
LIST(ipc_cmd, true, 0xff,
     { 0, "IPC_RMID" }, { 1, "IPC_SET" }, { 2, "IPC_STAT" }, { 3, "IPC_INFO" },
     { 11, "SHM_LOCK" }, { 12, "SHM_UNLOCK" }, { 13, "SHM_STAT" }, { 14, "SHM_INFO" },
     { 15, "SHM_STAT_ANY" }, { 11, "GETPID" }, { 12, "GETVAL" }, { 13, "GETALL" }, { 14, "GETNCNT" },
     { 15, "GETZCNT" }, { 16, "SETVAL" }, { 17, "SETALL" }, { 0x100, "IPC_64" })
LIST(ipc_flags, true, 0,
     { 01000, "IPC_CREAT" }, { 02000, "IPC_EXCL" }, { 04000, "IPC_NOWAIT" }, { 010000, "MSG_NOERROR" },
     { 020000, "MSG_EXCEPT" }, { 040000, "MSG_COPY" })
LIST(sched_policy, true, 0xff,
     { 0, "SCHED_OTHER" }, { 1, "SCHED_FIFO" }, { 2, "SCHED_RR" }, { 3, "SCHED_BATCH" }, { 5, "SCHED_IDLE" },
     { 6, "SCHED_DEADLINE" }, { 7, "SCHED_EXT" }, { 0x40000000, "SCHED_RESET_ON_FORK" })
LIST(mlockall_flags, true, 0, { 1, "MCL_CURRENT" }, { 2, "MCL_FUTURE" }, { 4, "MCL_ONFAULT" })
LIST(mlock2_flags, true, 0, { 1, "MLOCK_ONFAULT" })
LIST(rename_flags, true, 0, { 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" }, { 4, "RENAME_WHITEOUT" })
LISTP(ptrace_req, "PTRACE_",
     { 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" }, { 2, "PTRACE_PEEKDATA" }, { 3, "PTRACE_PEEKUSER" },
     { 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" }, { 6, "PTRACE_POKEUSER" }, { 7, "PTRACE_CONT" },
     { 8, "PTRACE_KILL" }, { 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
     { 16, "PTRACE_ATTACH" }, { 17, "PTRACE_DETACH" }, { 24, "PTRACE_SYSCALL" },
     { 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" }, { 0x4202, "PTRACE_GETSIGINFO" },
     { 0x4204, "PTRACE_GETREGSET" }, { 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
     { 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" }, { 0x420e, "PTRACE_GET_SYSCALL_INFO" })
LIST(landlock_rule, false, 0, { 1, "LANDLOCK_RULE_PATH_BENEATH" }, { 2, "LANDLOCK_RULE_NET_PORT" })
LIST(landlock_create, true, 0, { 1, "LANDLOCK_CREATE_RULESET_VERSION" }, { 2, "LANDLOCK_CREATE_RULESET_ERRATA" })
LIST(inotify_mask, true, 0,
     { 1, "IN_ACCESS" }, { 2, "IN_MODIFY" }, { 4, "IN_ATTRIB" }, { 8, "IN_CLOSE_WRITE" },
     { 0x10, "IN_CLOSE_NOWRITE" }, { 0x20, "IN_OPEN" }, { 0x40, "IN_MOVED_FROM" }, { 0x80, "IN_MOVED_TO" },
     { 0x100, "IN_CREATE" }, { 0x200, "IN_DELETE" }, { 0x400, "IN_DELETE_SELF" }, { 0x800, "IN_MOVE_SELF" },
     { 0x1000000, "IN_ONLYDIR" }, { 0x2000000, "IN_DONT_FOLLOW" }, { 0x4000000, "IN_EXCL_UNLINK" },
     { 0x10000000, "IN_MASK_CREATE" }, { 0x20000000, "IN_MASK_ADD" }, { 0x40000000, "IN_ISDIR" },
     { 0x80000000, "IN_ONESHOT" })
LIST(umount_flags, true, 0, { 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" })
LIST(splice_flags, true, 0, { 1, "SPLICE_F_MOVE" }, { 2, "SPLICE_F_NONBLOCK" }, { 4, "SPLICE_F_MORE" },
     { 8, "SPLICE_F_GIFT" })
LIST(access_at, true, 0, { 0x200, "AT_EACCESS" }, { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x1000, "AT_EMPTY_PATH" })
LIST(statx_flags, true, 0x6000,
     { 0, "AT_STATX_SYNC_AS_STAT" }, { 0x2000, "AT_STATX_FORCE_SYNC" }, { 0x4000, "AT_STATX_DONT_SYNC" },
     { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" })
LIST(fd_flags, true, 0, { 1, "FD_CLOEXEC" })
LIST(flock_op, true, 0, { 1, "LOCK_SH" }, { 2, "LOCK_EX" }, { 4, "LOCK_NB" }, { 8, "LOCK_UN" })
LIST(prio_which, false, 0, { 0, "PRIO_PROCESS" }, { 1, "PRIO_PGRP" }, { 2, "PRIO_USER" })
LIST(ioprio_who, false, 0, { 1, "IOPRIO_WHO_PROCESS" }, { 2, "IOPRIO_WHO_PGRP" }, { 3, "IOPRIO_WHO_USER" })
LIST(idtype, false, 0, { 0, "P_ALL" }, { 1, "P_PID" }, { 2, "P_PGID" }, { 3, "P_PIDFD" })
LIST(membarrier_cmd, false, 0,
     { 0, "MEMBARRIER_CMD_QUERY" }, { 1, "MEMBARRIER_CMD_GLOBAL" }, { 2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED" },
     { 4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED" }, { 8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED" },
     { 16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED" }, { 32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE" },
     { 64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE" },
     { 128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ" }, { 256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ" })
LIST(landlock_fs, true, 0,
     { 1, "LANDLOCK_ACCESS_FS_EXECUTE" }, { 2, "LANDLOCK_ACCESS_FS_WRITE_FILE" }, { 4, "LANDLOCK_ACCESS_FS_READ_FILE" },
     { 8, "LANDLOCK_ACCESS_FS_READ_DIR" }, { 16, "LANDLOCK_ACCESS_FS_REMOVE_DIR" },
     { 32, "LANDLOCK_ACCESS_FS_REMOVE_FILE" }, { 64, "LANDLOCK_ACCESS_FS_MAKE_CHAR" },
     { 128, "LANDLOCK_ACCESS_FS_MAKE_DIR" }, { 256, "LANDLOCK_ACCESS_FS_MAKE_REG" },
     { 512, "LANDLOCK_ACCESS_FS_MAKE_SOCK" }, { 1024, "LANDLOCK_ACCESS_FS_MAKE_FIFO" },
     { 2048, "LANDLOCK_ACCESS_FS_MAKE_BLOCK" }, { 4096, "LANDLOCK_ACCESS_FS_MAKE_SYM" },
     { 8192, "LANDLOCK_ACCESS_FS_REFER" }, { 16384, "LANDLOCK_ACCESS_FS_TRUNCATE" },
     { 32768, "LANDLOCK_ACCESS_FS_IOCTL_DEV" })
LIST(perf_type, false, 0,
     { 0, "PERF_TYPE_HARDWARE" }, { 1, "PERF_TYPE_SOFTWARE" }, { 2, "PERF_TYPE_TRACEPOINT" },
     { 3, "PERF_TYPE_HW_CACHE" }, { 4, "PERF_TYPE_RAW" }, { 5, "PERF_TYPE_BREAKPOINT" })
LIST(perf_flags, true, 0, { 1, "PERF_FLAG_FD_NO_GROUP" }, { 2, "PERF_FLAG_FD_OUTPUT" }, { 4, "PERF_FLAG_PID_CGROUP" },
     { 8, "PERF_FLAG_FD_CLOEXEC" })
LIST(bpf_map_type, false, 0,
     { 0, "BPF_MAP_TYPE_UNSPEC" }, { 1, "BPF_MAP_TYPE_HASH" }, { 2, "BPF_MAP_TYPE_ARRAY" },
     { 3, "BPF_MAP_TYPE_PROG_ARRAY" }, { 4, "BPF_MAP_TYPE_PERF_EVENT_ARRAY" }, { 5, "BPF_MAP_TYPE_PERCPU_HASH" },
     { 6, "BPF_MAP_TYPE_PERCPU_ARRAY" }, { 7, "BPF_MAP_TYPE_STACK_TRACE" }, { 8, "BPF_MAP_TYPE_CGROUP_ARRAY" },
     { 9, "BPF_MAP_TYPE_LRU_HASH" }, { 10, "BPF_MAP_TYPE_LRU_PERCPU_HASH" }, { 11, "BPF_MAP_TYPE_LPM_TRIE" },
     { 12, "BPF_MAP_TYPE_ARRAY_OF_MAPS" }, { 13, "BPF_MAP_TYPE_HASH_OF_MAPS" }, { 14, "BPF_MAP_TYPE_DEVMAP" },
     { 15, "BPF_MAP_TYPE_SOCKMAP" }, { 16, "BPF_MAP_TYPE_CPUMAP" }, { 17, "BPF_MAP_TYPE_XSKMAP" },
     { 18, "BPF_MAP_TYPE_SOCKHASH" }, { 19, "BPF_MAP_TYPE_CGROUP_STORAGE" },
     { 20, "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY" }, { 21, "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE" },
     { 22, "BPF_MAP_TYPE_QUEUE" }, { 23, "BPF_MAP_TYPE_STACK" }, { 24, "BPF_MAP_TYPE_SK_STORAGE" },
     { 25, "BPF_MAP_TYPE_DEVMAP_HASH" }, { 26, "BPF_MAP_TYPE_STRUCT_OPS" }, { 27, "BPF_MAP_TYPE_RINGBUF" },
     { 28, "BPF_MAP_TYPE_INODE_STORAGE" }, { 29, "BPF_MAP_TYPE_TASK_STORAGE" }, { 30, "BPF_MAP_TYPE_BLOOM_FILTER" })
LIST(ioring_feat, true, 0,
     { 1, "IORING_FEAT_SINGLE_MMAP" }, { 2, "IORING_FEAT_NODROP" }, { 4, "IORING_FEAT_SUBMIT_STABLE" },
     { 8, "IORING_FEAT_RW_CUR_POS" }, { 16, "IORING_FEAT_CUR_PERSONALITY" }, { 32, "IORING_FEAT_FAST_POLL" },
     { 64, "IORING_FEAT_POLL_32BITS" }, { 128, "IORING_FEAT_SQPOLL_NONFIXED" }, { 256, "IORING_FEAT_EXT_ARG" },
     { 512, "IORING_FEAT_NATIVE_WORKERS" }, { 1024, "IORING_FEAT_RSRC_TAGS" }, { 2048, "IORING_FEAT_CQE_SKIP" },
     { 4096, "IORING_FEAT_LINKED_FILE" })
LIST(ioring_setup, true, 0,
     { 1, "IORING_SETUP_IOPOLL" }, { 2, "IORING_SETUP_SQPOLL" }, { 4, "IORING_SETUP_SQ_AFF" },
     { 8, "IORING_SETUP_CQSIZE" }, { 16, "IORING_SETUP_CLAMP" }, { 32, "IORING_SETUP_ATTACH_WQ" },
     { 64, "IORING_SETUP_R_DISABLED" }, { 128, "IORING_SETUP_SUBMIT_ALL" }, { 256, "IORING_SETUP_COOP_TASKRUN" },
     { 512, "IORING_SETUP_TASKRUN_FLAG" }, { 1024, "IORING_SETUP_SQE128" }, { 2048, "IORING_SETUP_CQE32" },
     { 4096, "IORING_SETUP_SINGLE_ISSUER" }, { 8192, "IORING_SETUP_DEFER_TASKRUN" })
LIST(so_name, false, 0,
     { 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" }, { 4, "SO_ERROR" }, { 5, "SO_DONTROUTE" },
     { 6, "SO_BROADCAST" }, { 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" }, { 9, "SO_KEEPALIVE" }, { 10, "SO_OOBINLINE" },
     { 11, "SO_NO_CHECK" }, { 12, "SO_PRIORITY" }, { 13, "SO_LINGER" }, { 14, "SO_BSDCOMPAT" },
     { 15, "SO_REUSEPORT" }, { 16, "SO_PASSCRED" }, { 17, "SO_PEERCRED" }, { 18, "SO_RCVLOWAT" },
     { 19, "SO_SNDLOWAT" }, { 20, "SO_RCVTIMEO_OLD" }, { 21, "SO_SNDTIMEO_OLD" }, { 25, "SO_BINDTODEVICE" },
     { 26, "SO_ATTACH_FILTER" }, { 27, "SO_DETACH_FILTER" }, { 28, "SO_PEERNAME" }, { 29, "SO_TIMESTAMP_OLD" },
     { 30, "SO_ACCEPTCONN" }, { 31, "SO_PEERSEC" }, { 32, "SO_SNDBUFFORCE" }, { 33, "SO_RCVBUFFORCE" },
     { 34, "SO_PASSSEC" }, { 35, "SO_TIMESTAMPNS_OLD" }, { 36, "SO_MARK" }, { 37, "SO_TIMESTAMPING_OLD" },
     { 38, "SO_PROTOCOL" }, { 39, "SO_DOMAIN" }, { 40, "SO_RXQ_OVFL" }, { 46, "SO_BUSY_POLL" },
     { 49, "SO_INCOMING_CPU" }, { 50, "SO_ATTACH_BPF" }, { 57, "SO_COOKIE" }, { 59, "SO_PEERGROUPS" },
     { 60, "SO_ZEROCOPY" }, { 61, "SO_TXTIME" }, { 62, "SO_BINDTOIFINDEX" }, { 63, "SO_TIMESTAMP_NEW" },
     { 64, "SO_TIMESTAMPNS_NEW" }, { 65, "SO_TIMESTAMPING_NEW" }, { 66, "SO_RCVTIMEO_NEW" },
     { 67, "SO_SNDTIMEO_NEW" })
LIST(ip_opt, false, 0,
     { 1, "IP_TOS" }, { 2, "IP_TTL" }, { 3, "IP_HDRINCL" }, { 4, "IP_OPTIONS" }, { 6, "IP_RECVOPTS" },
     { 7, "IP_RETOPTS" }, { 8, "IP_PKTINFO" }, { 10, "IP_MTU_DISCOVER" }, { 11, "IP_RECVERR" },
     { 12, "IP_RECVTTL" }, { 13, "IP_RECVTOS" }, { 14, "IP_MTU" }, { 15, "IP_FREEBIND" }, { 19, "IP_TRANSPARENT" },
     { 24, "IP_BIND_ADDRESS_NO_PORT" }, { 32, "IP_MULTICAST_IF" }, { 33, "IP_MULTICAST_TTL" },
     { 34, "IP_MULTICAST_LOOP" }, { 35, "IP_ADD_MEMBERSHIP" }, { 36, "IP_DROP_MEMBERSHIP" })
LIST(tcp_opt, false, 0,
     { 1, "TCP_NODELAY" }, { 2, "TCP_MAXSEG" }, { 3, "TCP_CORK" }, { 4, "TCP_KEEPIDLE" }, { 5, "TCP_KEEPINTVL" },
     { 6, "TCP_KEEPCNT" }, { 7, "TCP_SYNCNT" }, { 8, "TCP_LINGER2" }, { 9, "TCP_DEFER_ACCEPT" },
     { 10, "TCP_WINDOW_CLAMP" }, { 11, "TCP_INFO" }, { 12, "TCP_QUICKACK" }, { 13, "TCP_CONGESTION" },
     { 18, "TCP_USER_TIMEOUT" }, { 23, "TCP_FASTOPEN" }, { 30, "TCP_FASTOPEN_CONNECT" })
LIST(sa_flags, true, 0,
     { 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
     { 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" }, { 4, "SA_SIGINFO" }, { 1, "SA_NOCLDSTOP" },
     { 2, "SA_NOCLDWAIT" })
LIST(ss_flags, true, 0, { 1, "SS_ONSTACK" }, { 2, "SS_DISABLE" }, { 0x80000000, "SS_AUTODISARM" })
LIST(ipproto, false, 0,
     { 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" }, { 6, "IPPROTO_TCP" }, { 17, "IPPROTO_UDP" },
     { 41, "IPPROTO_IPV6" }, { 47, "IPPROTO_GRE" }, { 58, "IPPROTO_ICMPV6" }, { 132, "IPPROTO_SCTP" },
     { 136, "IPPROTO_UDPLITE" }, { 255, "IPPROTO_RAW" }, { 262, "IPPROTO_MPTCP" })
LISTP(seccomp_op, "SECCOMP_SET_MODE_",
      { 0, "SECCOMP_SET_MODE_STRICT" }, { 1, "SECCOMP_SET_MODE_FILTER" }, { 2, "SECCOMP_GET_ACTION_AVAIL" },
      { 3, "SECCOMP_GET_NOTIF_SIZES" })
LISTP(kcmp_type, "KCMP_",
      { 0, "KCMP_FILE" }, { 1, "KCMP_VM" }, { 2, "KCMP_FILES" }, { 3, "KCMP_FS" }, { 4, "KCMP_SIGHAND" },
      { 5, "KCMP_IO" }, { 6, "KCMP_SYSVSEM" }, { 7, "KCMP_EPOLL_TFD" })
LIST(close_range_flags, true, 0, { 2, "CLOSE_RANGE_UNSHARE" }, { 4, "CLOSE_RANGE_CLOEXEC" })
LIST(prot, true, 0,
     { 0, "PROT_NONE" }, { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
     { 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" })
LIST(map_flags, true, 0xf,
     { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" },
     { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" },
     { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
     { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
     { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
     { 0x100000, "MAP_FIXED_NOREPLACE" })
LIST(at_flags, true, 0,
     { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
     { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
     { 0x4000, "AT_STATX_DONT_SYNC" }, { 0x8000, "AT_RECURSIVE" })
LIST(access_mode, true, 0, { 0, "F_OK" }, { 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" })
LIST(clocks, false, 0,
     { 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" }, { 2, "CLOCK_PROCESS_CPUTIME_ID" },
     { 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
     { 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" }, { 8, "CLOCK_REALTIME_ALARM" },
     { 9, "CLOCK_BOOTTIME_ALARM" }, { 11, "CLOCK_TAI" })
LIST(sigprocmask_how, false, 0, { 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" })
LIST(fcntl_cmd, false, 0,
     { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
     { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
     { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
     { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" },
     { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
     { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
     { 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" })
LIST(ioctl_req, false, 0,
     { 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
     { 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" }, { 0x5413, "TIOCGWINSZ" },
     { 0x5414, "TIOCSWINSZ" }, { 0x541b, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5451, "FIOCLEX" },
     { 0x5450, "FIONCLEX" }, { 0x8912, "SIOCGIFCONF" }, { 0x8913, "SIOCGIFFLAGS" },
     { 0x8915, "SIOCGIFADDR" }, { 0x8921, "SIOCGIFMTU" }, { 0x8927, "SIOCGIFHWADDR" },
     { 0x8933, "SIOCGIFINDEX" }, { 0x540c, "TIOCEXCL" }, { 0x540d, "TIOCNXCL" }, { 0x540e, "TIOCSCTTY" },
     { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" }, { 0x5415, "TIOCMGET" }, { 0x5416, "TIOCMBIS" },
     { 0x5417, "TIOCMBIC" }, { 0x5418, "TIOCMSET" }, { 0x5419, "TIOCGSOFTCAR" }, { 0x541a, "TIOCSSOFTCAR" },
     { 0x541c, "TIOCLINUX" }, { 0x541d, "TIOCCONS" }, { 0x5420, "TIOCPKT" }, { 0x5422, "TIOCNOTTY" },
     { 0x5423, "TIOCSETD" }, { 0x5424, "TIOCGETD" }, { 0x5429, "TIOCGSID" }, { 0x80045430, "TIOCGPTN" },
     { 0x40045431, "TIOCSPTLCK" }, { 0x5441, "TIOCGPTPEER" }, { 0x5409, "TCSBRK" }, { 0x540a, "TCXONC" },
     { 0x540b, "TCFLSH" }, { 0x5405, "TCGETA" }, { 0x5406, "TCSETA" }, { 0x5407, "TCSETAW" },
     { 0x5408, "TCSETAF" }, { 0x5452, "FIOASYNC" }, { 0x5460, "FIOQSIZE" },
     { 0x8901, "FIOSETOWN" }, { 0x8902, "SIOCSPGRP" }, { 0x8903, "FIOGETOWN" }, { 0x8904, "SIOCGPGRP" },
     { 0x8905, "SIOCATMARK" }, { 0x8906, "SIOCGSTAMP" }, { 0x8907, "SIOCGSTAMPNS" },
     { 0x8910, "SIOCGIFNAME" }, { 0x8914, "SIOCSIFFLAGS" }, { 0x8916, "SIOCSIFADDR" },
     { 0x8917, "SIOCGIFDSTADDR" }, { 0x8919, "SIOCGIFBRDADDR" }, { 0x891b, "SIOCGIFNETMASK" },
     { 0x891d, "SIOCGIFMETRIC" }, { 0x8922, "SIOCSIFMTU" }, { 0x8924, "SIOCSIFHWADDR" },
     { 0x8938, "SIOCGIFCOUNT" }, { 0x8935, "SIOCGIFPFLAGS" }, { 0x8946, "SIOCETHTOOL" },
     { 0x8947, "SIOCGMIIPHY" }, { 0x2285, "SG_IO" }, { 0x2282, "SG_GET_VERSION_NUM" },
     { 0x80086601, "FS_IOC_GETFLAGS" }, { 0x40086602, "FS_IOC_SETFLAGS" },
     { 0x80087601, "FS_IOC_GETVERSION" }, { 0x40087602, "FS_IOC_SETVERSION" },
     { 0xc020660b, "FS_IOC_FIEMAP" }, { 0x801c581f, "FS_IOC_FSGETXATTR" },
     { 0x401c5820, "FS_IOC_FSSETXATTR" }, { 0x40049409, "FICLONE" },
     { 0x4020940d, "FICLONERANGE" }, { 0xc0189436, "FIDEDUPERANGE" }, { 0x81009431, "FS_IOC_GETFSLABEL" }, { 0x1261, "BLKGETSIZE" }, { 0x80081272, "BLKGETSIZE64" },
     { 0x1268, "BLKSSZGET" }, { 0x127b, "BLKPBSZGET" }, { 0x125d, "BLKROGET" }, { 0x1260, "BLKRRPART" },
     { 0x5301, "CDROMPAUSE" }, { 0x4b3a, "KDSETMODE" }, { 0x4b3b, "KDGETMODE" }, { 0x4b44, "KDGKBMODE" },
     { 0x5603, "VT_GETSTATE" }, { 0x5606, "VT_ACTIVATE" }, { 0x40086409, "DRM_IOCTL_GEM_CLOSE" },
     { 0xc0306201, "BINDER_WRITE_READ" }, { 0xae00, "KVM_GET_API_VERSION" }, { 0xae01, "KVM_CREATE_VM" },
     { 0x40047602, "FS_IOC32_SETVERSION" }, { 0x80047601, "FS_IOC32_GETVERSION" },
     { 0x80046601, "FS_IOC32_GETFLAGS" }, { 0x40046602, "FS_IOC32_SETFLAGS" })
LIST(sock_domain, false, 0,
     { 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 10, "AF_INET6" }, { 16, "AF_NETLINK" },
     { 17, "AF_PACKET" })
LIST(sock_type, true, 0xf,
     { 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 5, "SOCK_SEQPACKET" },
     { 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" })
LIST(arch_prctl, false, 0,
     { 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" }, { 0x1003, "ARCH_GET_FS" },
     { 0x1004, "ARCH_GET_GS" }, { 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
     { 0x3001, "ARCH_CET_STATUS" }, { 0x1021, "ARCH_GET_XCOMP_SUPP" }, { 0x1022, "ARCH_GET_XCOMP_PERM" },
     { 0x1023, "ARCH_REQ_XCOMP_PERM" })
LIST(prctl_op, false, 0,
     { 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" }, { 4, "PR_SET_DUMPABLE" },
     { 8, "PR_SET_KEEPCAPS" }, { 15, "PR_SET_NAME" }, { 16, "PR_GET_NAME" }, { 22, "PR_SET_SECCOMP" },
     { 23, "PR_CAPBSET_READ" }, { 24, "PR_CAPBSET_DROP" }, { 36, "PR_SET_CHILD_SUBREAPER" },
     { 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" }, { 47, "PR_CAP_AMBIENT" },
     { 0x59616d61, "PR_SET_PTRACER" })
LIST(whence, false, 0, { 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" }, { 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" })
LIST(futex_op, true, 0x7f,
     { 0, "FUTEX_WAIT" }, { 1, "FUTEX_WAKE" }, { 2, "FUTEX_FD" }, { 3, "FUTEX_REQUEUE" },
     { 4, "FUTEX_CMP_REQUEUE" }, { 5, "FUTEX_WAKE_OP" }, { 6, "FUTEX_LOCK_PI" }, { 7, "FUTEX_UNLOCK_PI" },
     { 9, "FUTEX_WAIT_BITSET" }, { 10, "FUTEX_WAKE_BITSET" },
     { 128, "FUTEX_PRIVATE_FLAG" }, { 256, "FUTEX_CLOCK_REALTIME" })
LISTP(rlimit, "RLIMIT_",
     { 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
     { 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" }, { 7, "RLIMIT_NOFILE" },
     { 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" }, { 10, "RLIMIT_LOCKS" }, { 11, "RLIMIT_SIGPENDING" },
     { 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" }, { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" })
LIST(madvise, false, 0,
     { 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" }, { 3, "MADV_WILLNEED" },
     { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
     { 16, "MADV_DONTDUMP" })
LIST(fadvise, false, 0,
     { 0, "POSIX_FADV_NORMAL" }, { 1, "POSIX_FADV_RANDOM" }, { 2, "POSIX_FADV_SEQUENTIAL" },
     { 3, "POSIX_FADV_WILLNEED" }, { 4, "POSIX_FADV_DONTNEED" }, { 5, "POSIX_FADV_NOREUSE" })
LIST(sockopt_level, false, 0, { 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" }, { 17, "SOL_UDP" },
     { 41, "SOL_IPV6" }, { 58, "SOL_ICMPV6" }, { 255, "SOL_RAW" })
LIST(poll_events, true, 0,
     { 1, "POLLIN" }, { 2, "POLLPRI" }, { 4, "POLLOUT" }, { 8, "POLLERR" }, { 16, "POLLHUP" },
     { 32, "POLLNVAL" }, { 64, "POLLRDNORM" }, { 256, "POLLWRNORM" })
LIST(msg_flags, true, 0,
     { 1, "MSG_OOB" }, { 2, "MSG_PEEK" }, { 4, "MSG_DONTROUTE" }, { 8, "MSG_CTRUNC" }, { 0x20, "MSG_TRUNC" },
     { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" }, { 0x100, "MSG_WAITALL" }, { 0x2000, "MSG_ERRQUEUE" },
     { 0x4000, "MSG_NOSIGNAL" }, { 0x8000, "MSG_MORE" }, { 0x40000000, "MSG_CMSG_CLOEXEC" })
LIST(clone_flags, true, 0xff,
     { 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" }, { 0x800, "CLONE_SIGHAND" },
     { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
     { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" }, { 0x20000, "CLONE_NEWNS" },
     { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
     { 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x800000, "CLONE_UNTRACED" },
     { 0x1000000, "CLONE_CHILD_SETTID" }, { 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
     { 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" }, { 0x20000000, "CLONE_NEWPID" },
     { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" })
LIST(grnd_flags, true, 0, { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" })
LIST(itimer, false, 0, { 0, "ITIMER_REAL" }, { 1, "ITIMER_VIRTUAL" }, { 2, "ITIMER_PROF" })
LIST(wait_opts, true, 0,
     { 1, "WNOHANG" }, { 2, "WUNTRACED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" }, { 0x1000000, "WNOWAIT" },
     { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" }, { 0x80000000, "__WCLONE" })
LIST(statx_mask, true, 0,
     { 0x7ff, "STATX_BASIC_STATS" },
     { 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" }, { 0x8, "STATX_UID" },
     { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" }, { 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" },
     { 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" }, { 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
     { 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" })

LIST(statx_attrs, true, 0,
     { 0x4, "STATX_ATTR_COMPRESSED" }, { 0x10, "STATX_ATTR_IMMUTABLE" }, { 0x20, "STATX_ATTR_APPEND" },
     { 0x40, "STATX_ATTR_NODUMP" }, { 0x800, "STATX_ATTR_ENCRYPTED" }, { 0x1000, "STATX_ATTR_AUTOMOUNT" },
     { 0x2000, "STATX_ATTR_MOUNT_ROOT" }, { 0x100000, "STATX_ATTR_VERITY" }, { 0x200000, "STATX_ATTR_DAX" })

const struct name_list *names_statx_attrs(void)
{
	return &statx_attrs;
}

const struct name_list *names_epoll_events(void)
{
	return &epoll_events;
}

const struct name_list *names_for_fmt(int fmt)
{
	switch (fmt) {
	case F_OPEN_FLAGS: return &open_flags;
	case F_PROT: return &prot;
	case F_MAP_FLAGS: return &map_flags;
	case F_AT_FLAGS: return &at_flags;
	case F_ACCESS_MODE: return &access_mode;
	case F_CLOCK: return &clocks;
	case F_SIGPROCMASK_HOW: return &sigprocmask_how;
	case F_FCNTL_CMD: return &fcntl_cmd;
	case F_IOCTL_REQ: return &ioctl_req;
	case F_SOCK_DOMAIN: return &sock_domain;
	case F_SOCK_TYPE: return &sock_type;
	case F_ARCH_PRCTL: return &arch_prctl;
	case F_PRCTL: return &prctl_op;
	case F_WHENCE: case F_SEEK: return &whence;
	case F_FUTEX_OP: return &futex_op;
	case F_RLIMIT: return &rlimit;
	case F_MADVISE: return &madvise;
	case F_FADVISE: return &fadvise;
	case F_SOCKOPT_LEVEL: return &sockopt_level;
	case F_POLL_EVENTS: return &poll_events;
	case F_MSG_FLAGS: return &msg_flags;
	case F_CLONE_FLAGS: return &clone_flags;
	case F_GRND_FLAGS: return &grnd_flags;
	case F_ITIMER: return &itimer;
	case F_WAIT_OPTS: return &wait_opts;
	case F_STATX_MASK: return &statx_mask;
	case F_PIPE_FLAGS: return &pipe_flags;
	case F_DUP3: return &dup3_flags;
	case F_EPOLL_OP: return &epoll_op;
	case F_EPOLL_CREATE: return &epoll_create;
	case F_TFD_FLAGS: return &tfd_flags;
	case F_TFD_SETTIME: return &tfd_settime;
	case F_TIMER_FLAGS: return &timer_flags;
	case F_XATTR: return &xattr_flags;
	case F_MSYNC: return &msync_flags;
	case F_MREMAP: return &mremap_flags;
	case F_MFD: return &mfd_flags;
	case F_IN_INIT: return &in_init;
	case F_EFD: return &efd_flags;
	case F_KEYCTL: return &keyctl_op;
	case F_KEY_SERIAL: return &key_spec;
	case F_FAN_INIT: return &fan_init;
	case F_FAN_MARK: return &fan_mark;
	case F_FAN_EVENTS: return &fan_events;
	case F_IORING_REGISTER: return &ioring_register;
	case F_IORING_ENTER: return &ioring_enter;
	case F_BPF_CMD: return &bpf_cmd;
	case F_MPOL: return &mpol_mode;
	case F_PKEY_ACCESS: return &pkey_access;
	case F_FUTEX2: return &futex2_flags;
	case F_SHUT: return &shut_how;
	case F_IPC_CMD: return &ipc_cmd;
	case F_IPC_FLAGS: return &ipc_flags;
	case F_SCHED_POLICY: return &sched_policy;
	case F_MLOCKALL: return &mlockall_flags;
	case F_MLOCK2: return &mlock2_flags;
	case F_RENAME: return &rename_flags;
	case F_PTRACE: return &ptrace_req;
	case F_LANDLOCK_RULE: return &landlock_rule;
	case F_LANDLOCK_CREATE: return &landlock_create;
	case F_INOTIFY_MASK: return &inotify_mask;
	case F_UMOUNT: return &umount_flags;
	case F_SPLICE: return &splice_flags;
	case F_CLOSE_RANGE: return &close_range_flags;
	case F_ACCESS_AT: return &access_at;
	case F_STATX_FLAGS: return &statx_flags;
	case F_FD_FLAGS: return &fd_flags;
	case F_FLOCK: return &flock_op;
	case F_PRIO_WHICH: return &prio_which;
	case F_IOPRIO_WHO: return &ioprio_who;
	case F_IDTYPE: return &idtype;
	case F_MEMBARRIER: return &membarrier_cmd;
	case F_SO_NAME: return &so_name;
	case F_SECCOMP_OP: return &seccomp_op;
	case F_KCMP_TYPE: return &kcmp_type;
	case F_IPPROTO: return &ipproto;
	case F_SA_FLAGS: return &sa_flags;
	case F_SS_FLAGS: return &ss_flags;
	case F_IP_OPT: return &ip_opt;
	case F_TCP_OPT: return &tcp_opt;
	case F_LANDLOCK_FS: return &landlock_fs;
	case F_PERF_TYPE: return &perf_type;
	case F_PERF_FLAGS: return &perf_flags;
	case F_BPF_MAP_TYPE: return &bpf_map_type;
	case F_IORING_FEAT: return &ioring_feat;
	case F_IORING_SETUP: return &ioring_setup;
	}
	return NULL;
}

static size_t append(char *buf, size_t len, size_t at, const char *s)
{
	size_t n = strlen(s);
	if (at < len) {
		size_t k = n < len - at - 1 ? n : len - at - 1;
		memcpy(buf + at, s, k);
		buf[at + k] = 0;
	}
	return at + n;
}

size_t names_format(char *buf, size_t len, const struct name_list *l, uint64_t v)
{
	char tmp[32];
	size_t at = 0;
	if (len)
		buf[0] = 0;
	if (!l->flags) {
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].val == v)
				return append(buf, len, 0, l->v[i].name);
		if (l->unknown) {
			snprintf(tmp, sizeof(tmp), "%#llx /* ", (unsigned long long)v);
			size_t at = append(buf, len, 0, tmp);
			at = append(buf, len, at, l->unknown);
			return append(buf, len, at, "??? */");
		}
		snprintf(tmp, sizeof(tmp), "%#llx", (unsigned long long)v);
		if (v < 4096)
			snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
		return append(buf, len, 0, tmp);
	}
	uint64_t rest = v;
	bool any = false;
	if (l->mask) {
		/* A leading constant in the low bits (O_RDONLY, SOCK_STREAM, MAP_PRIVATE). */
		uint64_t low = v & l->mask;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].val == low && (l->v[i].val & ~l->mask) == 0) {
				at = append(buf, len, at, l->v[i].name);
				rest &= ~l->mask;
				any = true;
				break;
			}
	}
	for (size_t i = 0; i < l->n; i++) {
		uint64_t f = l->v[i].val;
		if (!f || (l->mask && (f & ~l->mask) == 0))
			continue;
		if ((rest & f) == f) {
			if (any)
				at = append(buf, len, at, "|");
			at = append(buf, len, at, l->v[i].name);
			rest &= ~f;
			any = true;
		}
	}
	if (rest || !any) {
		if (!any && v == 0) {
			for (size_t i = 0; i < l->n; i++)
				if (l->v[i].val == 0)
					return append(buf, len, 0, l->v[i].name);
		}
		if (any)
			at = append(buf, len, at, "|");
		snprintf(tmp, sizeof(tmp), "%#llx", (unsigned long long)rest);
		at = append(buf, len, at, rest ? tmp : "0");
	}
	return at;
}

/* The kernel's restart codes: a syscall interrupted by a signal returns
 * one of them to the tracer (never to the program), as strace names them. */
static const struct {
	int e;
	const char *name, *text;
} restart_codes[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "No ioctl command" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

const char *names_errno(int e)
{
	for (size_t i = 0; i < sizeof(restart_codes) / sizeof(restart_codes[0]); i++)
		if (restart_codes[i].e == e)
			return restart_codes[i].name;
	return strerrorname_np(e);
}

const char *names_restart_text(int e)
{
	for (size_t i = 0; i < sizeof(restart_codes) / sizeof(restart_codes[0]); i++)
		if (restart_codes[i].e == e)
			return restart_codes[i].text;
	return NULL;
}

const char *names_signal(int sig, char *buf, size_t len)
{
	const char *abbrev = sig == 29 ? "IO" : sigabbrev_np(sig); /* strace: SIGIO, not SIGPOLL */
	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else if (sig >= 34 && sig <= 64)
		snprintf(buf, len, "SIGRT_%d", sig - 34);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}
