/* regimen optimize PROBLEM.cfg [--seed N] [--generations N] [--population N] [--front FILE]
 *                  [--quiet]
 * Runs NSGA-II on the problem (serial here): seeds the first population with the problem's
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
#include "regimen/nsga2.h"
#include "regimen/problem.h"
#include "regimen/recorder.h"
#include "regimen/report.h"

typedef struct {
    const char *problem, *front;
    bool quiet;
    bool has_seed, has_generations, has_population;
    unsigned long seed;
    size_t generations, population;
    rg_recorder_options rec; /* --out, --force, --checkpoint[-every], --resume */
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen optimize PROBLEM.cfg [--seed N] [--generations N] "
               "[--population N] [--front FILE.csv] [--quiet]\n       %s\n",
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

static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        int mine = rg_recorder_parse_option(&o->rec, argc, argv, &i);
        if (mine < 0)
            return 2;
        if (mine > 0)
            continue;
        bool needs = !strcmp(a, "--seed") || !strcmp(a, "--generations") ||
                     !strcmp(a, "--population") || !strcmp(a, "--front");
        if (needs && i + 1 >= argc) {
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
        } else if (!strcmp(a, "--front")) {
            o->front = argv[++i];
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "regimen optimize: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!o->problem) {
            o->problem = a;
        } else {
            fprintf(stderr, "regimen optimize: more than one problem file ('%s')\n", a);
            return 2;
        }
        continue;
    bad:
        fprintf(stderr, "regimen optimize: %s: '%s' is not a valid value\n", a, argv[i]);
        return 2;
    }
    if (!o->problem) {
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

int rg_cmd_optimize(int argc, char **argv)
{
    options opt;
    int code = parse_options(argc, argv, &opt);
    if (code)
        return code;

    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    rg_evaluator *ev = NULL;
    rg_nsga2 *g = NULL;
    rg_recorder *rec = NULL;
    double *seeds = NULL;
    bool stop = false;
    rg_recorder_install_signals();
    int rc = rg_problem_load(opt.problem, &p, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        return rg_status_exit_code(rc);
    }
    if (opt.has_seed)
        p->optimize.seed = opt.seed;
    if (opt.has_generations)
        p->optimize.generations = opt.generations;
    if (opt.has_population)
        p->optimize.population = opt.population + (opt.population & 1);

    ev = rg_evaluator_alloc(p, &diag);
    if (!ev) {
        rg_diag_print(&diag, stderr);
        code = 2;
        goto done;
    }
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

    rc = rg_recorder_alloc(&opt.rec, p, enc, opt.problem, 1, argc, argv, &rec, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        code = rg_status_exit_code(rc);
        goto done;
    }
    double t0 = now_s();
    rc = rg_recorder_start(rec, g, rg_evaluator_eval_batch, ev, seeds, n_seeds, &stop);
    if (rc != RG_OK) {
        fprintf(stderr, "regimen optimize: start failed: %s\n", rg_strerror(rc));
        code = rg_status_exit_code(rc);
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
            fprintf(stderr, "regimen optimize: generation %zu failed: %s\n",
                    rg_nsga2_generation(g) + 1, rg_strerror(rc));
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
    rg_evaluator_free(ev);
    rg_problem_free(p);
    return code;
}
