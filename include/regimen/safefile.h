/* regimen: files that appear complete or not at all.
 *
 * A result is written under a temporary name in the same directory as its final path
 * (".NAME.tmp-HOST-PID"), flushed and fsync'ed, then moved into place in one step: link(2) when an
 * existing file must not be replaced (fails with EEXIST, atomically), rename(2) with --force.
 * The directory is fsync'ed afterwards so that the name survives a crash. A process killed
 * at any moment leaves either the old file, the new one, or a stray temporary name that no
 * reader takes for a result; the next run writing in that directory removes it
 * (rg_safefile_sweep). */
#ifndef REGIMEN_SAFEFILE_H
#define REGIMEN_SAFEFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "regimen/status.h"

enum { RG_SAFEFILE_PATH_MAX = 4096 };

/* Writes the temporary name for `path` into tmp. RG_EINVAL when it does not fit. */
int rg_safefile_tmpname(const char *path, char tmp[RG_SAFEFILE_PATH_MAX]);

/* Removes the temporary files in path's directory left by processes of this host that no
 * longer exist (".NAME.tmp-HOST-PID" with this HOST and a dead PID; a directory shared by
 * jobs on several nodes keeps other hosts' files). Returns how many were removed. */
size_t rg_safefile_sweep(const char *path);

/* Before a run: sweeps path's directory, then creates and removes path's temporary file, so
 * that an output that cannot be created (a missing or read-only directory, /proc) fails
 * before any work. RG_EINVAL with a message naming path. */
int rg_safefile_probe(const char *path, rg_diag *diag);

/* true when a and b name the same file: the same inode when both exist, else the same name
 * in the same directory (after resolving the directories' links). */
bool rg_safefile_same(const char *a, const char *b);

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
