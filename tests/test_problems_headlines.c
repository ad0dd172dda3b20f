/* The headline of each shipped problem (problems/README.md and the header of each file)
 * holds under rg_sim_run: the standard arms are ordered as the sources the file cites report
 * them, with margins taken from those sources (tens of days, dominance above 80%) that are
 * wide against the kernel's 1e-6 relative accuracy, so that a model change that breaks a
 * story fails here. */
#include "problem_run_util.h"

#include <string.h>

/* ---- headline behaviour of each problem (problems/README.md) --------------------------- */

/* default: the clinical seven-cycle course shrinks the tumour below half its size, then
 * relapses within the horizon mostly from the resistant clones, within the anthracycline
 * cap; MTD for two years relapses later still from resistant cells but breaks the cap;
 * tariquidar and adaptive therapy both delay progression; tariquidar shifts relapse towards
 * BCL2_high. */
static void test_default_headline(void **state)
{
    (void)state;
    rg_problem *p = load("default");
    run_t a7, a7_tq, mtd, mtd_tq, adaptive;
    run_named(p, "A_x7", &a7);
    run_named(p, "A_x7_tariquidar", &a7_tq);
    run_named(p, "MTD", &mtd);
    run_named(p, "MTD_tariquidar", &mtd_tq);
    run_named(p, "adaptive", &adaptive);
    int dox = rg_problem_drug_index(p, "doxorubicin");
    assert_true(dox >= 0);
    double cap = p->drugs[dox].max_cumulative_dose;
    assert_true(cap > 0.0);
    /* the clinical course: partial response, relapse from resistant cells, within the cap */
    assert_true(a7.min_burden < 0.5 * a7.b0);
    assert_true(a7.s.progressed);
    assert_true(share(p, a7.at_ttp, "ABCB1_high") + share(p, a7.at_ttp, "BCL2_high") > 0.75);
    assert_true(a7.s.cumulative_dose[dox] <= cap * (1.0 + 1e-12));
    assert_true(a7_tq.s.cumulative_dose[dox] <= cap * (1.0 + 1e-12));
    assert_true(a7_tq.s.ttp > a7.s.ttp + 14.0);
    /* MTD until progression: reported, not altered, over the cap; relapse from resistant
     * cells */
    assert_true(mtd.s.cumulative_dose[dox] > 3.0 * cap);
    assert_true(mtd.min_burden < 0.5 * mtd.b0);
    assert_true(mtd.s.progressed);
    assert_true(share(p, mtd.at_ttp, "ABCB1_high") + share(p, mtd.at_ttp, "BCL2_high") > 0.9);
    assert_true(mtd.s.ttp > a7.s.ttp + 84.0);
    assert_true(adaptive.s.ttp > a7.s.ttp + 84.0);
    assert_true(adaptive.s.ttp > mtd.s.ttp + 14.0);
    assert_true(mtd_tq.s.ttp > mtd.s.ttp + 84.0);
    /* tariquidar shifts the relapse towards the BCL-2-high clone */
    assert_true(share(p, mtd_tq.at_ttp, "BCL2_high") > 2.0 * share(p, mtd.at_ttp, "BCL2_high"));
    assert_true(share(p, a7_tq.at_ttp, "BCL2_high") > 1.2 * share(p, a7.at_ttp, "BCL2_high"));
    rg_problem_free(p);
}

/* default: the calendars that spread the seven doses over a longer time (q6w_half, q9w,
 * weekly_low, each alone and with tariquidar; sources in the file) meet every constraint of
 * the problem, progress later than the clinical course, and tariquidar delays each of them
 * (measured: 414, 376, 365 days against A_x7's 335; 457, 434, 441 with tariquidar). */
static void test_default_calendars(void **state)
{
    (void)state;
    rg_problem *p = load("default");
    static const char *const plain[] = {"q6w_half", "q9w", "weekly_low"};
    run_t a7;
    run_named(p, "A_x7", &a7);
    for (size_t i = 0; i < 3; i++) {
        char name[RG_NAME_MAX];
        run_t r[2];
        run_named(p, plain[i], &r[0]);
        snprintf(name, sizeof name, "%s_tariquidar", plain[i]);
        run_named(p, name, &r[1]);
        for (int t = 0; t < 2; t++) {
            rg_violation v;
            assert_int_equal(rg_constraints_eval(p, &r[t].s, &v), RG_OK);
            if (v.total != 0.0)
                print_error("%s%s breaks a constraint (%g)\n", plain[i], t ? "_tariquidar" : "",
                            v.total);
            assert_true(v.total == 0.0);
            assert_true(r[t].s.progressed);
        }
        assert_true(r[0].s.ttp > a7.s.ttp + 21.0);
        assert_true(r[1].s.ttp > r[0].s.ttp + 28.0);
    }
    rg_problem_free(p);
}

/* CML: imatinib relapses first, from the Y253H and F317L clones that resist it; nilotinib
 * later from Y253H, dasatinib later still from F317L (the NCCN mutation table); switching to
 * ponatinib delays progression past the horizon, but the progenitor clone (Tang et al.
 * 2011's second phase) keeps the disease from being cured within five years. */
static void test_cml_headline(void **state)
{
    (void)state;
    rg_problem *p = load("cml_tki");
    run_t ima, nil, das, seq;
    run_named(p, "imatinib", &ima);
    run_named(p, "nilotinib", &nil);
    run_named(p, "dasatinib", &das);
    run_named(p, "imatinib_then_ponatinib", &seq);
    assert_true(ima.s.progressed && nil.s.progressed && das.s.progressed);
    assert_true(share(p, ima.at_ttp, "P_loop_Y253H") + share(p, ima.at_ttp, "F317L") > 0.9);
    assert_true(share(p, nil.at_ttp, "P_loop_Y253H") > 0.9);
    assert_true(share(p, das.at_ttp, "F317L") > 0.9);
    assert_true(nil.s.ttp > ima.s.ttp + 14.0);
    assert_true(das.s.ttp > nil.s.ttp + 56.0);
    assert_true(!seq.s.progressed);
    assert_true(seq.s.ttp > ima.s.ttp + 180.0);
    assert_true(seq.s.final_burden > 1.0e3);
    assert_true(seq.min_burden > 1.0e3);
    rg_problem_free(p);
}

/* NSCLC: gefitinib relapses from T790M at about 10 months, first-line osimertinib later
 * from MET amplification, their ratio within a band around FLAURA's 18.9 / 10.2 = 1.85
 * (Soria et al. 2018; HR 0.46): [1.5, 2.2]; osimertinib + crizotinib later still, but it
 * does not cure: it progresses within the horizon, from EGFR-independent cells. */
static void test_nsclc_headline(void **state)
{
    (void)state;
    rg_problem *p = load("nsclc_egfr");
    run_t gef, osi, combo;
    run_named(p, "gefitinib", &gef);
    run_named(p, "osimertinib", &osi);
    run_named(p, "osimertinib_crizotinib", &combo);
    assert_true(gef.s.progressed && osi.s.progressed && combo.s.progressed);
    assert_true(share(p, gef.at_ttp, "T790M") > 0.8);
    assert_true(share(p, osi.at_ttp, "MET_amplified") > 0.8);
    assert_true(share(p, combo.at_ttp, "EGFR_independent") > 0.8);
    /* FLAURA's comparator arm: median PFS 10.2 months (95% CI 9.6 to 11.1) */
    assert_true(gef.s.ttp > 8.0 * 30.44 && gef.s.ttp < 13.0 * 30.44);
    double ratio = osi.s.ttp / gef.s.ttp;
    assert_true(ratio > 1.5 && ratio < 2.2);
    assert_true(combo.s.ttp > osi.s.ttp + 120.0);
    rg_problem_free(p);
}

/* Breast HER2: six doxorubicin cycles with trastuzumab progress later than the cycles alone,
 * which progress later than trastuzumab alone (Slamon et al. 2001: 7.4 vs 4.6 months with and
 * without trastuzumab; the model's gain is at least 14 days, and at most the trial's ratio
 * 1.6); idelalisib + trametinib do not shorten it and cut the HER2-negative cells at relapse
 * by a third; every arm respects the anthracycline cap. */
static void test_breast_her2_headline(void **state)
{
    (void)state;
    rg_problem *p = load("breast_her2");
    run_t a, ah, h, apm;
    run_named(p, "A_x6", &a);
    run_named(p, "A_x6_trastuzumab", &ah);
    run_named(p, "trastuzumab_alone", &h);
    run_named(p, "A_x6_trastuzumab_PI3K_MEK", &apm);
    assert_true(a.s.progressed && ah.s.progressed && h.s.progressed && apm.s.progressed);
    assert_true(ah.s.ttp > a.s.ttp + 14.0);
    assert_true(ah.s.ttp < 1.6 * a.s.ttp);
    assert_true(a.s.ttp > h.s.ttp + 14.0);
    assert_true(apm.s.ttp >= ah.s.ttp);
    int neg = rg_problem_clone_index(p, "HER2_neg");
    assert_true(neg >= 0);
    assert_true(apm.at_ttp[neg] < (2.0 / 3.0) * ah.at_ttp[neg]);
    int dox = rg_problem_drug_index(p, "doxorubicin");
    assert_true(dox >= 0);
    assert_true(ah.s.cumulative_dose[dox] <= p->drugs[dox].max_cumulative_dose);
    assert_true(apm.s.cumulative_dose[dox] <= p->drugs[dox].max_cumulative_dose);
    rg_problem_free(p);
}

/* Glioblastoma: Stupp progresses at 5.5 to 8.5 months and radiotherapy alone at 4 to 6
 * (Stupp et al. 2005: median PFS 6.9 vs 5.0 months), their ratio above 1.2 (6.9 / 5.0 =
 * 1.38); temozolomide alone progresses before radiotherapy alone; the MGMT-high share rises
 * under the Stupp schedule and falls under radiotherapy alone (its growth cost). */
static void test_glioblastoma_headline(void **state)
{
    (void)state;
    rg_problem *p = load("glioblastoma_tmz");
    run_t stupp, rt, tmz;
    run_named(p, "stupp", &stupp);
    run_named(p, "radiotherapy_alone", &rt);
    run_named(p, "tmz_5_of_28", &tmz);
    assert_true(stupp.s.progressed && rt.s.progressed && tmz.s.progressed);
    const double month = 30.44;
    assert_true(stupp.s.ttp > 5.5 * month && stupp.s.ttp < 8.5 * month);
    assert_true(rt.s.ttp > 4.0 * month && rt.s.ttp < 6.0 * month);
    assert_true(stupp.s.ttp > 1.2 * rt.s.ttp);
    assert_true(tmz.s.ttp < rt.s.ttp);
    int c = rg_problem_clone_index(p, "MGMT_high");
    double initial = p->clones[c].cells / rg_problem_initial_burden(p);
    assert_true(share(p, stupp.at_ttp, "MGMT_high") > 1.5 * initial);
    assert_true(share(p, rt.at_ttp, "MGMT_high") < initial);
    rg_problem_free(p);
}

/* Ovarian: six cycles of cisplatin (450 mg/m2, within the cumulative limit) progress at 10
 * to 14 months (Marth et al. 1998: median PFS 11.9 months), more than half from resistant
 * cells; chloroquine during and after the cycles delays that relapse by at least three weeks
 * and halves the autophagy-high share; cisplatin until progression breaks the limit. */
static void test_ovarian_headline(void **state)
{
    (void)state;
    rg_problem *p = load("ovarian_cisplatin");
    run_t cis, cq, mtd;
    run_named(p, "cisplatin_6_cycles", &cis);
    run_named(p, "cisplatin_6_cycles_chloroquine", &cq);
    run_named(p, "cisplatin_q21", &mtd);
    assert_true(cis.s.progressed && cq.s.progressed);
    const double month = 30.44;
    assert_true(cis.s.ttp > 10.0 * month && cis.s.ttp < 14.0 * month);
    assert_true(share(p, cis.at_ttp, "GST_high") + share(p, cis.at_ttp, "autophagy_high") >
                0.5);
    assert_true(cq.s.ttp > cis.s.ttp + 21.0);
    assert_true(share(p, cq.at_ttp, "autophagy_high") <
                0.5 * share(p, cis.at_ttp, "autophagy_high"));
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &cis.s, &v), RG_OK);
    assert_true(v.total == 0.0);
    assert_int_equal(rg_constraints_eval(p, &cq.s, &v), RG_OK);
    assert_true(v.total == 0.0);
    assert_int_equal(rg_constraints_eval(p, &mtd.s, &v), RG_OK);
    assert_true(v.total > 0.0);
    rg_problem_free(p);
}

/* Colorectal: the combination progresses at 7 to 12 months and beats each drug alone, relapses from the detoxifying and
 * ABCG2-high clones and keeps the neutrophil nadir above anc_min. */
static void test_colorectal_headline(void **state)
{
    (void)state;
    rg_problem *p = load("colorectal_irinotecan");
    run_t folfiri, iri, fu;
    run_named(p, "FOLFIRI_like", &folfiri);
    run_named(p, "irinotecan_alone", &iri);
    run_named(p, "fluorouracil_alone", &fu);
    /* first-line FOLFIRI: median PFS 8.5 months (Tournigand et al. 2004) */
    assert_true(folfiri.s.ttp > 7.0 * 30.44 && folfiri.s.ttp < 12.0 * 30.44);
    assert_true(folfiri.s.ttp > iri.s.ttp + 90.0);
    assert_true(folfiri.s.ttp > fu.s.ttp + 90.0);
    assert_true(
        share(p, folfiri.at_ttp, "detox_high") + share(p, folfiri.at_ttp, "ABCG2_high") > 0.8);
    assert_true(folfiri.s.neutrophil_nadir >= p->anc_min);
    rg_problem_free(p);
}

/* Prostate: continuous abiraterone progresses at 12 to 18 months from resistant cells
 * (competitive release; Zhang et al. 2022: 14.3 months on standard of care); AT50 (stop
 * at 50% of the initial burden, resume at 100%) lasts at least twice as long (33.5 / 14.3 =
 * 2.3 in the trial) with less than half the drug (none during 46% of the time). */
static void test_prostate_headline(void **state)
{
    (void)state;
    rg_problem *p = load("prostate_abiraterone");
    run_t cont, at;
    run_named(p, "continuous", &cont);
    run_named(p, "adaptive_AT50", &at);
    assert_true(cont.s.progressed);
    const double month = 30.44;
    assert_true(cont.s.ttp > 12.0 * month && cont.s.ttp < 18.0 * month);
    assert_true(share(p, cont.at_ttp, "resistant") > 0.9);
    assert_true(at.s.ttp > 2.0 * cont.s.ttp);
    assert_true(at.s.dose_intensity[0] < 0.5);
    rg_problem_free(p);
}

/* The prostate cohort (problems/prostate_abiraterone_cohort.cfg): seven patients fitted to
 * the intermittent androgen suppression trial. The cohort median TTP (x_(k), k = ceil(n / 2):
 * docs/model.md section 13) of a regimen, and the largest resistant share at progression
 * among the patients who progress. */
static void cohort_run(const rg_problem *p, const char *regimen, double *median, double *r_max)
{
    assert_non_null(p->cohort);
    size_t n = p->cohort->n_patients;
    double ttp[16];
    assert_true(n >= 5 && n <= 16);
    *r_max = 0.0;
    for (size_t i = 0; i < n; i++) {
        const rg_problem *q = p->cohort->patients[i];
        run_t r;
        run_named(q, regimen, &r);
        ttp[i] = r.s.ttp; /* the horizon when censored */
        if (r.s.progressed && share(q, r.at_ttp, "resistant") > *r_max)
            *r_max = share(q, r.at_ttp, "resistant");
    }
    for (size_t i = 1; i < n; i++) /* insertion sort */
        for (size_t j = i; j > 0 && ttp[j - 1] > ttp[j]; j--) {
            double t = ttp[j];
            ttp[j] = ttp[j - 1];
            ttp[j - 1] = t;
        }
    *median = ttp[(n + 1) / 2 - 1];
}

/* The shipped file with its 28-day decisions and visits replaced by 14-day ones. */
static rg_problem *prostate_cohort_every_14_days(void)
{
    char path[1024], text[32768];
    snprintf(path, sizeof path, "%s/problems/prostate_abiraterone_cohort.cfg", RG_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    assert_true(len < sizeof text - 1);
    text[len] = '\0';
    const char *keys[] = {"decision_days = 28.0;", "visit_days    = 28.0;"};
    for (size_t k = 0; k < 2; k++) {
        char *at = strstr(text, keys[k]);
        assert_non_null(at);
        memcpy(strstr(at, "28.0"), "14.0", 4);
    }
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int rc = rg_problem_load_string(text, path, &p, &d);
    if (rc != RG_OK)
        rg_diag_print(&d, stderr);
    assert_int_equal(rc, RG_OK);
    return p;
}

/* Prostate cohort: continuous dosing progresses in every patient from resistant cells, at a
 * cohort median of 33 to 50 months (measured 1260 days: hormone-sensitive tumours); AT50
 * with 4-weekly PSA decisions progresses a year or more earlier (measured 336 days), from
 * sensitive cells (resistant share < 0.1): the regrowth after its resume at 100% overshoots
 * the progression level of 120% before the next visit. With 14-day decisions and visits the
 * order turns: AT50's median is 90+ days above continuous dosing's (measured 1484 and 1260). */
static void test_prostate_cohort_headline(void **state)
{
    (void)state;
    rg_problem *p = load("prostate_abiraterone_cohort");
    double m_cont, r_cont, m_at, r_at;
    cohort_run(p, "continuous", &m_cont, &r_cont);
    cohort_run(p, "adaptive_AT50", &m_at, &r_at);
    for (size_t i = 0; i < p->cohort->n_patients; i++) {
        run_t r;
        run_named(p->cohort->patients[i], "continuous", &r);
        assert_true(r.s.progressed);
        assert_true(share(p->cohort->patients[i], r.at_ttp, "resistant") > 0.9);
    }
    const double month = 30.44;
    assert_true(m_cont > 33.0 * month && m_cont < 50.0 * month);
    assert_true(m_at < m_cont - 365.0);
    assert_true(r_at < 0.1);
    rg_problem_free(p);

    rg_problem *q = prostate_cohort_every_14_days();
    assert_close(q->decision_days, 14.0, 0, 0);
    cohort_run(q, "continuous", &m_cont, &r_cont);
    cohort_run(q, "adaptive_AT50", &m_at, &r_at);
    assert_true(m_at > m_cont + 90.0);
    rg_problem_free(q);
}

/* Lymphoma: venetoclax alone fails within two months (Davids et al. 2017: DLBCL median PFS
 * 1 month), before six cycles of doxorubicin, which relapse mostly from BCL-2-high cells;
 * venetoclax with the cycles delays relapse modestly (CAVALLI: no significant overall gain)
 * and halves the BCL-2-high share of the relapse (its gain is in BCL-2-positive disease),
 * within every constraint. Emergence is not declared at day 0. */
static void test_lymphoma_headline(void **state)
{
    (void)state;
    rg_problem *p = load("lymphoma_bcl2");
    run_t dox, dv, ven;
    run_named(p, "doxorubicin_6_cycles", &dox);
    run_named(p, "doxorubicin_6_cycles_venetoclax", &dv);
    run_named(p, "venetoclax", &ven);
    assert_true(dox.s.progressed && dv.s.progressed && ven.s.progressed);
    assert_true(ven.s.ttp <= 63.0);
    assert_true(dox.s.ttp > ven.s.ttp + 56.0);
    assert_true(share(p, dox.at_ttp, "BCL2_high") > 0.8);
    assert_true(dv.s.ttp > dox.s.ttp + 7.0);
    assert_true(dv.s.ttp < dox.s.ttp + 120.0);
    assert_true(share(p, dv.at_ttp, "BCL2_high") < 0.5 * share(p, dox.at_ttp, "BCL2_high"));
    assert_true(dox.s.time_to_emergence > 0.0);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &dv.s, &v), RG_OK);
    assert_close(v.total, 0.0, 0, 0);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_headline),
        cmocka_unit_test(test_default_calendars),
        cmocka_unit_test(test_cml_headline),
        cmocka_unit_test(test_nsclc_headline),
        cmocka_unit_test(test_breast_her2_headline),
        cmocka_unit_test(test_glioblastoma_headline),
        cmocka_unit_test(test_ovarian_headline),
        cmocka_unit_test(test_colorectal_headline),
        cmocka_unit_test(test_prostate_headline),
        cmocka_unit_test(test_prostate_cohort_headline),
        cmocka_unit_test(test_lymphoma_headline),
    };
    return cmocka_run_group_tests_name("problems_headlines", tests, NULL, NULL);
}
