/* bench/farm: evaluations per second of the MPI farm, in process (1 rank) and under mpirun
 * (default: 3 ranks = master + 2 workers), side by side in one run, and the ratio.
 *
 * usage: bench/farm [--work-us US] [--population N] [--generations G] [--np P]
 *                   [--chunk K] [--problem FILE | --artificial | --sleep-us US] [--ceiling]
 *
 * The work: a batch of N genomes per "generation", G generations, as the optimiser sends
 * them. By default the problem is problems/default.cfg when it exists and this build can
 * evaluate it (random genomes of its encoding, regimen's own evaluator rg_eval_ops_problem);
 * --problem FILE names another. Otherwise (or with --artificial) each evaluation is
 * artificial CPU work calibrated to about US microseconds (default 500, the order of one
 * tumour simulation). With --sleep-us US each evaluation sleeps instead: the workers then
 * need no CPU, so the ratio shows the farm's own overhead (dispatch, barrier, the master's
 * wake-ups) even on a loaded machine, and --np can exceed the core count.
 * The program runs the in-process figure itself, then starts itself under
 * `mpirun -np P --oversubscribe` (as root too) for the farm figure, which the child prints
 * on one line that the parent reads, and last the in-process figure again (the ratio is
 * against the mean of the two, so that a machine whose speed drifts moves both sides
 * alike). With --ceiling it last runs the in-process figure in
 * np - 1 processes at once (no MPI, no master): what np - 1 workers could do on this machine
 * if nothing but their sharing of the cores slowed them, against which the farm's figure is
 * its own efficiency. Timings only: nothing here decides pass or fail. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "regimen/encoding.h"
#include "regimen/eval_ops.h"
#include "regimen/evaluate.h"
#include "regimen/farm.h"
#include "regimen/parallel.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"

#ifndef RG_MPIEXEC
#define RG_MPIEXEC "mpirun"
#endif

typedef struct {
    long iters;
    long sleep_us; /* > 0: the evaluation sleeps instead of computing */
} work_ctx;

static void *work_create(const char *text, const char *name, rg_diag *diag)
{
    work_ctx *c = malloc(sizeof *c);
    if (!c || sscanf(text, "iters=%ld sleep=%ld", &c->iters, &c->sleep_us) != 2) {
        rg_diag_add(diag, "%s: expected 'iters=N'", name);
        free(c);
        return NULL;
    }
    return c;
}

static void work_destroy(void *ctx)
{
    free(ctx);
}

/* Deterministic CPU work: a logistic-map style recurrence seeded by the genome. */
static int work_eval(void *ctx, const double g[], size_t length, rg_eval_result *out)
{
    const work_ctx *c = ctx;
    double x = 0.1, s = 0.0;
    for (size_t j = 0; j < length; j++)
        s += g[j];
    if (c->sleep_us > 0) {
        struct timespec ts = {c->sleep_us / 1000000, (c->sleep_us % 1000000) * 1000};
        nanosleep(&ts, NULL);
        out->value[0] = out->fitness[0] = s;
        out->value[1] = out->fitness[1] = -s;
        out->violation = 0.0;
        out->flags = 0;
        out->reason[0] = '\0';
        return RG_OK;
    }
    x = 0.3 + 0.4 * fabs(sin(s));
    for (long i = 0; i < c->iters; i++)
        x = 3.7 * x * (1.0 - x) + 1e-12 * (double)i;
    out->value[0] = out->fitness[0] = x;
    out->value[1] = out->fitness[1] = s;
    out->violation = 0.0;
    out->flags = 0;
    out->reason[0] = '\0';
    return RG_OK;
}

static const rg_eval_ops work_ops = {work_create, work_destroy, work_eval, NULL, NULL, NULL};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    double work_us;
    long population, generations, np;
    size_t chunk;
    const char *problem;
    int child, artificial, ceiling;
    long sleep_us;
    long iters; /* calibrated by the parent, passed to the child */
} bench_opts;

enum { LENGTH = 30 };

typedef struct {
    double evals_per_s, wall, cpu_share, master_per_eval, eval_s, rtt, master_per_piece;
    size_t piece_max, piece_min;
    int ranks;
} figures;

/* Runs the generations on a farm (master side) and fills the figures. */
static int run_master(rg_farm *farm, const bench_opts *o, size_t length, figures *fg)
{
    size_t n = (size_t)o->population;
    double *g = malloc(n * length * sizeof *g);
    rg_eval_result *res = malloc(n * sizeof *res);
    if (!g || !res) {
        free(g);
        free(res);
        return RG_ENOMEM;
    }
    uint64_t state = 88172645463325252ull;
    const rg_encoding *enc = o->problem ? rg_evaluator_encoding(rg_farm_context(farm)) : NULL;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        free(g);
        free(res);
        return RG_ENOMEM;
    }
    gsl_rng_set(rng, 2385);
    int rc = RG_OK;
    /* One warm-up generation (buffers, first timings), then the timed ones. */
    for (long gen = -1; gen < o->generations && rc == RG_OK; gen++) {
        if (enc) {
            for (size_t i = 0; i < n; i++)
                rg_encoding_random(enc, rng, g + i * length);
        } else {
            for (size_t i = 0; i < n * length; i++) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                g[i] = (double)(state >> 11) * 0x1.0p-53;
            }
        }
        if (gen == 0) {
            rg_farm_stats s0;
            rg_farm_get_stats(farm, &s0);
            fg->wall = now();
            fg->cpu_share = s0.cpu;
            fg->master_per_eval = s0.master_busy;
            fg->eval_s = s0.eval_seconds;
            fg->evals_per_s = (double)s0.evaluations;
            fg->master_per_piece = (double)s0.pieces;
        }
        rc = rg_farm_eval_batch(farm, n, length, g, res);
    }
    double wall = now() - fg->wall;
    rg_farm_stats s;
    rg_farm_get_stats(farm, &s);
    double evals = (double)s.evaluations - fg->evals_per_s;
    fg->ranks = rg_farm_size(farm);
    fg->evals_per_s = evals / wall;
    fg->wall = wall;
    fg->cpu_share = (s.cpu - fg->cpu_share) / wall;
    fg->master_per_piece =
        (s.master_busy - fg->master_per_eval) / ((double)s.pieces - fg->master_per_piece);
    fg->master_per_eval = (s.master_busy - fg->master_per_eval) / evals;
    fg->eval_s = (s.eval_seconds - fg->eval_s) / evals;
    fg->piece_max = s.last_piece_max;
    fg->piece_min = s.last_piece_min;
    fg->rtt = 0.0;
    if (rc == RG_OK && fg->ranks > 1) {
        /* A typical piece: its genomes one way; compare its results the other way. */
        size_t bytes = fg->piece_max * length * sizeof(double);
        rc = rg_farm_pingpong(farm, bytes, 200, &fg->rtt);
    }
    gsl_rng_free(rng);
    free(g);
    free(res);
    return rc;
}

static int make_farm(const rg_comm *comm, const bench_opts *o, rg_farm **farm, size_t *length)
{
    rg_diag diag;
    rg_diag_init(&diag);
    char text[64];
    const rg_eval_ops *ops = &work_ops;
    rg_problem *p = NULL;
    const char *t = text, *name = "bench-work";
    snprintf(text, sizeof text, "iters=%ld sleep=%ld", o->iters, o->sleep_us);
    int rank = rg_parallel_rank(comm), rc = RG_OK;
    if (o->problem) {
        ops = rg_eval_ops_problem();
        name = o->problem;
        t = NULL;
        if (rank == 0 && (rc = rg_problem_load(o->problem, &p, &diag)) == RG_OK)
            t = p->text;
    }
    int frc = rg_farm_alloc(comm, ops, t, name, o->chunk, farm, &diag);
    if ((rc != RG_OK || frc != RG_OK) && rank == 0)
        rg_diag_print(&diag, stderr);
    rg_problem_free(p);
    if (frc != RG_OK)
        return frc;
    *length = o->problem ? rg_evaluator_genome_length(rg_farm_context(*farm)) : LENGTH;
    return RG_OK;
}

static long calibrate(double work_us)
{
    work_ctx c = {100000, 0};
    double g[LENGTH] = {0.25};
    rg_eval_result r;
    double t0 = now();
    int reps = 0;
    volatile double sink = 0.0; /* keeps the compiler from dropping the work */
    while (now() - t0 < 0.2) {
        work_eval(&c, g, LENGTH, &r);
        sink += r.value[0];
        reps++;
    }
    (void)sink;
    double per_iter = (now() - t0) / ((double)reps * (double)c.iters);
    long it = (long)(work_us * 1e-6 / per_iter);
    return it > 0 ? it : 1;
}

static int child_main(int argc, char **argv, const bench_opts *o)
{
    rg_comm *world = NULL;
    if (rg_parallel_init(&argc, &argv) != RG_OK || rg_parallel_world(&world) != RG_OK) {
        fprintf(stderr, "farm: MPI could not start\n");
        return 1;
    }
    rg_farm *farm = NULL;
    size_t length = 0;
    int rc = make_farm(world, o, &farm, &length);
    if (rc == RG_OK) {
        if (rg_farm_is_master(farm)) {
            figures fg;
            rc = run_master(farm, o, length, &fg);
            if (rc == RG_OK)
                printf("FIGURES %d %.6g %.6g %.6g %.6g %.6g %.6g %zu %zu %.6g\n", fg.ranks,
                       fg.evals_per_s, fg.wall, fg.cpu_share, fg.master_per_eval, fg.eval_s,
                       fg.rtt, fg.piece_min, fg.piece_max, fg.master_per_piece);
            else
                fprintf(stderr, "farm: %s %s\n", rg_strerror(rc), rg_farm_error(farm));
            /* Message cost by size: one result (240 B), a 208-gene genome, 4 KB (Open
             * MPI's shared-memory eager limit), 16 KB, 64 KB, 256 KB. */
            static const size_t sizes[] = {
                sizeof(rg_eval_result), 208 * sizeof(double), 4096, 16384, 65536, 262144};
            for (size_t i = 0; rc == RG_OK && i < sizeof sizes / sizeof sizes[0]; i++) {
                double rtt = 0.0;
                rc = rg_farm_pingpong(farm, sizes[i], 500, &rtt);
                if (rc == RG_OK)
                    printf("PINGPONG %zu %.6g\n", sizes[i], rtt);
            }
        } else {
            rc = rg_farm_serve(farm);
        }
        rg_farm_free(farm);
    }
    rg_parallel_comm_free(world);
    rg_parallel_finalize();
    return rc == RG_OK ? 0 : 1;
}

static void print_row(const char *label, const figures *f)
{
    printf("%-28s %6d %12.1f %9.3f %8.1f%% %11.2f %9.1f", label, f->ranks, f->evals_per_s,
           f->wall, 100.0 * f->cpu_share, 1e6 * f->master_per_eval, 1e6 * f->eval_s);
    if (f->ranks > 1)
        printf(" %8.1f %5zu..%zu", 1e6 * f->rtt, f->piece_min, f->piece_max);
    printf("\n");
}

/* The command line into o; returns 0, or 2 after the usage message. */
static int parse_options(int argc, char **argv, bench_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--child")) {
            o->child = 1;
        } else if (!strcmp(a, "--ceiling")) {
            o->ceiling = 1;
        } else if (!strcmp(a, "--artificial")) {
            o->artificial = 1;
        } else if (v && !strcmp(a, "--work-us")) {
            o->work_us = atof(v), i++;
        } else if (v && !strcmp(a, "--population")) {
            o->population = atol(v), i++;
        } else if (v && !strcmp(a, "--generations")) {
            o->generations = atol(v), i++;
        } else if (v && !strcmp(a, "--np")) {
            o->np = atol(v), i++;
        } else if (v && !strcmp(a, "--chunk")) {
            o->chunk = (size_t)atol(v), i++;
        } else if (v && !strcmp(a, "--sleep-us")) {
            o->sleep_us = atol(v), o->artificial = 1, i++;
        } else if (v && !strcmp(a, "--iters")) {
            o->iters = atol(v), i++;
        } else if (v && !strcmp(a, "--problem")) {
            o->problem = v, i++;
        } else {
            fprintf(stderr,
                    "usage: farm [--work-us US] [--population N] [--generations G] [--np P]"
                    " [--chunk K] [--problem FILE | --artificial | --sleep-us US]"
                    " [--ceiling]\n");
            return 2;
        }
    }
    return 0;
}

/* The problem (the default one when it exists and this build can evaluate it, else
 * artificial work) and the number of generations; prints what will be run. */
static void choose_work(bench_opts *o)
{
    static const char default_cfg[] = RG_SOURCE_DIR "/problems/default.cfg";
    if (!o->problem && !o->artificial && access(default_cfg, R_OK) == 0) {
        rg_problem *p = NULL;
        rg_evaluator *ev = NULL;
        if (rg_problem_load(default_cfg, &p, NULL) == RG_OK &&
            (ev = rg_evaluator_alloc(p, NULL)))
            o->problem = default_cfg;
        else
            printf("bench/farm: %s cannot be evaluated by this build; artificial work\n",
                   default_cfg);
        rg_evaluator_free(ev);
        rg_problem_free(p);
    }
    /* 4-8 s of serial work; population 128 as in the default problem */
    if (o->generations == 0)
        o->generations = o->problem ? 30 : 40;
    if (o->problem)
        printf("bench/farm: %ld generations of %ld genomes of problem %s, chunk %s\n",
               o->generations, o->population, o->problem, o->chunk ? "fixed" : "automatic");
    else if (o->sleep_us > 0)
        printf("bench/farm: %ld generations of %ld genomes (%d genes), each evaluation sleeps "
               "%ld us (measures the farm's own overhead, whatever the machine's load), chunk "
               "%s\n",
               o->generations, o->population, LENGTH, o->sleep_us,
               o->chunk ? "fixed" : "automatic");
    else
        printf("bench/farm: %ld generations of %ld genomes (%d genes), artificial work %.0f us"
               " per evaluation (%ld iterations), chunk %s\n",
               o->generations, o->population, LENGTH, o->work_us, o->iters,
               o->chunk ? "fixed" : "automatic");
}

/* P ranks under mpirun: this program again, as the child. many gets its figures, pp
 * (pp_cap bytes) the round trips by message size. Returns 0, or 1 when the run failed. */
static int run_mpirun(const bench_opts *o, figures *many, char *pp, size_t pp_cap)
{
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0)
        return 1;
    self[sl] = '\0';
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '%s' -np %ld "
             "--oversubscribe '%s' --child --iters %ld --population %ld --generations %ld "
             "--chunk %zu --sleep-us %ld%s%s",
             RG_MPIEXEC, o->np, self, o->iters, o->population, o->generations, o->chunk,
             o->sleep_us, o->problem ? " --problem " : "", o->problem ? o->problem : "");
    FILE *p = popen(cmd, "r");
    if (!p)
        return 1;
    char line[512];
    int got = 0;
    while (fgets(line, sizeof line, p)) {
        size_t b;
        double rtt;
        if (sscanf(line, "PINGPONG %zu %lf", &b, &rtt) == 2) {
            size_t used = strlen(pp);
            snprintf(pp + used, pp_cap - used, " %zu B %.1f us;", b, 1e6 * rtt);
        }
        if (sscanf(line, "FIGURES %d %lf %lf %lf %lf %lf %lf %zu %zu %lf", &many->ranks,
                   &many->evals_per_s, &many->wall, &many->cpu_share, &many->master_per_eval,
                   &many->eval_s, &many->rtt, &many->piece_min, &many->piece_max,
                   &many->master_per_piece) == 10)
            got = 1;
    }
    int st = pclose(p);
    if (!got || st != 0) {
        fprintf(stderr, "farm: the mpirun run failed (%s)\n", cmd);
        return 1;
    }
    return 0;
}

/* The table of the runs, the master's time per piece, the round trips, the speed-up and
 * the machine's load average. The in-process figure is taken before and after the farm's,
 * and the ratio is against their mean: a machine whose speed drifts between the runs (a
 * shared host) moves both sides alike. */
static void print_report(const bench_opts *o, const figures *one, const figures *many,
                         const figures *after, const char *pp)
{
    char line[512];
    printf("%-28s %6s %12s %9s %9s %11s %9s %8s %s\n", "", "ranks", "evals/s", "wall s",
           "master", "master us", "eval us", "rtt us", "pieces");
    printf("%-28s %6s %12s %9s %9s %11s %9s %8s %s\n", "", "", "", "", "CPU", "per eval", "",
           "(piece)", "(last gen)");
    print_row("in process (no MPI)", one);
    char label[64];
    snprintf(label, sizeof label, "mpirun -np %ld (%ld workers)", o->np, o->np - 1);
    print_row(label, many);
    print_row("in process, again", after);
    printf("master time per piece (receive result, store, send next): %.2f us\n",
           1e6 * many->master_per_piece);
    printf("round trip master <-> worker 1 by message size:%s\n", pp);
    double mean = 0.5 * (one->evals_per_s + after->evals_per_s);
    printf("ratio: %.2fx against the mean of both in-process runs (%.2fx, %.2fx against "
           "each; target >= 1.8x at 3 ranks on 2 cores); load average now: ",
           many->evals_per_s / mean, many->evals_per_s / one->evals_per_s,
           many->evals_per_s / after->evals_per_s);
    FILE *la = fopen("/proc/loadavg", "r");
    if (la && fgets(line, sizeof line, la))
        printf("%s", line);
    else
        printf("?\n");
    if (la)
        fclose(la);
}

/* The figures of the work on one rank, in process, without MPI. */
static int in_process(const bench_opts *o, figures *fg)
{
    rg_farm *farm = NULL;
    size_t length = 0;
    int rc = make_farm(NULL, o, &farm, &length);
    if (rc == RG_OK)
        rc = run_master(farm, o, length, fg);
    rg_farm_free(farm);
    return rc;
}

/* The in-process figure in k processes at once; each writes its evaluations per second
 * to its own pipe. Returns the sum, or a negative number when a process failed. */
static double side_by_side(const bench_opts *o, int k)
{
    int fd[16];
    pid_t pid[16];
    for (int i = 0; i < k; i++) {
        int pf[2];
        if (pipe(pf) != 0)
            return -1.0;
        fflush(stdout);
        pid[i] = fork();
        if (pid[i] < 0)
            return -1.0;
        if (pid[i] == 0) {
            close(pf[0]);
            figures f;
            double v = in_process(o, &f) == RG_OK ? f.evals_per_s : -1.0;
            _exit(write(pf[1], &v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
        }
        close(pf[1]);
        fd[i] = pf[0];
    }
    double sum = 0.0;
    for (int i = 0; i < k; i++) {
        double v = -1.0;
        if (read(fd[i], &v, sizeof v) != (ssize_t)sizeof v || v < 0.0)
            sum = -1e300;
        close(fd[i]);
        waitpid(pid[i], NULL, 0);
        sum += v;
    }
    return sum;
}

/* The ceiling line (--ceiling). Returns 0, or 1 when a process failed. */
static int print_ceiling(const bench_opts *o, const figures *one, const figures *many)
{
    int k = (int)(o->np - 1);
    if (k < 1 || k > 16) {
        fprintf(stderr, "farm: --ceiling needs 2 <= np <= 17\n");
        return 1;
    }
    double sum = side_by_side(o, k);
    if (sum < 0.0) {
        fprintf(stderr, "farm: an in-process run of the ceiling failed\n");
        return 1;
    }
    printf("ceiling: %d in-process runs at once, %.1f evals/s together (%.2fx one alone); "
           "the farm reaches %.1f%% of it\n",
           k, sum, sum / one->evals_per_s, 100.0 * many->evals_per_s / sum);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = {500.0, 128, 0, 3, RG_FARM_CHUNK_AUTO, NULL, 0, 0, 0, 0, 0};
    if (parse_options(argc, argv, &o) != 0)
        return 2;
    if (o.population < 1 || o.generations < 0 || o.np < 2) {
        fprintf(stderr, "farm: population and generations must be >= 1, np >= 2\n");
        return 2;
    }
    if (o.child)
        return child_main(argc, argv, &o);
    if (o.iters == 0)
        o.iters = calibrate(o.work_us);
    choose_work(&o);

    /* 1 rank, in process, no MPI at all; then the farm; then in process again. */
    figures one, after, many = {0};
    char pp[1024] = "";
    if (in_process(&o, &one) != RG_OK || run_mpirun(&o, &many, pp, sizeof pp) != 0 ||
        in_process(&o, &after) != RG_OK)
        return 1;
    print_report(&o, &one, &many, &after, pp);
    if (o.ceiling) {
        figures mean = one;
        mean.evals_per_s = 0.5 * (one.evals_per_s + after.evals_per_s);
        return print_ceiling(&o, &mean, &many);
    }
    return 0;
}
