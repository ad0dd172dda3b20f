/* The regimens driven by the kernel (rg_sim_run):
 * - each policy's switching times on one clone growing or shrinking exponentially
 *   (logistic with K = 1e30 >> B, drug with half_life 0 and linear effect, so
 *   B(t) = B(0) exp(sum (r - emax u_k) h) exactly), computed by hand here;
 * - policies see only visit burdens: the same burden path from different hidden clones
 *   gives the same doses.
 * Outcomes (adaptive against MTD, objectives and constraints) are in
 * test_regimens_outcomes.c. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/regimens.h"
#include "regimen/sim.h"
#include "regimens_sim_util.h"

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
    rg_rule_params q = {.dose = 1.0,
                        .stop_below = 0.5,
                        .resume_above = 0.95,
                        .switch_rise = 0.03,
                        .min_dose = 0.05,
                        .n_drugs = 3,
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

/* ---- adaptive therapy with a bolus drug: a resume restarts the drug's cycle ---- */

/* The toy problem of issue 14 (docs/model.md section 2, "cycle anchor"): a sensitive clone
 * that dies on its own (growth 0, death 0.2/day) and a resistant one growing at 0.03/day,
 * B(0) = 1e6, K = 1e15 (no crowding: B(t) = 9e5 e^{-0.2 t} + 1e5 e^{0.03 t} to 1e-9); the
 * bolus drug (every 21 days, half-life 1 day) has no effect, so the burden path is known
 * in advance. stop_below 0.5, resume_above 0.4, weekly decisions:
 *   B(7)/B0 = 0.3453 <= 0.5: stop on day 7;
 *   B(42)/B0 = 0.3527 < 0.4 <= B(49)/B0 = 0.4350: resume on day 49;
 *   B(56)/B0 = 0.5366 and rising: never stops again; progression (factor 100) not before
 *   day 230, after the horizon (154 days).
 * So the boluses are at days 0, 49, 70, 91, 112 and 133: the resume gives the bolus at once
 * and the cycle runs from there, not from the day-0 grid (which would have given the next one
 * on day 63). The concentration at every daily visit is the sum of the boluses before it,
 * each decayed by 2^{-age} (a bolus at t_k shows from the visit after t_k: docs/model.md
 * section 8). The adaptive rule with the same thresholds gives the same doses. */
static rg_problem *bolus_resume_problem(void)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    snprintf(p->name, sizeof p->name, "bolus resume");
    p->horizon_days = 154.0;
    p->decision_days = 7.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e15;
    p->extinction_cells = 1.0;
    p->emergence_cells = 1e300;
    p->progression_min_cells = 1.0;
    p->progression_factor = 100.0;
    p->n_clones = 2;
    const double cells[] = {9e5, 1e5}, growth[] = {0.0, 0.03}, death[] = {0.2, 0.0};
    for (size_t i = 0; i < 2; i++) {
        snprintf(p->clones[i].name, RG_NAME_MAX, "c%zu", i);
        p->clones[i].cells = cells[i];
        p->clones[i].growth_rate = growth[i];
        p->clones[i].death_rate = death[i];
        p->clones[i].carrying_capacity = 1e15;
    }
    p->clones[1].resistant = true;
    p->n_drugs = 1;
    snprintf(p->drugs[0].name, RG_NAME_MAX, "bolus");
    p->drugs[0].administration = RG_ADMIN_BOLUS;
    p->drugs[0].dosing_interval_days = 21.0;
    p->drugs[0].half_life_days = 1.0;
    p->drugs[0].effect = RG_EFFECT_LINEAR;
    p->drugs[0].emax = 0.0;
    return p;
}

static void check_bolus_resume(const rg_problem *p, const run_out *o)
{
    const double bolus_days[] = {0, 49, 70, 91, 112, 133};
    const size_t nb = sizeof bolus_days / sizeof bolus_days[0];
    size_t nv = o->traj.n_visits;
    for (size_t v = 0; v < nv; v++) {
        double t = (double)v, c = 0.0;
        for (size_t j = 0; j < nb; j++)
            if (bolus_days[j] < t)
                c += exp2(-(t - bolus_days[j]));
        assert_close(o->traj.t[v], t, 0, 0);
        if (fabs(o->traj.conc[v] - c) > 1e-12 + 1e-12 * c)
            print_error("day %zu: concentration %.17g, by hand %.17g\n", v, o->traj.conc[v], c);
        assert_close(o->traj.conc[v], c, 1e-12, 1e-12);
        double b = 9e5 * exp(-0.2 * t) + 1e5 * exp(0.03 * t);
        if (v <= 60) /* the sensitive clone is set to 0 below one cell from day 70 on */
            assert_close(o->traj.burden[v], b, BURDEN_RTOL, 0);
    }
    size_t ni = rg_problem_n_intervals(p);
    /* the trajectory's levels are the delivered doses: the boluses above */
    for (size_t k = 0; k < ni; k++)
        assert_close(o->traj.levels[k], k == 0 || (k >= 7 && (k - 7) % 3 == 0) ? 1.0 : 0.0, 0,
                     0);
    assert_false(o->s.progressed);
    assert_close(o->s.cumulative_dose[0], 6.0, 0, 0);
    /* the maximum possible stays the slots of the day-0 grid: days 0, 21, ..., 147 */
    assert_close(o->s.dose_intensity[0], 6.0 / 8.0, 1e-15, 0);
}

static void test_adaptive_bolus_resume(void **state)
{
    (void)state;
    rg_problem *p = bolus_resume_problem();
    const int d0[] = {0};
    rg_regimen *reg = add_regimen(p, "AT", RG_POLICY_ADAPTIVE, 1, d0);
    reg->dose = 1.0;
    reg->stop_below = 0.5;
    reg->resume_above = 0.4;
    /* the hand-computed crossings keep their margins */
    const double b7 = 0.9 * exp(-1.4) + 0.1 * exp(0.21);
    const double b42 = 0.9 * exp(-8.4) + 0.1 * exp(1.26);
    const double b49 = 0.9 * exp(-9.8) + 0.1 * exp(1.47);
    assert_margin(log(b7), log(0.5));
    assert_true(b7 < 0.5 && b42 < 0.4 && b49 >= 0.4);
    for (int t = 14; t < 49; t += 7) /* every holding decision before day 49 stays below */
        assert_true(0.9 * exp(-0.2 * t) + 0.1 * exp(0.03 * t) < 0.4 * (1 - 1e-3));
    for (int t = 56; t < 154; t += 7) /* every treating decision from day 56 stays above */
        assert_true(0.9 * exp(-0.2 * t) + 0.1 * exp(0.03 * t) > 0.5 * (1 + 1e-3));
    run_out o;
    run_regimen(p, 0, &o);
    check_bolus_resume(p, &o);
    run_free(&o);

    rg_rule_params q = {.dose = 1.0,
                        .stop_below = 0.5,
                        .resume_above = 0.4,
                        .switch_rise = 0.0,
                        .min_dose = 0.05,
                        .n_drugs = 1,
                        .order = {0}};
    rg_policy pol;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    run_policy(p, &pol, &o);
    check_bolus_resume(p, &o);
    run_free(&o);
    rg_problem_free(p);
}

/* A `fixed` calendar with its own dosing_interval_days (docs/model.md section 2): on the toy
 * problem above (bolus drug every 21 days, half-life 1 day, no effect), the 4-week pattern
 * 0.25, 0.5, 0, 1 gives a bolus every 7 days at the level of its week; without the key the
 * same levels are read only at the 21-day slots (days 0, 21, 42, ...: weeks k = 0, 3, 6, ...
 * at pattern[k mod 4]). Concentrations against the sum of the decayed boluses. */
static void check_boluses(const run_out *o, size_t every_weeks, const double pattern[4])
{
    double cum = 0.0;
    for (size_t v = 0; v < o->traj.n_visits; v++) {
        double t = (double)v, c = 0.0;
        for (size_t k = 0; 7.0 * (double)k < t; k += every_weeks)
            c += pattern[k % 4] * exp2(-(t - 7.0 * (double)k));
        assert_close(o->traj.conc[v], c, 1e-12, 1e-12);
    }
    for (size_t k = 0; k < 22; k += every_weeks)
        cum += pattern[k % 4];
    assert_close(o->s.cumulative_dose[0], cum, 1e-15, 0);
    assert_close(o->s.dose_intensity[0], cum / 8.0, 1e-15, 0); /* the day-0 grid: 8 slots */
}

static void test_fixed_own_interval(void **state)
{
    (void)state;
    static const double pattern[4] = {0.25, 0.5, 0.0, 1.0};
    for (int own = 0; own < 2; own++) {
        rg_problem *p = bolus_resume_problem();
        const int d0[] = {0};
        rg_regimen *reg = add_regimen(p, "weekly", RG_POLICY_FIXED, 1, d0);
        double doses[4];
        memcpy(doses, pattern, sizeof doses);
        reg->doses[0] = doses;
        reg->n_doses[0] = 4;
        reg->dosing_interval_days = own ? 7.0 : 0.0;
        run_out o;
        run_regimen(p, 0, &o);
        check_boluses(&o, own ? 1 : 3, pattern);
        run_free(&o);
        reg->doses[0] = NULL; /* not the problem's to free */
        rg_problem_free(p);
    }
    /* the policy refuses an interval off the grid or longer than the drug's */
    rg_problem *p = bolus_resume_problem();
    const int d0[] = {0};
    rg_regimen *reg = add_regimen(p, "bad", RG_POLICY_FIXED, 1, d0);
    double one = 1.0;
    reg->doses[0] = &one;
    reg->n_doses[0] = 1;
    rg_policy pol;
    reg->dosing_interval_days = 10.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, reg), RG_EINVAL);
    reg->dosing_interval_days = 28.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, reg), RG_EINVAL);
    reg->dosing_interval_days = 21.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, reg), RG_OK);
    /* the slots an open-loop calendar can use: every 3rd week, or every week with its own 7 */
    for (size_t k = 0; k < 22; k++) {
        reg->dosing_interval_days = 0.0;
        assert_int_equal(rg_regimen_bolus_slot(p, reg, 0, k), k % 3 == 0);
        reg->dosing_interval_days = 7.0;
        assert_true(rg_regimen_bolus_slot(p, reg, 0, k));
    }
    assert_false(rg_regimen_bolus_slot(p, reg, 1, 0));
    reg->doses[0] = NULL;
    rg_problem_free(p);
}

/* The adaptive rule restarts the cycle of the drug it switches to (docs/model.md section 8):
 * one clone growing at 0.03/day (K = 1e30), two bolus drugs every 21 days with half-life 1
 * day and no effect, weekly decisions, switch_rise 0.1 and stop_below 0 (never stops). The
 * burden rises by e^{0.21} - 1 = 23% every week, so the rule switches at every decision:
 * drug 0 on weeks 0, 2, 4, ..., drug 1 on weeks 1, 3, 5, ..., each with its bolus on the day
 * it starts (on the day-0 grid drug 0 would get days 0 and 42 only, drug 1 day 21 only). */
static void test_rule_switch_restarts_cycle(void **state)
{
    (void)state;
    const double emax[] = {0.0, 0.0};
    rg_problem *p = exponential_model(0.03, 2, emax, 70.0, 7.0);
    for (size_t d = 0; d < 2; d++) {
        p->drugs[d].administration = RG_ADMIN_BOLUS;
        p->drugs[d].dosing_interval_days = 21.0;
        p->drugs[d].half_life_days = 1.0;
    }
    rg_rule_params q = {.dose = 1.0,
                        .stop_below = 0.0,
                        .resume_above = 2.0,
                        .switch_rise = 0.1,
                        .min_dose = 0.05,
                        .n_drugs = 2,
                        .order = {0, 1}};
    assert_true(exp(0.03 * 7.0) > 1.1 * (1 + 1e-3));
    rg_policy pol;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    run_out o;
    run_policy(p, &pol, &o);
    size_t nv = o.traj.n_visits;
    for (size_t d = 0; d < 2; d++) {
        for (size_t v = 0; v < nv; v++) {
            double t = (double)v, c = 0.0;
            for (size_t k = d; 7.0 * (double)k < t; k += 2)
                c += exp2(-(t - 7.0 * (double)k));
            assert_close(o.traj.conc[d * nv + v], c, 1e-12, 1e-12);
        }
        assert_close(o.s.cumulative_dose[d], 5.0, 0, 0);
    }
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
        assert_close(ob.traj.clones[nv + nv - 1], 0.7 * oa.s.final_burden, 2.0 * BURDEN_RTOL,
                     0);
        run_free(&oa);
        run_free(&ob);
    }
    /* the evolved rule too */
    rg_rule_params q = {.dose = 0.9,
                        .stop_below = 0.45,
                        .resume_above = 0.8,
                        .switch_rise = 0.02,
                        .min_dose = 0.05,
                        .n_drugs = 2,
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metronomic_closed_form),
        cmocka_unit_test(test_adaptive_closed_form),
        cmocka_unit_test(test_dose_modulation_closed_form),
        cmocka_unit_test(test_rule_closed_form),
        cmocka_unit_test(test_adaptive_bolus_resume),
        cmocka_unit_test(test_fixed_own_interval),
        cmocka_unit_test(test_rule_switch_restarts_cycle),
        cmocka_unit_test(test_hidden_clones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
