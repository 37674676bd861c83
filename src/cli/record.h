#ifndef SPERRIPS_RECORD_H
#define SPERRIPS_RECORD_H

#include "base/job.h"

/** Record job `j` into j->output. Returns the process exit status (util.h). */
int record_run(const struct job *j);

/** Fill the parts of the metadata that describe the job (argv, stdin,
 *  environment, workdir, name, version). Strings are borrowed from `j`. */
struct tf_meta;
void record_meta_from_job(struct tf_meta *m, const struct job *j);

#endif
