/* The optimize command's outputs checked before a run (recorder_outputs.h). */
#include "recorder_outputs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "regimen/safefile.h"

static int dir_writable(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else if (slash == path)
        snprintf(dir, cap, "/");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
    return access(dir, W_OK | X_OK) == 0;
}

/* Before any work: two outputs naming one file, an existing results file or checkpoint
 * without force (the checkpoint being resumed excepted: --resume F --checkpoint F continues
 * in place), and outputs that cannot be created are refused. */
int rg_recorder_check_outputs(const rg_recorder_options *o, const char *out, const char *ckpt,
                              rg_diag *diag)
{
    const char *front = o->front && strcmp(o->front, "-") ? o->front : NULL;
    const char *clash = rg_safefile_same(ckpt, out)             ? "the checkpoint"
                        : front && rg_safefile_same(front, out) ? "--front"
                                                                : NULL;
    if (clash || (front && rg_safefile_same(front, ckpt))) {
        rg_diag_add(diag, "%s: named by both %s and %s; each output needs its own file",
                    clash ? out : ckpt, clash ? "the results file" : "the checkpoint",
                    clash ? clash : "--front");
        return RG_EINVAL;
    }
    if (!o->force && rg_safefile_exists(out)) {
        rg_diag_add(diag, "%s: exists; not overwritten (use --force to replace it, or --out)",
                    out);
        return RG_EEXIST;
    }
    if (!o->force && rg_safefile_exists(ckpt) &&
        !(o->resume && rg_safefile_same(o->resume, ckpt))) {
        rg_diag_add(diag,
                    "%s: a checkpoint that exists; not overwritten (use --force to replace "
                    "it, --checkpoint to choose another, or --resume it)",
                    ckpt);
        return RG_EEXIST;
    }
    char dir[RG_SAFEFILE_PATH_MAX];
    const char *const written[2] = {out, ckpt};
    for (int i = 0; i < 2; i++) {
        if (!dir_writable(written[i], dir, sizeof dir)) {
            rg_diag_add(diag, "%s: cannot write in directory %s: %s", written[i], dir,
                        strerror(errno));
            return RG_EINVAL;
        }
        int rc = rg_safefile_probe(written[i], diag);
        if (rc != RG_OK)
            return rc;
    }
    return RG_OK;
}
