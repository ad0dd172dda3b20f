/* Atomic file creation: temporary name, fsync, link/rename, fsync of the directory. */
#include "regimen/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rg_safefile_tmpname(const char *path, char tmp[RG_SAFEFILE_PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return RG_EINVAL;
    int n = snprintf(tmp, RG_SAFEFILE_PATH_MAX, "%.*s.%s.tmp-%ld", (int)dirlen, path, base,
                     (long)getpid());
    return n > 0 && n < RG_SAFEFILE_PATH_MAX ? RG_OK : RG_EINVAL;
}

bool rg_safefile_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems refuse fsync on a directory (EINVAL): nothing more can be done. */
    if (rc != 0 && errno == EINVAL)
        rc = 0;
    close(fd);
    return rc;
}

static void fsync_dir_of(const char *path)
{
    char dir[RG_SAFEFILE_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    (void)fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

int rg_safefile_commit(const char *tmp, const char *path, bool force, rg_diag *diag)
{
    if (fsync_path(tmp, O_RDONLY) != 0) {
        if (diag)
            rg_diag_add(diag, "%s: cannot sync the temporary file %s: %s", path, tmp,
                        strerror(errno));
        unlink(tmp);
        return RG_EIO;
    }
    struct stat st;
    if (force && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* --force replaces a result, never a device, FIFO or directory that already
         * has the name (renaming over /dev/null as root would replace the device) */
        if (diag)
            rg_diag_add(diag, "%s: exists and is not a regular file; not replaced", path);
        unlink(tmp);
        return RG_EEXIST;
    }
    if (force) {
        if (rename(tmp, path) != 0) {
            if (diag)
                rg_diag_add(diag, "%s: cannot rename %s into place: %s", path, tmp,
                            strerror(errno));
            unlink(tmp);
            return RG_EIO;
        }
    } else {
        if (link(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            if (e == EEXIST) {
                if (diag)
                    rg_diag_add(diag, "%s: exists; not overwritten (use --force to replace it)",
                                path);
                return RG_EEXIST;
            }
            if (diag)
                rg_diag_add(diag, "%s: cannot create: %s", path, strerror(e));
            return RG_EIO;
        }
        unlink(tmp);
    }
    fsync_dir_of(path);
    return RG_OK;
}

int rg_safefile_open(rg_safefile *sf, const char *path, bool force, rg_diag *diag)
{
    memset(sf, 0, sizeof *sf);
    if (!path || !strcmp(path, "-")) {
        sf->f = stdout;
        sf->is_stdout = true;
        return RG_OK;
    }
    if (strlen(path) >= sizeof sf->path || rg_safefile_tmpname(path, sf->tmp) != RG_OK) {
        if (diag)
            rg_diag_add(diag, "%s: path too long", path);
        return RG_EINVAL;
    }
    strcpy(sf->path, path);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        sf->f = fopen(path, "w");
        if (!sf->f) {
            if (diag)
                rg_diag_add(diag, "%s: cannot open: %s", path, strerror(errno));
            return RG_EIO;
        }
        sf->in_place = true;
        return RG_OK;
    }
    if (!force && rg_safefile_exists(path)) {
        if (diag)
            rg_diag_add(diag, "%s: exists; not overwritten (use --force to replace it)", path);
        return RG_EEXIST;
    }
    int fd = open(sf->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || !(sf->f = fdopen(fd, "w"))) {
        if (diag)
            rg_diag_add(diag, "%s: cannot create %s: %s", path, sf->tmp, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(sf->tmp);
        }
        return RG_EIO;
    }
    return RG_OK;
}

int rg_safefile_close(rg_safefile *sf, bool ok, bool force, rg_diag *diag)
{
    if (!sf->f)
        return ok ? RG_EINVAL : RG_OK;
    if (sf->is_stdout) {
        int rc = fflush(stdout) == 0 ? RG_OK : RG_EIO;
        sf->f = NULL;
        return ok ? rc : RG_OK;
    }
    int bad = ferror(sf->f);
    int rc = fclose(sf->f);
    sf->f = NULL;
    if (!ok) {
        if (!sf->in_place)
            unlink(sf->tmp);
        return RG_OK;
    }
    if (bad || rc != 0) {
        if (diag)
            rg_diag_add(diag, "%s: write failed", sf->path);
        if (!sf->in_place)
            unlink(sf->tmp);
        return RG_EIO;
    }
    if (sf->in_place)
        return RG_OK;
    return rg_safefile_commit(sf->tmp, sf->path, force, diag);
}
