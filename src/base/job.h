/* One job description, whether it comes from the command line or from the
 * prototype's config.json: what to run, how, and where the files go. */
#ifndef SPERRIPS_JOB_H
#define SPERRIPS_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct container_opts;
struct setting;
struct seal_signer;
struct live_target;

/* record --backend: who records the syscalls (trace/bpf_record.h). */
enum job_backend { JOB_BACKEND_PTRACE = 0, JOB_BACKEND_BPF, JOB_BACKEND_AUTO };

struct job {
	char *name;              /* job name (metadata) */
	char **argv;             /* argv[0] is the program */
	size_t argc;
	uint8_t *stdin_data;
	size_t stdin_len;
	char **env;              /* K=V strings */
	size_t n_env;
	char *workdir;
	char *stdout_path, *stderr_path;
	char *output;            /* record: recording file; replay: differences file */
	char *input;             /* replay: the recording */
	char *policy;            /* replay: lax, strict or a JSON file */
	bool aslr;               /* keep ASLR on in the tracee */
	bool keep_vdso;          /* leave the vDSO visible (replaying a recording made so) */
	bool pin;
	int verbosity;
	bool exit_status;        /* record exits with the program's own status */
	bool map_bytes;          /* record: keep mapped file bytes in the recording */
	bool file_digests_set;   /* record: --file-digests given ... */
	uint64_t file_digests;   /* ... bytes of stat'ed files to digest at most */
	int backend;             /* record: enum job_backend */
	int compress;            /* record: zstd level of the recording (format/zframes.h), 0 plain */
	char *map_store;         /* record, replay: the --store folder of mapped pages */
	struct container_opts *container; /* NULL: run on the host */
	const struct setting *want; /* replay: the recorded setting, restored where it can be (sandbox/setting.h) */
	const struct seal_signer *signer; /* record --sign: the key that signs the recording, or NULL */
	const struct live_target *live; /* record --to: the verifier it streams to (live/sender.h), or NULL */
};

void job_free(struct job *j);

/** Parse config.json (the prototype's format) at `path` into `j` and tell
 *  whether it asks for recording (`*recording`). Returns 0, or -1 with a
 *  one-line reason in `err`. */
int config_load(const char *path, struct job *j, bool *recording, char *err, size_t errlen);

#endif
