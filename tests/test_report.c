/* Progress line, reference point and front CSV in natural units, with a maximised objective
 * (ttp) and a schedule encoding; a synthetic batch function stands in for the model. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rg_test.h"

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"
#include "regimen/report.h"

/* ttp = 10 * (levels given to drug 0) days (maximised), dose = sum of levels (minimised):
 * a straight trade-off; genomes with a gene 3 (level index) are infeasible. */
static int synthetic(void *ctx, size_t n, size_t len, const double g[], rg_eval_result out[])
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        double s0 = 0, s = 0;
        bool bad = false;
        for (size_t k = 0; k < len; k++) {
            s += g[i * len + k];
            if (k < len / 2)
                s0 += g[i * len + k];
            bad |= g[i * len + k] == 3.0;
        }
        memset(&out[i], 0, sizeof out[i]);
        out[i].value[0] = 10.0 * s0;
        out[i].fitness[0] = -10.0 * s0;
        out[i].value[1] = s;
        out[i].fitness[1] = s;
        out[i].violation = bad ? 0.5 : 0.0;
        /* drug a at its highest feasible level throughout: no progression by the horizon */
        out[i].flags = s0 == 2.0 * (double)(len / 2) ? RG_RES_CENSORED : 0;
    }
    return RG_OK;
}

static rg_problem *problem(void)
{
    rg_problem *p = rg_problem_alloc();
    p->horizon_days = 30;
    p->decision_days = 10;
    p->n_drugs = 2;
    strcpy(p->drugs[0].name, "a");
    strcpy(p->drugs[1].name, "b");
    p->optimize.n_drugs = 2;
    p->optimize.drugs[0] = 0;
    p->optimize.drugs[1] = 1;
    p->optimize.n_levels = 4;
    for (size_t l = 0; l < 4; l++)
        p->optimize.dose_levels[l] = (double)l / 3.0;
    p->optimize.n_objectives = 2;
    p->optimize.objectives[0] = RG_OBJ_TTP;
    p->optimize.objectives[1] = RG_OBJ_DOSE_INTENSITY;
    p->optimize.population = 16;
    p->optimize.generations = 6;
    p->optimize.seed = 4;
    p->optimize.has_reference_point = true;
    p->optimize.reference_point[0] = 5.0; /* days: count only ttp > 5 */
    p->optimize.reference_point[1] = 7.5;
    return p;
}

static char *capture(void (*fn)(FILE *, const rg_problem *, const rg_encoding *,
                                const rg_nsga2 *),
                     const rg_problem *p, const rg_encoding *e, const rg_nsga2 *g)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fn(f, p, e, g);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc((size_t)n + 1, 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static void do_progress(FILE *f, const rg_problem *p, const rg_encoding *e, const rg_nsga2 *g)
{
    (void)e;
    rg_report_reference(f, p, g);
    rg_progress pr = {300, 6123.4, 12.4, 118.0};
    rg_report_progress(f, p, g, &pr);
}

static void do_front(FILE *f, const rg_problem *p, const rg_encoding *e, const rg_nsga2 *g)
{
    assert_int_equal(rg_report_front_csv(f, p, e, g), RG_OK);
}

static void test_report(void **state)
{
    (void)state;
    rg_problem *p = problem();
    rg_diag d;
    rg_diag_init(&d);
    rg_encoding *e = rg_encoding_alloc(p, &d);
    assert_non_null(e);
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(p, 2, &s);
    assert_close(s.reference[0], -5.0, 0, 0); /* ttp is maximised: negated */
    rg_nsga2 *g = rg_nsga2_alloc(e, &s);
    assert_int_equal(rg_nsga2_init(g, synthetic, NULL, NULL, 0), RG_OK);
    while (!rg_nsga2_done(g))
        assert_int_equal(rg_nsga2_step(g), RG_OK);

    assert_close(rg_report_natural(p, 0, -12.5), 12.5, 0, 0);
    assert_close(rg_report_natural(p, 1, 0.25), 0.25, 0, 0);
    char *prog = capture(do_progress, p, e, g);
    assert_non_null(strstr(prog, "reference point (optimize.reference_point): ttp=5 "
                                 "dose_intensity=7.5\n"));
    /* the line a person reads: progress against the target, rate, times (m:ss), the
     * archive's hypervolume and size, the best ttp of the archive */
    const rg_archive *a = rg_nsga2_archive(g);
    size_t nh;
    const double *ahv = rg_nsga2_archive_hv_history(g, &nh);
    const rg_eval_result *res = rg_archive_results(a);
    double best_ttp = 0;
    bool censored = false;
    for (size_t i = 0; i < rg_archive_size(a); i++)
        if (res[i].value[0] > best_ttp) {
            censored = (res[i].flags & RG_RES_CENSORED) != 0;
            best_ttp = res[i].value[0];
        }
    char want[256];
    /* a censored best TTP is a lower bound: ">60" */
    snprintf(want, sizeof want,
             "gen 6/300  evals 112  6123 evals/s  elapsed 0:12  eta 1:58  hv %.6g  front %zu  "
             "best ttp %s%.6g\n",
             ahv[nh - 1], rg_archive_size(a), censored ? ">" : "", best_ttp);
    assert_string_equal(strstr(prog, "gen "), want);
    /* durations: m:ss below an hour, h:mm:ss from one, "-" when unknown */
    char dur[32];
    rg_report_duration(3599.4, dur, sizeof dur);
    assert_string_equal(dur, "59:59");
    rg_report_duration(3725.0, dur, sizeof dur);
    assert_string_equal(dur, "1:02:05");
    rg_report_duration(-1.0, dur, sizeof dur);
    assert_string_equal(dur, "-");

    char *csv = capture(do_front, p, e, g);
    const char *head = "member,ttp,ttp_censored,dose_intensity,violation,feasible,flags,"
                       "dose_a_d0,dose_a_d10,dose_a_d20,dose_b_d0,dose_b_d10,dose_b_d20\n";
    assert_true(!strncmp(csv, head, strlen(head)));
    /* every row: ttp = 10 x (drug a's level indices), dose = sum of indices, levels decoded,
     * rows distinct, sorted by fitness (ttp descending) */
    size_t rows = 0, n_censored = 0;
    double last_ttp = 1e300;
    char *save = NULL;
    for (char *line = strtok_r(strchr(csv, '\n') + 1, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        double v[10];
        unsigned flags;
        size_t member;
        int cen, feasible;
        int got = sscanf(line, "%zu,%lf,%d,%lf,%lf,%d,%u,%lf,%lf,%lf,%lf,%lf,%lf", &member,
                         &v[0], &cen, &v[1], &v[2], &feasible, &flags, &v[3], &v[4], &v[5],
                         &v[6], &v[7], &v[8]);
        assert_int_equal(got, 13);
        assert_int_equal(member, rows);
        assert_int_equal(feasible, rg_eval_result_feasible(v[2], flags) ? 1 : 0);
        assert_int_equal(cen, (flags & RG_RES_CENSORED) ? 1 : 0);
        n_censored += cen;
        double s0 = 3.0 * (v[3] + v[4] + v[5]), s1 = 3.0 * (v[6] + v[7] + v[8]);
        assert_close(v[0], 10.0 * s0, 1e-12, 1e-12);
        assert_close(v[1], s0 + s1, 1e-12, 1e-12);
        assert_true(v[0] <= last_ttp);
        last_ttp = v[0];
        rows++;
    }
    assert_int_equal(rows, rg_archive_size(a)); /* the front CSV is the archive */
    assert_true(n_censored >= 1); /* the front's longest TTP is the censored one */

    /* a stream that refuses writes (opened read-only): RG_EIO */
    mkdir(RG_TEST_TMPDIR, 0755);
    char path[512];
    snprintf(path, sizeof path, "%s/front.csv", RG_TEST_TMPDIR);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(rg_report_front_csv(f, p, e, g), RG_EIO);
    fclose(f);

    free(prog);
    free(csv);
    rg_nsga2_free(g);
    rg_encoding_free(e);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
