/* The problem library (the .cfg files in problems/):
 * - every shipped problem loads, and every one of its built-in regimens runs through the
 *   kernel with finite objectives and a constraint verdict;
 * - coverage: every mechanism kind, the TME (hypoxia, its P-gp induction, stroma and stroma
 *   inhibitors), interactions, drug-induced switching, the Friberg model, both growth laws,
 *   both PK modes, both progression references, every constraint, every policy and both
 *   tumour encodings are used by at least one shipped problem (read from the parsed structs);
 * - each problem's documented headline behaviour (problems/README.md) holds under rg_sim_run;
 * - a short optimisation of every problem through `regimen optimize` (separate ctest entry,
 *   test_problems_optimize, run with the argument "optimize").
 *
 * The headline checks compare regimens of the same problem against each other (who
 * progresses first, which clone dominates a relapse); the margins are wide (tens of days,
 * dominance above 80%) against the kernel's 1e-6 relative accuracy. */
#include "rg_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

static const char *const PROBLEMS[] = {
    "default",
    "cml_tki",
    "nsclc_egfr",
    "breast_her2",
    "glioblastoma_tmz",
    "ovarian_cisplatin",
    "colorectal_irinotecan",
    "prostate_abiraterone",
    "lymphoma_bcl2",
};
enum { N_PROBLEMS = sizeof PROBLEMS / sizeof PROBLEMS[0] };

static rg_problem *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/problems/%s.cfg", RG_SOURCE_DIR, name);
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_problem_load(path, &p, &diag);
    if (rc != RG_OK) {
        print_error("%s does not load:\n", path);
        rg_diag_print(&diag, stderr);
    }
    assert_int_equal(rc, RG_OK);
    assert_non_null(p);
    return p;
}

/* One regimen's run: summary, and per clone its cells at the end of the evaluation (the
 * progression visit, or the horizon when censored; docs/model.md section 8); the smallest
 * burden over the visits up to it. */
typedef struct {
    rg_sim_summary s;
    double at_ttp[RG_MAX_CLONES];
    double min_burden;
    double b0;
} run_t;

static void run_named(const rg_problem *p, const char *regimen, run_t *out)
{
    int r = rg_problem_regimen_index(p, regimen);
    if (r < 0)
        print_error("%s has no regimen %s\n", p->name, regimen);
    assert_true(r >= 0);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    rg_trajectory traj;
    assert_int_equal(rg_trajectory_alloc(&traj, p), RG_OK);
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &out->s, &traj), RG_OK);
    assert_int_equal(out->s.status, RG_OK);
    size_t nv = traj.n_visits;
    size_t v_ttp = (size_t)llround(out->s.ttp / p->visit_days);
    assert_true(v_ttp < nv);
    assert_int_equal(traj.n_on_protocol, v_ttp + 1);
    out->min_burden = traj.burden[0];
    for (size_t v = 0; v <= v_ttp; v++)
        if (traj.burden[v] < out->min_burden)
            out->min_burden = traj.burden[v];
    for (size_t i = 0; i < p->n_clones; i++) {
        out->at_ttp[i] = traj.clones[i * nv + v_ttp];
    }
    out->b0 = rg_problem_initial_burden(p);
    rg_trajectory_free(&traj);
    rg_sim_free(w);
}

static double share(const rg_problem *p, const double cells[], const char *clone)
{
    int c = rg_problem_clone_index(p, clone);
    assert_true(c >= 0);
    double total = 0.0;
    for (size_t i = 0; i < p->n_clones; i++)
        total += cells[i];
    assert_true(total > 0.0);
    return cells[c] / total;
}

/* ---- every problem loads and every regimen runs ------------------------------------ */

static void test_every_problem_runs_every_regimen(void **state)
{
    (void)state;
    for (size_t q = 0; q < N_PROBLEMS; q++) {
        rg_problem *p = load(PROBLEMS[q]);
        assert_true(p->n_regimens >= 2);
        /* the grid rules of docs/model.md section 0, as the loader accepted them */
        double nk = p->horizon_days / p->decision_days;
        assert_close(nk, round(nk), 0, 1e-9);
        rg_sim_workspace *w = rg_sim_alloc(p);
        assert_non_null(w);
        for (size_t r = 0; r < p->n_regimens; r++) {
            rg_policy pol;
            assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
            rg_sim_summary s;
            rg_dosing dose = rg_policy_dosing(&pol);
            assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
            if (s.status != RG_OK)
                print_error("%s / %s: status %d\n", PROBLEMS[q], p->regimens[r].name, s.status);
            assert_int_equal(s.status, RG_OK);
            assert_true(s.ttp > 0.0 && s.ttp <= p->horizon_days);
            assert_true(isfinite(s.final_burden) && s.final_burden >= 0.0);
            assert_true(s.resistant_burden <= s.final_burden * (1 + 1e-12));
            rg_eval_result res;
            assert_int_equal(rg_objectives_compute(p, &s, &res), RG_OK);
            for (size_t j = 0; j < p->optimize.n_objectives; j++)
                assert_true(isfinite(res.value[j]));
            rg_violation v;
            assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
            assert_true(isfinite(v.total) && v.total >= 0.0);
        }
        rg_sim_free(w);
        rg_problem_free(p);
    }
}

/* Every .cfg directly in problems/ loads (the library above and anything added later). */
static void test_every_file_in_problems_loads(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/problems", RG_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(len - 4), e->d_name);
        rg_problem *p = load(name);
        rg_problem_free(p);
        n++;
    }
    closedir(d);
    assert_true(n >= N_PROBLEMS);
}

/* ---- coverage of the model's features -------------------------------------------------- */

typedef struct {
    bool kind[RG_MECH_NKINDS];
    bool hypoxia, hypoxia_induction, penetration_loss, stroma, stroma_inhibitor;
    bool mech_inhibitor, combine_all, interaction, induced, neutrophils;
    bool gompertz, logistic, bolus, continuous, instant_pk;
    bool nadir, initial, cum_dose, daily_tox, anc_min;
    bool capacity_effect, competition, cycle_specific, linear, hill, normalised;
    bool policy[RG_POLICY_FIXED + 1], mtd_cycles;
    bool enc_schedule, enc_rule;
} coverage_t;

static void cover(const rg_problem *p, coverage_t *c)
{
    for (size_t m = 0; m < p->n_mechs; m++) {
        const rg_mechanism *mech = &p->mechs[m];
        bool carried = false;
        for (size_t i = 0; i < p->n_clones; i++)
            carried = carried || (p->clones[i].carries[m] && p->clones[i].fold[m] != 1.0);
        if (carried)
            c->kind[mech->kind] = true;
        c->hypoxia_induction = c->hypoxia_induction || mech->hypoxia_induction > 0;
        c->mech_inhibitor = c->mech_inhibitor || mech->n_inhibitors > 0;
        c->combine_all =
            c->combine_all || (mech->n_inhibitors >= 2 && mech->combine == RG_COMBINE_ALL);
    }
    c->hypoxia = c->hypoxia || p->hypoxia_max_fraction > 0;
    c->stroma = c->stroma || p->stroma_protection > 0;
    c->stroma_inhibitor = c->stroma_inhibitor || p->n_stroma_inhibitors > 0;
    c->interaction = c->interaction || p->n_interactions > 0;
    for (size_t k = 0; k < p->n_mutations; k++)
        c->induced = c->induced || p->mutations[k].n_induced > 0;
    c->neutrophils = c->neutrophils || p->neutrophils;
    c->gompertz = c->gompertz || p->growth == RG_GROWTH_GOMPERTZ;
    c->logistic = c->logistic || p->growth == RG_GROWTH_LOGISTIC;
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *dr = &p->drugs[d];
        c->bolus = c->bolus || dr->administration == RG_ADMIN_BOLUS;
        c->continuous = c->continuous || dr->administration == RG_ADMIN_CONTINUOUS;
        c->instant_pk = c->instant_pk || dr->half_life_days == 0.0;
        c->penetration_loss = c->penetration_loss || dr->hypoxia_penetration_loss > 0;
        c->cum_dose = c->cum_dose || dr->max_cumulative_dose >= 0;
        c->cycle_specific = c->cycle_specific || (dr->cycle_specific && dr->emax > 0);
        c->linear = c->linear || (dr->effect == RG_EFFECT_LINEAR && dr->emax > 0);
        c->hill = c->hill || (dr->effect == RG_EFFECT_HILL && dr->emax > 0);
    }
    c->nadir = c->nadir || p->progression_reference == RG_REF_NADIR;
    c->initial = c->initial || p->progression_reference == RG_REF_INITIAL;
    c->daily_tox = c->daily_tox || p->max_daily_toxicity >= 0;
    c->anc_min = c->anc_min || (p->anc_min >= 0 && p->neutrophils);
    c->normalised = c->normalised || (p->carrying_capacity == 1.0 && p->extinction_cells == 0);
    for (size_t i = 0; i < p->n_clones; i++) {
        for (size_t d = 0; d < p->n_drugs; d++)
            c->capacity_effect = c->capacity_effect || p->clones[i].capacity_effect[d] > 0;
        for (size_t j = 0; j < p->n_clones; j++)
            c->competition = c->competition || (j != i && p->clones[i].competition[j] != 1.0);
    }
    for (size_t r = 0; r < p->n_regimens; r++) {
        const rg_regimen *reg = &p->regimens[r];
        if (reg->policy <= RG_POLICY_FIXED)
            c->policy[reg->policy] = true;
        c->mtd_cycles = c->mtd_cycles || (reg->policy == RG_POLICY_MTD && reg->cycle_days > 0);
    }
    c->enc_schedule = c->enc_schedule || p->optimize.encoding == RG_ENC_SCHEDULE;
    c->enc_rule = c->enc_rule || p->optimize.encoding == RG_ENC_ADAPTIVE_RULE;
}

#define COVERED(flag)                                             \
    do {                                                          \
        if (!(flag))                                              \
            print_error("no shipped problem covers %s\n", #flag); \
        assert_true(flag);                                        \
    } while (0)

static void test_library_covers_the_model(void **state)
{
    (void)state;
    coverage_t c;
    memset(&c, 0, sizeof c);
    for (size_t q = 0; q < N_PROBLEMS; q++) {
        rg_problem *p = load(PROBLEMS[q]);
        cover(p, &c);
        rg_problem_free(p);
    }
    for (int k = 0; k < RG_MECH_NKINDS; k++) {
        if (!c.kind[k])
            print_error("no shipped problem has a clone carrying a %s mechanism\n",
                        rg_mech_kind_name((rg_mech_kind)k));
        assert_true(c.kind[k]);
    }
    COVERED(c.hypoxia);
    COVERED(c.hypoxia_induction);
    COVERED(c.penetration_loss);
    COVERED(c.stroma);
    COVERED(c.stroma_inhibitor);
    COVERED(c.mech_inhibitor);
    COVERED(c.combine_all);
    COVERED(c.interaction);
    COVERED(c.induced);
    COVERED(c.neutrophils);
    COVERED(c.gompertz);
    COVERED(c.logistic);
    COVERED(c.bolus);
    COVERED(c.continuous);
    COVERED(c.instant_pk);
    COVERED(c.nadir);
    COVERED(c.initial);
    COVERED(c.cum_dose);
    COVERED(c.daily_tox);
    COVERED(c.anc_min);
    COVERED(c.capacity_effect);
    COVERED(c.competition);
    COVERED(c.cycle_specific);
    COVERED(c.linear);
    COVERED(c.hill);
    COVERED(c.normalised);
    COVERED(c.policy[RG_POLICY_MTD]);
    COVERED(c.policy[RG_POLICY_METRONOMIC]);
    COVERED(c.policy[RG_POLICY_ADAPTIVE]);
    COVERED(c.policy[RG_POLICY_DOSE_MODULATION]);
    COVERED(c.policy[RG_POLICY_FIXED]);
    COVERED(c.mtd_cycles);
    COVERED(c.enc_schedule);
    COVERED(c.enc_rule);
}

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

/* CML: imatinib alone lets T315I take over; switching to ponatinib delays progression. */
static void test_cml_headline(void **state)
{
    (void)state;
    rg_problem *p = load("cml_tki");
    run_t ima, seq;
    run_named(p, "imatinib", &ima);
    run_named(p, "imatinib_then_ponatinib", &seq);
    assert_true(ima.s.progressed);
    assert_true(share(p, ima.at_ttp, "T315I") > 0.9);
    assert_true(seq.s.ttp > ima.s.ttp + 180.0);
    rg_problem_free(p);
}

/* NSCLC: gefitinib relapses from T790M, osimertinib later from MET amplification,
 * osimertinib + crizotinib later still. */
static void test_nsclc_headline(void **state)
{
    (void)state;
    rg_problem *p = load("nsclc_egfr");
    run_t gef, osi, combo;
    run_named(p, "gefitinib", &gef);
    run_named(p, "osimertinib", &osi);
    run_named(p, "osimertinib_crizotinib", &combo);
    assert_true(gef.s.progressed && osi.s.progressed);
    assert_true(share(p, gef.at_ttp, "T790M") > 0.8);
    assert_true(share(p, osi.at_ttp, "MET_amplified") > 0.8);
    assert_true(osi.s.ttp > gef.s.ttp + 120.0);
    assert_true(combo.s.ttp > osi.s.ttp + 120.0);
    rg_problem_free(p);
}

/* Breast HER2: seven doxorubicin cycles with trastuzumab relapse from the HER2-negative
 * clone; idelalisib + trametinib during the cycles delay that relapse, within the
 * anthracycline cap. */
static void test_breast_her2_headline(void **state)
{
    (void)state;
    rg_problem *p = load("breast_her2");
    run_t a, apm;
    run_named(p, "A_x7_trastuzumab", &a);
    run_named(p, "A_x7_trastuzumab_PI3K_MEK", &apm);
    assert_true(a.s.progressed);
    assert_true(share(p, a.at_ttp, "HER2_neg") > 0.8);
    assert_true(apm.s.ttp > a.s.ttp + 28.0);
    int dox = rg_problem_drug_index(p, "doxorubicin");
    assert_true(dox >= 0);
    assert_true(apm.s.cumulative_dose[dox] <= p->drugs[dox].max_cumulative_dose);
    rg_problem_free(p);
}

/* Glioblastoma: the Stupp schedule progresses later than radiotherapy alone and enriches
 * the MGMT-high clone. */
static void test_glioblastoma_headline(void **state)
{
    (void)state;
    rg_problem *p = load("glioblastoma_tmz");
    run_t stupp, rt;
    run_named(p, "stupp", &stupp);
    run_named(p, "radiotherapy_alone", &rt);
    assert_true(stupp.s.progressed && rt.s.progressed);
    assert_true(stupp.s.ttp > rt.s.ttp + 28.0);
    int c = rg_problem_clone_index(p, "MGMT_high");
    double initial = p->clones[c].cells / rg_problem_initial_burden(p);
    assert_true(share(p, stupp.at_ttp, "MGMT_high") > 10.0 * initial);
    assert_true(share(p, stupp.at_ttp, "MGMT_high") > 0.5);
    rg_problem_free(p);
}

/* Ovarian: cisplatin alone relapses from autophagy-high cells it induced; chloroquine
 * delays relapse beyond the horizon. */
static void test_ovarian_headline(void **state)
{
    (void)state;
    rg_problem *p = load("ovarian_cisplatin");
    run_t cis, cq;
    run_named(p, "cisplatin_q21", &cis);
    run_named(p, "cisplatin_chloroquine", &cq);
    assert_true(cis.s.progressed);
    assert_true(share(p, cis.at_ttp, "autophagy_high") > 0.8);
    assert_true(!cq.s.progressed);
    assert_true(cq.s.ttp > cis.s.ttp + 120.0);
    rg_problem_free(p);
}

/* Colorectal: the combination beats each drug alone, relapses from the detoxifying and
 * ABCG2-high clones and keeps the neutrophil nadir above anc_min. */
static void test_colorectal_headline(void **state)
{
    (void)state;
    rg_problem *p = load("colorectal_irinotecan");
    run_t folfiri, iri, fu;
    run_named(p, "FOLFIRI_like", &folfiri);
    run_named(p, "irinotecan_alone", &iri);
    run_named(p, "fluorouracil_alone", &fu);
    assert_true(folfiri.s.ttp > iri.s.ttp + 90.0);
    assert_true(folfiri.s.ttp > fu.s.ttp + 90.0);
    assert_true(
        share(p, folfiri.at_ttp, "detox_high") + share(p, folfiri.at_ttp, "ABCG2_high") > 0.8);
    assert_true(folfiri.s.neutrophil_nadir >= p->anc_min);
    rg_problem_free(p);
}

/* Prostate: continuous abiraterone progresses (competitive release of the resistant
 * cells); adaptive therapy (AT50) controls the tumour longer with far less drug. */
static void test_prostate_headline(void **state)
{
    (void)state;
    rg_problem *p = load("prostate_abiraterone");
    run_t cont, at;
    run_named(p, "continuous", &cont);
    run_named(p, "adaptive_AT50", &at);
    assert_true(cont.s.progressed);
    assert_true(share(p, cont.at_ttp, "resistant") > 0.9);
    assert_true(at.s.ttp > cont.s.ttp + 365.0);
    assert_true(at.s.dose_intensity[0] < 0.5);
    rg_problem_free(p);
}

/* Lymphoma: doxorubicin alone relapses from BCL-2-high cells; venetoclax (inhibiting the
 * BCL-2 mechanism) delays relapse, which then comes from MCL-1-high cells. */
static void test_lymphoma_headline(void **state)
{
    (void)state;
    rg_problem *p = load("lymphoma_bcl2");
    run_t dox, dv;
    run_named(p, "doxorubicin_6_cycles", &dox);
    run_named(p, "doxorubicin_6_cycles_venetoclax", &dv);
    assert_true(dox.s.progressed && dv.s.progressed);
    assert_true(share(p, dox.at_ttp, "BCL2_high") > 0.8);
    assert_true(share(p, dv.at_ttp, "MCL1_high") > 0.8);
    assert_true(dv.s.ttp > dox.s.ttp + 180.0);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &dv.s, &v), RG_OK);
    assert_close(v.total, 0.0, 0, 0);
    rg_problem_free(p);
}

/* ---- a short optimisation of every problem -------------------------------------------- */

static int run_cmd(const char *cmd)
{
    int st = system(cmd);
    return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

static void test_every_problem_optimises(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    for (size_t q = 0; q < N_PROBLEMS; q++) {
        char front[1024], out[1024], cmd[4096];
        snprintf(front, sizeof front, "%s/%s_front.csv", RG_TEST_TMPDIR, PROBLEMS[q]);
        snprintf(out, sizeof out, "%s/%s.h5", RG_TEST_TMPDIR, PROBLEMS[q]);
        remove(front);
        remove(out);
        snprintf(cmd, sizeof cmd,
                 "'%s' optimize '%s/problems/%s.cfg' --population 8 --generations 3 "
                 "--seed 7 --quiet --front '%s' --out '%s'",
                 RG_REGIMEN_EXE, RG_SOURCE_DIR, PROBLEMS[q], front, out);
        int rc = run_cmd(cmd);
        if (rc != 0)
            print_error("%s: exit %d\n", cmd, rc);
        assert_int_equal(rc, 0);
        FILE *f = fopen(front, "r");
        assert_non_null(f);
        char line[65536];
        assert_non_null(fgets(line, sizeof line, f));
        assert_true(strncmp(line, "ttp,", 4) ==
                    0); /* every library problem maximises ttp first */
        size_t rows = 0;
        while (fgets(line, sizeof line, f) != NULL) {
            double ttp = strtod(line, NULL);
            rg_problem *p = load(PROBLEMS[q]);
            assert_true(ttp > 0.0 && ttp <= p->horizon_days);
            rg_problem_free(p);
            rows++;
        }
        fclose(f);
        assert_true(rows >= 1);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest model[] = {
        cmocka_unit_test(test_every_problem_runs_every_regimen),
        cmocka_unit_test(test_every_file_in_problems_loads),
        cmocka_unit_test(test_library_covers_the_model),
        cmocka_unit_test(test_default_headline),
        cmocka_unit_test(test_default_calendars),
        cmocka_unit_test(test_cml_headline),
        cmocka_unit_test(test_nsclc_headline),
        cmocka_unit_test(test_breast_her2_headline),
        cmocka_unit_test(test_glioblastoma_headline),
        cmocka_unit_test(test_ovarian_headline),
        cmocka_unit_test(test_colorectal_headline),
        cmocka_unit_test(test_prostate_headline),
        cmocka_unit_test(test_lymphoma_headline),
    };
    const struct CMUnitTest optimise[] = {
        cmocka_unit_test(test_every_problem_optimises),
    };
    if (argc > 1 && strcmp(argv[1], "optimize") == 0)
        return cmocka_run_group_tests_name("problems_optimize", optimise, NULL, NULL);
    return cmocka_run_group_tests_name("problems", model, NULL, NULL);
}
