/* The kernel (src/model/sim.c) against closed forms of docs/model.md, its numerical contract
 * (section 10: no allocation in the time loop, step budget, no NaN out, non-negative
 * populations, re-entrancy) and the order of events at decision times (section 8).
 *
 * Tolerances: the kernel runs at relative tolerance 1e-10 per step; closed forms are checked
 * to 1e-7 relative unless stated. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

/* ---- allocation counting (linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc) */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
static size_t alloc_count;
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n)
{
    alloc_count++;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m)
{
    alloc_count++;
    return __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n)
{
    alloc_count++;
    return __real_realloc(p, n);
}

/* One clone, no drugs, grid of `horizon` days with decisions every `dt`, daily visits. */
static rg_problem *base_problem(double horizon, double dt)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = horizon;
    p->decision_days = dt;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e300;
    p->n_clones = 1;
    strcpy(p->clones[0].name, "tumour");
    p->clones[0].cells = 1234.5;
    p->clones[0].growth_rate = 0.2385;
    return p;
}

static int add_drug(rg_problem *p, const char *name, double half_life)
{
    size_t d = p->n_drugs++;
    snprintf(p->drugs[d].name, sizeof p->drugs[d].name, "%s", name);
    p->drugs[d].half_life_days = half_life;
    return (int)d;
}

/* Runs p under `levels` (all drugs, [d * n_int + k]) with a fresh workspace; *continued (when
 * not NULL) gets the decision times the integrator stepped over without a restart. */
static void run_levels_counting(const rg_problem *p, const double *levels, rg_sim_summary *s,
                                rg_trajectory *tr, size_t *continued)
{
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    assert_int_equal(rg_trajectory_alloc(tr, p), RG_OK);
    int drugs[RG_MAX_DRUGS];
    for (size_t d = 0; d < p->n_drugs; d++)
        drugs[d] = (int)d;
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, p->n_drugs, drugs, levels), RG_OK);
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, s, tr), RG_OK);
    if (continued)
        *continued = rg_sim_integrator(w)->n_continued;
    rg_sim_free(w);
}

static void run_levels(const rg_problem *p, const double *levels, rg_sim_summary *s,
                       rg_trajectory *tr)
{
    run_levels_counting(p, levels, s, tr, NULL);
}

static double *const_levels(const rg_problem *p, double u)
{
    size_t ni = rg_problem_n_intervals(p), nd = p->n_drugs ? p->n_drugs : 1;
    double *lv = malloc(nd * ni * sizeof *lv);
    for (size_t q = 0; q < nd * ni; q++)
        lv[q] = u;
    return lv;
}

static void test_exponential_growth(void **state)
{
    (void)state;
    rg_problem *p = base_problem(70.0, 7.0);
    p->clones[0].death_rate = 0.0312;
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    assert_int_equal(s.status, RG_OK);
    double rate = 0.2385 - 0.0312;
    for (size_t v = 0; v < tr.n_visits; v++)
        assert_close(tr.burden[v], 1234.5 * exp(rate * tr.t[v]), 1e-7, 0.0);
    assert_close(s.final_burden, 1234.5 * exp(rate * 70.0), 1e-7, 0.0);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* x' = (r (1 - x/K) - delta) x is logistic with rate r - delta and capacity K (1 - delta/r) */
static void test_logistic_growth(void **state)
{
    (void)state;
    rg_problem *p = base_problem(140.0, 7.0);
    p->carrying_capacity = 2.385e9;
    p->clones[0].death_rate = 0.0213;
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    double r = 0.2385 - 0.0213, K = 2.385e9 * (1.0 - 0.0213 / 0.2385), x0 = 1234.5;
    for (size_t v = 0; v < tr.n_visits; v++) {
        double x = K / (1.0 + (K / x0 - 1.0) * exp(-r * tr.t[v]));
        assert_close(tr.burden[v], x, 1e-7, 0.0);
    }
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* half_life 0, constant level: x(t) = x0 exp((r - delta - kappa) t) */
static void test_constant_exposure(void **state)
{
    (void)state;
    static const rg_effect effects[] = {RG_EFFECT_HILL, RG_EFFECT_LINEAR};
    for (size_t e = 0; e < 2; e++) {
        rg_problem *p = base_problem(56.0, 7.0);
        p->extinction_cells = 0.0;
        p->clones[0].death_rate = 0.011;
        int d = add_drug(p, "drug", 0.0);
        p->drugs[d].emax = 0.4135;
        p->drugs[d].ec50 = 0.7;
        p->drugs[d].hill = 1.7;
        p->drugs[d].effect = effects[e];
        double u = 0.85;
        double *lv = const_levels(p, u);
        rg_sim_summary s;
        rg_trajectory tr;
        run_levels(p, lv, &s, &tr);
        double kappa = effects[e] == RG_EFFECT_HILL
                           ? 0.4135 * pow(u, 1.7) / (pow(u, 1.7) + pow(0.7, 1.7))
                           : 0.4135 * u / 0.7;
        for (size_t v = 0; v < tr.n_visits; v++) {
            assert_close(tr.burden[v], 1234.5 * exp((0.2385 - 0.011 - kappa) * tr.t[v]), 1e-7,
                         0.0);
            if (v > 0)
                assert_close(tr.conc[v], u, 0.0, 0.0);
        }
        assert_close(s.cumulative_dose[0], u * 56.0, 1e-14, 0.0);
        assert_close(s.dose_intensity[0], u, 1e-14, 0.0);
        free(lv);
        rg_trajectory_free(&tr);
        rg_problem_free(p);
    }
}

/* Where nothing changes at a decision time the right-hand side is smooth across it and the
 * integrator's step runs on (docs/model.md section 11): a constant infusion decided weekly
 * (the concentration still rising) must give what one interval over the whole horizon
 * gives, to the integrator's accuracy, with no restart at any of the 51 inner decision
 * times. Changing the level every other week restarts at those times only. */
static void test_steps_cross_unchanged_decisions(void **state)
{
    (void)state;
    rg_trajectory tr[3];
    rg_sim_summary s[3];
    size_t continued[3];
    for (int c = 0; c < 3; c++) {
        rg_problem *p = base_problem(364.0, c == 1 ? 364.0 : 7.0);
        p->visit_days = 7.0;
        p->carrying_capacity = 1e9;
        p->clones[0].cells = 2e8;
        p->clones[0].death_rate = 0.02;
        int d = add_drug(p, "drug", 2.0);
        p->drugs[d].emax = 0.3;
        p->drugs[d].ec50 = 0.5;
        p->drugs[d].hill = 1.0;
        double *lv = const_levels(p, 0.6);
        if (c == 2)
            for (size_t k = 0; k < rg_problem_n_intervals(p); k += 2)
                lv[k] = 0.9;
        run_levels_counting(p, lv, &s[c], &tr[c], &continued[c]);
        free(lv);
        rg_problem_free(p);
    }
    assert_int_equal(continued[0], 51);
    assert_int_equal(continued[1], 0);
    assert_int_equal(continued[2], 0);
    assert_int_equal(tr[0].n_visits, tr[1].n_visits);
    for (size_t v = 0; v < tr[0].n_visits; v++)
        assert_close(tr[0].burden[v], tr[1].burden[v], 1e-9, 0.0);
    /* the alternating schedule is a different treatment: it must differ */
    assert_true(fabs(tr[2].burden[52] - tr[0].burden[52]) > 1e-3 * tr[0].burden[52]);
    for (int c = 0; c < 3; c++)
        rg_trajectory_free(&tr[c]);
}

/* continuous: c(t+h) = u + (c(t) - u) exp(-k h); bolus: c += u at every dosing time, then
 * exp(-k h) decay */
static void test_pk_modes(void **state)
{
    (void)state;
    rg_problem *p = base_problem(84.0, 7.0);
    int dc = add_drug(p, "oral", 2.5);
    int db = add_drug(p, "iv", 1.7);
    p->drugs[db].administration = RG_ADMIN_BOLUS;
    p->drugs[db].dosing_interval_days = 14.0;
    size_t ni = rg_problem_n_intervals(p);
    double *lv = malloc(2 * ni * sizeof *lv);
    static const double pattern[] = {1.0, 0.4, 0.0, 0.75};
    for (size_t k = 0; k < ni; k++) {
        lv[(size_t)dc * ni + k] = pattern[k % 4];
        lv[(size_t)db * ni + k] = pattern[(k + 1) % 4];
    }
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, lv, &s, &tr);
    double kc = log(2.0) / 2.5, kb = log(2.0) / 1.7;
    double cum_b = 0.0, cum_c = 0.0;
    size_t nb = 0;
    for (size_t v = 0; v < tr.n_visits; v++) {
        double t = tr.t[v];
        /* continuous: interval by interval */
        double c = 0.0;
        size_t k = 0;
        for (; (double)(k + 1) * 7.0 <= t + 1e-9 && k < ni; k++) {
            double u = lv[(size_t)dc * ni + k];
            c = u + (c - u) * exp(-kc * 7.0);
        }
        if (k < ni && t > (double)k * 7.0) {
            double u = lv[(size_t)dc * ni + k];
            c = u + (c - u) * exp(-kc * (t - (double)k * 7.0));
        }
        assert_close(tr.conc[(size_t)dc * tr.n_visits + v], c, 1e-12, 1e-15);
        /* bolus: superposition of doses given strictly before t (at t itself the visit
         * comes before the dose) */
        double cb = 0.0;
        for (size_t m = 0; (double)m * 14.0 < t - 1e-9; m++)
            cb += lv[(size_t)db * ni + 2 * m] * exp(-kb * (t - (double)m * 14.0));
        assert_close(tr.conc[(size_t)db * tr.n_visits + v], cb, 1e-12, 1e-15);
    }
    for (size_t k = 0; k < ni; k++) {
        cum_c += 7.0 * lv[(size_t)dc * ni + k];
        if (k % 2 == 0) {
            cum_b += lv[(size_t)db * ni + k];
            nb++;
        }
    }
    assert_close(s.cumulative_dose[dc], cum_c, 1e-14, 0.0);
    assert_close(s.cumulative_dose[db], cum_b, 1e-14, 0.0);
    assert_close(s.dose_intensity[dc], cum_c / 84.0, 1e-14, 0.0);
    assert_close(s.dose_intensity[db], cum_b / (double)nb, 1e-14, 0.0);
    double tox = 0.0;
    for (size_t k = 0; k < ni; k++) {
        double t = lv[(size_t)dc * ni + k] + lv[(size_t)db * ni + k];
        tox = t > tox ? t : tox;
    }
    assert_close(s.max_daily_toxicity, tox, 1e-15, 0.0);
    free(lv);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* No growth, no death: drug-induced switching only moves cells (B constant), and the first
 * clone decays as exp(-nu u t). */
static void test_switching_conserves_cells(void **state)
{
    (void)state;
    rg_problem *p = base_problem(35.0, 7.0);
    p->extinction_cells = 0.0;
    p->n_clones = 3;
    for (size_t i = 0; i < 3; i++) {
        snprintf(p->clones[i].name, sizeof p->clones[i].name, "c%zu", i);
        p->clones[i].growth_rate = 0.0;
        p->clones[i].cells = i == 0 ? 3.5e8 : 1.25e3;
    }
    int d = add_drug(p, "inducer", 0.0);
    p->n_mutations = 2;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 1, .rate = 1e-3, .n_induced = 1};
    p->mutations[0].induced_drug[0] = d;
    p->mutations[0].induced_rate[0] = 0.0525;
    p->mutations[1] = (rg_mutation){.from = 1, .to = 2, .rate = 1e-3, .n_induced = 1};
    p->mutations[1].induced_drug[0] = d;
    p->mutations[1].induced_rate[0] = 0.0211;
    double *lv = const_levels(p, 0.8);
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, lv, &s, &tr);
    double b0 = 3.5e8 + 2 * 1.25e3;
    for (size_t v = 0; v < tr.n_visits; v++) {
        assert_close(tr.burden[v], b0, 1e-12, 0.0);
        assert_close(tr.clones[v], 3.5e8 * exp(-0.0525 * 0.8 * tr.t[v]), 1e-7, 0.0);
    }
    free(lv);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* Lotka-Volterra: at equilibrium r_i (1 - sum_j a_ij x_j / K_i) = delta_i, a linear system */
static void test_lotka_volterra_equilibrium(void **state)
{
    (void)state;
    rg_problem *p = base_problem(1400.0, 14.0);
    p->visit_days = 14.0;
    p->carrying_capacity = 1.7e9;
    p->n_clones = 3;
    static const double r[] = {0.21, 0.17, 0.13}, dl[] = {0.01, 0.02, 0.005};
    static const double K[] = {1.7e9, 1.3e9, 2.1e9};
    static const double a[3][3] = {{1.0, 0.2, 0.15}, {0.1, 1.0, 0.2}, {0.15, 0.1, 1.0}};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p->clones[i].name, sizeof p->clones[i].name, "c%zu", i);
        p->clones[i].cells = 1e6 * (double)(i + 1);
        p->clones[i].growth_rate = r[i];
        p->clones[i].death_rate = dl[i];
        p->clones[i].carrying_capacity = K[i];
        for (size_t j = 0; j < 3; j++)
            p->clones[i].competition[j] = a[i][j];
    }
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    double A[9], b[3], xs[3];
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < 3; j++)
            A[i * 3 + j] = a[i][j];
        b[i] = K[i] * (1.0 - dl[i] / r[i]);
    }
    gsl_matrix_view Am = gsl_matrix_view_array(A, 3, 3);
    gsl_vector_view bv = gsl_vector_view_array(b, 3), xv = gsl_vector_view_array(xs, 3);
    gsl_permutation *perm = gsl_permutation_alloc(3);
    int sgn;
    gsl_linalg_LU_decomp(&Am.matrix, perm, &sgn);
    gsl_linalg_LU_solve(&Am.matrix, perm, &bv.vector, &xv.vector);
    gsl_permutation_free(perm);
    size_t last = tr.n_visits - 1;
    for (size_t i = 0; i < 3; i++)
        print_message("clone %zu: t=%g %.6g, t=%g %.6g, equilibrium %.6g\n", i, tr.t[last - 5],
                      tr.clones[i * tr.n_visits + last - 5], tr.t[last],
                      tr.clones[i * tr.n_visits + last], xs[i]);
    for (size_t i = 0; i < 3; i++) {
        assert_true(xs[i] > 0.0);
        assert_close(tr.clones[i * tr.n_visits + last], xs[i], 1e-6, 0.0);
    }
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

static void test_friberg_rests_at_circ0(void **state)
{
    (void)state;
    rg_problem *p = base_problem(63.0, 7.0);
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    int d = add_drug(p, "cytotoxic", 1.2);
    p->drugs[d].myelotoxicity_slope = 0.6;
    double *lv = const_levels(p, 0.0);
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, lv, &s, &tr);
    for (size_t v = 0; v < tr.n_visits; v++)
        assert_close(tr.anc[v], 5.05, 1e-13, 0.0);
    assert_close(s.neutrophil_nadir, 5.05, 1e-13, 0.0);
    free(lv);
    rg_trajectory_free(&tr);
    /* with the drug on, the nadir falls below circ0 and is read at visits */
    lv = const_levels(p, 1.0);
    run_levels(p, lv, &s, &tr);
    double nadir = INFINITY;
    for (size_t v = 0; v < tr.n_visits; v++)
        nadir = fmin(nadir, tr.anc[v]);
    assert_true(nadir < 5.0);
    assert_close(s.neutrophil_nadir, nadir, 0.0, 0.0);
    free(lv);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* Goldie & Coldman (1979): from one cell doubling daily with no death, N cells after 20 days
 * came from N - 1 divisions; with mu per division to a resistant clone whose lineages all
 * survive (no death, no kill: pi = 1), P = 1 - exp(-mu (N - 1)). The sensitive clone's own
 * growth is slowed by the outflow (rate r (1 - mu)), which changes P by ~1e-5 relative. */
static void test_goldie_coldman(void **state)
{
    (void)state;
    rg_problem *p = base_problem(20.0, 5.0);
    p->carrying_capacity = 1e30;
    p->emergence_cells = 1e30;
    p->n_clones = 2;
    p->clones[0].cells = 1.0;
    p->clones[0].growth_rate = log(2.0);
    strcpy(p->clones[1].name, "resistant");
    p->clones[1].cells = 0.0;
    p->clones[1].growth_rate = 0.5;
    p->clones[1].resistant = true;
    p->n_mutations = 1;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 1, .rate = 1e-6};
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    double N = pow(2.0, 20.0);
    double P = 1.0 - exp(-1e-6 * (N - 1.0));
    print_message("Goldie-Coldman: P = %.10f, kernel %.10f (rel %.2g)\n", P,
                  s.resistance_probability, fabs(s.resistance_probability / P - 1.0));
    assert_close(s.resistance_probability, P, 1e-4, 0.0);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* order of events: extinction at t_k (k >= 1) only without inflow; the visit at t_k sees the
 * state before extinction */
static void test_extinction(void **state)
{
    (void)state;
    rg_problem *p = base_problem(21.0, 7.0);
    p->n_clones = 3;
    for (size_t i = 0; i < 3; i++) {
        snprintf(p->clones[i].name, sizeof p->clones[i].name, "c%zu", i);
        p->clones[i].growth_rate = 0.05;
        p->clones[i].death_rate = 0.2;
    }
    p->clones[0].cells = 1e6;
    p->clones[1].cells = 1.5; /* 1.5 e^{-0.15 * 7} = 0.52 at t_1: extinct */
    p->clones[2].cells = 1.5; /* same, but fed by switching from clone 0 */
    p->n_mutations = 1;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 2, .rate = 1e-9};
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    size_t nv = tr.n_visits;
    assert_close(tr.clones[1 * nv + 7], 1.5 * exp(-0.15 * 7.0), 1e-7, 0.0);
    for (size_t v = 8; v < nv; v++)
        assert_true(tr.clones[1 * nv + v] == 0.0);
    for (size_t v = 8; v < nv; v++)
        assert_true(tr.clones[2 * nv + v] > 0.0);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* progression: first visit with B >= factor * reference and B >= min_cells */
static void test_progression(void **state)
{
    (void)state;
    rg_problem *p = base_problem(60.0, 6.0);
    p->clones[0].cells = 1.0;
    p->clones[0].growth_rate = 0.31;
    p->progression_min_cells = 100.0;
    p->progression_factor = 1.2;
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    double t = ceil(log(100.0) / 0.31); /* first whole day with e^{0.31 t} >= 100 */
    assert_true(s.progressed);
    assert_close(s.ttp, t, 0.0, 0.0);
    rg_trajectory_free(&tr);
    /* nadir reference under a drug that shrinks the tumour, then stops */
    p->clones[0].cells = 1e6;
    p->clones[0].growth_rate = 0.1;
    p->progression_reference = RG_REF_NADIR;
    p->progression_min_cells = 1.0;
    int d = add_drug(p, "drug", 0.0);
    p->drugs[d].effect = RG_EFFECT_LINEAR;
    p->drugs[d].emax = 0.3;
    size_t ni = rg_problem_n_intervals(p);
    double *lv = calloc(ni, sizeof *lv);
    lv[0] = lv[1] = 1.0; /* kill 0.3 for 12 days: B falls as e^{-0.2 t}, then grows e^{0.1 t} */
    run_levels(p, lv, &s, &tr);
    /* nadir at t = 12; progression at first day t with e^{0.1 (t - 12)} >= 1.2 */
    double tp = 12.0 + ceil(log(1.2) / 0.1);
    assert_true(s.progressed);
    assert_close(s.ttp, tp, 0.0, 0.0);
    free(lv);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* the time loop allocates nothing; re-running is bit-identical; two workspaces interleave */
static void test_no_allocation_reentrant(void **state)
{
    (void)state;
    rg_problem *p = base_problem(84.0, 7.0);
    p->carrying_capacity = 1e10;
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    int d = add_drug(p, "drug", 1.3);
    p->drugs[d].emax = 0.7;
    p->drugs[d].myelotoxicity_slope = 0.3;
    p->n_regimens = 1;
    p->regimens[0].policy = RG_POLICY_MTD;
    p->regimens[0].n_drugs = 1;
    p->regimens[0].drugs[0] = d;
    p->regimens[0].cycle_days = 21.0;
    p->regimens[0].on_days = 7.0;
    rg_sim_workspace *w1 = rg_sim_alloc(p), *w2 = rg_sim_alloc(p);
    rg_trajectory tr1, tr2;
    assert_int_equal(rg_trajectory_alloc(&tr1, p), RG_OK);
    assert_int_equal(rg_trajectory_alloc(&tr2, p), RG_OK);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[0]), RG_OK);
    rg_sim_summary s1, s2;
    size_t before = alloc_count;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w1, p, &dose, NULL, &s1, &tr1), RG_OK);
    assert_int_equal(rg_sim_run(w2, p, &dose, NULL, &s2, &tr2), RG_OK);
    for (int q = 0; q < 5; q++)
        assert_int_equal(rg_sim_run(w1, p, &dose, NULL, &s1, NULL), RG_OK);
    size_t during = alloc_count - before;
    print_message("allocations during 7 runs: %zu\n", during);
    assert_int_equal(during, 0);
    assert_true(before > 0); /* the counter does count (the workspaces above) */
    assert_memory_equal(&s1, &s2, sizeof s1);
    assert_memory_equal(tr1.burden, tr2.burden, tr1.n_visits * sizeof(double));
    rg_trajectory_free(&tr1);
    rg_trajectory_free(&tr2);
    rg_sim_free(w1);
    rg_sim_free(w2);
    rg_sim_free(NULL);
    rg_problem_free(p);
}

static void test_budget_and_nonfinite(void **state)
{
    (void)state;
    rg_problem *p = base_problem(70.0, 7.0);
    p->step_budget = 5;
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    assert_int_equal(s.status, RG_EBUDGET);
    assert_true(s.steps <= 5);
    assert_true(isfinite(s.final_burden) && isfinite(s.hazard) && isfinite(s.ttp));
    rg_trajectory_free(&tr);
    /* a non-finite parameter (bypassing the loader) ends the run flagged, values finite */
    p->step_budget = 1000000;
    p->clones[0].carrying_capacity = NAN;
    p->carrying_capacity = NAN;
    run_levels(p, NULL, &s, &tr);
    assert_int_equal(s.status, RG_ENUMERIC);
    assert_true(isfinite(s.final_burden) && isfinite(s.resistant_burden) &&
                isfinite(s.hazard) && isfinite(s.resistance_probability) && isfinite(s.ttp));
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

/* heavy kill: populations handed out never go negative */
static void test_nonnegative(void **state)
{
    (void)state;
    rg_problem *p = base_problem(70.0, 7.0);
    p->n_clones = 2;
    strcpy(p->clones[1].name, "small");
    p->clones[1].cells = 3.0;
    p->extinction_cells = 0.0;
    int d = add_drug(p, "drug", 0.0);
    p->drugs[d].effect = RG_EFFECT_LINEAR;
    p->drugs[d].emax = 45.0;
    double *lv = const_levels(p, 1.0);
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, lv, &s, &tr);
    assert_int_equal(s.status, RG_OK);
    for (size_t q = 0; q < 2 * tr.n_visits; q++)
        assert_true(tr.clones[q] >= 0.0);
    assert_close(tr.clones[tr.n_visits + 1], 3.0 * exp((0.2385 - 45.0) * 1.0), 1e-3, 1e-15);
    free(lv);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    rg_problem *p = base_problem(70.0, 7.0);
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 0, NULL, NULL), RG_OK);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(NULL, p, &dose, NULL, &s, NULL), RG_EINVAL);
    /* a workspace too small for a bigger problem */
    rg_problem *q = base_problem(700.0, 7.0);
    assert_int_equal(rg_sim_run(w, q, &dose, NULL, &s, NULL), RG_EINVAL);
    /* visits that do not divide the decision interval */
    p->visit_days = 2.0;
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_EINVAL);
    rg_problem_free(q);
    rg_sim_free(w);
    rg_problem_free(p);
    assert_int_equal(rg_trajectory_alloc(NULL, NULL), RG_EINVAL);
    rg_trajectory_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_growth),
        cmocka_unit_test(test_logistic_growth),
        cmocka_unit_test(test_constant_exposure),
        cmocka_unit_test(test_pk_modes),
        cmocka_unit_test(test_steps_cross_unchanged_decisions),
        cmocka_unit_test(test_switching_conserves_cells),
        cmocka_unit_test(test_lotka_volterra_equilibrium),
        cmocka_unit_test(test_friberg_rests_at_circ0),
        cmocka_unit_test(test_goldie_coldman),
        cmocka_unit_test(test_extinction),
        cmocka_unit_test(test_progression),
        cmocka_unit_test(test_no_allocation_reentrant),
        cmocka_unit_test(test_budget_and_nonfinite),
        cmocka_unit_test(test_nonnegative),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
