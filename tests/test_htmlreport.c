/* regimen report (htmlreport.h) on a short optimisation of the default problem: the page
 * refers to nothing outside itself; every front member has its row, with the values the
 * results file holds, and its marker in every scatter; the fair summary names the members
 * `regimen info` names; the JSON block the script draws from holds each run's objectives,
 * calendar and curves as the file does; a record without trajectories is simulated again;
 * a failed write is an error; a cohort run's survival curves have the medians of `regimen
 * compare --km`; and the command keeps the CLI's conventions (help, unknown
 * options, no overwrite without --force, - for stdout, the umask). test_htmlreport.cmake
 * parses every page written here with xmllint (strict XML) and adds the browser test. */
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/eval_result.h"
#include "regimen/fair.h"
#include "regimen/htmlreport.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"

static char res[1100], page[1100];

/* A short optimisation of the default problem and its page, made once for every test. */
static int setup(void **state)
{
    tmp_dir_setup(state);
    path_in(res, sizeof res, "run.h5");
    path_in(page, sizeof page, "run.html");
    if (run_sh("cd '%s' && '%s' optimize '%s/problems/default.cfg' --generations 4 "
               "--population 16 --quiet --out '%s'",
               tmp_dir, RG_REGIMEN_EXE, RG_SOURCE_DIR, res))
        return -1;
    return run_sh("'%s' report '%s' -o '%s' 2>/dev/null", RG_REGIMEN_EXE, res, page);
}

static rg_results *read_results(void)
{
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(res, &r, &diag), RG_OK);
    return r;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_self_contained(void **state)
{
    (void)state;
    char *s = read_all(page);
    assert_non_null(s);
    assert_true(strlen(s) > 10000);
    assert_non_null(strstr(s, "<title>regimen report: "));
    /* no address, no resource loaded from anywhere: no src attribute, stylesheet link,
     * CSS import or url() */
    const char *banned[] = {"http://", "https://", " src=", "<link",
                            "@import", "url(",     "//cdn"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        for (char *p = s; *p; p++)
            if (!strncasecmp(p, banned[i], strlen(banned[i]))) {
                print_error("the page holds '%s' at byte %td\n", banned[i], p - s);
                fail();
            }
    /* every figure has a text alternative: each <svg> a role and a <title> */
    size_t svgs = count(s, "<svg "), titled = count(s, "role=\"img\"");
    assert_true(svgs > 6);
    assert_true(titled >= svgs - count(s, "aria-hidden=\"true\""));
    assert_non_null(strstr(s, "@media print"));
    /* the default problem's progression rule, as problems/default.cfg states it */
    assert_non_null(strstr(s, "progression: burden at least 1.2 &#215; the initial burden and "
                              "at least 1 cells"));
    free(s);
}

/* Member i's row as the page must write it, built here from the results file. */
static void member_row(char *buf, size_t cap, const rg_results *r, size_t i)
{
    size_t n = (size_t)snprintf(buf, cap,
                                "<tr id=\"row-member-%zu\"><td><a href=\"#member=%zu\">"
                                "member %zu</a></td>",
                                i, i, i);
    for (size_t m = 0; m < r->n_obj; m++) {
        bool cens =
            !strcmp(r->objective_names[m], "ttp") && (r->front_flags[i] & RG_RES_CENSORED);
        n += (size_t)snprintf(buf + n, cap - n, "<td>%s%.6g</td>", cens ? "&gt;" : "",
                              r->front_objectives[i * r->n_obj + m]);
    }
    snprintf(buf + n, cap - n, "<td>%s</td>",
             rg_results_feasible(r->front_violation[i], r->front_flags[i]) ? "yes" : "no");
}

static void test_every_member_present(void **state)
{
    (void)state;
    rg_results *r = read_results();
    char *s = read_all(page);
    assert_non_null(s);
    assert_true(r->front_size >= 4);
    size_t M = r->n_obj, scatters = M * (M - 1);
    for (size_t i = 0; i < r->front_size; i++) {
        char row[2048], cls[32];
        member_row(row, sizeof row, r, i);
        if (!strstr(s, row)) {
            print_error("no row %s\n", row);
            fail();
        }
        snprintf(cls, sizeof cls, "class=\"m%zu\"", i);
        assert_int_equal(count(s, cls), scatters); /* its marker in every scatter */
    }
    char none[64];
    snprintf(none, sizeof none, "#member=%zu\"", r->front_size); /* and no member beyond */
    assert_null(strstr(s, none));
    for (size_t i = 0; i < r->n_regimens; i++) {
        char cls[32];
        snprintf(cls, sizeof cls, "class=\"r%zu\"", i);
        assert_int_equal(count(s, cls), scatters);
    }
    free(s);
    rg_results_free(r);
}

/* The fair summary's row of each regimen names the member `regimen info` names. */
static void test_fair_summary_as_info(void **state)
{
    (void)state;
    char info[1100];
    path_in(info, sizeof info, "info.txt");
    assert_int_equal(run_sh("'%s' info '%s' > '%s'", RG_REGIMEN_EXE, res, info), 0);
    char *text = read_all(info), *s = read_all(page);
    assert_non_null(text);
    assert_non_null(s);
    rg_results *r = read_results();
    const char *fair = strstr(s, "<section id=\"fair\">");
    assert_non_null(fair);
    size_t named = 0;
    for (size_t i = 0; i < r->n_regimens; i++) {
        char head[128];
        snprintf(head, sizeof head, "\n  %s ", r->regimen_names[i]);
        const char *line = strstr(text, head);
        assert_non_null(line);
        const char *by = strstr(line, "dominated by member "), *eol = strchr(line + 1, '\n');
        char want[160];
        snprintf(want, sizeof want, "<a href=\"#regimen=%s\">%s</a>", r->regimen_names[i],
                 r->regimen_names[i]);
        const char *row = strstr(fair, want);
        assert_non_null(row);
        const char *end = strstr(row, "</tr>");
        if (by && by < eol) {
            long k = strtol(by + strlen("dominated by member "), NULL, 10);
            snprintf(want, sizeof want, "<a href=\"#member=%ld\">member %ld</a>", k, k);
            named++;
        } else {
            snprintf(want, sizeof want, "no evolved member</td></tr>");
        }
        const char *hit = strstr(row, want);
        assert_true(hit && hit < end + 5);
        assert_int_equal(rg_fair_dominator(r, i) >= 0, by && by < eol);
    }
    print_message("%zu of %zu standard regimens dominated\n", named, r->n_regimens);
    rg_results_free(r);
    free(text);
    free(s);
}

static json_object *data_block(const char *s)
{
    const char *open = "<script type=\"application/json\" id=\"data\">";
    const char *a = strstr(s, open);
    assert_non_null(a);
    a += strlen(open);
    const char *b = strstr(a, "</script>");
    assert_non_null(b);
    char *text = strndup(a, (size_t)(b - a));
    assert_non_null(text);
    json_object *o = json_tokener_parse(text);
    free(text);
    assert_non_null(o);
    return o;
}

static json_object *key(json_object *o, const char *k)
{
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(o, k, &v));
    return v;
}

/* One run's entry against the file: objectives, censoring, calendar, burden curve. */
static void check_run(json_object *run, const rg_results *r, const rg_traj_set *t, size_t i,
                      const double obj[], uint32_t flags)
{
    json_object *o = key(run, "o");
    for (size_t m = 0; m < r->n_obj; m++)
        assert_close(json_object_get_double(json_object_array_get_idx(o, m)), obj[m], 1e-9, 0);
    assert_int_equal(json_object_get_boolean(key(run, "c")), (flags & RG_RES_CENSORED) != 0);
    size_t D = r->n_drugs_all, K = r->n_traj_intervals, V = r->n_visits;
    json_object *cal = key(run, "cal");
    assert_int_equal(json_object_array_length(cal), D);
    for (size_t d = 0; d < D; d++) {
        json_object *row = json_object_array_get_idx(cal, d);
        assert_int_equal(json_object_array_length(row), K);
        for (size_t k = 0; k < K; k++)
            assert_close(json_object_get_double(json_object_array_get_idx(row, k)),
                         t->levels[(i * D + d) * K + k], 1e-3, 0);
    }
    json_object *b = key(run, "b");
    assert_int_equal(json_object_array_length(b), V);
    for (size_t v = 0; v < V; v++) {
        double want = t->burden[i * V + v];
        json_object *e = json_object_array_get_idx(b, v);
        if (!(want > 0.0)) {
            assert_null(e);
            continue;
        }
        assert_close(json_object_get_double(e), round(100.0 * log10(want)), 0, 0);
    }
}

static void test_data_block(void **state)
{
    (void)state;
    rg_results *r = read_results();
    char *s = read_all(page);
    assert_non_null(s);
    json_object *o = data_block(s);
    json_object *mem = key(o, "members"), *reg = key(o, "regimens");
    assert_int_equal(json_object_array_length(mem), r->front_size);
    assert_int_equal(json_object_array_length(reg), r->n_regimens);
    assert_int_equal(json_object_array_length(key(o, "t")), r->n_visits);
    size_t M = r->n_obj;
    for (size_t i = 0; i < r->front_size; i++)
        check_run(json_object_array_get_idx(mem, i), r, &r->traj_front, i,
                  r->front_objectives + i * M, r->front_flags[i]);
    for (size_t i = 0; i < r->n_regimens; i++) {
        json_object *e = json_object_array_get_idx(reg, i);
        assert_string_equal(json_object_get_string(key(e, "name")), r->regimen_names[i]);
        assert_int_equal(json_object_get_int(key(e, "dom")), rg_fair_dominator(r, i));
        check_run(e, r, &r->traj_regimens, i, r->regimen_objectives + i * M,
                  r->regimen_flags[i]);
    }
    json_object_put(o);
    free(s);
    rg_results_free(r);
}

/* A record whose trajectories are missing gets them simulated again, as the run did. */
static void test_complete_simulates(void **state)
{
    (void)state;
    rg_results *r = read_results(), *want = read_results();
    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load_string(r->problem_text, res, &p, &diag), RG_OK);
    assert_int_equal(rg_htmlreport_complete(r, p, &diag), RG_OK); /* nothing to do */
    r->traj_front.n = 0;
    assert_int_equal(rg_htmlreport_complete(r, p, &diag), RG_OK);
    assert_int_equal(r->traj_front.n, want->traj_front.n);
    size_t V = r->n_visits;
    for (size_t q = 0; q < r->front_size * V; q++)
        assert_close(r->traj_front.burden[q], want->traj_front.burden[q], 1e-12, 0);
    assert_int_equal(rg_htmlreport_complete(r, NULL, &diag), RG_OK); /* no problem: as is */
    rg_problem_free(p);
    rg_results_free(r);
    rg_results_free(want);
}

/* Without its problem (or the history's populations) the page still opens and says what it
 * leaves out; a write that fails is RG_EIO. */
static void test_no_problem_and_write_error(void **state)
{
    (void)state;
    rg_results *r = read_results();
    /* no populations in the history: no first-front sizes, the hypervolumes still drawn */
    free(r->history_objectives);
    r->history_objectives = NULL;
    char path[1100];
    path_in(path, sizeof path, "noproblem.html");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(rg_htmlreport_write(f, r, NULL, "run.h5"), RG_OK);
    fclose(f);
    char *s = read_all(path);
    assert_non_null(s);
    assert_non_null(strstr(s, "no longer loads here"));
    assert_null(strstr(s, "<caption>Clones</caption>"));
    assert_non_null(strstr(s, "\"prog\":null"));
    char row[160];
    snprintf(row, sizeof row, "<tr><td>0</td><td>%llu</td><td>%.6g</td>",
             (unsigned long long)r->history_evaluations[0], r->hypervolume[0]);
    const char *hv = strstr(s, row);
    assert_non_null(hv);
    const char *end = strstr(hv, "</tr>");
    assert_true(end && end - hv > 8 && !strncmp(end - 8, "NaN</td>", 8));
    free(s);
    f = fopen("/dev/full", "w");
    if (f) {
        assert_int_equal(rg_htmlreport_write(f, r, NULL, "run.h5"), RG_EIO);
        fclose(f);
    }
    rg_results_free(r);
}

/* The first time the survival of regimen `name` in a `compare --km` CSV is at most 1/2 into
 * buf, as the page prints it, or "not reached". */
static void km_median(const char *csv, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "not reached");
    char head[128];
    snprintf(head, sizeof head, "\n%s,", name);
    for (const char *p = strstr(csv, head); p; p = strstr(p + 1, head)) {
        double t, sv;
        if (sscanf(p + strlen(head), "%lf,%lf", &t, &sv) == 2 && sv <= 0.5) {
            snprintf(buf, cap, "%.6g", t);
            return;
        }
    }
}

/* A cohort run: one survival curve per standard regimen, the medians of the page's table
 * those of `regimen compare --km` (every regimen simulated again on every patient), and each
 * member's curve in the JSON block a survival function. */
static void test_cohort_survival(void **state)
{
    (void)state;
    char coh[1100], cpage[1100], km[1100];
    path_in(coh, sizeof coh, "cohort.h5");
    path_in(cpage, sizeof cpage, "cohort.html");
    path_in(km, sizeof km, "km.csv");
    const char *problem = RG_SOURCE_DIR "/problems/default_cohort.cfg";
    assert_int_equal(run_sh("cd '%s' && '%s' optimize '%s' --generations 2 --population 8 "
                            "--quiet --out '%s' && '%s' report '%s' -o '%s' 2>/dev/null && "
                            "'%s' compare '%s' --km '%s' >/dev/null",
                            tmp_dir, RG_REGIMEN_EXE, problem, coh, RG_REGIMEN_EXE, coh, cpage,
                            RG_REGIMEN_EXE, problem, km),
                     0);
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(coh, &r, &diag), RG_OK);
    assert_true(r->n_patients > 10);
    char *s = read_all(cpage), *csv = read_all(km);
    assert_non_null(s);
    assert_non_null(csv);
    const char *sec = strstr(s, "<section id=\"survival\">");
    assert_non_null(sec);
    assert_int_equal(count(sec, "<path class=\"kmr "), r->n_regimens);
    size_t reached = 0;
    for (size_t i = 0; i < r->n_regimens; i++) {
        char med[64], want[256];
        km_median(csv, r->regimen_names[i], med, sizeof med);
        reached += strcmp(med, "not reached") != 0;
        snprintf(want, sizeof want, "<tr><td>%zu %s</td><td>%s</td>", i + 1,
                 r->regimen_names[i], med);
        if (!strstr(sec, want)) {
            print_error("no '%s' in the survival table\n", want);
            fail();
        }
    }
    assert_true(reached > 0);
    json_object *o = data_block(s), *mem = key(o, "members");
    for (size_t i = 0; i < r->front_size; i++) {
        json_object *c = key(json_object_array_get_idx(mem, i), "km");
        json_object *t = json_object_array_get_idx(c, 0), *sv = json_object_array_get_idx(c, 1);
        size_t n = json_object_array_length(t);
        assert_true(n >= 2 && n <= r->n_patients + 1);
        assert_int_equal(json_object_array_length(sv), n);
        assert_close(json_object_get_double(json_object_array_get_idx(sv, 0)), 1.0, 0, 0);
        for (size_t q = 1; q < n; q++) {
            double a = json_object_get_double(json_object_array_get_idx(sv, q - 1));
            double b = json_object_get_double(json_object_array_get_idx(sv, q));
            assert_true(b <= a && b >= 0.0);
            assert_true(json_object_get_double(json_object_array_get_idx(t, q)) >=
                        json_object_get_double(json_object_array_get_idx(t, q - 1)));
        }
    }
    json_object_put(o);
    free(s);
    free(csv);
    rg_results_free(r);
}

static void test_cli(void **state)
{
    (void)state;
    const char *x = RG_REGIMEN_EXE;
    char out[1100], err[1100], def[1100], um[1100];
    path_in(out, sizeof out, "stdout.html");
    path_in(err, sizeof err, "stderr.txt");
    assert_int_equal(run_sh("'%s' report --help > '%s'", x, out), 0);
    char *s = read_all(out);
    assert_non_null(strstr(s, "usage: regimen report RESULTS.h5 [-o FILE] [--force]"));
    free(s);
    assert_int_equal(run_sh("'%s' report '%s' --bogus 2> '%s'", x, res, err), 2);
    s = read_all(err);
    assert_non_null(strstr(s, "'--bogus'"));
    free(s);
    assert_int_equal(run_sh("'%s' report 2>/dev/null", x), 2);
    assert_int_equal(run_sh("'%s' report '%s/none.h5' -o '%s' 2>/dev/null", x, tmp_dir, out),
                     2);
    /* an existing page is kept without --force, replaced with it */
    char *before = read_all(page);
    assert_int_equal(run_sh("'%s' report '%s' -o '%s' 2> '%s'", x, res, page, err), 2);
    s = read_all(err);
    assert_non_null(strstr(s, "run.html"));
    free(s);
    assert_int_equal(run_sh("'%s' report '%s' -o '%s' --force 2>/dev/null", x, res, page), 0);
    /* - is stdout, byte for byte the page */
    assert_int_equal(run_sh("'%s' report '%s' -o - > '%s'", x, res, out), 0);
    s = read_all(out);
    assert_string_equal(s, before);
    free(s);
    free(before);
    /* never over the results file itself */
    assert_int_equal(run_sh("'%s' report '%s' -o '%s' --force 2>/dev/null", x, res, res), 2);
    rg_results *r = read_results();
    rg_results_free(r);
    /* the default name: the results file's with .html; the umask decides the mode */
    path_in(def, sizeof def, "copy.h5");
    path_in(um, sizeof um, "copy.html");
    assert_int_equal(
        run_sh("cp '%s' '%s' && umask 027 && '%s' report '%s' 2>/dev/null", res, def, x, def),
        0);
    struct stat st;
    assert_int_equal(stat(um, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_contained),
        cmocka_unit_test(test_every_member_present),
        cmocka_unit_test(test_fair_summary_as_info),
        cmocka_unit_test(test_data_block),
        cmocka_unit_test(test_complete_simulates),
        cmocka_unit_test(test_no_problem_and_write_error),
        cmocka_unit_test(test_cohort_survival),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
