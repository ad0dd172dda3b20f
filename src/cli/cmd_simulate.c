/* regimen simulate PROBLEM.cfg [--regimen NAME | --from RESULTS.h5 --member N]
 *                 [--stochastic N [--seed S]] [--csv FILE] [--force]
 *
 * Runs one regimen of a problem (default: the first; with --from, front member N of a results
 * file as a `fixed` regimen of the doses it delivered, rg_results_add_member_regimen)
 * through the kernel and prints a summary:
 * TTP, final and resistant burden, emergence hazard and probability, time to emergence, dose
 * intensity and cumulative dose per drug, neutrophil nadir and the constraints it breaks.
 * --csv writes the per-visit trajectory (t, each clone, burden, resistant, each drug's
 * concentration, anc when the neutrophil model is on) through the io layer's atomic writer
 * (safefile.h): complete or not at all, and an existing file only replaced with --force.
 * With --stochastic N the summary is followed by N replicates of the stochastic mode
 * (simulate_stochastic.c), and --csv writes one row per replicate instead. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "simulate_stochastic.h"
#include "regimen/export.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"
#include "regimen/safefile.h"
#include "regimen/sim.h"
#include "regimen/status.h"

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: regimen simulate PROBLEM.cfg [--regimen NAME | --from RESULTS.h5 --member N]\n"
        "                        [--stochastic N [--seed S]] [--csv FILE] [--force]\n");
}

typedef struct {
    const char *file, *regimen,
        *csv;         /* csv NULL: no CSV; "-": stdout, instead of the summary */
    const char *from; /* a results file whose front member `member` is run */
    size_t member;
    bool member_given;
    bool force;
    size_t stochastic; /* replicates; 0: the deterministic run alone */
    uint64_t seed;
    bool seed_given;
} sim_args;

/* A whole number in [lo, hi] from s, else false. */
static bool parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* The command line into *a: -1 to go on, else the exit code (0 for --help, 2 for misuse). */
static int parse_args(int argc, char **argv, sim_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--regimen") && i + 1 < argc) {
            a->regimen = argv[++i];
        } else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
            a->csv = argv[++i];
        } else if (!strcmp(argv[i], "--from") && i + 1 < argc) {
            a->from = argv[++i];
        } else if (!strcmp(argv[i], "--member") && i + 1 < argc) {
            unsigned long long v;
            if (!parse_count(argv[++i], 0, RG_RESULTS_MAX_POPULATION * 4ULL, &v)) {
                fprintf(stderr, "regimen simulate: --member: '%s' is not a member number\n",
                        argv[i]);
                return 2;
            }
            a->member = (size_t)v;
            a->member_given = true;
        } else if (!strcmp(argv[i], "--force")) {
            a->force = true;
        } else if (!strcmp(argv[i], "--stochastic") && i + 1 < argc) {
            unsigned long long v;
            if (!parse_count(argv[++i], 1, 10000000ULL, &v)) {
                fprintf(stderr,
                        "regimen simulate: --stochastic: '%s' is not a number of replicates "
                        "(1 to 10000000)\n",
                        argv[i]);
                return 2;
            }
            a->stochastic = (size_t)v;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            unsigned long long v;
            if (!parse_count(argv[++i], 0, UINT64_MAX, &v)) {
                fprintf(stderr, "regimen simulate: --seed: '%s' is not a whole number >= 0\n",
                        argv[i]);
                return 2;
            }
            a->seed = (uint64_t)v;
            a->seed_given = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regimen simulate: unknown or incomplete option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!a->file) {
            a->file = argv[i];
        } else {
            fprintf(stderr, "regimen simulate: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!a->file) {
        usage(stderr);
        return 2;
    }
    if (!a->from != !a->member_given || (a->from && a->regimen)) {
        fprintf(stderr, "regimen simulate: --from RESULTS.h5 needs --member N, and neither "
                        "goes with --regimen\n");
        return 2;
    }
    if (a->seed_given && !a->stochastic) {
        fprintf(stderr, "regimen simulate: --seed needs --stochastic N\n");
        return 2;
    }
    return -1;
}

/* The index of the regimen to run: the named one or the first. -1 (with a message) when the
 * problem has none to simulate. */
static int pick_regimen(const rg_problem *p, const char *file, const char *name)
{
    if (p->bench.kind != RG_BENCH_NONE) {
        fprintf(stderr, "%s: a benchmark problem has no tumour model to simulate\n", file);
        return -1;
    }
    if (p->n_regimens == 0) {
        fprintf(stderr, "%s: regimens: the file defines no regimen to simulate\n", file);
        return -1;
    }
    if (!name)
        return 0;
    int ri = rg_problem_regimen_index(p, name);
    if (ri < 0) {
        fprintf(stderr, "%s: regimens: no regimen named '%s' (have:", file, name);
        for (size_t r = 0; r < p->n_regimens; r++)
            fprintf(stderr, " %s", p->regimens[r].name);
        fprintf(stderr, ")\n");
    }
    return ri;
}

/* --from: front member a->member of the results file, appended to p's regimens. Its index,
 * or -1 after a message. */
static int add_member(rg_problem *p, const sim_args *a, rg_diag *diag)
{
    if (p->bench.kind != RG_BENCH_NONE)
        return pick_regimen(p, a->file, NULL); /* says why there is nothing to simulate */
    rg_results *r = NULL;
    int st = rg_results_read(a->from, &r, diag);
    char name[RG_NAME_MAX];
    snprintf(name, sizeof name, "member:%zu", a->member);
    int ri = -1;
    if (st == RG_OK)
        st = rg_results_add_member_regimen(r, a->from, a->member, name, p, &ri, diag);
    if (st == RG_OK) {
        if (r->problem_text && strcmp(r->problem_text, p->text ? p->text : ""))
            fprintf(stderr,
                    "regimen simulate: note: %s is not the problem file the run optimised "
                    "(%s): the member's doses are given to this problem's tumour\n",
                    a->file, a->from);
    } else {
        rg_diag_print(diag, stderr);
        ri = -1;
    }
    rg_results_free(r);
    return ri;
}

/* Visits recorded: all of them, or up to where an infeasible run stopped. */
static size_t rows_recorded(const rg_trajectory *tr, const rg_sim_summary *s)
{
    if (s->status == RG_OK)
        return tr->n_visits;
    size_t rows = 0;
    for (size_t v = 0; v < tr->n_visits; v++)
        if (v == 0 || tr->t[v] > 0.0)
            rows = v + 1;
    return rows;
}

/* The constraints line: the same verdict as compare and the optimiser (rg_constraints_eval,
 * docs/model.md section 7). */
static void print_constraints(const rg_problem *p, const rg_sim_summary *s)
{
    rg_violation viol;
    rg_constraints_eval(p, s, &viol);
    size_t broken = 0;
    printf("constraints:");
    for (size_t d = 0; d < p->n_drugs; d++) {
        double lim = p->drugs[d].max_cumulative_dose;
        if (viol.cumulative_dose[d] > 0.0) {
            printf("%s max_cumulative_dose of %s broken (%.6g > %.6g)", broken ? ";" : "",
                   p->drugs[d].name, s->cumulative_dose[d], lim);
            broken++;
        }
    }
    if (viol.daily_toxicity > 0.0) {
        printf("%s max_daily_toxicity broken (%.4g > %.4g)", broken ? ";" : "",
               s->max_daily_toxicity, p->max_daily_toxicity);
        broken++;
    }
    if (viol.anc > 0.0) {
        printf("%s anc_min broken (nadir %.4g < %.4g)", broken ? ";" : "", s->neutrophil_nadir,
               p->anc_min);
        broken++;
    }
    if (!broken)
        printf(" all satisfied");
    printf("\n");
}

/* The summary on stdout. */
static void print_summary(const rg_problem *p, const char *file, const rg_regimen *reg,
                          const rg_sim_summary *s)
{
    double H = p->horizon_days;
    printf("problem: %s (%s)\n", p->name[0] ? p->name : file, file);
    printf("regimen: %s (%s)\n", reg->name, rg_policy_kind_name(reg->policy));
    if (s->status != RG_OK)
        printf("status: stopped at an infeasible evaluation: %s\n", rg_strerror(s->status));
    if (s->progressed)
        printf("time to progression: %g days\n", s->ttp);
    else
        printf("time to progression: no progression by day %g\n", H);
    printf("evaluation ends: day %g (%s; outcomes below are read there)\n", s->t_end,
           s->progressed ? "progression" : "horizon");
    printf("final burden: %.6g cells\n", s->final_burden);
    printf("resistant burden: %.6g cells (resistant fraction %.4g)\n", s->resistant_burden,
           s->resistant_fraction);
    printf("emergence hazard L: %.6g; resistance probability: %.6g\n", s->hazard,
           s->resistance_probability);
    if (s->emerged)
        printf("time to emergence: %g days\n", s->time_to_emergence);
    else
        printf("time to emergence: no emergence by day %g\n", s->t_end);
    if (p->neutrophils)
        printf("neutrophil nadir: %.4g (circ0 %.4g)\n", s->neutrophil_nadir, p->circ0);
    else
        printf("neutrophil nadir: n/a (no neutrophils group)\n");
    printf("drugs:\n");
    for (size_t d = 0; d < p->n_drugs; d++)
        printf("  %s: cumulative dose %.6g %s, dose intensity %.4g\n", p->drugs[d].name,
               s->cumulative_dose[d],
               p->drugs[d].administration == RG_ADMIN_BOLUS ? "MTD boluses" : "MTD-days",
               s->dose_intensity[d]);
    printf("max daily toxicity: %.4g\n", s->max_daily_toxicity);
    print_constraints(p, s);
    printf("integrator: %zu steps, %zu right-hand side evaluations", s->steps, s->rhs_evals);
    if (s->neut_steps > 0)
        printf("; neutrophil chain: %zu steps", s->neut_steps);
    printf("\n");
}

/* Runs regimen ri of p into *s and tr, and writes the CSV when asked: the output is opened
 * first (an existing file without --force is refused before any work) and committed only
 * when the run and every write succeeded. Returns the exit code (0 or 1 so far; 2 for a
 * refused output or a regimen that cannot run). */
static int run_regimen(const rg_problem *p, const sim_args *a, int ri, rg_sim_summary *s,
                       rg_trajectory *tr, size_t *rows, rg_diag *diag)
{
    const rg_regimen *reg = &p->regimens[ri];
    rg_policy pol;
    int st = rg_policy_init_regimen(&pol, p, reg);
    if (st != RG_OK) {
        fprintf(stderr, "%s: regimens.[%d] (%s): policy '%s' cannot be run: %s\n", a->file, ri,
                reg->name, rg_policy_kind_name(reg->policy), rg_strerror(st));
        return 2;
    }
    const char *csv = a->stochastic ? NULL : a->csv; /* the replicates' CSV comes later */
    rg_safefile sf = {0};
    if (csv) {
        st = rg_safefile_open(&sf, csv, a->force, diag);
        if (st != RG_OK) {
            rg_diag_print(diag, stderr);
            return rg_status_exit_code(st);
        }
    }
    int code = 0;
    rg_sim_workspace *w = rg_sim_alloc(p);
    if (!w || rg_trajectory_alloc(tr, p) != RG_OK) {
        fprintf(stderr, "regimen simulate: out of memory\n");
        code = 1;
        goto done;
    }
    rg_dosing dose = rg_policy_dosing(&pol);
    st = rg_sim_run(w, p, &dose, NULL, s, tr);
    if (st != RG_OK) {
        fprintf(stderr, "%s: simulation failed: %s\n", a->file, rg_strerror(st));
        code = 1;
        goto done;
    }
    *rows = rows_recorded(tr, s);
    if (csv) {
        /* a --from member is member:N already; a regimen of the file regimen:NAME */
        char source[RG_NAME_MAX + 16];
        snprintf(source, sizeof source, "%s%s",
                 a->from ? "" : "regimen:", p->regimens[ri].name);
        /* a write error is the atomic writer's to report when it closes the file */
        if (rg_traj_write_csv(sf.f, p, source, tr, *rows) == RG_ENOMEM) {
            fprintf(stderr, "regimen simulate: out of memory\n");
            code = 1;
        }
    }
done:
    rg_sim_free(w);
    int closed = csv ? rg_safefile_close(&sf, code == 0, a->force, diag) : RG_OK;
    if (closed != RG_OK) {
        rg_diag_print(diag, stderr);
        code = rg_status_exit_code(closed);
    }
    return code;
}

/* --stochastic: the replicates under a fresh copy of the same regimen; --csv (opened before
 * the deterministic run, so that a refused file stops everything) gets one row each. */
static int run_stochastic(const rg_problem *p, const sim_args *a, int ri,
                          const rg_sim_summary *det, FILE *csv)
{
    rg_policy pol;
    if (rg_policy_init_regimen(&pol, p, &p->regimens[ri]) != RG_OK)
        return 2; /* run_regimen has already run it */
    rg_dosing dose = rg_policy_dosing(&pol);
    bool to_stdout = a->csv && !strcmp(a->csv, "-");
    rg_stoch_options o = {.n = a->stochastic,
                          .seed = a->seed,
                          .csv = csv,
                          .csv_name = a->csv,
                          .report = !to_stdout};
    if (!to_stdout)
        printf("\n");
    return rg_simulate_stochastic(p, a->file, &dose, &o, det);
}

int rg_cmd_simulate(int argc, char **argv)
{
    sim_args a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    rg_diag *diag = malloc(sizeof *diag);
    if (!diag)
        return 1;
    rg_diag_init(diag);
    rg_problem *p = NULL;
    int st = rg_problem_load(a.file, &p, diag);
    if (st != RG_OK) {
        rg_diag_print(diag, stderr);
        free(diag);
        return st == RG_EIO ? 2 : rg_status_exit_code(st); /* an unreadable input, as check */
    }
    rg_diag_init(diag);
    rg_trajectory tr = {0};
    rg_sim_summary s;
    size_t rows = 0;
    int ri = a.from ? add_member(p, &a, diag) : pick_regimen(p, a.file, a.regimen);
    if (ri >= 0 && a.stochastic && rg_simulate_stochastic_check(p, a.file) != 0)
        ri = -1;
    rg_safefile sf = {0}; /* the replicates' CSV */
    bool stoch_csv = ri >= 0 && a.stochastic && a.csv;
    if (stoch_csv && rg_safefile_open(&sf, a.csv, a.force, diag) != RG_OK) {
        rg_diag_print(diag, stderr);
        stoch_csv = false;
        ri = -1;
    }
    code = ri < 0 ? 2 : run_regimen(p, &a, ri, &s, &tr, &rows, diag);
    if (code == 0 && !(a.csv && !strcmp(a.csv, "-"))) { /* the CSV alone on stdout, for pipes */
        print_summary(p, a.file, &p->regimens[ri], &s);
        if (a.csv && !a.stochastic)
            printf("trajectory: %s (%zu visits)\n", a.csv, rows);
    }
    if (code == 0 && a.stochastic)
        code = run_stochastic(p, &a, ri, &s, stoch_csv ? sf.f : NULL);
    if (stoch_csv && rg_safefile_close(&sf, code == 0, a.force, diag) != RG_OK) {
        rg_diag_print(diag, stderr);
        code = code ? code : 1;
    }
    if (code == 0) {
        if (s.status != RG_OK)
            code = 1;
    }
    rg_trajectory_free(&tr);
    rg_problem_free(p);
    free(diag);
    return code;
}
