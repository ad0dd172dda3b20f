/* The Friberg neutrophil stepping (src/model/friberg.c) against an independent reference:
 * docs/model.md section 7's five equations written here with pow(), the closed-form
 * concentrations of section 2, and GSL's rk8pd at 1e-13. Checked: the exact propagator of the
 * linearised chain, rest staying exactly at circ0, a bolus (nonlinear, fast), a rising
 * infusion, and the long drug-free tail where the linear propagator takes over. */
#include "rg_test.h"

#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "regimen/friberg.h"
#include "regimen/model.h"
#include "regimen/problem.h"

enum { NS = RG_NEUT_STATES };

/* The neutrophils' accuracy (docs/model.md section 11): 1e-5 relative + 1e-6 circ0 is the
 * contract tests/test_sim_reference.c holds the kernel to; these cases, harder than the shipped
 * problems (an infusion with drug effect E up to 1.4), must stay a factor 2 inside it. */
#define TOL_REL 5e-6
#define TOL_ABS 5e-7

typedef struct {
    double k, gamma, circ0;
    size_t nd;
    double a[RG_MAX_DRUGS], b[RG_MAX_DRUGS], kel[RG_MAX_DRUGS], slope[RG_MAX_DRUGS], t0;
    int linear; /* 1: the linearised chain about rest, no drug */
} ref_params;

static int ref_rhs(double t, const double z[], double dz[], void *params)
{
    const ref_params *r = params;
    if (r->linear) {
        /* d(z - circ0)/dt = J (z - circ0), J about rest */
        dz[0] = -r->k * r->gamma * z[4];
        for (int i = 1; i < NS; i++)
            dz[i] = r->k * (z[i - 1] - z[i]);
        return GSL_SUCCESS;
    }
    double E = 0.0;
    for (size_t d = 0; d < r->nd; d++) {
        double c = r->a[d] + r->b[d] * exp(-r->kel[d] * (t - r->t0));
        E += r->slope[d] * (c > 0.0 ? c : 0.0);
    }
    dz[0] = r->k * z[0] * ((1.0 - E) * pow(r->circ0 / z[4], r->gamma) - 1.0);
    for (int i = 1; i < NS; i++)
        dz[i] = r->k * (z[i - 1] - z[i]);
    return GSL_SUCCESS;
}

/* z from t0 to t1 by rk8pd at 1e-13 */
static void ref_solve(ref_params *r, double t0, double t1, double z[])
{
    gsl_odeiv2_system sys = {ref_rhs, NULL, NS, r};
    gsl_odeiv2_driver *d =
        gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-4, 1e-15, 1e-13);
    double t = t0;
    assert_int_equal(gsl_odeiv2_driver_apply(d, &t, t1, z), GSL_SUCCESS);
    gsl_odeiv2_driver_free(d);
}

/* A problem with neutrophils and two drugs; only what rg_model_compile needs. */
static rg_problem *problem(double mtt, double gamma, double circ0)
{
    rg_problem *p = rg_problem_alloc();
    p->horizon_days = 7.0;
    p->decision_days = 7.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e10;
    p->n_clones = 1;
    p->clones[0].cells = 1e9;
    p->clones[0].growth_rate = 0.05;
    p->n_drugs = 2;
    p->drugs[0].half_life_days = 1.57;
    p->drugs[0].myelotoxicity_slope = 1.0;
    p->drugs[1].half_life_days = 0.6;
    p->drugs[1].myelotoxicity_slope = 0.35;
    p->neutrophils = true;
    p->mtt_days = mtt;
    p->gamma = gamma;
    p->circ0 = circ0;
    return p;
}

static void params_of(const rg_model *m, ref_params *r)
{
    memset(r, 0, sizeof *r);
    r->k = m->ktr;
    r->gamma = m->fgamma;
    r->circ0 = m->circ0;
    r->nd = m->nd;
    r->t0 = m->pk_t0;
    for (size_t d = 0; d < m->nd; d++) {
        r->a[d] = m->pk_a[d];
        r->b[d] = m->pk_b[d];
        r->kel[d] = m->kel[d];
        r->slope[d] = m->myelo[d];
    }
}

/* Advances one decision interval of nvis visit periods from t0 by rg_friberg_advance and by
 * the reference, comparing every visit: |z - z_ref| <= rel |z_ref| + abs circ0. The worst
 * relative error is kept in worst_rel. */
static double worst_rel;
static void compare_interval(rg_friberg *f, const rg_model *m, double t0, size_t nvis,
                             double z[], double zref[], double rel, double abs_tol)
{
    double out[64 * NS];
    assert_true(nvis <= 64);
    rg_friberg_advance(f, m, t0, nvis, z, out, NS);
    ref_params r;
    params_of(m, &r);
    for (size_t q = 1; q <= nvis; q++) {
        ref_solve(&r, t0 + (double)(q - 1) * f->dv, t0 + (double)q * f->dv, zref);
        const double *got = q < nvis ? &out[(q - 1) * NS] : z;
        for (int i = 0; i < NS; i++) {
            double e = fabs(got[i] - zref[i]) / (fabs(zref[i]) + 1e-3 * m->circ0);
            worst_rel = e > worst_rel ? e : worst_rel;
            assert_close(got[i], zref[i], rel, abs_tol * m->circ0);
        }
    }
}

static void test_propagator(void **state)
{
    (void)state;
    static const double mtt[] = {3.7, 5.0, 1.5}, gam[] = {0.161, 0.3, 0.05},
                        dvs[] = {1.0, 7.0, 0.25};
    for (int c = 0; c < 3; c++) {
        rg_problem *p = problem(mtt[c], gam[c], 5.05);
        static rg_model m;
        assert_int_equal(rg_model_compile(&m, p), RG_OK);
        rg_friberg f = {0};
        rg_friberg_setup(&f, &m, dvs[c]);
        ref_params r;
        params_of(&m, &r);
        r.linear = 1;
        for (int j = 0; j < NS; j++) {
            double e[NS] = {0};
            e[j] = 1.0;
            ref_solve(&r, 0.0, dvs[c], e);
            for (int i = 0; i < NS; i++)
                assert_close(f.M[i][j], e[i], 0.0, 1e-12);
        }
        rg_problem_free(p);
    }
}

/* One case: a compiled model, its stepping state, and the states (kernel and reference) all
 * starting at rest. */
typedef struct {
    rg_problem *p;
    rg_model m;
    rg_friberg f;
    double z[NS], zref[NS];
} friberg_case;

static friberg_case *case_open(double mtt, double gamma, double circ0, double dv)
{
    static friberg_case c;
    c.p = problem(mtt, gamma, circ0);
    assert_int_equal(rg_model_compile(&c.m, c.p), RG_OK);
    rg_friberg_setup(&c.f, &c.m, dv);
    for (int i = 0; i < NS; i++)
        c.z[i] = c.zref[i] = circ0;
    worst_rel = 0.0;
    return &c;
}

static void test_rest_is_exact(void **state)
{
    (void)state;
    friberg_case *c = case_open(3.7, 0.161, 5.05, 1.0);
    double a[RG_MAX_DRUGS] = {0}, b[RG_MAX_DRUGS] = {0};
    rg_model_set_pk(&c->m, 0.0, a, b);
    double out[6 * NS];
    for (int k = 0; k < 20; k++)
        rg_friberg_advance(&c->f, &c->m, 7.0 * k, 7, c->z, out, NS);
    for (int i = 0; i < NS; i++)
        assert_true(c->z[i] == 5.05);
    for (int q = 0; q < 6 * NS; q++)
        assert_true(out[q] == 5.05);
    assert_int_equal(c->f.steps, 0);
    rg_problem_free(c->p);
}

/* A bolus of each drug at day 0, then 26 weeks without drug: the nadir, the rebound and the
 * damped oscillation back to rest, visit by visit. The tail is stepped by the linearised
 * chain, which the error bound (1e-10 circ0) keeps far inside the tolerance here. */
static void test_bolus_and_tail(void **state)
{
    (void)state;
    friberg_case *c = case_open(3.7, 0.161, 5.05, 1.0);
    double conc[RG_MAX_DRUGS] = {1.0, 0.8};
    for (int k = 0; k < 27; k++) {
        double a[RG_MAX_DRUGS] = {0}, b[RG_MAX_DRUGS] = {conc[0], conc[1]};
        rg_model_set_pk(&c->m, 7.0 * k, a, b);
        compare_interval(&c->f, &c->m, 7.0 * k, 7, c->z, c->zref, TOL_REL, TOL_ABS);
        for (size_t d = 0; d < 2; d++)
            conc[d] *= exp(-c->m.kel[d] * 7.0);
    }
    print_message("bolus and tail: %zu Dormand-Prince steps, %zu linear periods, worst "
                  "relative error %.3g\n",
                  c->f.steps, c->f.linear_periods, worst_rel);
    assert_true(c->f.linear_periods > 0);
    assert_true(c->f.steps > 0);
    rg_problem_free(c->p);
}

/* A continuous infusion switched on from zero (concentration rising to its level), a week
 * with a higher level, then off; visits every half day. */
static void test_infusion(void **state)
{
    (void)state;
    friberg_case *c = case_open(5.0, 0.25, 3.0, 0.5);
    static const double level[] = {0.6, 1.4, 0.0, 0.0};
    double c0 = 0.0;
    for (int k = 0; k < 4; k++) {
        double a[RG_MAX_DRUGS] = {level[k], 0.0}, b[RG_MAX_DRUGS] = {c0 - level[k], 0.0};
        rg_model_set_pk(&c->m, 7.0 * k, a, b);
        compare_interval(&c->f, &c->m, 7.0 * k, 14, c->z, c->zref, TOL_REL, TOL_ABS);
        c0 = level[k] + (c0 - level[k]) * exp(-c->m.kel[0] * 7.0);
    }
    print_message("infusion: worst relative error %.3g\n", worst_rel);
    rg_problem_free(c->p);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_propagator),
        cmocka_unit_test(test_rest_is_exact),
        cmocka_unit_test(test_bolus_and_tail),
        cmocka_unit_test(test_infusion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
