/* regimen: files that appear complete or not at all.
 *
 * A result is written under a temporary name in the same directory as its final path
 * (".NAME.tmp-PID"), flushed and fsync'ed, then moved into place in one step: link(2) when an
 * existing file must not be replaced (fails with EEXIST, atomically), rename(2) with --force.
 * The directory is fsync'ed afterwards so that the name survives a crash. A process killed
 * at any moment leaves either the old file, the new one, or a stray temporary name that no
 * reader takes for a result. */
#ifndef REGIMEN_SAFEFILE_H
#define REGIMEN_SAFEFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "regimen/status.h"

enum { RG_SAFEFILE_PATH_MAX = 4096 };

/* Writes the temporary name for `path` into tmp. RG_EINVAL when it does not fit. */
int rg_safefile_tmpname(const char *path, char tmp[RG_SAFEFILE_PATH_MAX]);

/* true when path exists (any kind of file). */
bool rg_safefile_exists(const char *path);

/* Moves a fully written, closed temporary file into place: fsync(tmp), link or rename, unlink
 * tmp, fsync(dir). Without force an existing path gives RG_EEXIST and the temporary file is
 * removed; with force too when the existing path is not a regular file (a device such as
 * /dev/null, a FIFO, a directory). Other failures: RG_EIO, tmp removed. diag (may be NULL)
 * names the file. */
int rg_safefile_commit(const char *tmp, const char *path, bool force, rg_diag *diag);

/* A text output (CSV, JSON) written the same way, or stdout when path is NULL or "-". An
 * existing path that is neither a regular file nor a directory (/dev/null, a FIFO) cannot be
 * replaced atomically and holds no earlier result: it is opened and written in place. */
typedef struct {
    FILE *f;
    bool is_stdout;
    bool in_place; /* an existing device or FIFO, written directly */
    char path[RG_SAFEFILE_PATH_MAX];
    char tmp[RG_SAFEFILE_PATH_MAX];
} rg_safefile;

/* Opens sf->f for writing. RG_EEXIST when path exists and !force (checked early so no work is
 * wasted), RG_EIO when the temporary file cannot be created. */
int rg_safefile_open(rg_safefile *sf, const char *path, bool force, rg_diag *diag);
/* Closes and commits (ok = true) or discards (ok = false) the output. */
int rg_safefile_close(rg_safefile *sf, bool ok, bool force, rg_diag *diag);

#endif
