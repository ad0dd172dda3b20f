/* The neutrophil chain's memo across runs on one workspace (friberg.h; docs/model.md
 * section 13): a patient run after others on a shared workspace gives the same summary and
 * trajectory, bit for bit, as on a fresh workspace, while the chain is stepped once for a
 * schedule on the shipped default cohort (whose drug and neutrophil parameters do not vary);
 * when the myelotoxic slope varies between patients, no advance is shared wrongly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/cohort_stats.h"
#include "regimen/friberg.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

static rg_problem *load_text(const char *text, const char *name)
{
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int rc = rg_problem_load_string(text, name, &p, &d);
    if (rc != RG_OK)
        rg_diag_print(&d, stderr);
    assert_int_equal(rc, RG_OK);
    return p;
}

static char *read_problem(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/problems/%s.cfg", RG_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 512, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

#define SAME(field)                                                                 \
    do {                                                                            \
        if (memcmp(&a->field, &b->field, sizeof a->field) != 0)                     \
            fail_msg("%s, patient %zu: " #field " differs with the memo", what, i); \
    } while (0)

static void same_summary(const rg_sim_summary *a, const rg_sim_summary *b, const char *what,
                         size_t i)
{
    SAME(status);
    SAME(progressed);
    SAME(ttp);
    SAME(t_end);
    SAME(emerged);
    SAME(time_to_emergence);
    SAME(final_burden);
    SAME(resistant_burden);
    SAME(resistant_fraction);
    SAME(hazard);
    SAME(resistance_probability);
    SAME(neutrophil_nadir);
    SAME(cumulative_dose);
    SAME(dose_intensity);
    SAME(max_daily_toxicity);
    SAME(steps);
    SAME(rhs_evals);
    SAME(neut_steps);
}

/* Patient i of cohort p under regimen r on workspace w (a trajectory when traj is set). */
static void run_patient(const rg_problem *p, size_t r, size_t i, rg_sim_workspace *w,
                        rg_sim_summary *s, rg_trajectory *traj)
{
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
    const rg_problem *pt = p->cohort->patients[i];
    assert_int_equal(rg_policy_bind(&pol, pt), RG_OK);
    rg_dosing d = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, pt, &d, NULL, s, traj), RG_OK);
}

/* Every regimen of the default cohort on every patient: shared workspace against a fresh
 * one per patient; the memo must be used (most advances shared for the schedules). */
static void test_default_cohort(void **state)
{
    (void)state;
    char *text = read_problem("default_cohort");
    rg_problem *p = load_text(text, "default_cohort.cfg");
    free(text);
    size_t n = p->cohort->n_patients;
    rg_sim_workspace *shared = rg_sim_alloc(p);
    assert_non_null(shared);
    rg_sim_summary *sums = calloc(n, sizeof *sums);
    assert_non_null(sums);
    size_t hits0 = 0, misses0 = 0, checked = 0;
    for (size_t r = 0; r < p->n_regimens; r++) {
        size_t h = rg_sim_friberg_memo(shared)->hits, m = rg_sim_friberg_memo(shared)->misses;
        assert_int_equal(rg_cohort_run_regimen(p, r, shared, sums, NULL), RG_OK);
        size_t dh = rg_sim_friberg_memo(shared)->hits - h;
        size_t dm = rg_sim_friberg_memo(shared)->misses - m;
        /* a schedule fixed in advance gives every patient the same doses: from the second
         * patient on, the advances over the intervals the first one reached are shared */
        rg_policy_kind k = p->regimens[r].policy;
        if (k != RG_POLICY_ADAPTIVE && k != RG_POLICY_DOSE_MODULATION)
            assert_true(dh > 10 * dm);
        hits0 += dh;
        misses0 += dm;
        /* every 7th patient on a fresh workspace (all of them for the first regimens) */
        for (size_t i = 0; i < n; i += r < 3 ? 1 : 7) {
            rg_sim_workspace *fresh = rg_sim_alloc(p);
            assert_non_null(fresh);
            rg_sim_summary one;
            run_patient(p, r, i, fresh, &one, NULL);
            assert_int_equal(rg_sim_friberg_memo(fresh)->hits, 0);
            same_summary(&sums[i], &one, p->regimens[r].name, i);
            rg_sim_free(fresh);
            checked++;
        }
    }
    assert_true(hits0 > misses0);
    assert_true(checked > 200);
    /* a trajectory after all that: the neutrophil counts at every visit as on a fresh run */
    rg_trajectory ta, tb;
    assert_int_equal(rg_trajectory_alloc(&ta, p), RG_OK);
    assert_int_equal(rg_trajectory_alloc(&tb, p), RG_OK);
    rg_sim_workspace *fresh = rg_sim_alloc(p);
    rg_sim_summary a, b;
    size_t h = rg_sim_friberg_memo(shared)->hits;
    run_patient(p, 0, 5, shared, &a, &ta);
    run_patient(p, 0, 5, fresh, &b, &tb);
    assert_true(rg_sim_friberg_memo(shared)->hits > h);
    same_summary(&a, &b, "trajectory", 5);
    assert_memory_equal(ta.anc, tb.anc, ta.n_visits * sizeof *ta.anc);
    assert_memory_equal(ta.burden, tb.burden, ta.n_visits * sizeof *ta.burden);
    rg_trajectory_free(&ta);
    rg_trajectory_free(&tb);
    rg_sim_free(fresh);
    free(sums);
    rg_sim_free(shared);
    rg_problem_free(p);
}

/* Patients that differ in the myelotoxic slope: the first two are equal and share every
 * advance; the third has half the slope, so its chain is stepped (no advance shared) and its
 * nadir is higher. All three as on fresh workspaces. */
static void test_varying_slope(void **state)
{
    (void)state;
    char *text = read_problem("default");
    size_t len = strlen(text);
    snprintf(text + len, 1024,
             "\ncohort = { parameters = [\"drugs.doxorubicin.myelotoxicity_slope\"];\n"
             "  patients = ( { name = \"a\"; values = [1.0]; }, { name = \"b\"; values = "
             "[1.0]; },\n  { name = \"c\"; values = [0.5]; } ); };\n");
    rg_problem *p = load_text(text, "default+slope.cfg");
    free(text);
    size_t mtd = p->n_regimens;
    for (size_t r = 0; r < p->n_regimens; r++)
        if (p->regimens[r].policy == RG_POLICY_MTD)
            mtd = r;
    assert_true(mtd < p->n_regimens);
    rg_sim_workspace *shared = rg_sim_alloc(p);
    assert_non_null(shared);
    rg_sim_summary s[3];
    size_t hits[3], misses[3];
    for (size_t i = 0; i < 3; i++) {
        size_t h = rg_sim_friberg_memo(shared)->hits, m = rg_sim_friberg_memo(shared)->misses;
        run_patient(p, mtd, i, shared, &s[i], NULL);
        hits[i] = rg_sim_friberg_memo(shared)->hits - h;
        misses[i] = rg_sim_friberg_memo(shared)->misses - m;
        rg_sim_workspace *fresh = rg_sim_alloc(p);
        rg_sim_summary one;
        run_patient(p, mtd, i, fresh, &one, NULL);
        same_summary(&s[i], &one, "slope", i);
        rg_sim_free(fresh);
    }
    assert_int_equal(hits[0], 0);
    assert_int_equal(misses[1], 0);
    assert_int_equal(hits[1], misses[0]);
    assert_int_equal(hits[2], 0);
    assert_true(misses[2] > 0);
    assert_memory_equal(&s[1].neutrophil_nadir, &s[0].neutrophil_nadir, sizeof(double));
    assert_true(s[2].neutrophil_nadir > s[0].neutrophil_nadir);
    rg_sim_free(shared);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_cohort),
        cmocka_unit_test(test_varying_slope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
