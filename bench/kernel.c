/* bench/kernel: the kernel's throughput against GSL's steppers on the same model, and its
 * scaling in clones, horizon and drugs. Not a test: it prints figures.
 *
 *   build/bench/kernel [PROBLEM.cfg] [--quick] [--regimens]
 *
 * 1. Evaluations per second of rg_sim_run on the problem (default problems/default.cfg, else
 *    problems/example.cfg) under its first runnable regimen.
 * 2. The same simulation loop (policy, exact PK, extinction, visits) with the interval
 *    integrator swapped for GSL's rkf45, rkck, rk8pd and msadams drivers calling the
 *    kernel's own right-hand side (rg_model_rhs), with the same mixed error weights. The
 *    accuracy of every run is the largest relative burden error over the visits against a
 *    tight reference (the same loop with rk8pd at 1e-13). Each stepper's tolerance is
 *    tightened (1e-3, 3e-4, ..., 1e-13) until its error is no larger than the kernel's, then
 *    refined by bisection between that tolerance and the last one that failed, so that the
 *    stepper's error comes as close to the kernel's as it can without exceeding it; its
 *    throughput there is compared. A second comparison uses the loosest tolerance at which a
 *    stepper meets the docs/model.md section 10 rule on this problem.
 * 3. Scaling: synthetic models with 2-32 clones, horizons 180-1440 days, 1-8 drugs.
 * With --regimens, instead: the kernel's throughput under every built-in regimen. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "regimen/model.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

#include "dopri5.h"

/* CPU time of this process: on a machine shared with other jobs it is far steadier than wall
 * time (the figures are evaluations per CPU-second) */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- GSL interval integrator over the kernel's right-hand side */

typedef struct {
    const gsl_odeiv2_step_type *type;
    double tol;
    gsl_odeiv2_driver *drv;
    gsl_odeiv2_system sys;
    rg_model *m;
    double scale_abs[RG_MAX_STATE];
    double hlast;
    double b0;
} gsl_ctx;

static int gsl_rhs(double t, const double y[], double f[], void *params)
{
    rg_model_rhs(params, t, y, f);
    return GSL_SUCCESS;
}

static int gsl_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                        const double tv[], double yv[], size_t *steps, size_t budget)
{
    gsl_ctx *g = ctx;
    if (!g->drv || g->m != m) {
        if (g->drv)
            gsl_odeiv2_driver_free(g->drv);
        /* the kernel's error weights: clones atol_i = tol * floor_i, rtol = tol; the
         * neutrophils RG_KERNEL_RTOL_NEUT / RG_KERNEL_RTOL times looser, through scale_abs
         * (GSL has one relative tolerance) on their natural scale (circ0) */
        double floor[RG_MAX_STATE];
        rg_error_floors(m, g->b0, floor);
        g->m = m;
        g->sys = (gsl_odeiv2_system){gsl_rhs, NULL, m->ny, m};
        for (size_t i = 0; i < m->ny; i++)
            g->scale_abs[i] = floor[i];
        if (m->neut)
            for (size_t q = 0; q < RG_NEUT_STATES; q++)
                g->scale_abs[m->ineut + q] = RG_KERNEL_RTOL_NEUT / RG_KERNEL_RTOL * m->circ0;
        g->drv = gsl_odeiv2_driver_alloc_scaled_new(&g->sys, g->type, 1e-3, g->tol, g->tol, 1.0,
                                                    0.0, g->scale_abs);
        gsl_odeiv2_driver_set_nmax(g->drv, 0);
        g->hlast = 0.0;
    }
    if (t0 == 0.0)
        g->hlast = 0.0;
    gsl_odeiv2_driver_reset_hstart(g->drv, g->hlast > 0.0 ? g->hlast : 1e-3);
    double t = t0;
    for (size_t q = 0; q <= nv; q++) {
        double te = q < nv ? tv[q] : t1;
        int st = gsl_odeiv2_driver_apply(g->drv, &t, te, y);
        *steps += g->drv->n; /* the driver counts the steps of one apply */
        if (st != GSL_SUCCESS)
            return RG_ENUMERIC;
        if (q < nv)
            memcpy(&yv[q * m->ny], y, m->ny * sizeof *y);
    }
    g->hlast = g->drv->h;
    return *steps > budget ? RG_EBUDGET : RG_OK;
}

/* ---- runs */

typedef struct {
    const rg_problem *p;
    rg_dosing dose;
    rg_sim_workspace *w;
    rg_trajectory tr;
} bench_run;

static double run_once(bench_run *b, rg_interval_fn fn, void *ctx, rg_sim_summary *s)
{
    int st = fn ? rg_sim_run_with(b->w, b->p, &b->dose, NULL, s, &b->tr, fn, ctx)
                : rg_sim_run(b->w, b->p, &b->dose, NULL, s, &b->tr);
    if (st != RG_OK || s->status != RG_OK)
        return NAN;
    return 0.0;
}

/* evaluations per second over at least `secs` */
static double throughput(bench_run *b, rg_interval_fn fn, void *ctx, double secs)
{
    rg_sim_summary s;
    size_t n = 0;
    double t0 = now(), t;
    do {
        if (fn)
            rg_sim_run_with(b->w, b->p, &b->dose, NULL, &s, NULL, fn, ctx);
        else
            rg_sim_run(b->w, b->p, &b->dose, NULL, &s, NULL);
        n++;
        t = now() - t0;
    } while (t < secs);
    return (double)n / t;
}

/* max over visits of |B - Bref| / |Bref|, and of the section-10 ratio */
static void errors(const rg_trajectory *tr, const double *ref, size_t nv, double b0,
                   double *rel, double *contract)
{
    *rel = 0.0;
    *contract = 0.0;
    for (size_t v = 0; v < nv; v++) {
        double e = fabs(tr->burden[v] - ref[v]);
        double r = e / fabs(ref[v]);
        double c = e / (1e-6 * fabs(ref[v]) + 1e-9 * b0);
        if (r > *rel)
            *rel = r;
        if (c > *contract)
            *contract = c;
    }
}

/* ---- synthetic models for the scaling table */

static rg_problem *synthetic(size_t n, size_t nd, double horizon)
{
    rg_problem *p = rg_problem_alloc();
    p->horizon_days = horizon;
    p->decision_days = 6.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e12;
    p->emergence_cells = 1e9;
    p->n_clones = n;
    p->n_drugs = nd;
    p->n_mechs = nd < 6 ? 6 : nd;
    for (size_t q = 0; q < p->n_mechs; q++) {
        snprintf(p->mechs[q].name, RG_NAME_MAX, "m%zu", q);
        p->mechs[q].kind = (rg_mech_kind)(q % RG_MECH_NKINDS);
        p->mechs[q].affects[q % nd] = true;
    }
    for (size_t d = 0; d < nd; d++) {
        rg_drug *g = &p->drugs[d];
        snprintf(g->name, RG_NAME_MAX, "d%zu", d);
        g->half_life_days = 0.5 + 0.3 * (double)d;
        if (d % 2 == 1) {
            g->administration = RG_ADMIN_BOLUS;
            g->dosing_interval_days = 18.0;
        }
        g->emax = d % 3 == 2 ? 1.5 : 0.25;
        g->cycle_specific = d % 3 == 2;
        g->ec50 = 0.3;
        g->hill = 1.0 + 0.2 * (double)d;
    }
    for (size_t i = 0; i < n; i++) {
        rg_clone *c = &p->clones[i];
        snprintf(c->name, RG_NAME_MAX, "c%zu", i);
        c->cells = i == 0 ? 1e9 : 1e9 * pow(10.0, -2.0 - (double)(i % 5));
        c->growth_rate = 0.03 * (1.0 - 0.01 * (double)i);
        c->death_rate = 0.002;
        c->resistant = i > 0;
        if (i > 0) {
            size_t q = (i - 1) % p->n_mechs;
            c->carries[q] = true;
            c->fold[q] = 3.0 + (double)(i % 4);
        }
    }
    p->n_mutations = n - 1;
    for (size_t i = 1; i < n; i++)
        p->mutations[i - 1] = (rg_mutation){.from = 0, .to = (int)i, .rate = 1e-7};
    p->hypoxia_max_fraction = 0.3;
    p->hypoxia_half_burden = 5e10;
    p->hypoxia_quiescence = 0.5;
    p->n_regimens = 1;
    p->regimens[0].policy = RG_POLICY_MTD;
    p->regimens[0].n_drugs = nd;
    for (size_t d = 0; d < nd; d++)
        p->regimens[0].drugs[d] = (int)d;
    p->regimens[0].cycle_days = 24.0;
    p->regimens[0].on_days = 12.0;
    return p;
}

static double scaling_point(size_t n, size_t nd, double horizon, double secs, double *steps)
{
    rg_problem *p = synthetic(n, nd, horizon);
    rg_policy pol;
    rg_policy_init_regimen(&pol, p, &p->regimens[0]);
    bench_run b = {p, rg_policy_dosing(&pol), rg_sim_alloc(p), {0}};
    rg_trajectory_alloc(&b.tr, p);
    rg_sim_summary s;
    rg_sim_run(b.w, p, &b.dose, NULL, &s, NULL);
    *steps = (double)s.steps;
    double eps = throughput(&b, NULL, NULL, secs);
    rg_trajectory_free(&b.tr);
    rg_sim_free(b.w);
    rg_problem_free(p);
    return eps;
}

/* --regimens: the kernel's throughput under every built-in regimen of the problem (best of 5
 * rounds of 0.2 s each), with its steps and TTP */
static int every_regimen(const rg_problem *p, const char *path)
{
    printf("problem: %s; kernel evaluations per CPU-second, best of 5 rounds of 0.2 s\n", path);
    printf("%-24s %10s %7s %8s\n", "regimen", "evals/s", "steps", "ttp");
    rg_sim_workspace *w = rg_sim_alloc(p);
    if (!w)
        return 1;
    for (size_t ri = 0; ri < p->n_regimens; ri++) {
        rg_policy pol;
        if (rg_policy_init_regimen(&pol, p, &p->regimens[ri]) != RG_OK)
            continue;
        bench_run b = {p, rg_policy_dosing(&pol), w, {0}};
        double best = 0.0;
        for (int r = 0; r < 5; r++) {
            double e = throughput(&b, NULL, NULL, 0.2);
            best = e > best ? e : best;
        }
        rg_sim_summary s;
        rg_sim_run(w, p, &b.dose, NULL, &s, NULL);
        printf("%-24s %10.1f %7zu %8g\n", p->regimens[ri].name, best, s.steps, s.ttp);
    }
    rg_sim_free(w);
    return 0;
}

/* Halvings of the tolerance interval (in log) once the grid has bracketed the target: 6 leave
 * the stepper's tolerance within a factor 3^(1/64) (2%) of where its error crosses it */
#define RG_BENCH_BISECT 6

/* One run of GSL stepper `type` at `tol`: does it meet the target (0: the kernel's relative
 * burden error k_rel, 1: the docs/model.md section 10 rule)? Its error and steps go to rel,
 * steps. */
static bool probe(bench_run *b, const gsl_odeiv2_step_type *type, double tol, int target,
                  const double *bref, double k_rel, double *rel, size_t *steps)
{
    rg_sim_summary s;
    gsl_ctx g = {.type = type, .tol = tol, .b0 = rg_problem_initial_burden(b->p)};
    double ok = run_once(b, gsl_interval, &g, &s);
    gsl_odeiv2_driver_free(g.drv);
    if (isnan(ok))
        return false;
    double con;
    errors(&b->tr, bref, b->tr.n_visits, g.b0, rel, &con);
    *steps = s.steps;
    return target == 0 ? *rel <= k_rel : con <= 1.0;
}

/* ---- the comparison: configurations 0 kernel, 1 own DP5, then per GSL stepper x {kernel
 * accuracy, docs/model.md section 10 rule} */

enum { NCFG = 2 + 4 * 2, ROUNDS = 5 };

typedef struct {
    double tol[NCFG], rel[NCFG], eps[NCFG];
    size_t steps[NCFG];
    bool ok[NCFG];
    double round_eps[ROUNDS][NCFG];
} bench_cfgs;

/* GSL stepper q of the comparison */
static const gsl_odeiv2_step_type *stepper_type(size_t q)
{
    const gsl_odeiv2_step_type *types[] = {gsl_odeiv2_step_rkf45, gsl_odeiv2_step_rkck,
                                           gsl_odeiv2_step_rk8pd, gsl_odeiv2_step_msadams};
    return types[q];
}

/* Each GSL stepper's tolerance for each target: the loosest of the grid that meets it, then
 * bisected towards the last one that failed. */
static void match_tolerances(bench_run *b, const double bref[], double k_rel, bench_cfgs *g)
{
    static const double tols[] = {1e-3,  3e-4,  1e-4,  3e-5,  1e-5,  3e-6,  1e-6,
                                  3e-7,  1e-7,  3e-8,  1e-8,  3e-9,  1e-9,  3e-10,
                                  1e-10, 3e-11, 1e-11, 3e-12, 1e-12, 3e-13, 1e-13};
    const size_t ntol = sizeof tols / sizeof tols[0];
    for (size_t q = 0; q < 4; q++) {
        for (int target = 0; target < 2; target++) {
            size_t c = 2 + 2 * q + (size_t)target;
            double lo = 0.0; /* the last tolerance of the grid that failed */
            g->ok[c] = false;
            for (size_t j = 0; j < ntol && !g->ok[c]; j++) {
                if (probe(b, stepper_type(q), tols[j], target, bref, k_rel, &g->rel[c],
                          &g->steps[c])) {
                    g->tol[c] = tols[j];
                    g->ok[c] = true;
                } else {
                    lo = tols[j];
                }
            }
            /* the grid is a factor 3 to 3.3 apart: bisect (in log) between the last failing
             * and the first passing tolerance, so that the stepper is not handed up to 3x
             * more accuracy than the kernel's (and the ratio flattered by it) */
            for (int it = 0; g->ok[c] && lo > 0.0 && it < RG_BENCH_BISECT; it++) {
                double mid = sqrt(lo * g->tol[c]), rel;
                size_t steps;
                if (probe(b, stepper_type(q), mid, target, bref, k_rel, &rel, &steps)) {
                    g->tol[c] = mid;
                    g->rel[c] = rel;
                    g->steps[c] = steps;
                } else {
                    lo = mid;
                }
            }
        }
    }
}

/* Throughput: rounds over all configurations, best of each (the machine is shared). */
static void measure_rounds(bench_run *b, dopri5 *dp5, double b0, double secs, bench_cfgs *g)
{
    for (size_t c = 0; c < NCFG; c++)
        g->eps[c] = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t c = 0; c < NCFG; c++) {
            g->round_eps[round][c] = 0.0;
            if (!g->ok[c])
                continue;
            double e;
            if (c == 0) {
                e = throughput(b, NULL, NULL, secs);
            } else if (c == 1) {
                e = throughput(b, dopri5_interval, dp5, secs);
            } else {
                gsl_ctx gc = {.type = stepper_type((c - 2) / 2), .tol = g->tol[c], .b0 = b0};
                e = throughput(b, gsl_interval, &gc, secs);
                gsl_odeiv2_driver_free(gc.drv);
            }
            g->round_eps[round][c] = e;
            if (e > g->eps[c])
                g->eps[c] = e;
        }
    }
}

/* The comparison's table and the kernel's ratios to the best GSL stepper. */
static void print_comparison(const bench_cfgs *g, double secs)
{
    double k_eps = g->eps[0];
    printf("\nthroughput (evaluations per CPU-second): best of %d rounds of %.1f s each, every "
           "round running every configuration in turn\n",
           ROUNDS, secs);
    printf("%-9s %-28s %9s %9s %10s %10s %8s\n", "stepper", "matching", "tol", "steps",
           "rel err", "evals/s", "kernel x");
    double best_match = 0.0, best_contract = 0.0;
    for (size_t c = 0; c < NCFG; c++) {
        const char *name = c == 0   ? "kernel"
                           : c == 1 ? "own DP5"
                                    : stepper_type((c - 2) / 2)->name;
        const char *what = c == 0             ? "-"
                           : c == 1           ? "(5(4) pair, dense output)"
                           : (c - 2) % 2 == 0 ? "kernel's accuracy"
                                              : "docs/model.md section 10";
        if (!g->ok[c]) {
            printf("%-9s %-28s %9s %9s %10.2e %10s %8s\n", name, what, "none", "-", g->rel[c],
                   "-", "-");
            continue;
        }
        printf("%-9s %-28s %9.2e %9zu %10.2e %10.1f %8.2f\n", name, what, g->tol[c],
               g->steps[c], g->rel[c], g->eps[c], k_eps / g->eps[c]);
        if (c >= 2 && (c - 2) % 2 == 0 && g->eps[c] > best_match)
            best_match = g->eps[c];
        if (c >= 2 && (c - 2) % 2 == 1 && g->eps[c] > best_contract)
            best_contract = g->eps[c];
    }
    if (best_match > 0.0) {
        printf("\nkernel / best GSL stepper at the kernel's accuracy: %.2fx\n",
               k_eps / best_match);
        /* the same ratio within each round (measured seconds apart), and its median: less
         * exposed to the machine's load changing between configurations */
        double r[ROUNDS];
        printf("  per round:");
        for (int k = 0; k < ROUNDS; k++) {
            double best = 0.0;
            for (size_t c = 2; c < NCFG; c += 2)
                if (g->ok[c] && g->round_eps[k][c] > best)
                    best = g->round_eps[k][c];
            r[k] = best > 0.0 ? g->round_eps[k][0] / best : 0.0;
            printf(" %.2f", r[k]);
        }
        for (int i = 1; i < ROUNDS; i++)
            for (int j = i; j > 0 && r[j] < r[j - 1]; j--) {
                double x = r[j];
                r[j] = r[j - 1];
                r[j - 1] = x;
            }
        printf("; median %.2fx\n", r[ROUNDS / 2]);
    }
    if (best_contract > 0.0)
        printf("kernel / best GSL stepper meeting the section 10 rule: %.2fx\n",
               k_eps / best_contract);
}

/* Scaling in clones, horizon and drugs on synthetic models. */
static void print_scaling(double secs)
{
    printf("\nscaling (synthetic models: decisions every 6 days, daily visits, mtd cycles "
           "12 on / 12 off):\n");
    printf("%7s %6s %8s %10s %9s %12s %14s\n", "clones", "drugs", "horizon", "evals/s", "steps",
           "ms/eval", "us/sim-day");
    static const size_t clones[] = {2, 4, 8, 16, 32};
    static const double horizons[] = {180.0, 360.0, 720.0, 1440.0};
    static const size_t drugs[] = {1, 2, 4, 8};
    for (size_t q = 0; q < 5; q++) {
        double st;
        double e = scaling_point(clones[q], 2, 720.0, secs, &st);
        printf("%7zu %6d %8g %10.1f %9.0f %12.3f %14.3f\n", clones[q], 2, 720.0, e, st, 1e3 / e,
               1e6 / e / 720.0);
    }
    for (size_t q = 0; q < 4; q++) {
        double st;
        double e = scaling_point(4, 2, horizons[q], secs, &st);
        printf("%7d %6d %8g %10.1f %9.0f %12.3f %14.3f\n", 4, 2, horizons[q], e, st, 1e3 / e,
               1e6 / e / horizons[q]);
    }
    for (size_t q = 0; q < 4; q++) {
        double st;
        double e = scaling_point(4, drugs[q], 720.0, secs, &st);
        printf("%7d %6zu %8g %10.1f %9.0f %12.3f %14.3f\n", 4, drugs[q], 720.0, e, st, 1e3 / e,
               1e6 / e / 720.0);
    }
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *path = NULL;
    double secs = 1.0;
    bool regimens = false;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick"))
            secs = 0.2;
        else if (!strcmp(argv[a], "--regimens"))
            regimens = true;
        else
            path = argv[a];
    }
    static const char *const defaults[] = {RG_SOURCE_DIR "/problems/default.cfg",
                                           RG_SOURCE_DIR "/problems/example.cfg"};
    for (size_t q = 0; !path && q < 2; q++)
        if (access(defaults[q], R_OK) == 0)
            path = defaults[q];
    if (!path) {
        fprintf(stderr, "bench/kernel: no problem file (give one)\n");
        return 2;
    }
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    if (rg_problem_load(path, &p, &diag) != RG_OK) {
        rg_diag_print(&diag, stderr);
        return 2;
    }
    if (regimens)
        return every_regimen(p, path);
    rg_policy pol;
    size_t ri = 0;
    for (; ri < p->n_regimens; ri++)
        if (rg_policy_init_regimen(&pol, p, &p->regimens[ri]) == RG_OK)
            break;
    if (ri == p->n_regimens) {
        fprintf(stderr, "bench/kernel: %s has no regimen this build runs\n", path);
        return 2;
    }
    bench_run b = {p, rg_policy_dosing(&pol), rg_sim_alloc(p), {0}};
    rg_trajectory_alloc(&b.tr, p);
    size_t nv = b.tr.n_visits;
    double b0 = rg_problem_initial_burden(p);

    /* tight reference */
    rg_sim_summary s;
    gsl_ctx ref = {.type = gsl_odeiv2_step_rk8pd, .tol = 1e-13, .b0 = b0};
    run_once(&b, gsl_interval, &ref, &s);
    double *bref = malloc(nv * sizeof *bref);
    memcpy(bref, b.tr.burden, nv * sizeof *bref);
    gsl_odeiv2_driver_free(ref.drv);

    run_once(&b, NULL, NULL, &s);
    double k_rel, k_con;
    errors(&b.tr, bref, nv, b0, &k_rel, &k_con);
    size_t k_steps = s.steps, k_evals = s.rhs_evals;

    printf("problem: %s, regimen %s: %zu clones, %zu drugs, horizon %g days, %zu visits\n",
           path, p->regimens[ri].name, p->n_clones, p->n_drugs, p->horizon_days, nv);
    printf("kernel: DOP853 on the clones, rtol %.0e, dense output at visits, "
           "steps carried across unchanged decision times: %zu steps, %zu rhs evals; "
           "neutrophils stepped apart on the visit grid: %zu Dormand-Prince steps (%zu "
           "five-state derivative calls) and %zu linear periods; "
           "max rel burden error %.2e (%.2e of the docs/model.md tolerance)\n",
           RG_KERNEL_RTOL, k_steps, k_evals, rg_sim_friberg(b.w)->steps,
           12 * rg_sim_friberg(b.w)->steps, rg_sim_friberg(b.w)->linear_periods, k_rel, k_con);
    printf("GSL steppers: the same loop with every decision time a stop, and the neutrophils "
           "in the system (they stop at every visit anyway)\n");

    static bench_cfgs g;
    static dopri5 dp5;
    g.tol[0] = RG_KERNEL_RTOL;
    g.rel[0] = k_rel;
    g.steps[0] = k_steps;
    g.ok[0] = true;
    g.tol[1] = 2e-9;
    dopri5_setup(&dp5, rg_sim_model(b.w), g.tol[1], b0);
    run_once(&b, dopri5_interval, &dp5, &s);
    double c5;
    errors(&b.tr, bref, nv, b0, &g.rel[1], &c5);
    g.steps[1] = s.steps;
    g.ok[1] = true;
    match_tolerances(&b, bref, k_rel, &g);
    measure_rounds(&b, &dp5, b0, secs, &g);
    print_comparison(&g, secs);
    print_scaling(secs);
    free(bref);
    rg_trajectory_free(&b.tr);
    rg_sim_free(b.w);
    rg_problem_free(p);
    return 0;
}
