/* Atomic file creation: temporary name, fsync, link/rename, fsync of the directory. */
/* realpath(3) is an XSI function */
#define _XOPEN_SOURCE 700

#include "regimen/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* This machine's name for temporary names: at most 64 characters, '/' replaced. */
static void host_name(char host[72])
{
    if (gethostname(host, 65) != 0)
        snprintf(host, 72, "localhost");
    host[64] = '\0';
    for (char *c = host; *c; c++)
        if (*c == '/')
            *c = '_';
}

int rg_safefile_tmpname(const char *path, char tmp[RG_SAFEFILE_PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base)
        return RG_EINVAL;
    char host[72];
    host_name(host);
    int n = snprintf(tmp, RG_SAFEFILE_PATH_MAX, "%.*s.%s.tmp-%s-%ld", (int)dirlen, path, base,
                     host, (long)getpid());
    return n > 0 && n < RG_SAFEFILE_PATH_MAX ? RG_OK : RG_EINVAL;
}

/* The directory part of path ("." when none). */
static void dir_of(const char *path, char dir[RG_SAFEFILE_PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, RG_SAFEFILE_PATH_MAX, ".");
    else if (slash == path)
        snprintf(dir, RG_SAFEFILE_PATH_MAX, "/");
    else
        snprintf(dir, RG_SAFEFILE_PATH_MAX, "%.*s", (int)(slash - path), path);
}

/* The PID of a temporary name ".NAME.tmp-HOST-PID" of this host, else 0. */
static long tmp_pid(const char *name, const char *host)
{
    char mark[96];
    snprintf(mark, sizeof mark, ".tmp-%s-", host);
    if (name[0] != '.')
        return 0;
    const char *at = NULL;
    for (const char *p = strstr(name, mark); p; p = strstr(p + 1, mark))
        at = p;
    if (!at || at == name + 1)
        return 0;
    const char *digits = at + strlen(mark);
    char *end;
    long pid = strtol(digits, &end, 10);
    return end != digits && !*end && pid > 0 ? pid : 0;
}

size_t rg_safefile_sweep(const char *path)
{
    char dir[RG_SAFEFILE_PATH_MAX], host[72], victim[RG_SAFEFILE_PATH_MAX];
    dir_of(path, dir);
    host_name(host);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t removed = 0;
    for (struct dirent *e; (e = readdir(d));) {
        long pid = tmp_pid(e->d_name, host);
        /* only a process of this host that no longer exists: kill(pid, 0) fails with ESRCH */
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        int n = snprintf(victim, sizeof victim, "%s/%s", dir, e->d_name);
        if (n > 0 && n < (int)sizeof victim && unlink(victim) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

bool rg_safefile_same(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
    ba = ba ? ba + 1 : a;
    bb = bb ? bb + 1 : b;
    if (strcmp(ba, bb))
        return false;
    char da[RG_SAFEFILE_PATH_MAX], db[RG_SAFEFILE_PATH_MAX];
    dir_of(a, da);
    dir_of(b, db);
    char *ra = realpath(da, NULL), *rb = realpath(db, NULL);
    bool same = ra && rb ? !strcmp(ra, rb) : !strcmp(da, db);
    free(ra);
    free(rb);
    return same;
}

int rg_safefile_probe(const char *path, rg_diag *diag)
{
    char tmp[RG_SAFEFILE_PATH_MAX];
    if (rg_safefile_tmpname(path, tmp) != RG_OK) {
        if (diag)
            rg_diag_add(diag, "%s: path too long", path);
        return RG_EINVAL;
    }
    rg_safefile_sweep(path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (diag)
            rg_diag_add(diag, "%s: cannot create a file there: %s", path, strerror(errno));
        return RG_EINVAL;
    }
    close(fd);
    unlink(tmp);
    return RG_OK;
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
    dir_of(path, dir);
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
    rg_safefile_sweep(path);
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
    int bad = ferror(sf->f), e = 0;
    if (fflush(sf->f) != 0) {
        bad = 1;
        e = errno;
    }
    int rc = fclose(sf->f);
    if (rc != 0 && !e)
        e = errno;
    sf->f = NULL;
    if (!ok) {
        if (!sf->in_place)
            unlink(sf->tmp);
        return RG_OK;
    }
    if (bad || rc != 0) {
        if (diag)
            rg_diag_add(diag, "%s: cannot write: %s%s", sf->path,
                        e ? strerror(e) : "write error",
                        sf->in_place ? "" : "; nothing was replaced");
        if (!sf->in_place)
            unlink(sf->tmp);
        return e == ENOSPC || e == EFBIG || e == EDQUOT ? RG_ENOSPC : RG_EIO;
    }
    if (sf->in_place)
        return RG_OK;
    return rg_safefile_commit(sf->tmp, sf->path, force, diag);
}
