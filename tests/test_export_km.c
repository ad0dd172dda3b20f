/* regimen export --what km (export.h; docs/results-format.md, "Exports"): the Kaplan-Meier
 * curves of a cohort run's results file. The problem is test_compare_cohort.c's closed form:
 * one clone, half-life 0, linear kill, three patients of growth rate 0.03, 0.05, 0.12, so
 * B = B(0) exp((r - 0.1 u) t) and progression at 1.2 B(0) on daily visits. By hand:
 *   MTD (u = 1): TTPs 10, >56, >56: S = 1, then 2/3 from day 10 (3 at risk), 2 censored
 *     at 56;
 *   low (u = 0.1): TTPs 2, 5, 10: S = 2/3, 1/3, 0.
 * Checked: the regimen:NAME rows of the export are `regimen compare --km`'s NAME rows, row for
 * row and digit for digit (both from rg_km_curve over the same TTPs); each member:N's rows are
 * rg_km_curve of its rows of `export --what cohort`, and the product-limit estimate computed
 * here from those rows; a results file without a cohort, or of a cohort without a ttp
 * objective, is refused with exit 2 and a one-line message naming it. */
#include "rg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test_util.h"

#include "regimen/cohort_stats.h"

#define TEXT                                                                                 \
    "name = \"cohort km export test\";\n"                                                    \
    "horizon_days = 56.0; decision_days = 7.0; visit_days = 1.0;\n"                          \
    "carrying_capacity = 1.0e30; emergence_cells = 1.0e30;\n"                                \
    "drugs = ( { name = \"cisplatin\"; half_life_days = 0.0; effect = \"linear\";\n"         \
    "            emax = 0.1; ec50 = 1.0; } );\n"                                             \
    "clones = ( { name = \"s\"; cells = 2.385e9; growth_rate = 0.03; } );\n"                 \
    "regimens = (\n"                                                                         \
    "  { name = \"MTD\"; policy = \"mtd\"; drugs = [\"cisplatin\"]; },\n"                    \
    "  { name = \"low\"; policy = \"metronomic\"; drugs = [\"cisplatin\"]; level = 0.1; }\n" \
    ");\n"
#define COHORT                                                                    \
    "cohort = { parameters = [\"clones.s.growth_rate\"];\n patients = (\n"        \
    "  { name = \"A\"; values = [0.03]; }, { name = \"B\"; values = [0.05]; },\n" \
    "  { name = \"C\"; values = [0.12]; } ); };\n"

enum { P = 3 };

/* regimen ARGS in the scratch directory, stdout and stderr into out.txt: the exit status */
static int run(const char *args)
{
    return run_sh("cd '%s' && '%s' %s > out.txt 2>&1", tmp_dir, RG_REGIMEN_EXE, args);
}

/* The cohort run's results r.h5 (made once), its km export k.csv and cohort export c.csv. */
static void cohort_run(void)
{
    static bool done;
    if (done)
        return;
    scratch_write("cohort.cfg", TEXT COHORT);
    assert_int_equal(
        run("optimize cohort.cfg --population 8 --generations 2 --out r.h5 --force --quiet"),
        0);
    assert_int_equal(run("export r.h5 --what km -o k.csv --force"), 0);
    assert_int_equal(run("export r.h5 --what cohort -o c.csv --force"), 0);
    done = true;
}

/* The lines of text that start with prefix, each without it, joined by newlines (caller
 * frees). */
static char *lines_with(const char *text, const char *prefix)
{
    char *out = calloc(strlen(text) + 1, 1);
    assert_non_null(out);
    size_t n = strlen(prefix);
    for (const char *l = text; *l;) {
        size_t len = strcspn(l, "\n");
        if (!strncmp(l, prefix, n)) {
            strncat(out, l + n, len - n);
            strcat(out, "\n");
        }
        l += len + (l[len] == '\n');
    }
    return out;
}

static void test_regimens_equal_compare(void **state)
{
    (void)state;
    cohort_run();
    assert_int_equal(run("compare cohort.cfg --km ck.csv --force"), 0);
    char *k = scratch_read("k.csv"), *ck = scratch_read("ck.csv");
    assert_memory_equal(k, "source,t,survival,at_risk,events\n", 33);
    /* compare's rows, header dropped, are the export's regimen rows with the prefix dropped */
    const char *want = strchr(ck, '\n') + 1;
    char *got = lines_with(k, "regimen:");
    assert_string_equal(got, want);
    assert_string_equal(got, "MTD,0,1,3,0\n"
                             "MTD,10,0.66666666666666674,3,1\n"
                             "MTD,56,0.66666666666666674,2,0\n"
                             "low,0,1,3,0\n"
                             "low,2,0.66666666666666674,3,1\n"
                             "low,5,0.33333333333333337,2,1\n"
                             "low,10,0,1,1\n");
    free(got);
    free(ck);
    free(k);
}

/* Column index of name in CSV header line h. */
static int col_of(const char *h, const char *name)
{
    int c = 0;
    size_t n = strlen(name);
    for (const char *p = h;; c++) {
        size_t len = strcspn(p, ",\n");
        if (len == n && !strncmp(p, name, n))
            return c;
        if (p[len] != ',')
            return -1;
        p += len + 1;
    }
}

/* Field c of CSV line l as a number. */
static double field(const char *l, int c)
{
    for (; c > 0; c--)
        l = strchr(l, ',') + 1;
    return strtod(l, NULL);
}

static void test_members_equal_cohort_rows(void **state)
{
    (void)state;
    cohort_run();
    char *k = scratch_read("k.csv"), *c = scratch_read("c.csv");
    int ct = col_of(c, "ttp"), cc = col_of(c, "ttp_censored");
    assert_true(ct > 0 && cc > 0);
    int members = 0;
    for (int m = 0;; m++, members++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "member:%d,", m);
        char *rows = lines_with(c, prefix);
        if (!*rows) {
            free(rows);
            break;
        }
        double ttp[P];
        bool prog[P];
        int n = 0;
        for (const char *l = rows; *l; l = strchr(l, '\n') + 1) {
            assert_true(n < P);
            /* the prefix is gone: the patient is field 0, ttp field ct - 1 */
            ttp[n] = field(l, ct - 1);
            prog[n] = field(l, cc - 1) == 0.0;
            n++;
        }
        assert_int_equal(n, P);
        free(rows);
        size_t order[P], risk[P + 1], ev[P + 1];
        double t[P + 1], s[P + 1];
        size_t nr = rg_km_curve(P, ttp, prog, order, t, s, risk, ev);
        char want[2048] = "", line[256];
        for (size_t r = 0; r < nr; r++) {
            snprintf(line, sizeof line, "%.17g,%.17g,%zu,%zu\n", t[r], s[r], risk[r], ev[r]);
            strcat(want, line);
        }
        char *got = lines_with(k, prefix);
        assert_string_equal(got, want);
        free(got);
        /* the product-limit estimate by hand: at each distinct time, S *= 1 - d / n_at_risk */
        double S = 1.0, prev = -1.0;
        size_t r = 1;
        for (;;) {
            double next = INFINITY;
            for (int i = 0; i < P; i++)
                if (ttp[i] > prev && ttp[i] < next)
                    next = ttp[i];
            if (isinf(next))
                break;
            size_t at = 0, d = 0;
            for (int i = 0; i < P; i++) {
                at += ttp[i] >= next;
                d += ttp[i] == next && prog[i];
            }
            S *= 1.0 - (double)d / (double)at;
            assert_true(r < nr);
            assert_true(t[r] == next);
            assert_true(fabs(s[r] - S) <= 1e-15);
            assert_int_equal(risk[r], at);
            assert_int_equal(ev[r], d);
            prev = next;
            r++;
        }
        assert_int_equal(r, nr);
    }
    assert_true(members >= 2);
    /* the export has exactly the front's and the regimens' rows: nothing else */
    char *mrows = lines_with(k, "member:"), *rrows = lines_with(k, "regimen:");
    size_t lines = 0, lm = 0, lr = 0;
    for (const char *p = k; *p; p++)
        lines += *p == '\n';
    for (const char *p = mrows; *p; p++)
        lm += *p == '\n';
    for (const char *p = rrows; *p; p++)
        lr += *p == '\n';
    assert_int_equal(lines, 1 + lm + lr);
    print_message("%d members' curves equal their cohort rows'\n", members);
    free(mrows);
    free(rrows);
    free(c);
    free(k);
}

static void test_refusals(void **state)
{
    (void)state;
    scratch_write("one.cfg", TEXT);
    assert_int_equal(
        run("optimize one.cfg --population 4 --generations 1 --out one.h5 --force --quiet"), 0);
    assert_int_equal(run("export one.h5 --what km -o none.csv"), 2);
    char *out = scratch_read("out.txt");
    assert_non_null(strstr(out, "one.h5"));
    assert_non_null(strstr(out, "no cohort"));
    const char *nl = strchr(out, '\n'); /* one line */
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');
    free(out);
    char none[1100];
    snprintf(none, sizeof none, "%s/none.csv", tmp_dir);
    assert_int_equal(access(none, F_OK), -1); /* nothing written */
    assert_int_equal(run("export one.h5 --what kaplan"), 2);
    /* a cohort whose objectives leave out ttp stores no TTP to draw a curve from */
    scratch_write("nottp.cfg", TEXT COHORT "optimize = { objectives = [\"resistant_fraction\", "
                                           "\"dose_intensity\"]; };\n");
    assert_int_equal(
        run("optimize nottp.cfg --population 4 --generations 1 --out nottp.h5 --force --quiet"),
        0);
    assert_int_equal(run("export nottp.h5 --what km"), 2);
    out = scratch_read("out.txt");
    assert_non_null(strstr(out, "nottp.h5: holds no per-patient TTP"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regimens_equal_compare),
        cmocka_unit_test(test_members_equal_cohort_rows),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
