/* regimen: the evaluation farm, the part every build has: construction, accessors and the
 * in-process evaluation of a one-rank farm. The message passing between ranks is in
 * mpi/farm_net.c, mpi/farm_master.c and mpi/farm_worker.c (serial/farm_serial.c in a build
 * without MPI). See include/regimen/farm.h for the contract. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "farm_internal.h"

double rg_farm_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0.0;
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

int rg_farm_eval_range(rg_farm *f, size_t count, size_t length, const double *genomes,
                       rg_eval_result *res)
{
    int status = RG_OK;
    for (size_t i = 0; i < count; i++) {
        rg_eval_result *r = &res[i];
        memset(r, 0, sizeof *r); /* padding and unused slots identical on every rank */
        int rc = f->ops->eval(f->ctx, genomes + i * length, length, r);
        if (rc != RG_OK) {
            if (!(r->flags & RG_RES_FAILED))
                rg_eval_result_fail(r, RG_MAX_OBJ, RG_RES_FAILED, rg_strerror(rc));
            if (status == RG_OK)
                status = rc;
        }
        r->reason[sizeof r->reason - 1] = '\0';
    }
    return status;
}

size_t rg_farm_span(const rg_farm *f, size_t start, size_t count)
{
    if (count == 0)
        return 0;
    return (start + count - 1) / f->n_parts - start / f->n_parts + 1;
}

int rg_farm_eval_units(rg_farm *f, size_t start, size_t count, size_t length,
                       const double *genomes, unsigned char *records)
{
    size_t P = f->n_parts;
    if (P == 1)
        return rg_farm_eval_range(f, count, length, genomes, (rg_eval_result *)(void *)records);
    int status = RG_OK;
    size_t u = start, end = start + count, g0 = start / P;
    while (u < end) {
        size_t g = u / P, first = u - g * P, last = (g + 1) * P < end ? P : end - g * P;
        int rc = f->ops->eval_parts(f->ctx, genomes + (g - g0) * length, length, first,
                                    last - first, records + (u - start) * f->part_bytes);
        if (rc != RG_OK && status == RG_OK)
            status = rc;
        u += last - first;
    }
    return status;
}

void rg_farm_combine(rg_farm *f, const unsigned char *records, rg_eval_result *out)
{
    memset(out, 0, sizeof *out);
    f->ops->combine(f->ctx, records, out);
    out->reason[sizeof out->reason - 1] = '\0';
}

/* ---- construction ------------------------------------------------------------------- */

static void farm_release(rg_farm *f)
{
    if (f->ctx)
        f->ops->destroy(f->ctx);
    rg_farm_net_close(f);
    free(f);
}

int rg_farm_alloc(const rg_comm *comm, const rg_eval_ops *ops, const char *text,
                  const char *name, size_t chunk, rg_farm **farm, rg_diag *diag)
{
    if (!farm || !diag)
        return RG_EINVAL;
    *farm = NULL;
    int n_split = ops ? !!ops->parts + !!ops->eval_parts + !!ops->combine : 0;
    if (!ops || !ops->create || !ops->destroy || !ops->eval || (n_split != 0 && n_split != 3)) {
        rg_diag_add(diag, "farm: incomplete evaluation operations");
        return RG_EINVAL;
    }
    rg_farm *f = calloc(1, sizeof *f);
    if (!f)
        return RG_ENOMEM;
    f->size = 1;
    f->n_parts = 1;
    f->part_bytes = sizeof(rg_eval_result);
    f->chunk = chunk;
    f->ops = ops;
    f->stall_floor = RG_FARM_STALL_FLOOR_S;
    const char *floor_env = getenv("REGIMEN_WORKER_TIMEOUT");
    char *end = NULL;
    double floor_s = floor_env ? strtod(floor_env, &end) : 0;
    if (floor_env && end != floor_env && !*end && floor_s > 0 && floor_s < 1e9)
        f->stall_floor = floor_s;
    int rc = RG_OK;
    if (comm && (rc = rg_farm_net_open(f, comm, diag)) != RG_OK)
        goto fail;

    if (f->size == 1) {
        if (!text) {
            rc = RG_EIO;
            goto fail;
        }
        f->ctx = ops->create(text, name ? name : "", diag);
        if (!f->ctx) {
            rc = RG_EINVAL;
            goto fail;
        }
        *farm = f;
        return RG_OK;
    }
    /* Rank 0 broadcasts the problem once; every rank builds its own state from it, and so
     * finds the same parts. */
    rc = rg_farm_net_start(f, text, name, diag);
    if (rc != RG_OK)
        goto fail;
    size_t bytes = 0, parts = ops->parts ? ops->parts(f->ctx, &bytes) : 1;
    if (parts > 1 && bytes > 0) {
        f->n_parts = parts;
        f->part_bytes = bytes;
    }
    *farm = f;
    return RG_OK;

fail:
    farm_release(f);
    return rc;
}

void rg_farm_free(rg_farm *farm)
{
    if (!farm)
        return;
    if (farm->rank == 0 && farm->size > 1 && !farm->stopped && !farm->broken) {
        rg_farm_net_release(farm);
        farm->stopped = 1;
    }
    farm_release(farm);
}

void rg_farm_set_chunk(rg_farm *farm, size_t chunk)
{
    if (farm->rank == 0)
        farm->chunk = chunk;
}

int rg_farm_is_master(const rg_farm *farm)
{
    return farm->rank == 0;
}
int rg_farm_rank(const rg_farm *farm)
{
    return farm->rank;
}
int rg_farm_size(const rg_farm *farm)
{
    return farm->size;
}
void *rg_farm_context(rg_farm *farm)
{
    return farm->ctx;
}
const char *rg_farm_error(const rg_farm *farm)
{
    return farm->err;
}

void rg_farm_get_stats(const rg_farm *farm, rg_farm_stats *stats)
{
    *stats = farm->stats;
}

/* ---- evaluation --------------------------------------------------------------------- */

int rg_farm_eval_batch(void *ctx, size_t n, size_t length, const double genomes[],
                       rg_eval_result out[])
{
    rg_farm *f = ctx;
    if (!f || f->rank != 0 || f->stopped || (n > 0 && (length == 0 || !genomes || !out)))
        return RG_EINVAL;
    if (f->broken)
        return RG_EMPI;
    if (n == 0)
        return RG_OK;
    double w0 = rg_farm_now(), c0 = cpu_seconds();
    int rc;
    if (f->size == 1) {
        rc = rg_farm_eval_range(f, n, length, genomes, out);
        double dt = rg_farm_now() - w0;
        f->stats.evaluations += n;
        f->stats.parts += n;
        f->stats.eval_seconds += dt;
        f->stats.pieces++;
        f->stats.last_piece_max = f->stats.last_piece_min = n;
    } else {
        rc = rg_farm_net_batch(f, n, length, genomes, out);
    }
    f->stats.batches++;
    f->stats.wall += rg_farm_now() - w0;
    f->stats.cpu += cpu_seconds() - c0;
    return rc;
}
