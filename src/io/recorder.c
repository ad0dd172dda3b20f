/* The optimize command's recorder: history, checkpoints, resume, results file (recorder.h;
 * the signal handlers are in recorder_signals.c). */
#include "regimen/recorder.h"

#include "recorder_outputs.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regimen/checkpoint.h"
#include "regimen/report.h"
#include "regimen/safefile.h"

struct rg_recorder {
    rg_recorder_options opt;
    const rg_problem *p;
    const rg_encoding *enc;
    rg_results *r;
    rg_checkpoint *resume; /* the checkpoint read by --resume, until start */
    char out[RG_SAFEFILE_PATH_MAX];
    char ckpt[RG_SAFEFILE_PATH_MAX];
    char *resume_cmd;           /* the command that resumes this run */
    double *obj_buf, *viol_buf; /* one generation's natural objectives and violations */
};

/* Shell-quoted command joined from argv, with --resume set to ckpt. */
static char *resume_command(int argc, char **argv, const char *ckpt)
{
    rg_results *tmp = rg_results_alloc();
    if (!tmp)
        return NULL;
    char **v = calloc((size_t)argc + 4, sizeof *v);
    if (!v) {
        rg_results_free(tmp);
        return NULL;
    }
    int n = 0;
    char exe[RG_SAFEFILE_PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        v[n++] = exe;
    } else {
        v[n++] = "regimen";
    }
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--resume") && i + 1 < argc) {
            i++;
            continue;
        }
        v[n++] = argv[i];
    }
    v[n++] = "--resume";
    v[n++] = (char *)ckpt;
    char *s = NULL;
    if (rg_results_set_argv(tmp, n, v) == RG_OK) {
        s = tmp->command_line;
        tmp->command_line = NULL;
    }
    free(v);
    rg_results_free(tmp);
    return s;
}

static void path_stem(const char *path, char *buf, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(buf, cap, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
}

/* The results file and checkpoint paths, then check_outputs. */
static int resolve_paths(rg_recorder *rec, const char *problem_path, rg_diag *diag)
{
    const rg_recorder_options *o = &rec->opt;
    char stem[256];
    if (o->out) {
        snprintf(rec->out, sizeof rec->out, "%s", o->out);
    } else {
        path_stem(problem_path, stem, sizeof stem);
        if (mkdir("results", 0755) != 0 && errno != EEXIST) {
            rg_diag_add(diag, "results: cannot create the results directory: %s",
                        strerror(errno));
            return RG_EIO;
        }
        snprintf(rec->out, sizeof rec->out, "results/%s-seed%lu.h5", stem,
                 rec->p->optimize.seed);
    }
    if (o->checkpoint) {
        snprintf(rec->ckpt, sizeof rec->ckpt, "%s", o->checkpoint);
    } else {
        snprintf(rec->ckpt, sizeof rec->ckpt, "%s", rec->out);
        size_t n = strlen(rec->ckpt);
        if (n > 3 && !strcmp(rec->ckpt + n - 3, ".h5"))
            rec->ckpt[n - 3] = '\0';
        size_t used = strlen(rec->ckpt);
        snprintf(rec->ckpt + used, sizeof rec->ckpt - used, ".checkpoint.h5");
    }
    return rg_recorder_check_outputs(&rec->opt, rec->out, rec->ckpt, diag);
}

/* The provenance of the results file: problem, genome length, ranks, start time and the
 * command line (argv as given, and the command that resumes the run). */
static int record_provenance(rg_recorder *rec, const char *problem_path, int n_ranks, int argc,
                             char **argv)
{
    rg_results *r = rec->r;
    if (rg_results_set_problem(r, rec->p) != RG_OK)
        return RG_ENOMEM;
    if (!r->problem_name[0])
        path_stem(problem_path, r->problem_name, sizeof r->problem_name);
    r->genome_length = rec->enc->length;
    r->n_ranks = n_ranks;
    rg_results_now(r->start_time);
    char **v = calloc((size_t)argc + 1, sizeof *v);
    if (!v)
        return RG_ENOMEM;
    v[0] = "regimen";
    for (int i = 0; i < argc; i++)
        v[i + 1] = argv[i];
    int rc = rg_results_set_argv(r, argc + 1, v);
    free(v);
    if (rc != RG_OK)
        return RG_ENOMEM;
    rec->resume_cmd = resume_command(argc, argv, rec->ckpt);
    return rec->resume_cmd ? RG_OK : RG_ENOMEM;
}

/* What the genomes mean: the optimised drugs and the intervals of their delivered doses
 * (schedule and rule), the parameter names of a rule, a benchmark's objectives. */
static void describe_encoding(rg_recorder *rec)
{
    rg_results *r = rec->r;
    const rg_encoding *enc = rec->enc;
    const rg_problem *p = rec->p;
    if (enc->kind == RG_ENC_SCHEDULE || enc->kind == RG_ENC_ADAPTIVE_RULE) {
        /* the optimised drugs, whose delivered doses the front keeps */
        r->n_drugs = enc->n_drugs;
        r->n_intervals = enc->n_intervals;
        for (size_t j = 0; j < enc->n_drugs; j++)
            snprintf(r->drug_names[j], RG_NAME_MAX, "%s", p->drugs[enc->drugs[j]].name);
    }
    if (enc->kind == RG_ENC_ADAPTIVE_RULE) {
        r->n_rule_params = RG_RULE_NPARAM_BASE + enc->n_drugs;
        for (size_t k = 0; k < r->n_rule_params; k++)
            rg_encoding_rule_value_name(enc, p, k, r->rule_param_names[k], RG_NAME_MAX);
    } else if (enc->kind != RG_ENC_SCHEDULE) {
        r->n_drugs = 0;
        r->n_intervals = 0;
    }
    if (enc->kind == RG_ENC_BENCHMARK) {
        r->n_obj = p->bench.n_obj;
        for (size_t m = 0; m < r->n_obj && m < RG_MAX_OBJ; m++) {
            snprintf(r->objective_names[m], RG_NAME_MAX, "%s",
                     rg_objective_name(RG_OBJ_BENCH_F1 + (int)m));
            r->maximised[m] = false;
        }
    }
}

/* Reads and checks the --resume checkpoint against this run. */
static int read_resume(rg_recorder *rec, rg_diag *diag)
{
    const char *path = rec->opt.resume;
    int rc = rg_checkpoint_read(path, &rec->resume, diag);
    if (rc == RG_EIO)
        rc = RG_EINVAL; /* a --resume path that cannot be opened is bad input */
    if (rc != RG_OK)
        return rc;
    rc = rg_checkpoint_check(rec->resume, rec->p, path, diag);
    if (rc != RG_OK)
        return rc;
    if (rec->resume->archive_bound != rec->p->optimize.archive_size) {
        rg_diag_add(diag,
                    "%s: cannot resume: the checkpoint's archive_size is %llu, this run's %zu",
                    path, (unsigned long long)rec->resume->archive_bound,
                    rec->p->optimize.archive_size);
        return RG_EINVAL;
    }
    if (rec->resume->genome_length != rec->enc->length ||
        rec->resume->results->n_obj != rec->r->n_obj) {
        rg_diag_add(diag,
                    "%s: cannot resume: the checkpoint's genomes or objectives do "
                    "not match this problem's encoding",
                    path);
        return RG_EINVAL;
    }
    return RG_OK;
}

int rg_recorder_alloc(const rg_recorder_options *o, const rg_problem *p, const rg_encoding *enc,
                      const char *problem_path, int n_ranks, int argc, char **argv,
                      rg_recorder **out, rg_diag *diag)
{
    *out = NULL;
    rg_recorder *rec = calloc(1, sizeof *rec);
    if (!rec)
        return RG_ENOMEM;
    int rc = RG_ENOMEM;
    rec->opt = *o;
    if (!rec->opt.name)
        rec->opt.name = "recorder";
    rec->p = p;
    rec->enc = enc;
    rec->r = rg_results_alloc();
    if (!rec->r)
        goto fail;
    rc = resolve_paths(rec, problem_path, diag);
    /* the history's populations go to disk as they are recorded, not to memory */
    if (rc == RG_OK)
        rc = rg_results_spool_history(rec->r, rec->out, diag);
    if (rc == RG_OK)
        rc = record_provenance(rec, problem_path, n_ranks, argc, argv);
    if (rc != RG_OK)
        goto fail;
    describe_encoding(rec);
    if ((rc = rg_results_set_genes(rec->r, p, enc)) != RG_OK)
        goto fail;
    if (o->resume && (rc = read_resume(rec, diag)) != RG_OK)
        goto fail;
    *out = rec;
    return RG_OK;
fail:
    rg_recorder_free(rec);
    return rc;
}

void rg_recorder_free(rg_recorder *rec)
{
    if (!rec)
        return;
    rg_results_free(rec->r);
    rg_checkpoint_free(rec->resume);
    free(rec->resume_cmd);
    free(rec->obj_buf);
    free(rec->viol_buf);
    free(rec);
}

/* The current population as one history row. */
static int record(rg_recorder *rec, const rg_nsga2 *g)
{
    rg_results *r = rec->r;
    size_t N = rg_nsga2_population(g), M = r->n_obj;
    if (!rec->obj_buf) {
        rec->obj_buf = malloc((N * M > 0 ? N * M : 1) * sizeof(double));
        rec->viol_buf = malloc((N ? N : 1) * sizeof(double));
        if (!rec->obj_buf || !rec->viol_buf)
            return RG_ENOMEM;
    }
    r->population = N;
    const rg_eval_result *res = rg_nsga2_results(g);
    for (size_t i = 0; i < N; i++) {
        for (size_t m = 0; m < M; m++)
            rec->obj_buf[i * M + m] = res[i].value[m];
        rec->viol_buf[i] = res[i].violation;
    }
    size_t nh;
    const double *hv = rg_nsga2_hv_history(g, &nh);
    const double *ahv = rg_nsga2_archive_hv_history(g, &nh);
    r->generations = rg_nsga2_generation(g);
    r->evaluations = rg_nsga2_evaluations(g);
    int rc = rg_results_add_generation(r, rg_nsga2_generation(g), rg_nsga2_evaluations(g),
                                       nh ? hv[nh - 1] : 0.0, rg_nsga2_genomes(g), rec->obj_buf,
                                       rec->viol_buf);
    if (rc == RG_EIO || rc == RG_ENOSPC)
        fprintf(stderr,
                "%s: %s: cannot record the history (its spool is beside this file): %s; "
                "nothing was replaced\n",
                rec->opt.name, rec->out, strerror(errno));
    return rc == RG_OK ? rg_results_set_archive_hv(r, nh ? ahv[nh - 1] : 0.0) : rc;
}

static void set_reference(rg_recorder *rec, const rg_nsga2 *g)
{
    const double *ref = rg_nsga2_reference(g);
    for (size_t m = 0; m < rec->r->n_obj; m++)
        rec->r->reference_point[m] = rg_report_natural(rec->p, m, ref[m]);
    rec->r->reference_rule = (int)rg_nsga2_reference_rule(g);
}

int rg_recorder_checkpoint(rg_recorder *rec, const rg_nsga2 *g)
{
    rg_nsga2_state s;
    int rc = rg_nsga2_export(g, &s);
    if (rc != RG_OK)
        return rc;
    rg_checkpoint *c = rg_checkpoint_alloc();
    if (!c)
        return RG_ENOMEM;
    rg_results_free(c->results);
    c->results = rec->r; /* borrowed; released below before the free */
    c->generation = s.generation;
    c->generations_target = rec->p->optimize.generations;
    c->evaluations = s.evaluations;
    c->n_seeds = s.n_seeds;
    memcpy(c->reference, s.reference, sizeof c->reference);
    c->reference_rule = s.reference_rule;
    c->settings = rec->p->optimize;
    rc = rg_checkpoint_alloc_population(c, s.population, s.genome_length);
    if (rc == RG_OK) {
        memcpy(c->genomes, s.genomes, s.population * s.genome_length * sizeof(double));
        memcpy(c->evals, s.results, s.population * sizeof(rg_eval_result));
        rc = rg_checkpoint_set_hv_history(c, s.hv_history, s.n_hv);
    }
    if (rc == RG_OK) { /* borrowed like results; detached below */
        c->baselines = (rg_eval_result *)s.baselines;
        c->n_baselines = s.n_baselines;
        c->archive_bound = rg_archive_bound(rg_nsga2_archive(g));
        c->n_archive = s.archive_size;
        c->archive_genomes = (double *)s.archive_genomes;
        c->archive_evals = (rg_eval_result *)s.archive_results;
        c->archive_hv_history = (double *)s.archive_hv_history;
    }
    if (rc == RG_OK) {
        c->rng_state = malloc(s.rng_size ? s.rng_size : 1);
        if (!c->rng_state)
            rc = RG_ENOMEM;
        else {
            memcpy(c->rng_state, s.rng_state, s.rng_size);
            c->rng_size = s.rng_size;
            snprintf(c->rng_name, sizeof c->rng_name, "mt19937");
        }
    }
    rg_diag diag;
    rg_diag_init(&diag);
    if (rc == RG_OK)
        rc = rg_checkpoint_write(c, rec->ckpt, &diag);
    if (rc != RG_OK) {
        if (diag.count)
            rg_diag_print(&diag, stderr);
        else
            fprintf(stderr, "%s: %s: cannot write checkpoint: %s\n", rec->opt.name, rec->ckpt,
                    rg_strerror(rc));
    } else if (!rec->opt.quiet) {
        fprintf(stderr, "checkpoint: generation %zu written to %s\n", s.generation, rec->ckpt);
    }
    c->results = NULL;
    c->baselines = NULL;
    c->archive_genomes = NULL;
    c->archive_evals = NULL;
    c->archive_hv_history = NULL;
    rg_checkpoint_free(c);
    return rc;
}

int rg_recorder_stop(rg_recorder *rec, const rg_nsga2 *g, bool *stop)
{
    int sig = rg_recorder_signal();
    int rc = rg_recorder_checkpoint(rec, g);
    if (rc != RG_OK)
        return rc;
    *stop = true;
    fprintf(stderr,
            "%s: stopped by signal %d (%s) after generation %zu (exit status %d); the run "
            "can be resumed from %s with:\n  %s\n(under mpirun or srun, launch it the same "
            "way, on any number of ranks)\n",
            rec->opt.name, sig,
            sig == SIGTERM   ? "SIGTERM"
            : sig == SIGUSR1 ? "SIGUSR1"
            : sig == SIGINT  ? "SIGINT"
                             : "?",
            rg_nsga2_generation(g), rg_recorder_exit_status(), rec->ckpt, rec->resume_cmd);
    return RG_OK;
}

int rg_recorder_start(rg_recorder *rec, rg_nsga2 *g, rg_batch_fn eval, void *ctx,
                      const double seeds[], size_t n_seeds, bool *stop)
{
    *stop = false;
    int rc;
    if (rec->resume) {
        rg_checkpoint *c = rec->resume;
        rg_nsga2_state s;
        memset(&s, 0, sizeof s);
        s.population = c->n;
        s.genome_length = c->genome_length;
        s.n_obj = c->results->n_obj;
        s.generation = (size_t)c->generation;
        s.evaluations = (size_t)c->evaluations;
        s.n_seeds = (size_t)c->n_seeds;
        s.genomes = c->genomes;
        s.results = c->evals;
        s.rng_state = c->rng_state;
        s.rng_size = c->rng_size;
        s.hv_history = c->hv_history;
        s.n_hv = c->n_hv;
        memcpy(s.reference, c->reference, sizeof s.reference);
        s.reference_rule = c->reference_rule;
        s.baselines = c->baselines;
        s.n_baselines = c->n_baselines;
        s.archive_size = c->n_archive;
        s.archive_genomes = c->archive_genomes;
        s.archive_results = c->archive_evals;
        s.archive_hv_history = c->archive_hv_history;
        rc = rg_nsga2_import(g, &s, eval, ctx);
        if (rc != RG_OK) {
            fprintf(stderr,
                    "%s: %s: the checkpoint does not fit this run "
                    "(population %zu, %zu genes): %s\n",
                    rec->opt.name, rec->opt.resume, c->n, c->genome_length, rg_strerror(rc));
            return rc == RG_EINVAL ? RG_EFORMAT : rc;
        }
        /* continue the recorded history; the provenance says where the run resumed */
        rg_results *old = c->results, *r = rec->r;
        size_t len =
            strlen(old->command_line ? old->command_line : "") + strlen(r->command_line) + 96;
        char *cmd = malloc(len);
        if (!cmd)
            return RG_ENOMEM;
        snprintf(cmd, len, "%s (resumed at generation %llu by: %s)",
                 old->command_line ? old->command_line : "", (unsigned long long)c->generation,
                 r->command_line);
        free(r->command_line);
        r->command_line = cmd;
        snprintf(r->start_time, sizeof r->start_time, "%s", old->start_time);
        r->population = c->n;
        for (size_t i = 0; i < old->n_history; i++) {
            size_t N = old->population, L = old->genome_length, M = old->n_obj;
            rc = rg_results_add_generation(
                r, old->history_generation[i], old->history_evaluations[i], old->hypervolume[i],
                old->history_genomes + i * N * L, old->history_objectives + i * N * M,
                old->history_violation + i * N);
            if (rc == RG_OK && old->archive_hypervolume)
                rc = rg_results_set_archive_hv(r, old->archive_hypervolume[i]);
            if (rc != RG_OK)
                return rc;
        }
        r->generations = rg_nsga2_generation(g);
        r->evaluations = rg_nsga2_evaluations(g);
        rg_checkpoint_free(rec->resume);
        rec->resume = NULL;
        if (!rec->opt.quiet)
            fprintf(stderr, "resumed from %s at generation %zu (%zu evaluations so far)\n",
                    rec->opt.resume, rg_nsga2_generation(g), rg_nsga2_evaluations(g));
    } else {
        rc = rg_nsga2_init(g, eval, ctx, seeds, n_seeds);
        if (rc != RG_OK)
            return rc;
        rc = record(rec, g);
        if (rc != RG_OK)
            return rc;
    }
    set_reference(rec, g);
    if (rg_recorder_signal())
        return rg_recorder_stop(rec, g, stop);
    return RG_OK;
}

size_t rg_recorder_history_every(const rg_problem *p)
{
    size_t every = p->optimize.history_every, gens = p->optimize.generations;
    if (every == 0) /* automatic: at most about 1000 rows */
        every = gens <= 1000 ? 1 : (gens + 999) / 1000;
    return every;
}

int rg_recorder_after_step(rg_recorder *rec, const rg_nsga2 *g, bool *stop)
{
    *stop = false;
    /* a thinned history keeps generations 0, N, 2N, ... and the last; rows depend on the
     * generation number alone, so a resumed run records the same rows */
    size_t gen = rg_nsga2_generation(g);
    bool due = gen % rg_recorder_history_every(rec->p) == 0 || rg_nsga2_done(g);
    int rc = due ? record(rec, g) : RG_OK;
    if (rc != RG_OK)
        return rc;
    /* a signal during the last generation: the results file is written instead */
    if (rg_recorder_signal() && !rg_nsga2_done(g))
        return rg_recorder_stop(rec, g, stop);
    size_t every = rec->opt.checkpoint_every;
    if (every && rg_nsga2_generation(g) % every == 0 && !rg_nsga2_done(g))
        return rg_recorder_checkpoint(rec, g);
    return RG_OK;
}

int rg_recorder_finish(rg_recorder *rec, const rg_nsga2 *g)
{
    rg_results *r = rec->r;
    /* the run's front is its archive: distinct genomes, sorted by fitness then genome */
    const rg_archive *arch = rg_nsga2_archive(g);
    size_t n = rg_archive_size(arch);
    rg_diag diag;
    rg_diag_init(&diag);
    r->generations = rg_nsga2_generation(g);
    r->evaluations = rg_nsga2_evaluations(g);
    set_reference(rec, g);
    int rc = rg_results_fill_front(r, rec->p, rec->enc, n, rg_archive_genomes(arch),
                                   rg_archive_results(arch), &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        return rc;
    }
    rg_results_now(r->end_time);
    rc = rg_results_write(r, rec->out, rec->opt.force ? RG_WRITE_FORCE : 0, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        return rc;
    }
    if (!rec->opt.quiet)
        fprintf(stderr, "results written to %s (front of %zu, %zu generations)\n", rec->out, n,
                r->generations);
    return RG_OK;
}
