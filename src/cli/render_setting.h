/* The recorded setting in show's header and JSON metadata (issue 9, item
 * 10): what replay restores (sandbox/setting.h). */
#ifndef SPERRIPS_RENDER_SETTING_H
#define SPERRIPS_RENDER_SETTING_H

#include <json-c/json.h>
#include <stdio.h>

#include "format/tracefile.h"

/** One header line: "# setting: working directory "/srv"; stdout a regular
 *  file (appended to); stderr a pipe; root the host; signals ignored INT,
 *  blocked none". Parts an older recording lacks say "(not recorded)". */
void render_setting(FILE *out, const struct tf_meta *m);

/** The same as keys of the JSON metadata object `o`: workdir, stdout_kind,
 *  stderr_kind, container_root, net_none, net_raw and, when recorded,
 *  signals_ignored, signals_blocked (bit n-1: signal n), stdout_flags,
 *  stderr_flags (O_ACCMODE|O_APPEND). */
void render_setting_json(json_object *o, const struct tf_meta *m);

#endif
