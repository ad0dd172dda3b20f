/* Genes only where a dose can be given, and exports of delivered doses only, end to end on
 * problems/example.cfg (doxorubicin a bolus every 21 days on a 7-day grid, tariquidar
 * continuous), its horizon cut to 26 weeks:
 *  - every gene is a dose the kernel delivers: raising one gene alone delivers exactly that
 *    drug on that day, and nothing else (the trajectory's levels);
 *  - every exported dose is delivered: the calendar export of a run's front (schedule and
 *    adaptive_rule encodings), rebuilt here as a `fixed` regimen and simulated, gives each
 *    member's objectives bit for bit, and the optimiser's front CSV shows the same doses;
 *  - results and checkpoints of the old gene layout are refused with a message naming the
 *    file (exit 2);
 *  - `regimen check` warns about a phantom dose of a fixed regimen, on a hand-computed case. */
#include "rg_test.h"
#include "rg_test_util.h"

#include <hdf5.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/encoding.h"
#include "regimen/export.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"
#include "regimen/seal.h"
#include "regimen/sim.h"

static char problem_path[1024], rule_path[1024], noprog_path[1024];

/* problems/example.cfg with a 26-week horizon, written into the scratch directory. */
static void write_problem(void)
{
    mkdir(RG_TEST_TMPDIR, 0755);
    snprintf(problem_path, sizeof problem_path, "%s/example26.cfg", RG_TEST_TMPDIR);
    char *text = read_all(RG_SOURCE_DIR "/problems/example.cfg");
    assert_non_null(text);
    char *h = strstr(text, "horizon_days  = 728.0;");
    assert_non_null(h);
    memcpy(h, "horizon_days  = 182.0;", 22);
    FILE *f = fopen(problem_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    /* the same without progression, so that every dose of a schedule is given (docs/model.md
     * section 8: none is after progression) */
    snprintf(noprog_path, sizeof noprog_path, "%s/example26-noprog.cfg", RG_TEST_TMPDIR);
    char *fac = strstr(text, "factor = 1.2;");
    assert_non_null(fac);
    memcpy(fac, "factor = 1e9;", 13);
    f = fopen(noprog_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    memcpy(fac, "factor = 1.2;", 13);
    /* the same problem optimised as an adaptive rule */
    snprintf(rule_path, sizeof rule_path, "%s/example26-rule.cfg", RG_TEST_TMPDIR);
    h = strstr(text, "encoding    = \"schedule\";    ");
    assert_non_null(h);
    memcpy(h, "encoding = \"adaptive_rule\";  ", 29);
    f = fopen(rule_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
}

static rg_problem *load(const char *path)
{
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int rc = rg_problem_load(path, &p, &d);
    if (rc != RG_OK)
        rg_diag_print(&d, stderr);
    assert_int_equal(rc, RG_OK);
    return p;
}

/* Raising one gene alone (to the top level, every other gene at level 0 = no dose) delivers
 * exactly that drug at that gene's interval: no gene without an admissible dose. The problem
 * has no progression here, so that no dose falls after the end of the evaluation. */
static void test_every_gene_is_delivered(void **state)
{
    (void)state;
    rg_problem *p = load(noprog_path);
    rg_diag d;
    rg_diag_init(&d);
    rg_encoding *e = rg_encoding_alloc(p, &d);
    assert_non_null(e);
    assert_true(p->drugs[e->drugs[0]].administration == RG_ADMIN_BOLUS);
    assert_true(p->drugs[e->drugs[1]].administration == RG_ADMIN_CONTINUOUS);
    assert_close(e->levels[0], 0.0, 0, 0);
    size_t K = e->n_intervals, top = e->n_levels - 1;
    /* 26 intervals: doxorubicin's slots are days 0, 21, ..., 168 (9), tariquidar 26 */
    assert_int_equal(K, 26);
    assert_int_equal(e->length, 9 + 26);
    double *g = calloc(e->length, sizeof *g);
    double *lv = calloc(e->n_drugs * K, sizeof *lv);
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_trajectory tr;
    assert_non_null(g);
    assert_non_null(lv);
    assert_non_null(w);
    assert_int_equal(rg_trajectory_alloc(&tr, p), RG_OK);
    char why[RG_REASON_MAX];
    for (size_t q = 0; q < e->length; q++) {
        memset(g, 0, e->length * sizeof *g);
        g[q] = (double)top;
        assert_int_equal(rg_encoding_decode_schedule(e, g, lv, why, sizeof why), RG_OK);
        rg_policy pol;
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary s;
        assert_int_equal(rg_policy_init_schedule(&pol, p, e->n_drugs, e->drugs, lv), RG_OK);
        assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, &tr), RG_OK);
        size_t j, k = rg_encoding_gene_interval(e, q, &j);
        size_t delivered = 0;
        for (size_t dd = 0; dd < p->n_drugs; dd++)
            for (size_t kk = 0; kk < K; kk++) {
                double u = tr.levels[dd * tr.n_intervals + kk];
                bool this_gene = dd == (size_t)e->drugs[j] && kk == k;
                assert_close(u, this_gene ? e->levels[top] : 0.0, 0, 0);
                delivered += u > 0.0;
            }
        assert_int_equal(delivered, 1);
        /* the cumulative dose counts it once: one MTD bolus, or one interval of MTD-days */
        double want = j == 0 ? e->levels[top] : e->levels[top] * p->decision_days;
        assert_close(s.cumulative_dose[e->drugs[j]], want, 1e-15, 0);
    }
    rg_trajectory_free(&tr);
    rg_sim_free(w);
    free(lv);
    free(g);
    rg_encoding_free(e);
    rg_problem_free(p);
}

/* Member i's calendar rows as a fixed regimen of the problem's drugs: zeros, the bolus
 * fraction on its day, a continuous fraction over its duration. */
static void regimen_from_calendar(const rg_table *t, size_t i, const rg_problem *p,
                                  rg_regimen *reg)
{
    size_t K = rg_problem_n_intervals(p);
    memset(reg, 0, sizeof *reg);
    snprintf(reg->name, sizeof reg->name, "calendar_%zu", i);
    reg->policy = RG_POLICY_FIXED;
    /* a bolus may be due on any decision day: an adaptive rule's resume restarts the cycle
     * there (docs/model.md section 2) */
    reg->dosing_interval_days = p->decision_days;
    reg->n_drugs = p->n_drugs;
    for (size_t d = 0; d < p->n_drugs; d++) {
        reg->drugs[d] = (int)d;
        reg->n_doses[d] = K;
        reg->doses[d] = calloc(K, sizeof(double));
        assert_non_null(reg->doses[d]);
    }
    for (size_t q = 0; q < t->n_rows; q++) {
        const rg_cell *c = t->cells + q * t->n_cols;
        if ((size_t)c[0].num != i)
            continue;
        int d = rg_problem_drug_index(p, c[2].text);
        assert_true(d >= 0);
        double k0 = c[1].num / p->decision_days;
        assert_close(k0, floor(k0), 0, 0);
        size_t n = c[4].num > 0.0 ? (size_t)llround(c[4].num / p->decision_days) : 1;
        if (p->drugs[d].administration == RG_ADMIN_BOLUS)
            assert_close(c[4].num, 0.0, 0, 0);
        for (size_t k = (size_t)k0; k < (size_t)k0 + n; k++) {
            assert_true(k < K);
            reg->doses[d][k] = c[3].num;
        }
    }
}

/* Every exported dose is delivered, and nothing else is: re-simulating each member's
 * calendar as a fixed regimen gives its objectives, violation and flags bit for bit.
 * Returns the results of the run (caller frees). */
static rg_results *calendar_resimulates(const char *path, const char *out, const char *front)
{
    assert_int_equal(
        run_sh("'%s' optimize '%s' --generations 6 --population 24 --quiet --force "
               "--out '%s' --front '%s'",
               RG_REGIMEN_EXE, path, out, front),
        0);
    rg_diag d;
    rg_diag_init(&d);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(out, &r, &d), RG_OK);
    assert_true(r->front_size >= 2);
    rg_problem *p = load(path);
    rg_table *t = NULL;
    assert_int_equal(rg_export_calendar(r, out, &t, &d), RG_OK);
    assert_true(t->n_rows > 0);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    size_t M = r->n_obj, with_doses = 0;
    for (size_t i = 0; i < r->front_size; i++) {
        rg_regimen reg;
        regimen_from_calendar(t, i, p, &reg);
        /* the calendar has no phantom dose */
        for (size_t j = 0; j < reg.n_drugs; j++)
            assert_int_equal(rg_policy_phantom_doses(p, &reg, j, NULL), 0);
        rg_policy pol;
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary s;
        rg_eval_result res;
        assert_int_equal(rg_policy_init_regimen(&pol, p, &reg), RG_OK);
        assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
        assert_int_equal(rg_objectives_compute(p, &s, &res), RG_OK);
        for (size_t m = 0; m < M; m++)
            assert_memory_equal(&res.value[m], &r->front_objectives[i * M + m], sizeof(double));
        assert_memory_equal(&res.violation, &r->front_violation[i], sizeof(double));
        assert_int_equal(res.flags, r->front_flags[i]);
        for (size_t j = 0; j < reg.n_drugs; j++) {
            for (size_t k = 0; k < reg.n_doses[j]; k++)
                with_doses += reg.doses[j][k] > 0.0;
            free(reg.doses[j]);
        }
    }
    assert_true(with_doses > 0);
    rg_table_free(t);
    rg_sim_free(w);
    rg_problem_free(p);
    return r;
}

/* The optimiser's front CSV is the front export of its results file, byte for byte: the
 * same members, objectives, and delivered doses or rule values (one schema). */
static void front_is_export(const char *results, const char *front)
{
    char exported[1200];
    snprintf(exported, sizeof exported, "%s.export.csv", front);
    assert_int_equal(run_sh("'%s' export '%s' --what front -o '%s' --force", RG_REGIMEN_EXE,
                            results, exported),
                     0);
    assert_int_equal(run_sh("cmp '%s' '%s'", front, exported), 0);
}

static void test_calendar_resimulates_exactly(void **state)
{
    (void)state;
    char out[1200], front[1200];
    snprintf(out, sizeof out, "%s/cal.h5", RG_TEST_TMPDIR);
    snprintf(front, sizeof front, "%s/cal-front.csv", RG_TEST_TMPDIR);
    rg_results *r = calendar_resimulates(problem_path, out, front);
    size_t M = r->n_obj;
    /* the optimiser's own front CSV names its genes by drug and day */
    assert_int_equal(run_sh("head -1 '%s' | grep -q ',dose_doxorubicin_d0,dose_doxorubicin_d21,"
                            "dose_doxorubicin_d42,'",
                            front),
                     0);
    assert_int_equal(run_sh("head -1 '%s' | grep -q 'dose_doxorubicin_d7'", front), 1);
    front_is_export(out, front);
    assert_true(M >= 1 && r->front_size >= 1);
    rg_results_free(r);
}

/* The same for an evolved adaptive rule: its calendar is what its feedback delivered. */
static void test_rule_calendar_resimulates_exactly(void **state)
{
    (void)state;
    char out[1200], front[1200];
    snprintf(out, sizeof out, "%s/rule.h5", RG_TEST_TMPDIR);
    snprintf(front, sizeof front, "%s/rule-front.csv", RG_TEST_TMPDIR);
    rg_results *r = calendar_resimulates(rule_path, out, front);
    assert_int_equal(r->encoding, RG_ENC_ADAPTIVE_RULE);
    front_is_export(out, front);
    rg_results_free(r);
}

/* Sets (or with value 0 removes) the root attribute genome_layout of an HDF5 file. */
static void set_layout(const char *path, int value)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    if (H5Aexists(f, "genome_layout") > 0)
        assert_true(H5Adelete(f, "genome_layout") >= 0);
    if (value) {
        int32_t v = value;
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "genome_layout", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(a >= 0);
        assert_true(H5Awrite(a, H5T_NATIVE_INT32, &v) >= 0);
        H5Aclose(a);
        H5Sclose(sp);
    }
    H5Fclose(f);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
}

/* A checkpoint and a results file of the old layout (no genome_layout, or layout 1) are
 * refused with exit 2 and a message naming the file and the reason. */
static void test_old_layout_refused(void **state)
{
    (void)state;
    char res[1200], ck[1200], err[1200];
    snprintf(res, sizeof res, "%s/old.h5", RG_TEST_TMPDIR);
    snprintf(ck, sizeof ck, "%s/old.ck.h5", RG_TEST_TMPDIR);
    snprintf(err, sizeof err, "%s/old.err", RG_TEST_TMPDIR);
    assert_int_equal(run_sh("'%s' optimize '%s' --generations 2 --population 8 --quiet --force "
                            "--out '%s' --checkpoint '%s' --checkpoint-every 1",
                            RG_REGIMEN_EXE, problem_path, res, ck),
                     0);
    /* the current layout reads back and resumes */
    assert_int_equal(run_sh("'%s' info '%s' >/dev/null", RG_REGIMEN_EXE, ck), 0);
    hid_t f = H5Fopen(ck, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    int32_t layout_now = 0;
    hid_t a = H5Aopen(f, "genome_layout", H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_INT32, &layout_now) >= 0);
    H5Aclose(a);
    H5Fclose(f);
    assert_int_equal(layout_now, RG_SCHEDULE_LAYOUT);
    for (int layout = 0; layout <= 1; layout++) {
        set_layout(ck, layout);
        set_layout(res, layout);
        char out2[1200];
        snprintf(out2, sizeof out2, "%s/resumed.h5", RG_TEST_TMPDIR);
        assert_int_equal(run_sh("'%s' optimize '%s' --generations 3 --population 8 --quiet "
                                "--force --out '%s' --resume '%s' 2>'%s'",
                                RG_REGIMEN_EXE, problem_path, out2, ck, err),
                         2);
        assert_int_equal(run_sh("grep -q 'old.ck.h5: its schedule genomes have the old layout' "
                                "'%s'",
                                err),
                         0);
        assert_int_equal(
            run_sh("grep -q 'one gene per admissible dose.*run the optimisation again$' '%s'",
                   err),
            0);
        struct stat st;
        assert_int_not_equal(stat(out2, &st), 0); /* nothing written */
        assert_int_equal(run_sh("'%s' info '%s' >/dev/null 2>'%s'", RG_REGIMEN_EXE, res, err),
                         2);
        assert_int_equal(
            run_sh("grep -q 'old.h5: its schedule genomes have the old layout' '%s'", err), 0);
        assert_int_equal(run_sh("'%s' export '%s' >/dev/null 2>/dev/null", RG_REGIMEN_EXE, res),
                         2);
    }
}

/* A bolus drug every 14 days on a 7-day grid (slots at even intervals), a fixed calendar
 * [0.5, 0, 0, 0.3] repeated over 8 intervals: 0.3 on intervals 3 and 7 has no slot. */
static void test_phantom_warning(void **state)
{
    (void)state;
    rg_problem *p = load(problem_path);
    p->horizon_days = 56.0;
    p->drugs[0].dosing_interval_days = 14.0;
    rg_regimen reg;
    memset(&reg, 0, sizeof reg);
    reg.policy = RG_POLICY_FIXED;
    reg.n_drugs = 2;
    reg.drugs[0] = 0; /* doxorubicin, bolus */
    reg.drugs[1] = 1; /* tariquidar, continuous: never a phantom */
    double dox[4] = {0.5, 0.0, 0.0, 0.3}, tq[1] = {0.7};
    reg.doses[0] = dox;
    reg.doses[1] = tq;
    reg.n_doses[0] = 4;
    reg.n_doses[1] = 1;
    size_t first = 99;
    assert_int_equal(rg_policy_phantom_doses(p, &reg, 0, &first), 2);
    assert_int_equal(first, 3);
    assert_int_equal(rg_policy_phantom_doses(p, &reg, 1, &first), 0);
    dox[3] = 0.0;
    dox[2] = 0.3; /* interval 2 and 6: on the slots */
    assert_int_equal(rg_policy_phantom_doses(p, &reg, 0, NULL), 0);
    reg.policy = RG_POLICY_MTD;
    assert_int_equal(rg_policy_phantom_doses(p, &reg, 0, NULL), 0);
    rg_problem_free(p);

    /* the command: exit 0, one line on stderr naming the file, regimen, drug and day */
    char path[1200], out[1200], err[1200];
    snprintf(path, sizeof path, "%s/phantom.cfg", RG_TEST_TMPDIR);
    snprintf(out, sizeof out, "%s/phantom.out", RG_TEST_TMPDIR);
    snprintf(err, sizeof err, "%s/phantom.err", RG_TEST_TMPDIR);
    char *text = read_all(problem_path);
    assert_non_null(text);
    char *a = strstr(text, "horizon_days  = 182.0;");
    assert_non_null(a);
    memcpy(a, "horizon_days  =  56.0;", 22);
    a = strstr(text, "dosing_interval_days = 21.0;");
    assert_non_null(a);
    memcpy(a, "dosing_interval_days = 14.0;", 28);
    a = strstr(text,
               "doses = ( [1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0] )");
    assert_non_null(a);
    memcpy(a, "doses = ( [0.5, 0.0, 0.0, 0.3, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 0.0, 0.0] )", 74);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    /* [0.5, 0, 0, 0.3, 0, 0] over 8 intervals: 0.3 on interval 3 only (day 21) */
    assert_int_equal(run_sh("'%s' check '%s' >'%s' 2>'%s'", RG_REGIMEN_EXE, path, out, err), 0);
    assert_int_equal(run_sh("test $(wc -l <'%s') -eq 1", err), 0);
    assert_int_equal(
        run_sh("grep -q \"^regimen check: %s: warning: regimen 'alternating': "
               "doxorubicin is a bolus drug given every 14 days; its level 0.3 on "
               "interval 3 (day 21) has no bolus slot and is never given (a phantom "
               "dose; 1 such interval)$\" '%s'",
               path, err),
        0);
    assert_int_equal(run_sh("test -s '%s'", out), 0); /* the report is printed as usual */
    /* the shipped problem check stays silent */
    assert_int_equal(
        run_sh("'%s' check '%s' >/dev/null 2>'%s'", RG_REGIMEN_EXE, problem_path, err), 0);
    assert_int_equal(run_sh("test -s '%s'", err), 1);
}

static int setup(void **state)
{
    (void)state;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    write_problem();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_gene_is_delivered),
        cmocka_unit_test(test_calendar_resimulates_exactly),
        cmocka_unit_test(test_rule_calendar_resimulates_exactly),
        cmocka_unit_test(test_old_layout_refused),
        cmocka_unit_test(test_phantom_warning),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
