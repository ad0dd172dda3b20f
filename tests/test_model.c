/* The right-hand side (src/model/model.c) term by term against docs/model.md sections 3-6:
 * each mechanism kind changes the single-drug hazard exactly as the table says, inhibitors
 * (any / all) restore it, hypoxia induction and penetration, cycle specificity, stroma,
 * interactions, capacity effect, switching fluxes and the emergence hazard. Formulas are
 * written here from docs/model.md, evaluated at constant concentrations (half-life 0), and
 * compared to 1e-13 relative. */
#include "rg_test.h"

#include <string.h>

#include "regimen/model.h"
#include "regimen/problem.h"

enum { KILLER = 0, INH1 = 1, INH2 = 2 };

static const double EMAX = 0.8315, EC50 = 0.3712, HILL = 1.63, C0 = 0.9175;

/* One clone with growth, one killing drug and two inhibitor drugs; constant levels. */
static rg_problem *problem(void)
{
    rg_problem *p = rg_problem_alloc();
    p->horizon_days = 7.0;
    p->decision_days = 7.0;
    p->carrying_capacity = 1e10;
    p->n_clones = 1;
    p->clones[0].cells = 2.5e9;
    p->clones[0].growth_rate = 0.173;
    p->clones[0].death_rate = 0.0123;
    p->n_drugs = 3;
    p->drugs[KILLER].emax = EMAX;
    p->drugs[KILLER].ec50 = EC50;
    p->drugs[KILLER].hill = HILL;
    return p;
}

static double hill(double emax, double ec50, double z)
{
    return emax * pow(z, HILL) / (pow(z, HILL) + pow(ec50, HILL));
}

/* kill of clone 0 at concentrations c[] (and B from the clone cells) */
static double kill_at(const rg_problem *p, const double c[], rg_model *m)
{
    assert_int_equal(rg_model_compile(m, p), RG_OK);
    double b[RG_MAX_DRUGS] = {0};
    rg_model_set_pk(m, 0.0, c, b);
    double y[RG_MAX_CLONES + 6] = {0}, dy[RG_MAX_CLONES + 6];
    for (size_t i = 0; i < p->n_clones; i++)
        y[i] = p->clones[i].cells;
    rg_model_rhs(m, 0.5, y, dy);
    /* dx/dt = (g - delta - kill) x holds with the scratch values */
    assert_close(dy[0], (m->g[0] - p->clones[0].death_rate - m->kill[0]) * y[0] - 0.0, 1e-13,
                 0.0);
    return m->kill[0];
}

static void test_each_kind(void **state)
{
    (void)state;
    static rg_model m;
    const double F = 3.7;
    double c[3] = {C0, 0.0, 0.0};
    for (int kind = 0; kind < RG_MECH_NKINDS; kind++) {
        rg_problem *p = problem();
        p->n_mechs = 1;
        p->mechs[0].kind = (rg_mech_kind)kind;
        p->mechs[0].affects[KILLER] = true;
        double base = kill_at(p, c, &m);
        assert_close(base, hill(EMAX, EC50, C0), 1e-13, 0.0);
        p->clones[0].carries[0] = true;
        p->clones[0].fold[0] = F;
        double want;
        switch (kind) {
        case RG_MECH_EFFLUX:
        case RG_MECH_DETOX: want = hill(EMAX, EC50, C0 / F); break;  /* exposure / F */
        case RG_MECH_TARGET: want = hill(EMAX, EC50 * F, C0); break; /* EC50 * F */
        default: want = hill(EMAX / F, EC50, C0); break;             /* Emax / F */
        }
        double k = kill_at(p, c, &m);
        assert_close(k, want, 1e-13, 0.0);
        assert_true(k < base);
        /* collateral sensitivity: F < 1 raises the hazard */
        p->clones[0].fold[0] = 0.4;
        assert_true(kill_at(p, c, &m) > base);
        /* two mechanisms of the same kind: folds multiply */
        p->clones[0].fold[0] = F;
        p->n_mechs = 2;
        p->mechs[1] = p->mechs[0];
        p->clones[0].carries[1] = true;
        p->clones[0].fold[1] = 1.9;
        switch (kind) {
        case RG_MECH_EFFLUX:
        case RG_MECH_DETOX: want = hill(EMAX, EC50, C0 / (F * 1.9)); break;
        case RG_MECH_TARGET: want = hill(EMAX, EC50 * F * 1.9, C0); break;
        default: want = hill(EMAX / (F * 1.9), EC50, C0); break;
        }
        assert_close(kill_at(p, c, &m), want, 1e-13, 0.0);
        /* a mechanism that does not affect the drug does nothing */
        p->mechs[0].affects[KILLER] = false;
        p->mechs[1].affects[KILLER] = false;
        p->mechs[0].affects[INH1] = true;
        assert_close(kill_at(p, c, &m), base, 1e-15, 0.0);
        rg_problem_free(p);
    }
}

/* F_eff = 1 + (F - 1)(1 - I): "any" I = min(1, o1 + o2), "all" I = o1 o2 */
static void test_inhibitors(void **state)
{
    (void)state;
    static rg_model m;
    const double F = 6.25, ic1 = 0.21, ic2 = 0.47;
    for (int kind = 0; kind < RG_MECH_NKINDS; kind++) {
        for (int mode = 0; mode < 2; mode++) {
            rg_problem *p = problem();
            p->n_mechs = 1;
            rg_mechanism *mc = &p->mechs[0];
            mc->kind = (rg_mech_kind)kind;
            mc->affects[KILLER] = true;
            mc->n_inhibitors = 2;
            mc->inhibitors[0] = (rg_inhibitor){.drug = INH1, .ic50 = ic1};
            mc->inhibitors[1] = (rg_inhibitor){.drug = INH2, .ic50 = ic2};
            mc->combine = mode ? RG_COMBINE_ALL : RG_COMBINE_ANY;
            p->clones[0].carries[0] = true;
            p->clones[0].fold[0] = F;
            double c[3] = {C0, 0.3, 0.2};
            double o1 = 0.3 / (0.3 + ic1), o2 = 0.2 / (0.2 + ic2);
            double I = mode ? o1 * o2 : fmin(1.0, o1 + o2);
            double Fe = 1.0 + (F - 1.0) * (1.0 - I);
            double want = kind <= RG_MECH_DETOX    ? hill(EMAX, EC50, C0 / Fe)
                          : kind == RG_MECH_TARGET ? hill(EMAX, EC50 * Fe, C0)
                                                   : hill(EMAX / Fe, EC50, C0);
            assert_close(kill_at(p, c, &m), want, 1e-13, 0.0);
            /* full occupancy restores the hazard of a clone without the mechanism */
            double restored = hill(EMAX, EC50, C0);
            if (mode == 0) {
                double cs[3] = {C0, 0.9, 0.9}; /* o1 + o2 > 1: I = 1 exactly */
                assert_close(kill_at(p, cs, &m), restored, 1e-13, 0.0);
            } else {
                double cs[3] = {C0, 1e9, 1e9}; /* o1 o2 -> 1 */
                assert_close(kill_at(p, cs, &m), restored, 1e-8, 0.0);
                double half[3] = {C0, 1e9, 0.0}; /* one branch blocked: nothing restored */
                double k0 = kill_at(p, half, &m);
                double unrestored = kind <= RG_MECH_DETOX    ? hill(EMAX, EC50, C0 / F)
                                    : kind == RG_MECH_TARGET ? hill(EMAX, EC50 * F, C0)
                                                             : hill(EMAX / F, EC50, C0);
                assert_close(k0, unrestored, 1e-13, 0.0);
            }
            rg_problem_free(p);
        }
    }
}

/* hypoxia: f = fmax B / (B + half); penetration 1 - p f; induction F (1 + eta f);
 * quiescence r (1 - q f); stroma (1 - s (1 - I)); cycle specificity times max(g, 0) */
static void test_microenvironment(void **state)
{
    (void)state;
    static rg_model m;
    rg_problem *p = problem();
    p->hypoxia_max_fraction = 0.35;
    p->hypoxia_half_burden = 4e9;
    p->hypoxia_quiescence = 0.45;
    p->stroma_protection = 0.3;
    p->n_stroma_inhibitors = 1;
    p->stroma_inhibitors[0] = (rg_inhibitor){.drug = INH1, .ic50 = 0.6};
    p->drugs[KILLER].hypoxia_penetration_loss = 0.55;
    p->drugs[KILLER].stroma_sensitive = true;
    p->drugs[KILLER].cycle_specific = true;
    p->drugs[KILLER].emax = 2.2;
    p->n_mechs = 1;
    p->mechs[0].kind = RG_MECH_EFFLUX;
    p->mechs[0].affects[KILLER] = true;
    p->mechs[0].hypoxia_induction = 1.3;
    p->clones[0].carries[0] = true;
    p->clones[0].fold[0] = 2.9;
    double c[3] = {C0, 0.4, 0.0};
    double B = 2.5e9, f = 0.35 * B / (B + 4e9);
    double g = 0.173 * (1.0 - 0.45 * f) * (1.0 - B / 1e10);
    double Fe = 2.9 * (1.0 + 1.3 * f);
    double z = C0 * (1.0 - 0.55 * f) / Fe;
    double seff = 0.3 * (1.0 - 0.4 / (0.4 + 0.6));
    double want = 2.2 * pow(z, HILL) / (pow(z, HILL) + pow(EC50, HILL)) * g * (1.0 - seff);
    double k = kill_at(p, c, &m);
    assert_close(m.fhyp, f, 1e-14, 0.0);
    assert_close(m.g[0], g, 1e-13, 0.0);
    assert_close(k, want, 1e-13, 0.0);
    /* above capacity g < 0: a cycle-specific drug kills nothing */
    p->clones[0].cells = 1.5e10;
    assert_close(kill_at(p, c, &m), 0.0, 0.0, 0.0);
    rg_problem_free(p);
}

/* interactions: kill = max(0, sum kappa + psi sqrt(kappa_a kappa_b)); linear effect */
static void test_interactions_linear(void **state)
{
    (void)state;
    static rg_model m;
    rg_problem *p = problem();
    p->drugs[INH1].emax = 0.27;
    p->drugs[INH1].effect = RG_EFFECT_LINEAR;
    p->drugs[INH1].ec50 = 0.8;
    p->n_interactions = 1;
    p->interactions[0] = (rg_interaction){.drug_a = KILLER, .drug_b = INH1, .psi = 0.65};
    double c[3] = {C0, 0.55, 0.0};
    double ka = hill(EMAX, EC50, C0), kb = 0.27 * 0.55 / 0.8;
    assert_close(kill_at(p, c, &m), ka + kb + 0.65 * sqrt(ka * kb), 1e-13, 0.0);
    p->interactions[0].psi = -5.0; /* strong antagonism: clipped at 0 */
    assert_close(kill_at(p, c, &m), 0.0, 0.0, 0.0);
    rg_problem_free(p);
}

/* capacity effect: K_eff = K max(0.01, 1 - gamma c); gompertz growth r ln(K_eff / C) */
static void test_capacity_gompertz(void **state)
{
    (void)state;
    static rg_model m;
    rg_problem *p = problem();
    p->drugs[KILLER].emax = 0.0;
    p->clones[0].capacity_effect[INH2] = 0.7;
    double c[3] = {0.0, 0.0, 0.5};
    kill_at(p, c, &m);
    assert_close(m.g[0], 0.173 * (1.0 - 2.5e9 / (1e10 * 0.65)), 1e-13, 0.0);
    double c2[3] = {0.0, 0.0, 5.0};
    kill_at(p, c2, &m);
    assert_close(m.g[0], 0.173 * (1.0 - 2.5e9 / (1e10 * 0.01)), 1e-13, 0.0);
    p->growth = RG_GROWTH_GOMPERTZ;
    kill_at(p, c, &m);
    assert_close(m.g[0], 0.173 * log(1e10 * 0.65 / 2.5e9), 1e-13, 0.0);
    rg_problem_free(p);
}

/* switching: flux = (mu max(g_i, 0) + nu c) x_i, moved from i to j; the flux into a
 * resistant j from a non-resistant i starts de novo lineages (hflux, docs/model.md section 6),
 * whose birth rate max(g_j, 0) and net rate g_j - delta_j - kill_j the scratch holds */
static void test_switching_hazard(void **state)
{
    (void)state;
    static rg_model m;
    rg_problem *p = problem();
    p->n_clones = 2;
    p->clones[1].cells = 3.3e4;
    p->clones[1].growth_rate = 0.121;
    p->clones[1].death_rate = 0.017;
    p->clones[1].resistant = true;
    p->n_mutations = 1;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 1, .rate = 2.3e-6, .n_induced = 1};
    p->mutations[0].induced_drug[0] = INH1;
    p->mutations[0].induced_rate[0] = 4.1e-5;
    double c[3] = {C0, 0.35, 0.0};
    assert_int_equal(rg_model_compile(&m, p), RG_OK);
    double b[3] = {0};
    rg_model_set_pk(&m, 0.0, c, b);
    double y[8] = {2.5e9, 3.3e4, 0.0}, dy[8];
    rg_model_rhs(&m, 0.0, y, dy);
    double B = 2.5e9 + 3.3e4;
    double g0 = 0.173 * (1.0 - B / 1e10), g1 = 0.121 * (1.0 - B / 1e10);
    double k = hill(EMAX, EC50, C0);
    double flux = (2.3e-6 * g0 + 4.1e-5 * 0.35) * 2.5e9;
    assert_close(dy[0], (g0 - 0.0123 - k) * 2.5e9 - flux, 1e-13, 0.0);
    assert_close(dy[1], (g1 - 0.017 - k) * 3.3e4 + flux, 1e-13, 0.0);
    assert_close(m.inflow[1], flux, 1e-13, 0.0);
    assert_close(m.hflux[1], flux, 1e-13, 0.0);
    assert_close(m.netg[1], g1 - 0.017 - k, 1e-13, 0.0);
    assert_close(m.g[1], g1, 1e-13, 0.0);
    assert_int_equal(m.n_haz, 1);
    assert_int_equal(m.haz[0], 1);
    /* a switch between two resistant clones starts no de novo lineage */
    p->clones[0].resistant = true;
    assert_int_equal(rg_model_compile(&m, p), RG_OK);
    rg_model_set_pk(&m, 0.0, c, b);
    rg_model_rhs(&m, 0.0, y, dy);
    assert_int_equal(m.n_haz, 0);
    assert_close(m.inflow[1], flux, 1e-13, 0.0);
    rg_problem_free(p);
}

static void test_compile_errors(void **state)
{
    (void)state;
    static rg_model m;
    rg_problem *p = problem();
    assert_int_equal(rg_model_compile(NULL, p), RG_EINVAL);
    p->n_mutations = 1;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 5, .rate = 1e-6};
    assert_int_equal(rg_model_compile(&m, p), RG_EINVAL);
    p->n_mutations = 0;
    p->drugs[0].ec50 = 0.0;
    assert_int_equal(rg_model_compile(&m, p), RG_EINVAL);
    p->drugs[0].ec50 = 1.0;
    p->n_clones = 0;
    assert_int_equal(rg_model_compile(&m, p), RG_EINVAL);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind),         cmocka_unit_test(test_inhibitors),
        cmocka_unit_test(test_microenvironment),  cmocka_unit_test(test_interactions_linear),
        cmocka_unit_test(test_capacity_gompertz), cmocka_unit_test(test_switching_hazard),
        cmocka_unit_test(test_compile_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
