/* Tests of the cohort group (docs/model.md section 13; src/io/load_cohort*.c, cohort_sample.c):
 * each source (inline, table, sampled) gives patients that equal the nominal problem with
 * the values written in; the errors name file, line, key and patient; the sampler is
 * reproducible for a seed and its sample agrees with the distribution for n = 4096. */
#include "rg_test.h"
#include "rg_test_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "problem_load_util.h"
#include "regimen/cohort.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"

/* Nominal problem: lines 1-6. K of clone r follows the top-level carrying_capacity. */
#define BASE                                                                      \
    "horizon_days = 70.0;\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n"      \
    "drugs = ( { name = \"d\"; half_life_days = 1.0; emax = 0.5; } );\n"          \
    "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n"             \
    "  { name = \"r\"; cells = 1e3; growth_rate = 0.05; resistant = true; } );\n" \
    "mutations = ( { from = \"s\"; to = \"r\"; rate = 1e-6; } );\n"

#define PARAMS                                                              \
    "[\"clones.s.growth_rate\", \"drugs.d.ec50\", \"mutations.s.r.rate\", " \
    "\"carrying_capacity\", \"clones.r.cells\"]"

static const double vals[3][5] = {
    {0.1, 0.5, 1e-6, 1e9, 1e3}, {0.2, 2.0, 1e-5, 2e9, 5e3}, {0.05, 0.1, 0.0, 5e8, 0.0}};

static char *path_in_tmp(const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", RG_TEST_TMPDIR, name);
    return buf[k];
}

static rg_problem *load_ok(const char *name, const char *text)
{
    make_tmpdir();
    const char *f = path_in_tmp(name);
    write_file(f, text);
    rg_problem *p = NULL;
    rg_diag d;
    rg_diag_init(&d);
    int st = rg_problem_load(f, &p, &d);
    if (st != RG_OK)
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", d.msg[i]);
    assert_int_equal(st, RG_OK);
    assert_non_null(p);
    return p;
}

/* Patient i of p against the values of vals[i]. */
static void check_patient(const rg_problem *p, size_t i)
{
    const rg_problem *q = p->cohort->patients[i];
    assert_non_null(q);
    assert_null(q->cohort);
    assert_close(q->clones[0].growth_rate, vals[i][0], 0, 0);
    assert_close(q->drugs[0].ec50, vals[i][1], 0, 0);
    assert_close(q->mutations[0].rate, vals[i][2], 0, 0);
    assert_close(q->carrying_capacity, vals[i][3], 0, 0);
    assert_close(q->clones[1].cells, vals[i][4], 0, 0);
    /* defaults that depend on varied keys are the patient's own */
    assert_close(q->clones[1].carrying_capacity, vals[i][3], 0, 0);
    assert_close(q->emergence_cells, 0.1 * (1e6 + vals[i][4]), 1e-15, 0);
    /* the rest is the nominal problem's */
    assert_close(q->drugs[0].emax, 0.5, 0, 0);
    assert_close(q->clones[1].growth_rate, 0.05, 0, 0);
}

static void test_inline(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text,
             BASE "cohort = { parameters = " PARAMS ";\n patients = (\n"
                  "  { name = \"A\"; values = [0.1, 0.5, 1e-6, 1e9, 1e3]; },\n"
                  "  { name = \"B\"; values = [0.2, 2.0, 1e-5, 2e9, 5e3]; },\n"
                  "  { name = \"C\"; values = [0.05, 0.1, 0.0, 5e8, 0.0]; } ); };\n");
    rg_problem *p = load_ok("inline.cfg", text);
    assert_non_null(p->cohort);
    assert_int_equal(p->cohort->n_patients, 3);
    assert_int_equal(p->cohort->n_params, 5);
    assert_string_equal(p->cohort->names[1], "B");
    assert_string_equal(p->cohort->params[2], "mutations.s.r.rate");
    assert_int_equal(rg_problem_n_patients(p), 3);
    for (size_t i = 0; i < 3; i++)
        check_patient(p, i);
    /* the nominal problem is untouched */
    assert_close(p->drugs[0].ec50, 1.0, 0, 0);
    assert_int_equal(p->cohort->aggregate[0].kind, RG_AGG_QUANTILE);
    assert_close(p->cohort->aggregate[0].arg, 0.5, 0, 0);
    rg_problem_free(p);
    /* regimen check prints the cohort */
    char *out, *err;
    assert_int_equal(run_check(path_in_tmp("inline.cfg"), NULL, &out, &err), 0);
    assert_non_null(strstr(out, "cohort: 3 patients (A ... C), 5 parameters"));
    assert_non_null(strstr(out, "  drugs.d.ec50: 0.1 to 2\n"));
    free(out);
    free(err);
    /* and, with --json, every patient's values */
    assert_int_equal(run_check(path_in_tmp("inline.cfg"), "--json", &out, &err), 0);
    assert_non_null(strstr(out, "\"statistic\": \"quantile\""));
    assert_non_null(
        strstr(out, "\"name\": \"B\",\n        \"values\": [\n          0.20000000000000001,\n"
                    "          2,\n          1.0000000000000001e-05,"));
    free(out);
    free(err);
}

static void test_table(void **state)
{
    (void)state;
    make_tmpdir();
    write_file(path_in_tmp("pts.csv"),
               "# patients\nname, clones.s.growth_rate, drugs.d.ec50, mutations.s.r.rate, "
               "carrying_capacity, clones.r.cells\n"
               "A,0.1,0.5,1e-6,1e9,1e3\n\nB,0.2,2.0,1e-5,2e9,5e3\r\nC,0.05,0.1,0,5e8,0\n");
    rg_problem *p = load_ok("table.cfg", BASE "cohort = { table = \"pts.csv\"; };\n");
    assert_int_equal(p->cohort->n_patients, 3);
    assert_string_equal(p->cohort->names[2], "C");
    for (size_t i = 0; i < 3; i++)
        check_patient(p, i);
    rg_problem_free(p);
}

#define SAMPLED                                                                              \
    BASE "cohort = { size = 64; seed = 7; sampling = \"%s\"; vary = (\n"                     \
         " { parameter = \"drugs.d.ec50\"; distribution = \"lognormal\"; median = 0.5; "     \
         "cv = 0.6; min = 0.2; max = 1.5; },\n"                                              \
         " { parameter = \"clones.r.growth_rate\"; distribution = \"uniform\"; min = 0.02; " \
         "max = 0.08; },\n"                                                                  \
         " { parameter = \"clones.s.mechanisms.m\"; distribution = \"normal\"; mean = 1.0; " \
         "sd = 0.1; min = 0.5; } ); };\n"                                                    \
         "mechanisms = ( { name = \"m\"; kind = \"target\"; affects = [\"d\"]; } );\n"

static void test_sampled(void **state)
{
    (void)state;
    for (int s = 0; s < 2; s++) {
        char text[4096];
        snprintf(text, sizeof text, SAMPLED, s ? "random" : "sobol");
        rg_problem *p = load_ok("sampled.cfg", text);
        rg_problem *q = load_ok("sampled.cfg", text);
        const rg_cohort *c = p->cohort;
        assert_int_equal(c->n_patients, 64);
        assert_string_equal(c->names[63], "P64");
        /* reproducible for a seed, bit for bit */
        assert_memory_equal(c->values, q->cohort->values, 64 * 3 * sizeof(double));
        for (size_t i = 0; i < 64; i++) {
            const rg_problem *pi = c->patients[i];
            assert_true(pi->drugs[0].ec50 >= 0.2 && pi->drugs[0].ec50 <= 1.5);
            assert_true(pi->clones[1].growth_rate >= 0.02 && pi->clones[1].growth_rate <= 0.08);
            assert_true(pi->clones[0].fold[0] >= 0.5);
            assert_close(pi->drugs[0].ec50, c->values[i * 3], 0, 0);
            assert_close(pi->clones[0].fold[0], c->values[i * 3 + 2], 0, 0);
        }
        rg_problem_free(p);
        rg_problem_free(q);
    }
}

/* Loads text as FILE and expects one error "FILE:LINE: PATH: ...WHAT..." with the line of
 * the "#!" marker; also through `regimen check` (exit 2). */
static void expect_error(const char *name, const char *text, const char *path, const char *what)
{
    make_tmpdir();
    const char *f = path_in_tmp(name);
    write_file(f, text);
    rg_problem *p = NULL;
    rg_diag d;
    rg_diag_init(&d);
    assert_int_equal(rg_problem_load(f, &p, &d), RG_EINVAL);
    assert_null(p);
    assert_true(d.count >= 1);
    char want[2048];
    snprintf(want, sizeof want, "%s:%d: %s%s", f, marker_line(text), path, *path ? ": " : "");
    if (strncmp(d.msg[0], want, strlen(want)) != 0 || !strstr(d.msg[0], what)) {
        print_error("got  %s\nwant %s...%s\n", d.msg[0], want, what);
        fail();
    }
    char *out, *err;
    assert_int_equal(run_check(f, NULL, &out, &err), 2);
    assert_non_null(strstr(err, what));
    free(out);
    free(err);
}

static void test_errors(void **state)
{
    (void)state;
    /* a value out of range for one patient: the patient's line, the key, the patient */
    expect_error("range.cfg",
                 BASE "cohort = { parameters = [\"clones.s.growth_rate\"];\n patients = (\n"
                      "  { name = \"A\"; values = [0.1]; },\n"
                      "  { name = \"B\"; values = [60.0]; } ); }; #!\n",
                 "clones.[0].growth_rate",
                 "out of range (expected [0, 50], 1/day) (cohort "
                 "patient B, cohort.patients.[1])");
    expect_error("path.cfg",
                 BASE "cohort = { parameters = [\"clones.x.growth_rate\"]; #!\n"
                      " patients = ( { name = \"A\"; values = [0.1]; } ); };\n",
                 "cohort.parameters.[0]", "no entry of clones is named x");
    expect_error("key.cfg",
                 BASE "cohort = { parameters = [\"drugs.d.administration\"]; #!\n"
                      " patients = ( { name = \"A\"; values = [0.1]; } ); };\n",
                 "cohort.parameters.[0]", "not a real-valued key");
    expect_error("opt.cfg",
                 BASE "cohort = { parameters = [\"optimize.sbx_eta\"]; #!\n"
                      " patients = ( { name = \"A\"; values = [10.0]; } ); };\n",
                 "cohort.parameters.[0]", "optimize settings cannot vary between patients");
    expect_error("count.cfg",
                 BASE "cohort = { parameters = [\"drugs.d.ec50\"];\n"
                      " patients = ( { name = \"A\"; values = [0.1, 0.2]; } ); }; #!\n",
                 "cohort.patients.[0].values", "2 values for 1 parameters");
    expect_error("size0.cfg",
                 BASE "cohort = { size = 0; #!\n vary = ( { parameter = "
                      "\"drugs.d.ec50\"; distribution = \"uniform\"; min = 0.1; "
                      "max = 1.0; } ); };\n",
                 "cohort.size", "out of range");
    expect_error("two.cfg", BASE "cohort = { table = \"x.csv\"; size = 4; }; #!\n", "cohort",
                 "exactly one of");
    expect_error("sampled_range.cfg",
                 BASE
                 "cohort = { size = 8; vary = ( #!\n { parameter = \"clones.s.growth_rate\"; "
                 "distribution = \"normal\"; mean = 0.1; sd = 1.0; } ); };\n",
                 "clones.[0].growth_rate", "truncate the distribution");
    /* table errors: the table's row and column, and the problem file's line */
    write_file(path_in_tmp("cell.csv"),
               "name,drugs.d.ec50,clones.s.cells\nA,0.5,1e6\nB,x,1e6\n");
    write_file(path_in_tmp("col.csv"), "name,drugs.d.ec50,clones.s.cells\nA,0.5\n");
    rg_problem *p = NULL;
    rg_diag d;
    rg_diag_init(&d);
    write_file(path_in_tmp("cell2.cfg"), BASE "cohort = { table = \"cell.csv\"; };\n");
    assert_int_equal(rg_problem_load(path_in_tmp("cell2.cfg"), &p, &d), RG_EINVAL);
    assert_non_null(strstr(d.msg[0], "cell.csv:3: column 2 (drugs.d.ec50): 'x' is not a "
                                     "finite number (cohort.table of "));
    assert_non_null(strstr(d.msg[0], "cell2.cfg:8)"));
    char *out, *err;
    assert_int_equal(run_check(path_in_tmp("cell2.cfg"), NULL, &out, &err), 2);
    assert_non_null(strstr(err, "'x' is not a finite number"));
    free(out);
    free(err);
    rg_diag_init(&d);
    write_file(path_in_tmp("col.cfg"), BASE "cohort = { table = \"col.csv\"; };\n");
    assert_int_equal(rg_problem_load(path_in_tmp("col.cfg"), &p, &d), RG_EINVAL);
    assert_non_null(strstr(d.msg[0], "col.csv:2: 2 columns, the header has 3"));
}

/* Sample statistics of n = 4096 against the distribution: Sobol points stratify, so the
 * tolerances are tight (1% on the median, 2% on mean and sd); independent draws get five
 * standard errors. */
static void test_distribution(void **state)
{
    (void)state;
    enum { N = 4096 };
    rg_dist d[2] = {{RG_DIST_LOGNORMAL, 0.2, 0.5, -HUGE_VAL, HUGE_VAL},
                    {RG_DIST_NORMAL, 3.0, 0.5, -HUGE_VAL, HUGE_VAL}};
    double *x = malloc(2 * N * sizeof *x), *y = malloc(2 * N * sizeof *y);
    double *col = malloc(N * sizeof *col);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(col);
    for (int s = 0; s < 2; s++) {
        bool sobol = s == 0;
        assert_int_equal(rg_cohort_sample(d, 2, sobol, 11, N, x), RG_OK);
        assert_int_equal(rg_cohort_sample(d, 2, sobol, 11, N, y), RG_OK);
        assert_memory_equal(x, y, 2 * N * sizeof *x);
        assert_int_equal(rg_cohort_sample(d, 2, sobol, 12, N, y), RG_OK);
        assert_true(memcmp(x, y, 2 * N * sizeof *x) != 0);
        /* lognormal: median 0.2, mean 0.2 exp(s^2 / 2), s^2 = log(1 + cv^2) */
        double s2 = log(1.25), mean = 0, m2 = 0;
        for (size_t i = 0; i < N; i++) {
            col[i] = x[2 * i];
            mean += col[i] / N;
        }
        for (size_t i = 0; i < N; i++)
            m2 += (col[i] - mean) * (col[i] - mean) / (N - 1);
        size_t below = 0;
        for (size_t i = 0; i < N; i++)
            below += col[i] < 0.2;
        double tol_med = sobol ? 0.01 : 5 * 0.5 / sqrt(N);
        double tol = sobol ? 0.02 : 5 * 0.5 / sqrt(N);
        assert_close((double)below / N, 0.5, 0, tol_med);
        assert_close(mean, 0.2 * exp(s2 / 2), tol, 0);
        assert_close(sqrt(m2), 0.2 * exp(s2 / 2) * 0.5, sobol ? 0.02 : 0.1, 0);
        /* normal */
        mean = m2 = 0;
        for (size_t i = 0; i < N; i++)
            mean += x[2 * i + 1] / N;
        for (size_t i = 0; i < N; i++)
            m2 += (x[2 * i + 1] - mean) * (x[2 * i + 1] - mean) / (N - 1);
        assert_close(mean, 3.0, 0, sobol ? 0.002 : 5 * 0.5 / sqrt(N));
        assert_close(sqrt(m2), 0.5, sobol ? 0.02 : 0.1, 0);
    }
    /* truncation: every value inside, and the truncated normal's known mean */
    rg_dist t = {RG_DIST_NORMAL, 0.0, 1.0, 0.0, 1.0};
    assert_int_equal(rg_cohort_sample(&t, 1, true, 3, N, x), RG_OK);
    double mean = 0;
    for (size_t i = 0; i < N; i++) {
        assert_true(x[i] >= 0.0 && x[i] <= 1.0);
        mean += x[i] / N;
    }
    /* E[Z | 0 <= Z <= 1] = (phi(0) - phi(1)) / (Phi(1) - Phi(0)) = 0.459862 */
    assert_close(mean, 0.4598622, 0.005, 0);
    assert_int_equal(rg_cohort_sample(d, 41, true, 1, 1, x), RG_EINVAL);
    free(x);
    free(y);
    free(col);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline),       cmocka_unit_test(test_table),
        cmocka_unit_test(test_sampled),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_distribution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
