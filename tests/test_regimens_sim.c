/* The regimens driven by the kernel (rg_sim_run):
 * - each policy's switching times on one clone growing or shrinking exponentially
 *   (logistic with K = 1e30 >> B, drug with half_life 0 and linear effect, so
 *   B(t) = B(0) exp(sum (r - emax u_k) h) exactly), computed by hand here;
 * - policies see only visit burdens: the same burden path from different hidden clones
 *   gives the same doses;
 * - the literature's adaptive-versus-MTD result (Strobl et al. 2021 Cancer Res; Zhang et
 *   al. 2017 Nat Commun), both halves;
 * - objectives and constraints of kernel runs against hand computations. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/regimens.h"
#include "regimen/sim.h"

static const double B0 = 2.385e9;

/* One clone "s" (growth r) and n_drugs drugs with half_life 0 and linear kill emax[d]. */
static rg_problem *exponential_model(double r, size_t n_drugs, const double emax[],
                                     double horizon, double decision)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    snprintf(p->name, sizeof p->name, "exponential");
    p->horizon_days = horizon;
    p->decision_days = decision;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e30;
    p->extinction_cells = 1.0;
    p->emergence_cells = 1e300;
    p->progression_min_cells = 1.0;
    p->progression_factor = 50.0;
    p->n_clones = 1;
    strcpy(p->clones[0].name, "s");
    p->clones[0].cells = B0;
    p->clones[0].growth_rate = r;
    p->clones[0].carrying_capacity = 1e30;
    p->n_drugs = n_drugs;
    for (size_t d = 0; d < n_drugs; d++) {
        snprintf(p->drugs[d].name, RG_NAME_MAX, "drug%zu", d);
        p->drugs[d].half_life_days = 0.0;
        p->drugs[d].effect = RG_EFFECT_LINEAR;
        p->drugs[d].emax = emax[d];
        p->drugs[d].ec50 = 1.0;
    }
    return p;
}

static rg_regimen *add_regimen(rg_problem *p, const char *name, rg_policy_kind kind,
                               size_t n_drugs, const int drugs[])
{
    rg_regimen *reg = &p->regimens[p->n_regimens++];
    snprintf(reg->name, RG_NAME_MAX, "%s", name);
    reg->policy = kind;
    reg->n_drugs = n_drugs;
    for (size_t j = 0; j < n_drugs; j++)
        reg->drugs[j] = drugs[j];
    return reg;
}

typedef struct {
    rg_sim_workspace *w;
    rg_trajectory traj;
    rg_sim_summary s;
} run_out;

static void run_policy(const rg_problem *p, rg_policy *pol, run_out *o)
{
    o->w = rg_sim_alloc(p);
    assert_non_null(o->w);
    assert_int_equal(rg_trajectory_alloc(&o->traj, p), RG_OK);
    rg_dosing dose = rg_policy_dosing(pol);
    assert_int_equal(rg_sim_run(o->w, p, &dose, NULL, &o->s, &o->traj), RG_OK);
    assert_int_equal(o->s.status, RG_OK);
}

static void run_regimen(const rg_problem *p, size_t r, run_out *o)
{
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
    run_policy(p, &pol, o);
}

static void run_free(run_out *o)
{
    rg_trajectory_free(&o->traj);
    rg_sim_free(o->w);
}

/* Burdens against the closed form at the kernel's accuracy contract (docs/model.md section 10:
 * 1e-6 relative; the 1e-9 B(0) absolute part is not needed on these paths). Threshold
 * crossings keep a margin far above it, so the decisions cannot depend on rounding. */
#define BURDEN_RTOL 1e-6
#define THRESHOLD_MARGIN 1e-4

/* The kernel's levels and visit burdens against the hand computation: levels exactly,
 * burdens against B(0) exp(log_b) to BURDEN_RTOL. want[d * ni + k]. */
static void check_run(const rg_problem *p, const run_out *o, const double *want,
                      const double *log_b /* per decision, ni + 1 */)
{
    size_t ni = rg_problem_n_intervals(p);
    size_t per = (size_t)llround(p->decision_days / p->visit_days);
    for (size_t d = 0; d < p->n_drugs; d++)
        for (size_t k = 0; k < ni; k++) {
            if (o->traj.levels[d * ni + k] != want[d * ni + k])
                print_error("drug %zu interval %zu: kernel %.17g, by hand %.17g\n", d, k,
                            o->traj.levels[d * ni + k], want[d * ni + k]);
            assert_close(o->traj.levels[d * ni + k], want[d * ni + k], 1e-15, 0);
        }
    for (size_t k = 0; k <= ni; k++)
        assert_close(o->traj.burden[k * per], B0 * exp(log_b[k]), BURDEN_RTOL, 0);
}

/* Margin (in log burden) a threshold crossing must keep for the kernel's error not to
 * matter: far above BURDEN_RTOL. */
static void assert_margin(double log_b, double log_threshold)
{
    assert_true(fabs(log_b - log_threshold) > THRESHOLD_MARGIN);
}

static void test_metronomic_closed_form(void **state)
{
    (void)state;
    const double emax[] = {0.071, 0.023};
    rg_problem *p = exponential_model(0.031, 2, emax, 60.0, 3.0);
    const int both[] = {1, 0};
    rg_regimen *reg = add_regimen(p, "metro", RG_POLICY_METRONOMIC, 2, both);
    reg->level = 0.37;
    run_out o;
    run_regimen(p, 0, &o);
    size_t ni = rg_problem_n_intervals(p);
    double want[40], log_b[21];
    for (size_t k = 0; k <= ni; k++)
        log_b[k] = (0.031 - (0.071 + 0.023) * 0.37) * 3.0 * (double)k;
    for (size_t q = 0; q < 2 * ni; q++)
        want[q] = 0.37;
    check_run(p, &o, want, log_b);
    assert_close(o.s.final_burden, B0 * exp((0.031 - 0.094 * 0.37) * 60.0), BURDEN_RTOL, 0);
    assert_close(o.s.cumulative_dose[0], 0.37 * 60.0, 1e-12, 0);
    assert_close(o.s.dose_intensity[1], 0.37, 1e-12, 0);
    run_free(&o);
    rg_problem_free(p);
}

/* Adaptive by hand: B/B(0) = exp(log_b), treated k: log_b += (r - emax dose) h. */
static void adaptive_by_hand(double r, double emax, double h, size_t ni, double dose,
                             double stop, double resume, double *want, double *log_b)
{
    int treating = 1;
    log_b[0] = 0.0;
    for (size_t k = 0; k < ni; k++) {
        if (k > 0) {
            if (treating) {
                assert_margin(log_b[k], log(stop));
                if (log_b[k] <= log(stop))
                    treating = 0;
            } else {
                assert_margin(log_b[k], log(resume));
                if (log_b[k] >= log(resume))
                    treating = 1;
            }
        }
        want[k] = treating ? dose : 0.0;
        log_b[k + 1] = log_b[k] + (r - emax * want[k]) * h;
    }
}

static void test_adaptive_closed_form(void **state)
{
    (void)state;
    const double emax[] = {0.1};
    rg_problem *p = exponential_model(0.03, 1, emax, 120.0, 2.0);
    const int d0[] = {0};
    rg_regimen *reg = add_regimen(p, "AT", RG_POLICY_ADAPTIVE, 1, d0);
    reg->dose = 1.0;
    reg->stop_below = 0.5;
    reg->resume_above = 1.0;
    run_out o;
    run_regimen(p, 0, &o);
    size_t ni = rg_problem_n_intervals(p);
    double want[60], log_b[61];
    adaptive_by_hand(0.03, 0.1, 2.0, ni, 1.0, 0.5, 1.0, want, log_b);
    /* the first switches, from the closed form: stop at the first t_k with
     * exp(-0.07 t) <= 0.5, t >= ln 2 / 0.07 = 9.90: t = 10 (k = 5); resume when
     * -0.7 + 0.03 (t - 10) >= 0, t >= 33.3: t = 34 (k = 17); stop when
     * 0.02 - 0.07 (t - 34) <= -ln 2, t >= 44.19: t = 46 (k = 23) */
    for (size_t k = 0; k < 5; k++)
        assert_close(want[k], 1.0, 0, 0);
    for (size_t k = 5; k < 17; k++)
        assert_close(want[k], 0.0, 0, 0);
    for (size_t k = 17; k < 23; k++)
        assert_close(want[k], 1.0, 0, 0);
    assert_close(want[23], 0.0, 0, 0);
    check_run(p, &o, want, log_b);
    run_free(&o);
    rg_problem_free(p);
}

static void test_dose_modulation_closed_form(void **state)
{
    (void)state;
    const double r = 0.04, emax = 0.12, h = 7.0;
    rg_problem *p = exponential_model(r, 1, &emax, 140.0, h);
    const int d0[] = {0};
    rg_regimen *reg = add_regimen(p, "DM", RG_POLICY_DOSE_MODULATION, 1, d0);
    reg->dose = 1.0;
    reg->rise = 0.05;
    reg->fall = 0.03;
    reg->step = 0.6;
    reg->min_dose = 0.2;
    reg->skip_below = 0.6;
    run_out o;
    run_regimen(p, 0, &o);
    size_t ni = rg_problem_n_intervals(p);
    double want[20], log_b[21], D = 1.0;
    log_b[0] = 0.0;
    for (size_t k = 0; k < ni; k++) {
        if (k > 0) {
            double up = log_b[k - 1] + log(1.05), down = log_b[k - 1] + log(0.97);
            assert_margin(log_b[k], up);
            assert_margin(log_b[k], down);
            if (log_b[k] > up)
                D = D == 0.0 ? 1.0 : D * 1.6;
            else if (log_b[k] < down)
                D *= 0.4;
        }
        D = D > 1.0 ? 1.0 : D;
        D = D < 0.2 ? 0.0 : D;
        assert_margin(log_b[k], log(0.6));
        want[k] = log_b[k] < log(0.6) ? 0.0 : D;
        log_b[k + 1] = log_b[k] + (r - emax * want[k]) * h;
    }
    /* the path exercises every branch: skip (k = 1, 3), rise (k = 2, 4), fall (k = 3),
     * D below min_dose (k = 5), restart at dose (k = 6) */
    const double first[] = {1.0, 0.0, 0.64, 0.0, 0.4096, 0.0, 1.0};
    for (size_t k = 0; k < 7; k++)
        assert_close(want[k], first[k], 1e-15, 0);
    check_run(p, &o, want, log_b);
    run_free(&o);
    rg_problem_free(p);
}

static void test_rule_closed_form(void **state)
{
    (void)state;
    /* drug0 too weak to shrink the tumour (net +0.01/day), drug1 weak too (+0.005),
     * drug2 strong (-0.07/day): the rule walks the order 0 -> 1 -> 2 */
    const double emax[] = {0.02, 0.025, 0.1}, r = 0.03, h = 7.0;
    rg_problem *p = exponential_model(r, 3, emax, 210.0, h);
    rg_rule_params q = {.dose = 1.0, .stop_below = 0.5, .resume_above = 0.95,
                        .switch_rise = 0.03, .min_dose = 0.05, .n_drugs = 3,
                        .order = {0, 1, 2}};
    rg_policy pol;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    run_out o;
    run_policy(p, &pol, &o);
    size_t ni = rg_problem_n_intervals(p);
    double want[3 * 30], log_b[31], given = 0.0;
    int treating = 1;
    size_t cur = 0;
    memset(want, 0, sizeof want);
    log_b[0] = 0.0;
    for (size_t k = 0; k < ni; k++) {
        if (k > 0) {
            double up = log_b[k - 1] + log(1.03);
            if (treating && given > 0.0) {
                assert_margin(log_b[k], up);
                if (log_b[k] > up)
                    cur = (cur + 1) % 3;
            }
            if (treating) {
                assert_margin(log_b[k], log(0.5));
                if (log_b[k] <= log(0.5))
                    treating = 0;
            } else {
                assert_margin(log_b[k], log(0.95));
                if (log_b[k] >= log(0.95))
                    treating = 1;
            }
        }
        given = treating ? 1.0 : 0.0;
        want[cur * ni + k] = given;
        log_b[k + 1] = log_b[k] + (r - emax[cur] * given) * h;
    }
    /* by hand: k0 drug0, B rises 7.3% -> k1 drug1, rises 3.6% -> k2 drug2 */
    assert_close(want[0 * ni + 0], 1.0, 0, 0);
    assert_close(want[1 * ni + 1], 1.0, 0, 0);
    assert_close(want[2 * ni + 2], 1.0, 0, 0);
    check_run(p, &o, want, log_b);
    run_free(&o);
    rg_problem_free(p);
}

/* ---- policies see only the burden ---- */

static void test_hidden_clones(void **state)
{
    (void)state;
    const double emax[] = {0.1, 0.05};
    rg_problem *a = exponential_model(0.03, 2, emax, 182.0, 7.0);
    rg_problem *b = exponential_model(0.03, 2, emax, 182.0, 7.0);
    /* b: the same cells split in two clones with the same parameters, one labelled
     * resistant: the burden path is the same, the clone counts are not */
    b->n_clones = 2;
    b->clones[1] = b->clones[0];
    strcpy(b->clones[1].name, "hidden");
    b->clones[0].cells = 0.3 * B0;
    b->clones[1].cells = 0.7 * B0;
    b->clones[1].resistant = true;
    const int both[] = {0, 1};
    rg_problem *ps[2] = {a, b};
    for (int m = 0; m < 2; m++) {
        rg_regimen *reg = add_regimen(ps[m], "AT", RG_POLICY_ADAPTIVE, 2, both);
        reg->dose = 0.8;
        reg->stop_below = 0.4;
        reg->resume_above = 0.9;
        reg = add_regimen(ps[m], "DM", RG_POLICY_DOSE_MODULATION, 2, both);
        reg->dose = 0.7;
        reg->rise = 0.1;
        reg->fall = 0.1;
        reg->step = 0.5;
        reg->min_dose = 0.05;
        reg->skip_below = 0.2;
    }
    size_t ni = rg_problem_n_intervals(a), nv = rg_problem_n_visits(a);
    for (size_t r = 0; r < 2; r++) {
        run_out oa, ob;
        run_regimen(a, r, &oa);
        run_regimen(b, r, &ob);
        int switched = 0;
        for (size_t q = 0; q < 2 * ni; q++) {
            assert_close(ob.traj.levels[q], oa.traj.levels[q], 0, 0);
            if (q > 0 && q % ni && oa.traj.levels[q] != oa.traj.levels[q - 1])
                switched = 1;
        }
        assert_true(switched); /* the doses did change over time */
        for (size_t v = 0; v < nv; v++)
            assert_close(ob.traj.burden[v], oa.traj.burden[v], 2.0 * BURDEN_RTOL, 0);
        assert_close(ob.traj.clones[nv + nv - 1], 0.7 * oa.s.final_burden, 2.0 * BURDEN_RTOL, 0);
        run_free(&oa);
        run_free(&ob);
    }
    /* the evolved rule too */
    rg_rule_params q = {.dose = 0.9, .stop_below = 0.45, .resume_above = 0.8,
                        .switch_rise = 0.02, .min_dose = 0.05, .n_drugs = 2,
                        .order = {1, 0}};
    rg_policy pa, pb;
    assert_int_equal(rg_policy_init_rule(&pa, a, &q), RG_OK);
    assert_int_equal(rg_policy_init_rule(&pb, b, &q), RG_OK);
    run_out oa, ob;
    run_policy(a, &pa, &oa);
    run_policy(b, &pb, &ob);
    for (size_t k = 0; k < 2 * ni; k++)
        assert_close(ob.traj.levels[k], oa.traj.levels[k], 0, 0);
    run_free(&oa);
    run_free(&ob);
    rg_problem_free(a);
    rg_problem_free(b);
}

/* ---- adaptive versus MTD (Strobl et al. 2021; Zhang et al. 2017) ---- */

/* Two clones under one carrying capacity K = 1 (normalised cells), same growth rate (no
 * cost of resistance), the resistant one untouched by the drug (apoptosis fold 1e12 divides
 * its Emax). B(0) = b0 K, a fraction f resistant. */
static rg_problem *two_clone_model(double f, double b0)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = 1400.0;
    p->decision_days = 7.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1.0;
    p->extinction_cells = 0.0;
    p->progression_min_cells = 0.0;
    p->progression_factor = 1.2;
    p->emergence_cells = 0.1 * b0;
    p->n_clones = 2;
    strcpy(p->clones[0].name, "sensitive");
    strcpy(p->clones[1].name, "resistant");
    for (int i = 0; i < 2; i++) {
        p->clones[i].growth_rate = 0.03;
        p->clones[i].carrying_capacity = 1.0;
    }
    p->clones[0].cells = b0 * (1.0 - f);
    p->clones[1].cells = b0 * f;
    p->clones[1].resistant = true;
    p->n_drugs = 1;
    strcpy(p->drugs[0].name, "abiraterone");
    p->drugs[0].half_life_days = 0.0;
    p->drugs[0].effect = RG_EFFECT_LINEAR;
    p->drugs[0].emax = 0.1;
    p->n_mechs = 1;
    strcpy(p->mechs[0].name, "BCL2");
    p->mechs[0].kind = RG_MECH_APOPTOSIS;
    p->mechs[0].affects[0] = true;
    p->clones[1].carries[0] = true;
    p->clones[1].fold[0] = 1e12;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    rg_regimen *at = add_regimen(p, "AT50", RG_POLICY_ADAPTIVE, 1, d0);
    at->dose = 1.0;
    at->stop_below = 0.5;
    at->resume_above = 1.0;
    return p;
}

static void ttp_pair(double f, double b0, double *mtd, double *at)
{
    rg_problem *p = two_clone_model(f, b0);
    run_out o;
    run_regimen(p, 0, &o);
    assert_true(o.s.progressed);
    *mtd = o.s.ttp;
    run_free(&o);
    run_regimen(p, 1, &o);
    assert_true(o.s.progressed);
    *at = o.s.ttp;
    run_free(&o);
    rg_problem_free(p);
}

static void test_adaptive_beats_mtd_when_resistance_is_rare(void **state)
{
    (void)state;
    const double fr[] = {0.001, 0.01, 0.1};
    double prev_gain = INFINITY;
    for (size_t i = 0; i < 3; i++) {
        double mtd, at;
        ttp_pair(fr[i], 0.75, &mtd, &at);
        double gain = (at - mtd) / mtd;
        print_message("resistant fraction %.3g: TTP MTD %g, adaptive %g days (gain %.0f%%)\n",
                      fr[i], mtd, at, 100.0 * gain);
        assert_true(at > mtd);
        assert_true(gain < prev_gain); /* the gain shrinks as resistance is more common */
        prev_gain = gain;
    }
    double mtd, at;
    ttp_pair(0.01, 0.75, &mtd, &at);
    assert_true(at >= 1.3 * mtd);
}

static void test_no_gain_when_resistance_is_common(void **state)
{
    (void)state;
    const double fr[] = {0.3, 0.5};
    for (size_t i = 0; i < 2; i++) {
        double mtd, at;
        ttp_pair(fr[i], 0.75, &mtd, &at);
        print_message("resistant fraction %.3g: TTP MTD %g, adaptive %g days\n", fr[i], mtd,
                      at);
        /* the resistant clone alone keeps B above stop_below B(0): adaptive therapy never
         * pauses and is MTD */
        assert_true(fabs(at - mtd) <= 7.0);
    }
}

/* The gain needs the tumour to start near carrying capacity (Strobl et al. 2021): at a 1%
 * resistant fraction it grows with B(0)/K. */
static void test_gain_grows_with_initial_density(void **state)
{
    (void)state;
    const double dens[] = {0.1, 0.25, 0.5, 0.75};
    double prev_gain = -INFINITY;
    for (size_t i = 0; i < 4; i++) {
        double mtd, at;
        ttp_pair(0.01, dens[i], &mtd, &at);
        double gain = (at - mtd) / mtd;
        print_message("B(0)/K %.2f: TTP MTD %g, adaptive %g days (gain %.0f%%)\n", dens[i],
                      mtd, at, 100.0 * gain);
        assert_true(at >= mtd);
        assert_true(gain > prev_gain);
        prev_gain = gain;
    }
}

/* ---- objectives and constraints on kernel runs ---- */

static void test_objectives_of_a_run(void **state)
{
    (void)state;
    const double emax[] = {0.071, 0.023};
    rg_problem *p = exponential_model(0.031, 2, emax, 60.0, 3.0);
    p->drugs[0].toxicity_weight = 1.7;
    p->drugs[1].toxicity_weight = 0.4;
    const int both[] = {0, 1};
    rg_regimen *reg = add_regimen(p, "metro", RG_POLICY_METRONOMIC, 2, both);
    reg->level = 0.37;
    p->optimize.n_objectives = 4;
    p->optimize.objectives[0] = RG_OBJ_TTP;
    p->optimize.objectives[1] = RG_OBJ_FINAL_BURDEN;
    p->optimize.objectives[2] = RG_OBJ_DOSE_INTENSITY;
    p->optimize.objectives[3] = RG_OBJ_RESISTANT_BURDEN;
    /* limits: drug0 at most 20 MTD-days (it gets 0.37 * 60 = 22.2), daily toxicity at most
     * 0.7 (it is 0.37 * 2.1 = 0.777) */
    p->drugs[0].max_cumulative_dose = 20.0;
    p->max_daily_toxicity = 0.7;
    run_out o;
    run_regimen(p, 0, &o);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    double bh = B0 * exp((0.031 - 0.094 * 0.37) * 60.0);
    assert_close(res.value[0], 60.0, 0, 0); /* no progression: censored at the horizon */
    assert_close(res.fitness[0], -60.0, 0, 0);
    assert_close(res.value[1], log10(1.0 + bh), 1e-6, 0);
    assert_close(res.value[2], 1.7 * 0.37 + 0.4 * 0.37, 1e-12, 0);
    assert_close(res.value[3], 0.0, 0, 0);
    assert_true(res.flags & RG_RES_CENSORED);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.cumulative_dose[0], 0.37 * 60.0 - 20.0, 1e-12, 0);
    assert_close(v.daily_toxicity, 0.37 * 2.1 - 0.7, 1e-12, 0);
    assert_close(res.violation, (22.2 - 20.0) / 20.0 + (0.777 - 0.7) / 0.7, 1e-12, 0);
    run_free(&o);
    rg_problem_free(p);
}

/* A Friberg model with a myelotoxic drug breaking anc_min: the violation is anc_min minus
 * the nadir the kernel reports, normalised by anc_min. */
static void test_anc_violation(void **state)
{
    (void)state;
    const double emax[] = {0.05};
    rg_problem *p = exponential_model(0.02, 1, emax, 42.0, 7.0);
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    p->drugs[0].myelotoxicity_slope = 0.6;
    p->anc_min = 4.0;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    run_out o;
    run_regimen(p, 0, &o);
    double nadir = o.s.neutrophil_nadir;
    assert_true(nadir < 4.0 && nadir > 0.0);
    /* the nadir is the minimum over visits of the trajectory's ANC */
    double mn = INFINITY;
    for (size_t v = 0; v < o.traj.n_visits; v++)
        mn = fmin(mn, o.traj.anc[v]);
    assert_close(nadir, mn, 0, 0);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.anc, 4.0 - nadir, 1e-15, 0);
    assert_close(v.total, (4.0 - nadir) / 4.0, 1e-15, 0);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    assert_non_null(strstr(res.reason, "anc_min"));
    run_free(&o);
    rg_problem_free(p);
}

/* An evolved open-loop schedule breaking max_cumulative_dose (both drugs) and anc_min, then
 * max_daily_toxicity too: the violation is the sum of the normalised excesses, computed by
 * hand from the levels. */
static void test_schedule_violations(void **state)
{
    (void)state;
    const double emax[] = {0.05, 0.02};
    rg_problem *p = exponential_model(0.02, 2, emax, 28.0, 7.0);
    p->drugs[0].toxicity_weight = 1.3;
    p->drugs[1].toxicity_weight = 0.6;
    p->drugs[0].max_cumulative_dose = 10.0;
    p->drugs[1].max_cumulative_dose = 12.0;
    p->max_daily_toxicity = 1.6;
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    p->drugs[0].myelotoxicity_slope = 0.5;
    p->anc_min = 4.5;
    const int drugs[] = {0, 1};
    /* drug0: 1, 0.5, 0.75, 0 -> 15.75 MTD-days (limit 10: excess 5.75)
     * drug1: 0.25, 1, 0.5, 0 -> 12.25 MTD-days (limit 12: excess 0.25)
     * daily toxicity 1.3 u0 + 0.6 u1: 1.45, 1.25, 1.275, 0 -> worst 1.45, within 1.6 */
    const double levels[] = {1.0, 0.5, 0.75, 0.0, 0.25, 1.0, 0.5, 0.0};
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, drugs, levels), RG_OK);
    run_out o;
    run_policy(p, &pol, &o);
    assert_close(o.s.cumulative_dose[0], 15.75, 1e-12, 0);
    assert_close(o.s.cumulative_dose[1], 12.25, 1e-12, 0);
    assert_close(o.s.max_daily_toxicity, 1.45, 1e-12, 0);
    double nadir = o.s.neutrophil_nadir;
    assert_true(nadir < 4.5);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.cumulative_dose[0], 5.75, 1e-12, 0);
    assert_close(v.cumulative_dose[1], 0.25, 1e-12, 0);
    assert_close(v.daily_toxicity, 0.0, 0, 0);
    assert_close(v.anc, 4.5 - nadir, 1e-15, 0);
    double total = 5.75 / 10.0 + 0.25 / 12.0 + (4.5 - nadir) / 4.5;
    assert_close(v.total, total, 1e-12, 0);
    /* tighten the toxicity limit below the worst interval: its excess joins the sum */
    p->max_daily_toxicity = 1.2;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.daily_toxicity, 0.25, 1e-12, 0);
    assert_close(v.total, total + 0.25 / 1.2, 1e-12, 0);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    assert_close(res.violation, total + 0.25 / 1.2, 1e-12, 0);
    assert_non_null(strstr(res.reason, "max_cumulative_dose drug0 15.75 > 10"));
    run_free(&o);
    rg_problem_free(p);
}

/* A step budget of 1 ends the run flagged: the result is infeasible, never NaN. */
static void test_budget_result(void **state)
{
    (void)state;
    const double emax[] = {0.05};
    rg_problem *p = exponential_model(0.02, 1, emax, 42.0, 7.0);
    p->step_budget = 1;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[0]), RG_OK);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
    assert_int_equal(s.status, RG_EBUDGET);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &s, &res), RG_OK);
    assert_true(res.flags & RG_RES_BUDGET);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    for (size_t j = 0; j < p->optimize.n_objectives; j++)
        assert_false(isnan(res.fitness[j]));
    rg_sim_free(w);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metronomic_closed_form),
        cmocka_unit_test(test_adaptive_closed_form),
        cmocka_unit_test(test_dose_modulation_closed_form),
        cmocka_unit_test(test_rule_closed_form),
        cmocka_unit_test(test_hidden_clones),
        cmocka_unit_test(test_adaptive_beats_mtd_when_resistance_is_rare),
        cmocka_unit_test(test_no_gain_when_resistance_is_common),
        cmocka_unit_test(test_gain_grows_with_initial_density),
        cmocka_unit_test(test_objectives_of_a_run),
        cmocka_unit_test(test_anc_violation),
        cmocka_unit_test(test_schedule_violations),
        cmocka_unit_test(test_budget_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
