/* `regimen simulate --stochastic N` (src/cli/simulate_stochastic.c, docs/model.md section 12):
 * the same seed writes the same replicates byte for byte and another seed other ones; each
 * CSV row agrees with itself (cured iff every clone is at 0, a de novo lineage alive only
 * with resistant cells); the report prints the kernel's P beside the replicates; bad option
 * values and normalised units exit 2 naming what is wrong, and a refused CSV stops the run
 * before anything is printed. */
#include "rg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

#define BOLUS RG_SOURCE_DIR "/tests/data/stoch_bolus.cfg"

static int run(const char *args, char *out, size_t cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' simulate %s 2>&1", RG_REGIMEN_EXE, args);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    char rest[4096]; /* the rest unread, so that a long output does not die of SIGPIPE */
    while (fread(rest, 1, sizeof rest, f) > 0)
        ;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The replicates' CSV on stdout for seed `seed`. */
static void csv_of(uint64_t seed, char *out, size_t cap)
{
    char args[1024];
    snprintf(args, sizeof args, "'%s' --stochastic 60 --seed %llu --csv -", BOLUS,
             (unsigned long long)seed);
    assert_int_equal(run(args, out, cap), 0);
}

static void test_same_seed_same_csv(void **state)
{
    (void)state;
    static char a[65536], b[65536], c[65536];
    csv_of(2385, a, sizeof a);
    csv_of(2385, b, sizeof b);
    csv_of(2386, c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);

    const char *line = a;
    const char *head = "replicate,ttp,ttp_censored,de_novo_alive,cured,final_burden,"
                       "final_sensitive,final_partly_resistant\n";
    assert_true(strncmp(line, head, strlen(head)) == 0);
    line += strlen(head);
    size_t rows = 0, alive = 0, cured = 0;
    while (*line) {
        unsigned long r;
        double ttp, B, x0, x1;
        int cens, dn, cu;
        assert_int_equal(sscanf(line, "%lu,%lf,%d,%d,%d,%lf,%lf,%lf", &r, &ttp, &cens, &dn, &cu,
                                &B, &x0, &x1),
                         8);
        assert_int_equal(r, rows);
        /* the regimen never progresses on this problem: censored at the horizon, 56 days */
        assert_int_equal(cens, 1);
        assert_close(ttp, 56.0, 0.0, 0.0);
        assert_int_equal(cu, x0 == 0.0 && x1 == 0.0);
        assert_close(B, x0 + x1, 1e-9, 0.0);
        if (dn)
            assert_true(x1 >= 1.0);
        alive += dn;
        cured += cu;
        rows++;
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
    }
    assert_int_equal(rows, 60);
    /* both outcomes occur (P about 0.25, cure about 0.67 on this problem) */
    assert_true(alive > 0 && alive < rows);
    assert_true(cured > 0 && cured < rows);
}

/* The report names the interval method and prints the kernel's P. */
static void test_report(void **state)
{
    (void)state;
    static char out[16384];
    char args[1024];
    snprintf(args, sizeof args, "'%s' --stochastic 40 --seed 1", BOLUS);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "stochastic mode (docs/model.md section 12): 40 replicates"));
    assert_non_null(strstr(out, "Wilson"));
    assert_non_null(strstr(out, "de novo resistant lineage alive"));
    assert_non_null(strstr(out, "cure (every clone extinct)"));
    assert_non_null(strstr(out, "TTP quartiles (days)"));
    /* every replicate is censored at the 56-day horizon on this problem */
    assert_non_null(strstr(out, ">56, median >56, >56; deterministic >56 (censored)"));
    assert_non_null(strstr(out, "1.0000 (40 of 40)"));

    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_problem_load(BOLUS, &p, &diag), RG_OK);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[0]), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
    char line[256];
    snprintf(line, sizeof line, "deterministic: resistance_probability %.6g (L %.6g)",
             s.resistance_probability, s.hazard);
    assert_non_null(strstr(out, line));
    rg_sim_free(w);
    rg_problem_free(p);
}

static void test_bad_values(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *csv = RG_TEST_TMPDIR "/bad.csv";
    remove(csv);
    static char out[16384];
    char args[1024];
    const char *bad[][2] = {{"--stochastic 0", "--stochastic"},
                            {"--stochastic 12x", "--stochastic"},
                            {"--stochastic -4", "--stochastic"},
                            {"--stochastic 20000000", "--stochastic"},
                            {"--stochastic 10 --seed minus", "--seed"},
                            {"--stochastic 10 --seed -1", "--seed"},
                            {"--seed 3", "--seed"},
                            {"--stochastic", "--stochastic"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(args, sizeof args, "'%s' %s --csv '%s'", BOLUS, bad[i][0], csv);
        assert_int_equal(run(args, out, sizeof out), 2);
        assert_non_null(strstr(out, bad[i][1]));
        assert_null(strstr(out, "time to progression"));
        assert_false(exists(csv));
    }
    /* a problem in normalised units (extinction_cells = 0) */
    snprintf(args, sizeof args,
             "'%s/problems/prostate_abiraterone.cfg' --stochastic 5 --csv '%s'", RG_SOURCE_DIR,
             csv);
    assert_int_equal(run(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "extinction_cells"));
    assert_false(exists(csv));

    /* a half-life of about a second: 2.2e7 steps of a quarter of it over 56 days */
    const char *cfg = RG_TEST_TMPDIR "/short.cfg";
    snprintf(args, sizeof args,
             "sed 's/half_life_days = 1.0;/half_life_days = 1.0e-5;/' '%s' > '%s'", BOLUS, cfg);
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "'%s' --stochastic 5 --csv '%s'", cfg, csv);
    assert_int_equal(run(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "half_life_days"));
    assert_null(strstr(out, "time to progression"));
    assert_false(exists(csv));
    /* the deterministic run alone still works */
    snprintf(args, sizeof args, "'%s'", cfg);
    assert_int_equal(run(args, out, sizeof out), 0);
}

/* An existing CSV is kept without --force (exit 2, nothing run), replaced with it. */
static void test_csv_force(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *csv = RG_TEST_TMPDIR "/kept.csv";
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    static char out[16384];
    char args[1024];
    snprintf(args, sizeof args, "'%s' --stochastic 5 --csv '%s'", BOLUS, csv);
    assert_int_equal(run(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "--force"));
    assert_null(strstr(out, "time to progression"));
    char buf[128];
    f = fopen(csv, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old\n");

    snprintf(args, sizeof args, "'%s' --stochastic 5 --csv '%s' --force", BOLUS, csv);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "time to progression"));
    assert_non_null(strstr(out, "(5 rows)"));
    f = fopen(csv, "r");
    assert_non_null(f);
    size_t lines = 0;
    while (fgets(buf, sizeof buf, f))
        lines++;
    fclose(f);
    assert_int_equal(lines, 6);
    remove(csv);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile by nearest rank of n sorted TTPs (censored as +inf), as the report prints it. */
static void quantile(const double *v, size_t n, double q, char *buf, size_t cap)
{
    size_t i = (size_t)ceil(q * (double)n);
    i = i == 0 ? 0 : i - 1;
    if (isinf(v[i]))
        snprintf(buf, cap, ">28");
    else
        snprintf(buf, cap, "%g", v[i]);
}

/* Two cells that grow (birth 0.3, death 0.1 a day) and progress at twice their number:
 * some replicates die out (censored at the 28-day horizon), the others progress on different
 * days; the printed quartiles and censored fraction are those of the CSV's rows. */
static void test_ttp_spread(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *cfg = RG_TEST_TMPDIR "/spread.cfg", *csv = RG_TEST_TMPDIR "/spread.csv";
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fputs(
        "name = \"two cells\";\nhorizon_days = 28.0;\ndecision_days = 7.0;\n"
        "carrying_capacity = 1.0e9;\n"
        "clones = ( { name = \"few\"; cells = 2.0; growth_rate = 0.3; death_rate = 0.1; } );\n"
        "progression = { reference = \"initial\"; factor = 2.0; };\n"
        "drugs = ( { name = \"inert\"; half_life_days = 0.0; } );\n"
        "regimens = ( { name = \"inert\"; policy = \"mtd\"; drugs = [\"inert\"]; } );\n",
        f);
    fclose(f);
    remove(csv);
    static char out[16384];
    char args[1024];
    snprintf(args, sizeof args, "'%s' --stochastic 200 --seed 9 --csv '%s'", cfg, csv);
    int code = run(args, out, sizeof out);
    if (code != 0)
        print_message("%s\n", out);
    assert_int_equal(code, 0);

    double ttp[200];
    size_t n = 0, censored = 0;
    f = fopen(csv, "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        unsigned long r;
        double t;
        int cens;
        assert_int_equal(sscanf(line, "%lu,%lf,%d", &r, &t, &cens), 3);
        assert_true(n < 200);
        ttp[n++] = cens ? INFINITY : t;
        censored += (size_t)cens;
    }
    fclose(f);
    assert_int_equal(n, 200);
    /* both kinds occur, and the progressing ones do not all progress on one day */
    assert_true(censored > 0 && censored < n);
    qsort(ttp, n, sizeof ttp[0], cmp_double);
    assert_true(ttp[0] < ttp[n - censored - 1]);
    char q1[32], q2[32], q3[32], want[160];
    quantile(ttp, n, 0.25, q1, sizeof q1);
    quantile(ttp, n, 0.5, q2, sizeof q2);
    quantile(ttp, n, 0.75, q3, sizeof q3);
    snprintf(want, sizeof want, "%s, median %s, %s;", q1, q2, q3);
    print_message("quartiles %s censored %zu of %zu\n", want, censored, n);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "(%zu of %zu)", censored, n);
    const char *row = strstr(out, "TTP censored at the horizon");
    assert_non_null(row);
    assert_non_null(strstr(row, want));
    remove(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_csv), cmocka_unit_test(test_report),
        cmocka_unit_test(test_bad_values),         cmocka_unit_test(test_csv_force),
        cmocka_unit_test(test_ttp_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
