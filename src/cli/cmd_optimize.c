/* regimen optimize PROBLEM.cfg [--seed N] [--generations N] [--population N] [--front FILE]
 *                  [--chunk N] [--quiet]
 * Runs NSGA-II on the problem, its evaluations on the MPI farm (farm.h): in process when
 * run without mpirun or on one rank; under `mpirun -np P` rank 0 runs the GA and the other
 * P - 1 ranks evaluate (workers print nothing). Seeds the first population with the problem's
 * built-in regimens that the encoding can express, prints one progress line per generation
 * on stderr and writes the final front as CSV (to FILE atomically, or to stdout).
 * The driver is a thin loop around rg_nsga2_init / rg_nsga2_step (style.md rule 9).
 * Exit 0 ok, 2 bad input (file, option), 1 runtime failure. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/farm.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/recorder.h"
#include "regimen/report.h"

typedef struct {
    const char *problem, *front;
    bool quiet;
    bool has_seed, has_generations, has_population, has_chunk;
    unsigned long seed;
    size_t generations, population, chunk;
    rg_recorder_options rec; /* --out, --force, --checkpoint[-every], --resume */
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen optimize PROBLEM.cfg [--seed N] [--generations N] "
               "[--population N] [--front FILE.csv] [--chunk N] [--quiet]\n       %s\n",
            rg_recorder_usage());
}

static bool parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* `report`: print what is wrong (rank 0 only, so that mpirun shows a message once). */
static int parse_options(int argc, char **argv, options *o, bool report)
{
    memset(o, 0, sizeof *o);
    o->rec.silent = !report;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        int mine = rg_recorder_parse_option(&o->rec, argc, argv, &i);
        if (mine < 0)
            return 2;
        if (mine > 0)
            continue;
        bool needs = !strcmp(a, "--seed") || !strcmp(a, "--generations") ||
                     !strcmp(a, "--population") || !strcmp(a, "--front") ||
                     !strcmp(a, "--chunk");
        if (needs && i + 1 >= argc) {
            if (report)
                fprintf(stderr, "regimen optimize: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--seed")) {
            if (!parse_count(argv[++i], 4294967295ull, &v))
                goto bad;
            o->seed = (unsigned long)v;
            o->has_seed = true;
        } else if (!strcmp(a, "--generations")) {
            if (!parse_count(argv[++i], 100000000ull, &v) || v < 1)
                goto bad;
            o->generations = (size_t)v;
            o->has_generations = true;
        } else if (!strcmp(a, "--population")) {
            if (!parse_count(argv[++i], 1000000ull, &v) || v < 4)
                goto bad;
            o->population = (size_t)v;
            o->has_population = true;
        } else if (!strcmp(a, "--chunk")) {
            if (!parse_count(argv[++i], 1000000ull, &v))
                goto bad;
            o->chunk = (size_t)v;
            o->has_chunk = true;
        } else if (!strcmp(a, "--front")) {
            o->front = argv[++i];
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            if (report)
                fprintf(stderr, "regimen optimize: unknown option '%s'\n", a);
            if (report)
                usage(stderr);
            return 2;
        } else if (!o->problem) {
            o->problem = a;
        } else {
            if (report)
                fprintf(stderr, "regimen optimize: more than one problem file ('%s')\n", a);
            return 2;
        }
        continue;
    bad:
        if (report)
            fprintf(stderr, "regimen optimize: %s: '%s' is not a valid value\n", a, argv[i]);
        return 2;
    }
    if (!o->problem) {
        if (report)
            usage(stderr);
        return 2;
    }
    o->rec.quiet = o->quiet;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A worker rank: builds its evaluator from the master's broadcast text, serves until the
 * master is done. Prints nothing (rank 0 reports every error). */
static int serve(MPI_Comm comm, int *abort_job)
{
    rg_diag diag;
    rg_diag_init(&diag);
    rg_farm *farm = NULL;
    int rc = rg_farm_alloc(comm, rg_evaluator_ops(), NULL, NULL, 0, &farm, &diag);
    if (rc != RG_OK) {
        if (rc == RG_EMPI || rc == RG_ENOMEM)
            *abort_job = 1;
        return rc == RG_EIO ? 2 : rg_status_exit_code(rc);
    }
    rc = rg_farm_serve(farm);
    if (rc != RG_OK) {
        fprintf(stderr, "regimen optimize: MPI rank %d: %s %s\n", rg_farm_rank(farm),
                rg_strerror(rc), rg_farm_error(farm));
        *abort_job = 1;
        rg_farm_free(farm);
        return 1;
    }
    rg_farm_free(farm);
    return 0;
}

int rg_cmd_optimize(int argc, char **argv)
{
    int abort_job = 0;
    return rg_cmd_optimize_mpi(argc, argv, MPI_COMM_NULL, &abort_job);
}

int rg_cmd_optimize_mpi(int argc, char **argv, MPI_Comm comm, int *abort_job)
{
    options opt;
    *abort_job = 0;
    /* Every rank parses the same argv, so a bad option stops all of them alike. */
    int rank = 0;
    if (comm != MPI_COMM_NULL)
        MPI_Comm_rank(comm, &rank);
    int code = parse_options(argc, argv, &opt, rank == 0);
    if (code)
        return code;
    /* every rank: a SIGTERM/SIGUSR1/SIGINT forwarded by the launcher must not kill a worker;
     * the master checkpoints and then releases the workers */
    rg_recorder_install_signals();
    if (rank != 0)
        return serve(comm, abort_job);

    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    rg_farm *farm = NULL;
    rg_evaluator *ev = NULL;
    rg_nsga2 *g = NULL;
    rg_recorder *rec = NULL;
    double *seeds = NULL;
    bool stop = false;
    int rc = rg_problem_load(opt.problem, &p, &diag);
    /* The farm carries the text to the workers, or (text NULL) the news that the master
     * could not load it, so every rank stops together with exit status 2. */
    int frc = rg_farm_alloc(comm, rg_evaluator_ops(), rc == RG_OK ? p->text : NULL,
                            opt.problem, 0, &farm, &diag);
    if (rc != RG_OK || frc != RG_OK) {
        rg_diag_print(&diag, stderr);
        rg_problem_free(p);
        if (frc == RG_EMPI || frc == RG_ENOMEM)
            *abort_job = 1;
        if (rc != RG_OK) /* unreadable or invalid problem file: bad input */
            return rc == RG_ENOMEM ? 1 : 2;
        return frc == RG_EINVAL ? 2 : 1; /* EINVAL: a worker could not build its model */
    }
    if (opt.has_seed)
        p->optimize.seed = opt.seed;
    if (opt.has_generations)
        p->optimize.generations = opt.generations;
    if (opt.has_population)
        p->optimize.population = opt.population + (opt.population & 1);
    rg_farm_set_chunk(farm, opt.has_chunk ? opt.chunk : p->optimize.chunk);

    /* The master's own evaluator (built by the farm from the same text) gives the
     * encoding; with one rank it also evaluates. */
    ev = rg_farm_context(farm);
    const rg_encoding *enc = rg_evaluator_encoding(ev);
    size_t len = enc->length, m = rg_evaluator_n_objectives(ev);

    /* seeds: every built-in regimen the encoding can express */
    seeds = malloc((p->n_regimens ? p->n_regimens : 1) * len * sizeof *seeds);
    if (!seeds) {
        code = 1;
        goto done;
    }
    size_t n_seeds = 0;
    char seeded[1024] = "";
    for (size_t r = 0; r < p->n_regimens; r++) {
        if (rg_encoding_from_regimen(enc, p, &p->regimens[r], seeds + n_seeds * len) != RG_OK)
            continue;
        size_t used = strlen(seeded);
        snprintf(seeded + used, sizeof seeded - used, "%s%s", n_seeds ? ", " : "",
                 p->regimens[r].name);
        n_seeds++;
    }

    rg_nsga2_settings set;
    rg_nsga2_settings_from_problem(p, m, &set);
    g = rg_nsga2_alloc(enc, &set);
    if (!g) {
        fprintf(stderr, "regimen optimize: out of memory\n");
        code = 1;
        goto done;
    }
    if (!opt.quiet)
        fprintf(stderr,
                "optimize %s: encoding %s, %zu genes, %zu objectives, population %zu, "
                "generations %zu, seed %lu\nseeded regimens: %s\n",
                opt.problem,
                enc->kind == RG_ENC_BENCHMARK  ? "benchmark"
                : enc->kind == RG_ENC_SCHEDULE ? "schedule"
                                               : "adaptive_rule",
                len, m, rg_nsga2_population(g), set.generations, set.seed,
                n_seeds ? seeded : "(none)");

    rc = rg_recorder_alloc(&opt.rec, p, enc, opt.problem, rg_farm_size(farm), argc, argv,
                           &rec, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        code = rg_status_exit_code(rc);
        goto done;
    }
    double t0 = now_s();
    rc = rg_recorder_start(rec, g, rg_farm_eval_batch, farm, seeds, n_seeds, &stop);
    if (rc != RG_OK) {
        fprintf(stderr, "regimen optimize: start failed: %s %s\n", rg_strerror(rc),
                rc == RG_EMPI ? rg_farm_error(farm) : "");
        if (rc == RG_EMPI)
            *abort_job = 1;
        code = rc == RG_EMPI ? 1 : rg_status_exit_code(rc);
        goto done;
    }
    double t1 = now_s();
    if (!opt.quiet) {
        rg_report_reference(stderr, p, g);
        rg_report_progress(stderr, p, g, (double)rg_nsga2_population(g) / (t1 - t0));
    }
    while (!stop && !rg_nsga2_done(g)) {
        t0 = now_s();
        size_t before = rg_nsga2_evaluations(g);
        rc = rg_nsga2_step(g);
        if (rc != RG_OK) {
            fprintf(stderr, "regimen optimize: generation %zu failed: %s %s\n",
                    rg_nsga2_generation(g) + 1, rg_strerror(rc), rg_farm_error(farm));
            if (rc == RG_EMPI)
                *abort_job = 1;
            code = 1;
            goto done;
        }
        t1 = now_s();
        if (!opt.quiet)
            rg_report_progress(stderr, p, g,
                               (double)(rg_nsga2_evaluations(g) - before) / (t1 - t0));
        if (rg_recorder_after_step(rec, g, &stop) != RG_OK) {
            code = 1;
            goto done;
        }
    }
    if (stop) { /* checkpoint written, resume command printed */
        code = 0;
        goto done;
    }

    if (opt.front) {
        rc = rg_report_front_file(opt.front, p, enc, g);
        if (rc != RG_OK) {
            fprintf(stderr, "regimen optimize: cannot write %s: %s\n", opt.front,
                    rg_strerror(rc));
            code = 1;
            goto done;
        }
    } else if (rg_report_front_csv(stdout, p, enc, g) != RG_OK || fflush(stdout) != 0) {
        fprintf(stderr, "regimen optimize: cannot write the front to stdout\n");
        code = 1;
        goto done;
    }
    rc = rg_recorder_finish(rec, g);
    if (rc != RG_OK) {
        code = rg_status_exit_code(rc);
        goto done;
    }
    code = 0;
done:
    rg_recorder_free(rec);
    free(seeds);
    rg_nsga2_free(g);
    if (!*abort_job)
        rg_farm_free(farm); /* releases the workers; frees ev */
    rg_problem_free(p);
    return code;
}
