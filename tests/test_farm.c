/* Tests of the farm (src/parallel), run by ctest under mpirun -np 1, 2, 3 and 4
 * (tests/test_farm.cmake) and once without mpirun; in a build without MPI (RG_MPI=OFF) only
 * without mpirun, on one rank.
 *
 * The evaluation operations are the test's own: a deterministic function of the genome
 * (gene 0 is the genome's index in the batch, so each rank counts how often it evaluated
 * each index), optionally with an uneven sleep per genome, a "poisoned" gene value whose
 * genome comes back infeasible with a reason, and a value that breaks the context.
 * Every collective call (alloc, serve, free, the count reduction) happens before any
 * assertion, so a failing check on rank 0 never leaves a worker waiting. The test's own
 * reductions across ranks use MPI directly (RG_HAVE_MPI, from tests/test_farm.cmake); the
 * farm gets its communicator from the parallel layer. */
#include "rg_test.h"

#ifdef RG_HAVE_MPI
#include <mpi.h>
#endif
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regimen/eval_ops.h"
#include "regimen/farm.h"
#include "regimen/nsga2.h"
#include "regimen/parallel.h"
#include "regimen/problem_load.h"

enum { MAX_N = 512, LEN = 5 };
static const double POISON = 13.25;  /* the model "fails": infeasible with a reason */
static const double BREAKER = 666.5; /* the context breaks: eval returns RG_ENUMERIC */

typedef struct {
    long sleep_us;     /* unit of uneven sleep per genome (0 = none) */
    long count[MAX_N]; /* evaluations per index on this rank */
} test_ctx;

/* Every rank of the job (main sets it once). */
static rg_comm *world;

/* The largest of every rank's value, on every rank. */
static int max_over_ranks(int local)
{
#ifdef RG_HAVE_MPI
    int all = local;
    MPI_Allreduce(&local, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
#else
    return local;
#endif
}

/* sum[i] = the sum over ranks of local[i] (valid on rank 0). */
static void sum_to_master(const long *local, long *sum, int n)
{
#ifdef RG_HAVE_MPI
    MPI_Reduce(local, sum, n, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
#else
    memcpy(sum, local, (size_t)n * sizeof *sum);
#endif
}

/* Text keys: "sleep=US" (uneven sleep unit), "refuse=R" (rank R fails to start). */
static void *test_create(const char *text, const char *name, rg_diag *diag)
{
    int rank = rg_parallel_rank(world);
    const char *r = strstr(text, "refuse=");
    if (r && atoi(r + 7) == rank) {
        rg_diag_add(diag, "%s:1: key 'refuse': rank %d cannot build its model", name, rank);
        return NULL;
    }
    test_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const char *s = strstr(text, "sleep=");
    c->sleep_us = s ? atol(s + 6) : 0;
    return c;
}

static void test_destroy(void *ctx)
{
    free(ctx);
}

/* The reference function: odd, non-trivial arithmetic so that any mix-up shows. */
static int test_eval(void *ctx, const double g[], size_t length, rg_eval_result *out)
{
    test_ctx *c = ctx;
    size_t idx = (size_t)g[0];
    if (idx < MAX_N)
        c->count[idx]++;
    if (c->sleep_us > 0) {
        long us = c->sleep_us * (long)((idx * 7) % 5); /* 0..4 units, uneven */
        struct timespec ts = {0, us * 1000L};
        nanosleep(&ts, NULL);
    }
    out->flags = 0;
    out->reason[0] = '\0';
    double s = 0.0, p = 1.0;
    for (size_t j = 1; j < length; j++) {
        if (g[j] == POISON) {
            rg_eval_result_fail(out, 2, RG_RES_BADGENOME, "poisoned gene: dose above the cap");
            return RG_OK;
        }
        if (g[j] == BREAKER) {
            rg_eval_result_fail(out, 2, RG_RES_FAILED, "context broke");
            return RG_ENUMERIC;
        }
        s += sin(2.385 * g[j] + (double)j);
        p *= 1.0 + 0.1 * cos(g[j]);
    }
    out->value[0] = s;
    out->value[1] = -p;
    out->fitness[0] = s;
    out->fitness[1] = p;
    out->violation = 0.0;
    return RG_OK;
}

static const rg_eval_ops test_ops = {test_create, test_destroy, test_eval, NULL, NULL, NULL};

static void make_genomes(size_t n, double *g)
{
    for (size_t i = 0; i < n; i++) {
        g[i * LEN] = (double)i;
        for (size_t j = 1; j < LEN; j++)
            g[i * LEN + j] = 0.37 * (double)((i * 13 + j * 5) % 29) - 1.9;
    }
}

/* Serial reference, computed directly (padding zeroed like the farm does). */
static void reference(size_t n, const double *g, rg_eval_result *ref)
{
    test_ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    for (size_t i = 0; i < n; i++) {
        memset(&ref[i], 0, sizeof ref[i]);
        test_eval(c, g + i * LEN, LEN, &ref[i]);
    }
    free(c);
}

typedef struct {
    int alloc_rc, serve_rc;
    int batch_rc[4];
    long count[MAX_N]; /* summed over ranks (valid on rank 0) */
    rg_farm_stats stats;
} run_out;

/* Runs batches of sizes ns[] on a farm (collective), leaving outputs in `res` (batch b at
 * res + b * MAX_N) on rank 0. */
static void run_farm(const char *text, size_t chunk, size_t nb, const size_t *ns,
                     double *const *genomes, rg_eval_result *res, run_out *o)
{
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    memset(o, 0, sizeof *o);
    long local[MAX_N] = {0};
    o->alloc_rc = rg_farm_alloc(world, &test_ops, text, "test.cfg", chunk, &farm, &diag);
    if (o->alloc_rc == RG_OK) {
        if (rg_farm_is_master(farm)) {
            for (size_t b = 0; b < nb; b++)
                o->batch_rc[b] =
                    rg_farm_eval_batch(farm, ns[b], LEN, genomes[b], res + b * MAX_N);
            rg_farm_get_stats(farm, &o->stats);
        } else {
            o->serve_rc = rg_farm_serve(farm);
        }
        memcpy(local, ((test_ctx *)rg_farm_context(farm))->count, sizeof local);
        rg_farm_free(farm);
    }
    sum_to_master(local, o->count, MAX_N);
}

/* Every genome exactly once, results bit-identical to the serial reference, for a fixed
 * chunk size (on, off) and automatic chunks, with uneven evaluation times, over several
 * batches of changing size on one farm. */
static void check_chunk(size_t chunk, const char *text)
{
    static const size_t ns[3] = {97, 3, 200};
    static double g0[97 * LEN], g1[3 * LEN], g2[200 * LEN];
    double *genomes[3] = {g0, g1, g2};
    static rg_eval_result res[3 * MAX_N], ref[200];
    run_out o;
    for (size_t b = 0; b < 3; b++)
        make_genomes(ns[b], genomes[b]);
    run_farm(text, chunk, 3, ns, genomes, res, &o);

    assert_int_equal(o.alloc_rc, RG_OK);
    assert_int_equal(o.serve_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    for (size_t b = 0; b < 3; b++) {
        assert_int_equal(o.batch_rc[b], RG_OK);
        reference(ns[b], genomes[b], ref);
        for (size_t i = 0; i < ns[b]; i++)
            if (memcmp(&res[b * MAX_N + i], &ref[i], sizeof ref[i]) != 0)
                fail_msg("batch %zu genome %zu differs from the serial result", b, i);
    }
    /* Index i was in every batch of size > i. */
    for (size_t i = 0; i < MAX_N; i++) {
        long want = (i < 97) + (i < 3) + (i < 200);
        if (o.count[i] != want)
            fail_msg("index %zu evaluated %ld times, expected %ld", i, o.count[i], want);
    }
    assert_int_equal(o.stats.evaluations, 300);
    assert_int_equal(o.stats.batches, 3);
    if (chunk != RG_FARM_CHUNK_AUTO && rg_parallel_size(world) > 1) {
        /* The last batch (200 genomes): pieces of exactly `chunk` but the last. */
        assert_int_equal(o.stats.last_piece_max, chunk);
        assert_int_equal(o.stats.last_piece_min, 200 % chunk ? 200 % chunk : chunk);
    }
    if (chunk == RG_FARM_CHUNK_AUTO && rg_parallel_size(world) > 1 && strstr(text, "sleep"))
        assert_true(o.stats.last_piece_min < o.stats.last_piece_max); /* guided */
}

static void test_chunk_off(void **state)
{
    (void)state;
    check_chunk(1, "sleep=40");
}

static void test_chunk_fixed(void **state)
{
    (void)state;
    check_chunk(7, "sleep=40");
}

static void test_chunk_auto(void **state)
{
    (void)state;
    check_chunk(RG_FARM_CHUNK_AUTO, "sleep=40");
}

static void test_chunk_auto_fast(void **state)
{
    (void)state;
    check_chunk(RG_FARM_CHUNK_AUTO, "fast");
}

/* A poisoned genome comes back infeasible with its reason; the batch finishes and every
 * other genome is right. */
static void test_poisoned_genome(void **state)
{
    (void)state;
    enum { N = 41 };
    static double g[N * LEN];
    static rg_eval_result res[MAX_N], ref[N];
    double *genomes[1] = {g};
    size_t ns[1] = {N};
    make_genomes(N, g);
    g[17 * LEN + 3] = POISON;
    g[40 * LEN + 1] = POISON;
    run_out o;
    run_farm("sleep=10", 3, 1, ns, genomes, res, &o);
    assert_int_equal(o.alloc_rc, RG_OK);
    assert_int_equal(o.serve_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    assert_int_equal(o.batch_rc[0], RG_OK);
    reference(N, g, ref);
    for (size_t i = 0; i < N; i++) {
        assert_memory_equal(&res[i], &ref[i], sizeof ref[i]);
        assert_int_equal(o.count[i], 1);
    }
    assert_true(res[17].flags & RG_RES_INFEASIBLE);
    assert_true(res[17].flags & RG_RES_BADGENOME);
    assert_string_equal(res[17].reason, "poisoned gene: dose above the cap");
    assert_true(res[40].violation > 0.0);
    assert_int_equal(res[16].flags, 0);
}

/* A context that breaks: the batch still ends, the status says so, every result is set. */
static void test_broken_context(void **state)
{
    (void)state;
    enum { N = 30 };
    static double g[N * LEN];
    static rg_eval_result res[2 * MAX_N];
    double *genomes[2] = {g, g};
    size_t ns[2] = {N, 0};
    make_genomes(N, g);
    g[4 * LEN + 2] = BREAKER;
    for (size_t i = 0; i < 2 * MAX_N; i++)
        res[i].flags = 0xdead;
    run_out o;
    run_farm("", 2, 2, ns, genomes, res, &o);
    assert_int_equal(o.alloc_rc, RG_OK);
    assert_int_equal(o.serve_rc, RG_OK);
    if (rg_parallel_rank(world) != 0)
        return;
    assert_int_equal(o.batch_rc[0], RG_ENUMERIC);
    assert_int_equal(o.batch_rc[1], RG_OK); /* the farm still works afterwards */
    assert_true(res[4].flags & RG_RES_FAILED);
    assert_string_equal(res[4].reason, "context broke");
    for (size_t i = 0; i < N; i++) {
        assert_true(res[i].flags != 0xdead);
        assert_true(o.count[i] <= 1);
        if (o.count[i] == 0)
            assert_true(res[i].flags & RG_RES_FAILED);
    }
}

/* A rank that cannot start: every rank gets the same status and rank 0 the message. */
static void test_refusing_rank(void **state)
{
    (void)state;
    int size = rg_parallel_size(world);
    char text[64];
    snprintf(text, sizeof text, "refuse=%d", size - 1);
    rg_farm *farm = (rg_farm *)&farm; /* must be reset to NULL */
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_farm_alloc(world, &test_ops, text, "bad.cfg", 0, &farm, &diag);
    int all = max_over_ranks(rc);
    assert_int_equal(rc, RG_EINVAL);
    assert_int_equal(all, RG_EINVAL);
    assert_null(farm);
    assert_true(diag.count >= 1);
    char want[128];
    snprintf(want, sizeof want, "bad.cfg:1: key 'refuse': rank %d cannot build its model",
             size - 1);
    assert_string_equal(diag.msg[0], want);
    if (size > 1) {
        snprintf(want, sizeof want, "(MPI rank %d of %d could not start)", size - 1, size);
        assert_string_equal(diag.msg[diag.count - 1], want);
    }
}

/* The master could not read its problem (text NULL): every rank returns RG_EIO. */
static void test_master_without_text(void **state)
{
    (void)state;
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_farm_alloc(world, &test_ops, NULL, "missing.cfg", 0, &farm, &diag);
    assert_int_equal(rc, RG_EIO);
    assert_null(farm);
}

/* Bad arguments. */
static void test_bad_arguments(void **state)
{
    (void)state;
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_eval_ops broken = {test_create, NULL, test_eval, NULL, NULL, NULL};
    assert_int_equal(rg_farm_alloc(NULL, &broken, "", "x", 0, &farm, &diag), RG_EINVAL);
    assert_null(farm);
    assert_int_equal(rg_farm_alloc(NULL, &test_ops, "", "x", 0, NULL, &diag), RG_EINVAL);
    assert_int_equal(rg_farm_eval_batch(NULL, 1, LEN, NULL, NULL), RG_EINVAL);
    rg_farm_free(NULL);
}

/* In process without MPI (comm NULL): the same results through the same API. */
static void test_in_process(void **state)
{
    (void)state;
    enum { N = 23 };
    double g[N * LEN];
    rg_eval_result res[N], ref[N];
    make_genomes(N, g);
    reference(N, g, ref);
    rg_farm *farm = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_farm_alloc(NULL, &test_ops, "", "x", 0, &farm, &diag), RG_OK);
    assert_true(rg_farm_is_master(farm));
    assert_int_equal(rg_farm_size(farm), 1);
    assert_int_equal(rg_farm_serve(farm), RG_EINVAL);
    assert_int_equal(rg_farm_eval_batch(farm, N, LEN, g, res), RG_OK);
    assert_int_equal(rg_farm_eval_batch(farm, 1, 0, g, res), RG_EINVAL);
    assert_memory_equal(res, ref, sizeof ref);
    long *count = ((test_ctx *)rg_farm_context(farm))->count;
    for (size_t i = 0; i < N; i++)
        assert_int_equal(count[i], 1);
    rg_farm_free(farm);
}

/* The waiting master does not spin: with workers that sleep (so cores are free and the
 * master's wait is long), the master uses well under a quarter of a core. */
static void test_master_does_not_spin(void **state)
{
    (void)state;
    enum { N = 24 };
    static double g[N * LEN];
    static rg_eval_result res[MAX_N];
    double *genomes[1] = {g};
    size_t ns[1] = {N};
    make_genomes(N, g);
    run_out o;
    run_farm("sleep=5000", 1, 1, ns, genomes, res, &o); /* 0..20 ms per genome */
    double rtt = 0.0;
    int prc = RG_OK;
    {
        rg_farm *farm = NULL;
        rg_diag diag;
        rg_diag_init(&diag);
        int rc = rg_farm_alloc(world, &test_ops, "", "x", 0, &farm, &diag);
        assert_int_equal(rc, RG_OK);
        if (rg_farm_is_master(farm)) {
            if (rg_parallel_size(world) > 1)
                prc = rg_farm_pingpong(farm, 4096, 50, &rtt);
        } else {
            assert_int_equal(rg_farm_serve(farm), RG_OK);
        }
        rg_farm_free(farm);
    }
    assert_int_equal(o.alloc_rc, RG_OK);
    if (rg_parallel_rank(world) != 0 || rg_parallel_size(world) == 1)
        return;
    assert_int_equal(prc, RG_OK);
    assert_true(rtt > 0.0 && rtt < 0.1);
    double share = o.stats.cpu / o.stats.wall;
    print_message(
        "master: %.3f s wall, %.3f s CPU (%.1f%% of a core); round trip 4 KB %.1f us\n",
        o.stats.wall, o.stats.cpu, 100.0 * share, 1e6 * rtt);
    assert_true(o.stats.wall > 0.02);
    assert_true(share < 0.25);
}

/* The optimiser on the farm: the whole history (every generation's genomes, results and
 * hypervolume) is bit-identical to a serial run in process with the same seed, for
 * automatic, off and fixed chunks. Under mpirun -np 1..4 this makes the history the same on
 * every rank count. */
typedef struct {
    unsigned char *bytes;
    size_t used, cap;
} history;

static void history_add(history *h, const void *p, size_t n)
{
    if (h->used + n > h->cap) {
        size_t cap = 2 * (h->used + n);
        unsigned char *b = realloc(h->bytes, cap);
        assert_non_null(b);
        h->bytes = b;
        h->cap = cap;
    }
    memcpy(h->bytes + h->used, p, n);
    h->used += n;
}

static void history_snap(history *h, const rg_nsga2 *g)
{
    size_t n = rg_nsga2_population(g), len = rg_nsga2_genome_length(g), nh = 0;
    history_add(h, rg_nsga2_genomes(g), n * len * sizeof(double));
    history_add(h, rg_nsga2_results(g), n * sizeof(rg_eval_result));
    const double *hv = rg_nsga2_hv_history(g, &nh);
    history_add(h, hv, nh * sizeof *hv);
}

/* Runs `generations` of NSGA-II from the problem's settings, recording the history. */
static int run_history(const rg_problem *p, const rg_encoding *enc, size_t m, rg_batch_fn fn,
                       void *ctx, size_t population, size_t generations, history *h)
{
    rg_nsga2_settings set;
    rg_nsga2_settings_from_problem(p, m, &set);
    set.population = population;
    set.generations = generations;
    set.seed = 2385;
    rg_nsga2 *g = rg_nsga2_alloc(enc, &set);
    if (!g)
        return RG_ENOMEM;
    int rc = rg_nsga2_init(g, fn, ctx, NULL, 0);
    if (rc == RG_OK)
        history_snap(h, g);
    while (rc == RG_OK && !rg_nsga2_done(g)) {
        rc = rg_nsga2_step(g);
        if (rc == RG_OK)
            history_snap(h, g);
    }
    rg_nsga2_free(g);
    return rc;
}

static void check_history(const char *file, size_t population, size_t generations)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/problems/%s", RG_SOURCE_DIR, file);
    static const size_t chunks[3] = {RG_FARM_CHUNK_AUTO, 1, 5};
    int rank = rg_parallel_rank(world);
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int load_rc = rank == 0 ? rg_problem_load(path, &p, &diag) : RG_OK;
    history serial = {0}, farmed[3] = {{0}};
    int rcs[3] = {0}, serial_rc = RG_OK, alloc_rc[3] = {0}, serve_rc[3] = {0};
    /* An evaluator that cannot be built fails the test (after the collective calls, which
     * then fail alike on every rank), never skips it. */
    bool built = rank != 0;
    if (rank == 0 && load_rc == RG_OK) {
        rg_evaluator *ev = rg_evaluator_alloc(p, &diag);
        if (ev) {
            built = true;
            serial_rc =
                run_history(p, rg_evaluator_encoding(ev), rg_evaluator_n_objectives(ev),
                            rg_evaluator_eval_batch, ev, population, generations, &serial);
        }
        rg_evaluator_free(ev);
    }
    for (int c = 0; c < 3; c++) {
        rg_farm *farm = NULL;
        alloc_rc[c] =
            rg_farm_alloc(world, rg_eval_ops_problem(), load_rc == RG_OK && p ? p->text : NULL,
                          path, chunks[c], &farm, &diag);
        if (alloc_rc[c] != RG_OK)
            continue;
        if (rg_farm_is_master(farm)) {
            rg_evaluator *ev = rg_farm_context(farm);
            rcs[c] = run_history(p, rg_evaluator_encoding(ev), rg_evaluator_n_objectives(ev),
                                 rg_farm_eval_batch, farm, population, generations, &farmed[c]);
        } else {
            serve_rc[c] = rg_farm_serve(farm);
        }
        rg_farm_free(farm);
    }
    rg_problem_free(p);
    if (!built || alloc_rc[0] != RG_OK)
        rg_diag_print(&diag, stderr);
    assert_true(built);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(alloc_rc[c], RG_OK);
        assert_int_equal(serve_rc[c], RG_OK);
    }
    if (rank == 0) {
        assert_int_equal(load_rc, RG_OK);
        assert_int_equal(serial_rc, RG_OK);
        assert_true(serial.used > 0);
        for (int c = 0; c < 3; c++) {
            assert_int_equal(rcs[c], RG_OK);
            assert_int_equal(farmed[c].used, serial.used);
            if (memcmp(farmed[c].bytes, serial.bytes, serial.used) != 0)
                fail_msg("%s: history with chunk %zu differs from the serial run", file,
                         chunks[c]);
        }
    }
    free(serial.bytes);
    for (int c = 0; c < 3; c++)
        free(farmed[c].bytes);
}

static void test_nsga2_history_zdt1(void **state)
{
    (void)state;
    check_history("benchmarks/zdt1.cfg", 24, 6);
}

static void test_nsga2_history_dtlz2(void **state)
{
    (void)state;
    check_history("benchmarks/dtlz2.cfg", 24, 6);
}

/* A small tumour problem (the example: schedule encoding, 3 objectives). */
static void test_nsga2_history_tumour(void **state)
{
    (void)state;
    check_history("example.cfg", 8, 3);
}

int main(int argc, char **argv)
{
    if (rg_parallel_init(&argc, &argv) != RG_OK || rg_parallel_world(&world) != RG_OK) {
        fprintf(stderr, "test_farm: MPI could not start\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_in_process),
        cmocka_unit_test(test_chunk_off),
        cmocka_unit_test(test_chunk_fixed),
        cmocka_unit_test(test_chunk_auto),
        cmocka_unit_test(test_chunk_auto_fast),
        cmocka_unit_test(test_poisoned_genome),
        cmocka_unit_test(test_broken_context),
        cmocka_unit_test(test_refusing_rank),
        cmocka_unit_test(test_master_without_text),
        cmocka_unit_test(test_master_does_not_spin),
        cmocka_unit_test(test_nsga2_history_zdt1),
        cmocka_unit_test(test_nsga2_history_dtlz2),
        cmocka_unit_test(test_nsga2_history_tumour),
    };
    int failed = cmocka_run_group_tests_name("farm", tests, NULL, NULL);
    /* Any rank's failure fails the job. */
    int any = max_over_ranks(failed);
    rg_parallel_comm_free(world);
    rg_parallel_finalize();
    return any ? 1 : 0;
}
