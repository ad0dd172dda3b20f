/* regimen compare on a cohort problem (docs/model.md section 13; docs/regimens.md): three
 * patients of a closed-form problem (one clone, half-life 0, linear kill:
 * B = B(0) exp((r - emax u) t)) differ in growth rate r = 0.03, 0.05, 0.12.
 * By hand (emax 0.1, progression at 1.2 B(0), daily visits, horizon 56):
 *   MTD (u = 1): net -0.07, -0.05 (never progress: censored at 56), +0.02 (day
 *     ceil(ln 1.2 / 0.02 = 9.12) = 10);
 *   low (u = 0.1): net 0.02, 0.04, 0.11: days 10, 5 (ln 1.2 / 0.04 = 4.56) and 2 (1.66).
 * Kaplan-Meier: MTD S = 1, then 2/3 from day 10 (3 at risk, 1 event), 2 censored at 56;
 * low S = 1, 2/3 at day 2, 1/3 at day 5, 0 at day 10. The per-patient rows equal the rows of
 * three single-patient problem files with r written in. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rg_test_util.h"

#define TEXT                                                                                 \
    "name = \"cohort compare test\";\n"                                                      \
    "horizon_days = 56.0; decision_days = 7.0; visit_days = 1.0;\n"                          \
    "carrying_capacity = 1.0e30; emergence_cells = 1.0e30;\n"                                \
    "drugs = ( { name = \"cisplatin\"; half_life_days = 0.0; effect = \"linear\";\n"         \
    "            emax = 0.1; ec50 = 1.0; } );\n"                                             \
    "clones = ( { name = \"s\"; cells = 2.385e9; growth_rate = %s; } );\n"                   \
    "regimens = (\n"                                                                         \
    "  { name = \"MTD\"; policy = \"mtd\"; drugs = [\"cisplatin\"]; },\n"                    \
    "  { name = \"low\"; policy = \"metronomic\"; drugs = [\"cisplatin\"]; level = 0.1; }\n" \
    ");\n"

static const char *const rates[3] = {"0.03", "0.05", "0.12"};

static int run(const char *args)
{
    char cmd[8192], out[1100];
    path_in(out, sizeof out, "out.txt");
    int n = snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s > '%s' 2>&1", tmp_dir, RG_REGIMEN_EXE,
                     args, out);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Line k (from 0) of text into buf, without the newline. */
static void line_of(const char *text, int k, char *buf, size_t n)
{
    for (; k > 0 && text; k--) {
        text = strchr(text, '\n');
        if (text)
            text++;
    }
    assert_non_null(text);
    size_t len = strcspn(text, "\n");
    assert_true(len < n);
    memcpy(buf, text, len);
    buf[len] = '\0';
}

static void write_cohort(void)
{
    char text[4096];
    int n = snprintf(text, sizeof text, TEXT, "0.03");
    snprintf(text + n, sizeof text - (size_t)n,
             "cohort = { parameters = [\"clones.s.growth_rate\"];\n patients = (\n"
             "  { name = \"A\"; values = [0.03]; }, { name = \"B\"; values = [0.05]; },\n"
             "  { name = \"C\"; values = [0.12]; } ); };\n");
    scratch_write("cohort.cfg", text);
}

static void test_patients_equal_singles(void **state)
{
    (void)state;
    write_cohort();
    assert_int_equal(run("compare cohort.cfg --patients p.csv --force"), 0);
    char *pc = scratch_read("p.csv");
    char *pcopy = strdup(pc);
    assert_non_null(pcopy);
    static const char *const names[3] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
        char text[4096], name[64], args[256];
        snprintf(text, sizeof text, TEXT, rates[i]);
        snprintf(name, sizeof name, "single%d.cfg", i);
        scratch_write(name, text);
        snprintf(args, sizeof args, "compare %s --csv s%d.csv --force", name, i);
        assert_int_equal(run(args), 0);
        snprintf(name, sizeof name, "s%d.csv", i);
        char *sc = scratch_read(name);
        for (int r = 0; r < 2; r++) {
            char want[4096], got[4096], hdr[4096];
            line_of(sc, 1 + r, want, sizeof want);
            line_of(pcopy, 1 + r * 3 + i, got, sizeof got);
            /* drop the patient column: "MTD,A,mtd,..." -> "MTD,mtd,..." */
            char *c1 = strchr(got, ',');
            assert_non_null(c1);
            char *c2 = strchr(c1 + 1, ',');
            assert_non_null(c2);
            assert_int_equal((int)(c2 - c1 - 1), (int)strlen(names[i]));
            assert_memory_equal(c1 + 1, names[i], strlen(names[i]));
            memmove(c1, c2, strlen(c2) + 1);
            assert_string_equal(got, want);
            line_of(sc, 0, want, sizeof want);
            line_of(pcopy, 0, hdr, sizeof hdr);
            assert_memory_equal(hdr, "regimen,patient,policy,", 23);
            assert_string_equal(hdr + 15, want + 7);
        }
        free(sc);
    }
    free(pcopy);
    free(pc);
}

static void test_km_and_summary(void **state)
{
    (void)state;
    write_cohort();
    assert_int_equal(run("compare cohort.cfg --km k.csv --csv s.csv --force"), 0);
    char *k = scratch_read("k.csv");
    assert_string_equal(k, "regimen,t,survival,at_risk,events\n"
                           "MTD,0,1,3,0\n"
                           "MTD,10,0.66666666666666674,3,1\n"
                           "MTD,56,0.66666666666666674,2,0\n"
                           "low,0,1,3,0\n"
                           "low,2,0.66666666666666674,3,1\n"
                           "low,5,0.33333333333333337,2,1\n"
                           "low,10,0,1,1\n");
    free(k);
    char *s = scratch_read("s.csv");
    char l[4096];
    line_of(s, 0, l, sizeof l);
    assert_string_equal(l, "regimen,policy,patients,median_ttp,median_ttp_censored,ttp_q25,"
                           "ttp_q25_censored,ttp_q75,ttp_q75_censored,rmst_ttp,"
                           "progression_free_at_horizon,median_resistance_probability,"
                           "median_resistant_fraction,median_dose_intensity,"
                           "feasible_patients,failed_patients");
    /* MTD: TTPs 10, >56, >56: median and q75 censored, q25 = 10, RMST (10 + 112) / 3 */
    line_of(s, 1, l, sizeof l);
    assert_non_null(
        strstr(l, "MTD,mtd,3,56,1,10,0,56,1,40.666666666666664,0.66666666666666663,"));
    line_of(s, 2, l, sizeof l);
    assert_non_null(strstr(l, "low,metronomic,3,5,0,2,0,10,0,5.666666666666667,0,"));
    free(s);
    /* the table */
    assert_int_equal(run("compare cohort.cfg"), 0);
    char *t = scratch_read("out.txt");
    assert_non_null(strstr(t, "virtual trial of 2 regimens on 3 patients"));
    assert_non_null(strstr(t, ">56"));
    free(t);
}

/* A results file of a cohort problem scores the built-in regimens as the front is scored:
 * by each objective's statistic over the patients (median TTP: >56 for MTD, 5 for low),
 * not by the nominal patient (whose low TTP is 10). */
static void test_results_regimens(void **state)
{
    (void)state;
    write_cohort();
    assert_int_equal(run("optimize cohort.cfg --population 4 --generations 1 --out r.h5 "
                         "--force --quiet"),
                     0);
    assert_int_equal(run("export r.h5 --what regimens --format csv -o reg.csv --force"), 0);
    char *t = scratch_read("reg.csv");
    char l[4096];
    line_of(t, 1, l, sizeof l);
    assert_memory_equal(l, "MTD,56,1,", 9);
    line_of(t, 2, l, sizeof l);
    assert_memory_equal(l, "low,5,0,", 8);
    free(t);
}

static void test_refusals(void **state)
{
    (void)state;
    write_cohort();
    char text[4096];
    snprintf(text, sizeof text, TEXT, "0.03");
    scratch_write("one.cfg", text);
    assert_int_equal(run("compare one.cfg --km k2.csv"), 2);
    assert_int_equal(run("compare cohort.cfg --trajectories tdir"), 2);
    assert_int_equal(run("compare cohort.cfg --km k3.csv --force"), 0);
    assert_int_equal(run("compare cohort.cfg --km k3.csv"), 2); /* exists, no --force */
    assert_int_equal(run("compare cohort.cfg --km"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patients_equal_singles),
        cmocka_unit_test(test_km_and_summary),
        cmocka_unit_test(test_results_regimens),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
