/* The history spool of a running optimisation (results.h, rg_results_spool_history).
 *
 * The bulk of a history row, 8 (L + M + 1) N bytes of genomes, objectives and violations,
 * goes to a file beside the results file instead of memory, so a run's memory does not grow
 * with its length (docs/results-format.md, `/history`); the results and checkpoint writers
 * copy the rows into /history (results_h5_history.c). The file's name is removed as soon as
 * it is open: the space is freed when the process ends, however it ends, and a killed run
 * leaves nothing in the directory. Row g sits at byte g * 8 (L + M + 1) N, in the order
 * genomes, objectives, violations. */
#include "results_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regimen/safefile.h"

struct rg_history_spool {
    int fd;
};

static size_t row_doubles(const rg_results *r)
{
    return r->population * (r->genome_length + r->n_obj + 1);
}

static int write_all(int fd, const void *buf, size_t n, off_t at)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) /* errno is left for the caller's message */
            return w < 0 && (errno == ENOSPC || errno == EFBIG || errno == EDQUOT) ? RG_ENOSPC
                                                                                   : RG_EIO;
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return RG_OK;
}

static int read_all(int fd, void *buf, size_t n, off_t at)
{
    char *p = buf;
    while (n > 0) {
        ssize_t got = pread(fd, p, n, at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return RG_EIO;
        p += got;
        n -= (size_t)got;
        at += got;
    }
    return RG_OK;
}

int rg_results_spool_put(const rg_results *r, size_t g, const double genomes[],
                         const double objectives[], const double violation[])
{
    size_t N = r->population, L = r->genome_length, M = r->n_obj;
    off_t at = (off_t)(g * row_doubles(r) * sizeof(double));
    int fd = r->history_spool->fd;
    int rc = write_all(fd, genomes, N * L * sizeof(double), at);
    at += (off_t)(N * L * sizeof(double));
    if (rc == RG_OK)
        rc = write_all(fd, objectives, N * M * sizeof(double), at);
    at += (off_t)(N * M * sizeof(double));
    if (rc == RG_OK)
        rc = write_all(fd, violation, N * sizeof(double), at);
    return rc;
}

int rg_results_history_row(const rg_results *r, size_t g, double genomes[], double objectives[],
                           double violation[])
{
    size_t N = r->population, L = r->genome_length, M = r->n_obj;
    if (g >= r->n_history)
        return RG_EINVAL;
    if (!r->history_spool) {
        if (genomes && N * L > 0)
            memcpy(genomes, r->history_genomes + g * N * L, N * L * sizeof(double));
        if (objectives && N * M > 0)
            memcpy(objectives, r->history_objectives + g * N * M, N * M * sizeof(double));
        if (violation && N > 0)
            memcpy(violation, r->history_violation + g * N, N * sizeof(double));
        return RG_OK;
    }
    int fd = r->history_spool->fd, rc = RG_OK;
    off_t at = (off_t)(g * row_doubles(r) * sizeof(double));
    if (genomes)
        rc = read_all(fd, genomes, N * L * sizeof(double), at);
    at += (off_t)(N * L * sizeof(double));
    if (rc == RG_OK && objectives)
        rc = read_all(fd, objectives, N * M * sizeof(double), at);
    at += (off_t)(N * M * sizeof(double));
    if (rc == RG_OK && violation)
        rc = read_all(fd, violation, N * sizeof(double), at);
    return rc;
}

int rg_results_spool_history(rg_results *r, const char *near, rg_diag *diag)
{
    if (r->history_spool)
        return RG_OK;
    char tmp[RG_SAFEFILE_PATH_MAX];
    size_t used;
    if (rg_safefile_tmpname(near, tmp) != RG_OK ||
        (used = strlen(tmp)) + sizeof ".history" > sizeof tmp) {
        rg_diag_add(diag, "%s: path too long for the history spool", near);
        return RG_EINVAL;
    }
    memcpy(tmp + used, ".history", sizeof ".history");
    struct rg_history_spool *s = malloc(sizeof *s);
    if (!s)
        return RG_ENOMEM;
    s->fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (s->fd < 0) {
        rg_diag_add(diag, "%s: cannot create the history spool %s: %s", near, tmp,
                    strerror(errno));
        free(s);
        return RG_EIO;
    }
    (void)unlink(tmp);
    r->history_spool = s;
    /* rows recorded so far move to the spool */
    int rc = RG_OK;
    for (size_t g = 0; g < r->n_history && rc == RG_OK; g++) {
        size_t N = r->population, L = r->genome_length, M = r->n_obj;
        rc = rg_results_spool_put(r, g, r->history_genomes + g * N * L,
                                  r->history_objectives + g * N * M,
                                  r->history_violation + g * N);
    }
    if (rc != RG_OK) {
        rg_diag_add(diag, "%s: cannot write the history spool %s", near, tmp);
        rg_results_spool_free(s);
        r->history_spool = NULL;
        return rc;
    }
    free(r->history_genomes);
    free(r->history_objectives);
    free(r->history_violation);
    r->history_genomes = r->history_objectives = r->history_violation = NULL;
    return RG_OK;
}

void rg_results_spool_free(struct rg_history_spool *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s);
}
