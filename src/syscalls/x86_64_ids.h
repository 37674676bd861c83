/* x86_64 arguments and return values that are kernel-assigned identifiers
 * (pids, IPC ids, key serials, timer ids): replay maps the recorded value
 * to the replayed one and hands the kernel the replayed one. Included by
 * ids.c only; kept apart from x86_64.h so each list can grow on its own.
 *
 * ID(syscall, where, kind)             always
 * ID_IF(syscall, where, kind, arg, v)  only when argument `arg` equals v
 * ID_IN(syscall, where, kind, arg, m)  only when argument `arg` < 64 has its bit in mask m
 *
 * `where` is an argument index (0-based), RET for the return value, or
 * PTR(i) for an int the argument i points to; the struct kinds
 * (IDK_F_OWNER_EX, IDK_SIGINFO) name a struct argument i points to. */

/* Processes, threads and process groups. */
ID(kill,               0, IDK_PID_SIGNED)
ID(tkill,              0, IDK_PID)
ID(tgkill,             0, IDK_PID)
ID(tgkill,             1, IDK_PID)
ID(wait4,              0, IDK_PID_SIGNED)
ID(setpgid,            0, IDK_PID)
ID(setpgid,            1, IDK_PID)
ID(getpgid,            0, IDK_PID)
ID(getsid,             0, IDK_PID)
ID(sched_setparam,     0, IDK_PID)
ID(sched_getparam,     0, IDK_PID)
ID(sched_setscheduler, 0, IDK_PID)
ID(sched_getscheduler, 0, IDK_PID)
ID(sched_setaffinity,  0, IDK_PID)
ID(sched_getaffinity,  0, IDK_PID)
ID(sched_setattr,      0, IDK_PID)
ID(sched_getattr,      0, IDK_PID)
ID(sched_rr_get_interval, 0, IDK_PID)
ID(prlimit64,          0, IDK_PID)
ID(pidfd_open,         0, IDK_PID)
ID(process_vm_readv,   0, IDK_PID)
ID(process_vm_writev,  0, IDK_PID)
ID(kcmp,               0, IDK_PID)
ID(kcmp,               1, IDK_PID)
ID(get_robust_list,    0, IDK_PID)
ID(migrate_pages,      0, IDK_PID)
ID(move_pages,         0, IDK_PID)
ID(ptrace,             1, IDK_PID)
ID(rt_sigqueueinfo,    0, IDK_PID)
ID(rt_sigqueueinfo,    2, IDK_SIGINFO)
ID(rt_tgsigqueueinfo,  0, IDK_PID)
ID(rt_tgsigqueueinfo,  1, IDK_PID)
ID(rt_tgsigqueueinfo,  3, IDK_SIGINFO)
ID(pidfd_send_signal,  2, IDK_SIGINFO)
/* which: PRIO_PROCESS 0, PRIO_PGRP 1 (PRIO_USER names a uid). */
ID_IN(getpriority,     1, IDK_PID, 0, 0x3)
ID_IN(setpriority,     1, IDK_PID, 0, 0x3)
/* which: IOPRIO_WHO_PROCESS 1, IOPRIO_WHO_PGRP 2. */
ID_IN(ioprio_get,      1, IDK_PID, 0, 0x6)
ID_IN(ioprio_set,      1, IDK_PID, 0, 0x6)
/* idtype: P_PID 1, P_PGID 2 (P_PIDFD 3 is a descriptor). */
ID_IN(waitid,          1, IDK_PID, 0, 0x6)
ID_IF(fcntl,           2, IDK_PID_SIGNED, 1, 8)           /* F_SETOWN */
ID_IF(fcntl,           2, IDK_F_OWNER_EX, 1, 15)          /* F_SETOWN_EX */
ID_IF(ioctl,           PTR(2), IDK_PID, 1, 0x5410)        /* TIOCSPGRP */
ID_IF(ioctl,           PTR(2), IDK_PID, 1, 0x8902)        /* SIOCSPGRP */
ID_IF(fcntl,           RET, IDK_PID_SIGNED, 1, 9)         /* F_GETOWN */

/* System V IPC ids. */
ID(msgget,             RET, IDK_IPC)
ID(msgsnd,             0, IDK_IPC)
ID(msgrcv,             0, IDK_IPC)
ID(msgctl,             0, IDK_IPC)
ID(semget,             RET, IDK_IPC)
ID(semop,              0, IDK_IPC)
ID(semtimedop,         0, IDK_IPC)
ID(semctl,             0, IDK_IPC)
ID(shmget,             RET, IDK_IPC)
ID(shmat,              0, IDK_IPC)
ID(shmctl,             0, IDK_IPC)

/* Key serials (negative values are the special keyrings, kept as they are). */
ID(add_key,            RET, IDK_KEY)
ID(add_key,            4, IDK_KEY)
ID(request_key,        RET, IDK_KEY)
ID(request_key,        3, IDK_KEY)
/* keyctl: the ops whose first argument is a key serial (not JOIN_SESSION_KEYRING 1,
 * SET_REQKEY_KEYRING 14, SESSION_TO_PARENT 18, GET_PERSISTENT 22, DH_COMPUTE 23,
 * CAPABILITIES 31). */
ID_IN(keyctl,          1, IDK_KEY, 0, ((1ULL << 33) - 1) & ~((1ULL << 1) | (1ULL << 14) | (1ULL << 18) | (1ULL << 22) | (1ULL << 23) | (1ULL << 31)))
ID_IN(keyctl,          2, IDK_KEY, 0, (1ULL << 8) | (1ULL << 9) | (1ULL << 30))     /* LINK, UNLINK, MOVE */
ID_IF(keyctl,          3, IDK_KEY, 0, 30)                                          /* MOVE */
ID_IN(keyctl,          4, IDK_KEY, 0, (1ULL << 10) | (1ULL << 12) | (1ULL << 13) | (1ULL << 19) | (1ULL << 20))
ID_IN(keyctl,          RET, IDK_KEY, 0, (1ULL << 0) | (1ULL << 1) | (1ULL << 10))   /* GET_KEYRING_ID, JOIN, SEARCH */

/* POSIX timer ids. */
ID(timer_create,       PTR(2), IDK_TIMER)
ID(timer_settime,      0, IDK_TIMER)
ID(timer_gettime,      0, IDK_TIMER)
ID(timer_getoverrun,   0, IDK_TIMER)
ID(timer_delete,       0, IDK_TIMER)
