/* The problem library (the .cfg files in problems/):
 * - every shipped problem loads, and every one of its built-in regimens runs through the
 *   kernel with finite objectives and a constraint verdict;
 * - coverage: every mechanism kind, the TME (hypoxia, its P-gp induction, stroma and stroma
 *   inhibitors), interactions, drug-induced switching, the Friberg model, both growth laws,
 *   both PK modes, both progression references, every constraint, every policy and both
 *   tumour encodings are used by at least one shipped problem (read from the parsed structs);
 * - each problem's documented headline behaviour is checked in test_problems_headlines.c;
 * - a short optimisation of every problem through `regimen optimize` (separate ctest entry,
 *   test_problems_optimize, run with the argument "optimize").
 */
#include "rg_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "problem_run_util.h"

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

/* Every adaptive regimen of every shipped problem can resume before progression
 * (docs/model.md section 8): `regimen check` prints no warning for any file; and emergence
 * (docs/model.md section 6) is a threshold above the resistant cells present at the start,
 * so that no regimen emerges on day 0. */
static void test_every_problem_checks_clean(void **state)
{
    (void)state;
    for (size_t q = 0; q < N_PROBLEMS; q++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "'%s' check '%s/problems/%s.cfg' 2>&1 >/dev/null",
                 RG_REGIMEN_EXE, RG_SOURCE_DIR, PROBLEMS[q]);
        FILE *f = popen(cmd, "r");
        assert_non_null(f);
        char line[4096];
        size_t warnings = 0;
        while (fgets(line, sizeof line, f) != NULL) {
            print_error("%s", line);
            warnings++;
        }
        assert_int_equal(pclose(f), 0);
        assert_int_equal(warnings, 0);
        rg_problem *p = load(PROBLEMS[q]);
        double r0 = 0.0;
        for (size_t i = 0; i < p->n_clones; i++)
            if (p->clones[i].resistant)
                r0 += p->clones[i].cells;
        if (!(p->emergence_cells > r0))
            print_error("%s: emergence_cells %g <= initial resistant cells %g\n", PROBLEMS[q],
                        p->emergence_cells, r0);
        assert_true(p->emergence_cells > r0);
        rg_problem_free(p);
    }
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
        /* every library problem maximises ttp first */
        assert_true(strncmp(line, "member,ttp,", 11) == 0);
        size_t rows = 0;
        while (fgets(line, sizeof line, f) != NULL) {
            double ttp = strtod(strchr(line, ',') + 1, NULL);
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
        cmocka_unit_test(test_every_problem_checks_clean),
        cmocka_unit_test(test_library_covers_the_model),
    };
    const struct CMUnitTest optimise[] = {
        cmocka_unit_test(test_every_problem_optimises),
    };
    if (argc > 1 && strcmp(argv[1], "optimize") == 0)
        return cmocka_run_group_tests_name("problems_optimize", optimise, NULL, NULL);
    return cmocka_run_group_tests_name("problems", model, NULL, NULL);
}
