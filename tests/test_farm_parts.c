/* Tests of the farm's split genomes (farm.h, "Parts"), run by ctest without mpirun and
 * under mpirun -np 1, 2, 3 and 4 (tests/test_farm_parts.cmake).
 *
 * The evaluation operations are the test's own: every genome has P parts (P from the text,
 * "parts=6"); a part's record carries the genome's index (gene 0), the part's number and a
 * value computed from both; combine checks that it got the genome's records in part order
 * and folds them in that order (floating-point sums are order-sensitive). Each rank counts
 * how often it evaluated each (genome, part), so a unit evaluated twice or never shows.
 * Every collective call happens before any assertion, so a failing check on rank 0 never
 * leaves a worker waiting. */
#include "rg_test.h"

#ifdef RG_HAVE_MPI
#include <mpi.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regimen/farm.h"
#include "regimen/parallel.h"

enum { MAX_UNITS = 512, MAX_P = 16, LEN = 4 };
static const double BREAKER = 666.5; /* the context breaks: eval_parts returns RG_ENUMERIC */

typedef struct {
    size_t parts;
    long sleep_us;
    long count[MAX_UNITS]; /* evaluations per unit (genome * parts + part) on this rank */
} parts_ctx;

typedef struct {
    double genome, part, value;
    int32_t flags, pad;
} part_rec;

static rg_comm *world;

/* Text keys: "parts=P", "sleep=US" (uneven sleep per part). */
static void *parts_create(const char *text, const char *name, rg_diag *diag)
{
    (void)name;
    (void)diag;
    parts_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const char *p = strstr(text, "parts="), *s = strstr(text, "sleep=");
    c->parts = p ? (size_t)atol(p + 6) : 1;
    c->sleep_us = s ? atol(s + 6) : 0;
    return c;
}

static void parts_destroy(void *ctx)
{
    free(ctx);
}

static size_t parts_parts(const void *ctx, size_t *bytes)
{
    *bytes = sizeof(part_rec);
    return ((const parts_ctx *)ctx)->parts;
}

static int parts_eval_parts(void *ctx, const double g[], size_t length, size_t first,
                            size_t count, void *records)
{
    parts_ctx *c = ctx;
    part_rec *r = records;
    size_t idx = (size_t)g[0];
    int rc = RG_OK;
    for (size_t i = 0; i < count; i++) {
        size_t part = first + i;
        if (idx * c->parts + part < MAX_UNITS)
            c->count[idx * c->parts + part]++;
        if (c->sleep_us > 0) {
            struct timespec ts = {0, c->sleep_us * 1000L * (long)((idx + 3 * part) % 4)};
            nanosleep(&ts, NULL);
        }
        memset(&r[i], 0, sizeof r[i]);
        r[i].genome = g[0];
        r[i].part = (double)part;
        double v = 0.0;
        for (size_t j = 1; j < length; j++) {
            if (g[j] == BREAKER)
                rc = RG_ENUMERIC;
            v += sin(1.7 * g[j] * (double)(part + 1) + (double)j);
        }
        r[i].value = v;
        r[i].flags = v > 1.5 ? RG_RES_INFEASIBLE : 0;
    }
    return rc;
}

static void parts_combine(void *ctx, const void *records, rg_eval_result *out)
{
    const parts_ctx *c = ctx;
    const part_rec *r = records;
    double s = 0.0, q = 1.0;
    for (size_t i = 0; i < c->parts; i++) {
        if (r[i].part != (double)i || r[i].genome != r[0].genome) {
            rg_eval_result_fail(out, 2, RG_RES_FAILED, "records out of order");
            return;
        }
        s += r[i].value * 1e-3 + r[i].value; /* order-sensitive rounding */
        q = q * (1.0 + 0.01 * r[i].value) + 1e-17;
        out->flags |= (unsigned)r[i].flags;
    }
    out->value[0] = out->fitness[0] = s;
    out->value[1] = out->fitness[1] = q;
    out->violation = (out->flags & RG_RES_INFEASIBLE) ? 1.0 : 0.0;
    if (out->flags)
        snprintf(out->reason, sizeof out->reason, "genome %.0f: a part above 1.5", r[0].genome);
}

/* The whole genome: every part, then combine (the contract of rg_eval_ops). */
static int parts_eval(void *ctx, const double g[], size_t length, rg_eval_result *out)
{
    parts_ctx *c = ctx;
    part_rec r[MAX_P];
    int rc = parts_eval_parts(ctx, g, length, 0, c->parts, r);
    parts_combine(ctx, r, out);
    return rc;
}

static const rg_eval_ops parts_ops = {parts_create, parts_destroy,    parts_eval,
                                      parts_parts,  parts_eval_parts, parts_combine};

static void make_genomes(size_t n, double *g)
{
    for (size_t i = 0; i < n; i++) {
        g[i * LEN] = (double)i;
        for (size_t j = 1; j < LEN; j++)
            g[i * LEN + j] = 0.37 * (double)((i * 5 + j * 3) % 11) - 1.1;
    }
}

typedef struct {
    int alloc_rc, serve_rc, batch_rc[3];
    rg_farm_stats stats;
    long count[MAX_UNITS]; /* summed over ranks (rank 0) */
    size_t parts_seen;
} run_out;

/* Batches of sizes ns[] on one farm (collective); results of batch b at res + b * 64. */
static void run_farm(const rg_eval_ops *ops, const char *text, size_t chunk, size_t nb,
                     const size_t *ns, double *const *genomes, rg_eval_result *res, run_out *o)
{
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    memset(o, 0, sizeof *o);
    long local[MAX_UNITS] = {0};
    o->alloc_rc = rg_farm_alloc(world, ops, text, "parts.cfg", chunk, &farm, &diag);
    if (o->alloc_rc == RG_OK) {
        if (rg_farm_is_master(farm)) {
            for (size_t b = 0; b < nb; b++)
                o->batch_rc[b] = rg_farm_eval_batch(farm, ns[b], LEN, genomes[b], res + b * 64);
            rg_farm_get_stats(farm, &o->stats);
        } else {
            o->serve_rc = rg_farm_serve(farm);
        }
        memcpy(local, ((parts_ctx *)rg_farm_context(farm))->count, sizeof local);
        rg_farm_free(farm);
    }
#ifdef RG_HAVE_MPI
    MPI_Reduce(local, o->count, MAX_UNITS, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
#else
    memcpy(o->count, local, sizeof local);
#endif
}

/* Every (genome, part) evaluated exactly once and every result bit-identical to the whole
 * evaluation, over batches of 13, 1 and 40 genomes of 6 parts, for chunk `chunk`. */
static void check_parts(size_t chunk, const char *text)
{
    enum { P = 6 };
    static const size_t ns[3] = {13, 1, 40};
    static double g0[13 * LEN], g1[1 * LEN], g2[40 * LEN];
    double *genomes[3] = {g0, g1, g2};
    static rg_eval_result res[3 * 64];
    run_out o;
    for (size_t b = 0; b < 3; b++)
        make_genomes(ns[b], genomes[b]);
    run_farm(&parts_ops, text, chunk, 3, ns, genomes, res, &o);

    assert_int_equal(o.alloc_rc, RG_OK);
    assert_int_equal(o.serve_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    parts_ctx *ref = parts_create(text, "", NULL);
    assert_non_null(ref);
    size_t n_infeasible = 0;
    for (size_t b = 0; b < 3; b++) {
        assert_int_equal(o.batch_rc[b], RG_OK);
        for (size_t i = 0; i < ns[b]; i++) {
            rg_eval_result want;
            memset(&want, 0, sizeof want);
            assert_int_equal(parts_eval(ref, genomes[b] + i * LEN, LEN, &want), RG_OK);
            if (memcmp(&res[b * 64 + i], &want, sizeof want) != 0)
                fail_msg("batch %zu genome %zu differs from the whole evaluation (%s)", b, i,
                         res[b * 64 + i].reason);
            n_infeasible += (want.flags & RG_RES_INFEASIBLE) != 0;
        }
    }
    free(ref);
    assert_true(n_infeasible > 0 && n_infeasible < 54); /* the records matter */
    for (size_t u = 0; u < MAX_UNITS; u++) {
        size_t g = u / P;
        long want = (g < 13) + (g < 1) + (g < 40);
        if (o.count[u] != want)
            fail_msg("unit %zu evaluated %ld times, expected %ld", u, o.count[u], want);
    }
    assert_int_equal(o.stats.evaluations, 54);
    if (rg_parallel_size(world) > 1) {
        assert_int_equal(o.stats.parts, 54 * P);
        if (chunk != RG_FARM_CHUNK_AUTO) {
            /* the last batch (240 units): pieces of exactly `chunk` units but the last */
            assert_int_equal(o.stats.last_piece_max, chunk);
            assert_int_equal(o.stats.last_piece_min,
                             (40 * P) % chunk ? (40 * P) % chunk : chunk);
        } else if (strstr(text, "sleep")) {
            assert_true(o.stats.last_piece_min < P); /* guided: the tail splits genomes */
        }
    }
}

static void test_chunk_one(void **state)
{
    (void)state;
    check_parts(1, "parts=6 sleep=200");
}

static void test_chunk_straddling(void **state)
{
    (void)state;
    check_parts(4, "parts=6"); /* 4 does not divide 6: pieces end inside genomes */
}

static void test_chunk_large(void **state)
{
    (void)state;
    check_parts(13, "parts=6");
}

static void test_chunk_auto(void **state)
{
    (void)state;
    check_parts(RG_FARM_CHUNK_AUTO, "parts=6 sleep=200");
}

/* One part = no split: the farm runs whole genomes. */
static void test_one_part(void **state)
{
    (void)state;
    static const size_t ns[1] = {9};
    static double g[9 * LEN];
    static rg_eval_result res[64];
    run_out o;
    make_genomes(9, g);
    double *genomes[1] = {g};
    run_farm(&parts_ops, "parts=1", 2, 1, ns, genomes, res, &o);
    assert_int_equal(o.alloc_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    assert_int_equal(o.batch_rc[0], RG_OK);
    assert_int_equal(o.stats.parts, 9);
    for (size_t i = 0; i < 9; i++)
        assert_true(res[i].value[0] != 0.0);
}

/* A context that breaks in one part: the batch returns its status and every genome is
 * reported failed (none left unset); the farm can still be freed. */
static void test_broken_part(void **state)
{
    (void)state;
    static const size_t ns[1] = {20};
    static double g[20 * LEN];
    static rg_eval_result res[64];
    run_out o;
    make_genomes(20, g);
    g[11 * LEN + 2] = BREAKER;
    double *genomes[1] = {g};
    run_farm(&parts_ops, "parts=6", 5, 1, ns, genomes, res, &o);
    assert_int_equal(o.alloc_rc, RG_OK);
    assert_int_equal(o.serve_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    assert_int_equal(o.batch_rc[0], RG_ENUMERIC);
    if (rg_parallel_size(world) > 1)
        for (size_t i = 0; i < 20; i++) {
            assert_true(res[i].flags & RG_RES_FAILED);
            assert_non_null(strstr(res[i].reason, "not evaluated"));
        }
}

/* Some of the three split operations but not all: refused on every rank. */
static void test_incomplete_ops(void **state)
{
    (void)state;
    rg_eval_ops half = parts_ops;
    half.combine = NULL;
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_farm_alloc(world, &half, "parts=6", "parts.cfg", 0, &farm, &diag);
    assert_int_equal(rc, RG_EINVAL);
    assert_null(farm);
    assert_true(diag.count > 0);
    assert_non_null(strstr(diag.msg[0], "incomplete"));
}

int main(int argc, char **argv)
{
    if (rg_parallel_init(&argc, &argv) != RG_OK || rg_parallel_world(&world) != RG_OK) {
        fprintf(stderr, "test_farm_parts: MPI could not start\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunk_one),      cmocka_unit_test(test_chunk_straddling),
        cmocka_unit_test(test_chunk_large),    cmocka_unit_test(test_chunk_auto),
        cmocka_unit_test(test_one_part),       cmocka_unit_test(test_broken_part),
        cmocka_unit_test(test_incomplete_ops),
    };
    int failed = cmocka_run_group_tests_name("farm_parts", tests, NULL, NULL);
    int any = failed;
#ifdef RG_HAVE_MPI
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
#endif
    rg_parallel_comm_free(world);
    rg_parallel_finalize();
    return any ? 1 : 0;
}
