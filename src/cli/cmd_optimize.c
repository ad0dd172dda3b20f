/* regimen optimize PROBLEM.cfg [--seed N] [--generations N] [--population N] [--front FILE]
 *                  [--chunk N] [--log-every N] [--quiet]
 * Runs NSGA-II on the problem, its evaluations on the farm (farm.h): in process when run
 * without mpirun or on one rank; under `mpirun -np P` rank 0 runs the GA and the other
 * P - 1 ranks evaluate (workers print nothing). Seeds the first population with the problem's
 * built-in regimens that the encoding can express, prints progress lines on stderr (about
 * one a second, or every --log-every generations) and writes the final front (the archive)
 * as CSV with --front (to FILE atomically; - for stdout: nothing else goes there).
 * The driver is a thin loop over named steps around rg_nsga2_init / rg_nsga2_step
 * (docs/style.md rule 9). Exit 0 ok, 2 bad input (file, option), 1 runtime failure,
 * 128 + the signal's number when a signal stopped the run after its checkpoint. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "optimize_args.h"
#include "regimen/encoding.h"
#include "regimen/eval_ops.h"
#include "regimen/evaluate.h"
#include "regimen/farm.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/recorder.h"
#include "regimen/report.h"
#include "regimen/safefile.h"

/* One run on the master: what the steps below build, in order. */
typedef struct {
    rg_optimize_args opt;
    int argc;
    char **argv;
    const rg_comm *comm;
    rg_diag diag;
    rg_problem *p;
    rg_farm *farm;
    const rg_encoding *enc;
    size_t len, m;
    double *seeds;
    size_t n_seeds;
    char seeded[1024];
    rg_nsga2_settings set;
    rg_nsga2 *g;
    rg_recorder *rec;
    rg_safefile front; /* --front, opened before the run so that an existing file is
                          refused before any work, not after */
    bool stop; /* a signal stopped the run: checkpoint written, resume command printed */
    double t_start, t_line;       /* wall clock at the start and at the last progress line */
    size_t gen_start, evals_line; /* generation at the start; evaluations at the last line */
    int *abort_job;               /* the workers cannot be released: main ends the job */
} run;

/* A step returns the command's exit status: 0 to go on. */
typedef int (*run_step)(run *r);

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A worker rank: builds its evaluator from the master's broadcast text, serves until the
 * master is done. Prints nothing (rank 0 reports every error). */
static int serve(const rg_comm *comm, int *abort_job)
{
    rg_diag diag;
    rg_diag_init(&diag);
    rg_farm *farm = NULL;
    int rc = rg_farm_alloc(comm, rg_eval_ops_problem(), NULL, NULL, 0, &farm, &diag);
    if (rc != RG_OK) {
        if (rc == RG_EMPI || rc == RG_ENOMEM)
            *abort_job = 1;
        return rc == RG_EIO ? 2 : rg_status_exit_code(rc);
    }
    /* a signal stops a long evaluation at once; the master then abandons the generation */
    rg_evaluator_set_cancel(rg_farm_context(farm), rg_recorder_signal_flag());
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

/* Loads the problem and starts the farm, which carries the text to the workers, or (text
 * NULL) the news that the master could not load it, so every rank stops together with exit
 * status 2. Then applies the command line's overrides. */
static int start_farm(run *r)
{
    int rc = rg_problem_load(r->opt.problem, &r->p, &r->diag);
    int frc = rg_farm_alloc(r->comm, rg_eval_ops_problem(), rc == RG_OK ? r->p->text : NULL,
                            r->opt.problem, 0, &r->farm, &r->diag);
    if (rc != RG_OK || frc != RG_OK) {
        rg_diag_print(&r->diag, stderr);
        if (frc == RG_EMPI || frc == RG_ENOMEM)
            *r->abort_job = 1;
        if (rc != RG_OK) /* unreadable or invalid problem file: bad input */
            return rc == RG_ENOMEM ? 1 : 2;
        return frc == RG_EINVAL ? 2 : 1; /* EINVAL: a worker could not build its model */
    }
    rg_problem *p = r->p;
    if (r->opt.has_seed)
        p->optimize.seed = r->opt.seed;
    if (r->opt.has_generations)
        p->optimize.generations = r->opt.generations;
    if (r->opt.has_population)
        p->optimize.population = r->opt.population + (r->opt.population & 1);
    if (r->opt.has_history_every)
        p->optimize.history_every = r->opt.history_every;
    if (p->optimize.archive_size && p->optimize.archive_size < p->optimize.population) {
        fprintf(stderr,
                "regimen optimize: --population %zu: above optimize.archive_size (%zu) of "
                "%s\n",
                p->optimize.population, p->optimize.archive_size, r->opt.problem);
        return 2;
    }
    rg_farm_set_chunk(r->farm, r->opt.has_chunk ? r->opt.chunk : p->optimize.chunk);

    /* The master's own evaluator (built by the farm from the same text) gives the
     * encoding; with one rank it also evaluates. */
    rg_evaluator *ev = rg_farm_context(r->farm);
    rg_evaluator_set_cancel(ev, rg_recorder_signal_flag());
    r->enc = rg_evaluator_encoding(ev);
    r->len = r->enc->length;
    r->m = rg_evaluator_n_objectives(ev);
    return 0;
}

/* Seeds: every built-in regimen the encoding can express. */
static int seed_regimens(run *r)
{
    const rg_problem *p = r->p;
    r->seeds = malloc((p->n_regimens ? p->n_regimens : 1) * r->len * sizeof *r->seeds);
    if (!r->seeds)
        return 1;
    for (size_t i = 0; i < p->n_regimens; i++) {
        if (rg_encoding_from_regimen(r->enc, p, &p->regimens[i],
                                     r->seeds + r->n_seeds * r->len) != RG_OK)
            continue;
        size_t used = strlen(r->seeded);
        snprintf(r->seeded + used, sizeof r->seeded - used, "%s%s", r->n_seeds ? ", " : "",
                 p->regimens[i].name);
        r->n_seeds++;
    }
    return 0;
}

static int make_optimiser(run *r)
{
    rg_nsga2_settings_from_problem(r->p, r->m, &r->set);
    r->g = rg_nsga2_alloc(r->enc, &r->set);
    if (!r->g) {
        fprintf(stderr, "regimen optimize: out of memory\n");
        return 1;
    }
    if (!r->opt.quiet)
        fprintf(stderr,
                "optimize %s: encoding %s, %zu genes, %zu objectives, population %zu, "
                "generations %zu, seed %lu\nseeded regimens: %s\n",
                r->opt.problem,
                r->enc->kind == RG_ENC_BENCHMARK  ? "benchmark"
                : r->enc->kind == RG_ENC_SCHEDULE ? "schedule"
                                                  : "adaptive_rule",
                r->len, r->m, rg_nsga2_population(r->g), r->set.generations, r->set.seed,
                r->n_seeds ? r->seeded : "(none)");
    return 0;
}

static int open_recorder(run *r)
{
    r->opt.rec.front = r->opt.front;
    int rc = rg_recorder_alloc(&r->opt.rec, r->p, r->enc, r->opt.problem, rg_farm_size(r->farm),
                               r->argc, r->argv, &r->rec, &r->diag);
    if (rc == RG_OK && r->opt.front)
        rc = rg_safefile_open(&r->front, r->opt.front, r->opt.rec.force, &r->diag);
    if (rc != RG_OK) {
        rg_diag_print(&r->diag, stderr);
        return rg_status_exit_code(rc);
    }
    return 0;
}

/* A progress line when one is due: --log-every N generations, else about once a second;
 * always the first and the last generation. */
static void progress(run *r, bool first)
{
    double t = now_s();
    size_t gen = rg_nsga2_generation(r->g), evals = rg_nsga2_evaluations(r->g);
    bool due = r->opt.log_every ? gen % r->opt.log_every == 0 : t - r->t_line >= 1.0;
    if (r->opt.quiet || !(first || due || rg_nsga2_done(r->g)))
        return;
    double done = (double)(gen - r->gen_start), left = (double)(r->set.generations - gen);
    double rate =
        evals > r->evals_line ? (double)(evals - r->evals_line) / (t - r->t_line) : NAN;
    rg_progress pr = {r->set.generations, rate, t - r->t_start,
                      done > 0 ? (t - r->t_start) / done * left : -1.0};
    if (rg_nsga2_done(r->g))
        pr.eta_s = 0.0;
    rg_report_progress(stderr, r->p, r->g, &pr);
    r->t_line = t;
    r->evals_line = evals;
}

/* Generation 0 (or the checkpoint's state with --resume). */
static int first_generation(run *r)
{
    r->t_start = r->t_line = now_s();
    int rc = rg_recorder_start(r->rec, r->g, rg_farm_eval_batch, r->farm, r->seeds, r->n_seeds,
                               &r->stop);
    if (rc == RG_ECANCELED) {
        fprintf(stderr,
                "regimen optimize: stopped by a signal during generation 0 (exit status %d); "
                "no checkpoint: run the same command again\n",
                rg_recorder_exit_status());
        return rg_recorder_exit_status();
    }
    if (rc != RG_OK) {
        fprintf(stderr, "regimen optimize: start failed: %s %s\n", rg_strerror(rc),
                rc == RG_EMPI ? rg_farm_error(r->farm) : "");
        if (rc == RG_EMPI)
            *r->abort_job = 1;
        return rc == RG_EMPI ? 1 : rg_status_exit_code(rc);
    }
    r->gen_start = rg_nsga2_generation(r->g);
    /* a resumed run evaluated nothing yet: its first line has no rate */
    r->evals_line = r->opt.rec.resume ? rg_nsga2_evaluations(r->g) : 0;
    if (!r->opt.quiet)
        rg_report_reference(stderr, r->p, r->g);
    progress(r, true);
    return 0;
}

/* The generations, each followed by the recorder (history, checkpoints, signals). */
static int evolve(run *r)
{
    while (!r->stop && !rg_nsga2_done(r->g)) {
        int rc = rg_nsga2_step(r->g);
        if (rc == RG_ECANCELED) /* the generation is abandoned; the last one is saved */
            return rg_recorder_stop(r->rec, r->g, &r->stop) == RG_OK ? 0 : 1;
        if (rc != RG_OK) {
            fprintf(stderr, "regimen optimize: generation %zu failed: %s %s\n",
                    rg_nsga2_generation(r->g) + 1, rg_strerror(rc), rg_farm_error(r->farm));
            if (rc == RG_EMPI) {
                /* a lost or hung worker: the last completed generation is kept (the step
                 * restored its state) so that the job can be resumed */
                *r->abort_job = 1;
                if (rg_recorder_checkpoint(r->rec, r->g) == RG_OK)
                    fprintf(stderr, "regimen optimize: checkpoint written; resume with "
                                    "--resume\n");
            }
            return 1;
        }
        progress(r, false);
        rc = rg_recorder_after_step(r->rec, r->g, &r->stop);
        if (rc != RG_OK)
            return rg_status_exit_code(rc); /* 2 when the checkpoint did not fit */
    }
    return 0;
}

static int write_front(run *r)
{
    if (r->opt.front) {
        int rc = rg_report_front_csv(r->front.f, r->p, r->enc, r->g);
        int crc = rg_safefile_close(&r->front, rc == RG_OK, r->opt.rec.force, &r->diag);
        rc = rc != RG_OK ? rc : crc;
        if (rc != RG_OK) {
            rg_diag_print(&r->diag, stderr);
            fprintf(stderr, "regimen optimize: cannot write %s: %s\n", r->opt.front,
                    rg_strerror(rc));
            return 1;
        }
    }
    return 0;
}

static int write_results(run *r)
{
    int rc = rg_recorder_finish(r->rec, r->g);
    return rc == RG_OK ? 0 : rg_status_exit_code(rc);
}

/* The master: the steps in order, until one fails or a signal stops the run. */
static int optimize(run *r)
{
    /* the results file before the front CSV: a run killed between them leaves the complete
     * results (the CSV can be exported from it), never a CSV without its results */
    static const run_step steps[] = {start_farm,    seed_regimens,    make_optimiser,
                                     open_recorder, first_generation, evolve,
                                     write_results, write_front};
    int code = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && code == 0 && !r->stop; i++)
        code = steps[i](r);
    rg_safefile_close(&r->front, false, false, NULL); /* discards an unwritten front */
    rg_recorder_free(r->rec);
    free(r->seeds);
    rg_nsga2_free(r->g);
    if (!*r->abort_job)
        rg_farm_free(r->farm); /* releases the workers; frees the evaluator */
    rg_problem_free(r->p);
    return code == 0 && r->stop ? rg_recorder_exit_status() : code;
}

int rg_cmd_optimize(int argc, char **argv)
{
    int abort_job = 0;
    return rg_cmd_optimize_comm(argc, argv, NULL, &abort_job);
}

int rg_cmd_optimize_comm(int argc, char **argv, const rg_comm *comm, int *abort_job)
{
    *abort_job = 0;
    /* Every rank parses the same argv, so a bad option stops all of them alike. */
    int rank = rg_parallel_rank(comm);
    run r;
    memset(&r, 0, sizeof r);
    int code = rg_optimize_args_parse(argc, argv, rank == 0, &r.opt);
    if (code)
        return code;
    /* every rank: a SIGTERM/SIGUSR1/SIGINT forwarded by the launcher must not kill a worker;
     * the master checkpoints and then releases the workers */
    rg_recorder_install_signals();
    if (rank != 0)
        return serve(comm, abort_job);
    r.argc = argc;
    r.argv = argv;
    r.comm = comm;
    r.abort_job = abort_job;
    rg_diag_init(&r.diag);
    return optimize(&r);
}
