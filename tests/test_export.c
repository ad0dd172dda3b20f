/* export, info and merge: tables hold the HDF5 file's numbers bit for bit; the commands'
 * exit statuses and refusals. JSON is parsed by Python's json module in export_json
 * (tests/export_check.py), run by ctest after this test. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rg_test.h"

#include "regimen/export.h"
#include "regimen/results.h"
#include "results_fixture.h"
#include "rg_test_util.h"

/* Splits a CSV file (no quoted commas in numeric tables) into rows of fields. */
typedef struct {
    size_t n_rows, n_cols;
    char ***f; /* f[row][col] */
} csv;

static csv *csv_read(const char *path)
{
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    csv *c = calloc(1, sizeof *c);
    char line[1 << 16];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        c->f = realloc(c->f, (c->n_rows + 1) * sizeof *c->f);
        char **row = NULL;
        size_t n = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            row = realloc(row, (n + 1) * sizeof *row);
            row[n++] = strdup(tok);
        }
        if (c->n_rows == 0)
            c->n_cols = n;
        assert_int_equal(n, c->n_cols);
        c->f[c->n_rows++] = row;
    }
    fclose(in);
    return c;
}

static void csv_free(csv *c)
{
    for (size_t i = 0; i < c->n_rows; i++) {
        for (size_t j = 0; j < c->n_cols; j++)
            free(c->f[i][j]);
        free(c->f[i]);
    }
    free(c->f);
    free(c);
}

static double num(const csv *c, size_t row, const char *col)
{
    for (size_t j = 0; j < c->n_cols; j++)
        if (!strcmp(c->f[0][j], col))
            return strtod(c->f[row + 1][j], NULL);
    print_error("no column %s\n", col);
    fail();
    return 0;
}

static const char *text(const csv *c, size_t row, const char *col)
{
    for (size_t j = 0; j < c->n_cols; j++)
        if (!strcmp(c->f[0][j], col))
            return c->f[row + 1][j];
    fail();
    return NULL;
}

static void same(double a, double b)
{
    if (memcmp(&a, &b, sizeof a)) {
        print_error("%.17g != %.17g\n", a, b);
        fail();
    }
}

static void test_export_csv_matches_hdf5(void **state)
{
    (void)state;
    char h5[1200], out[1200];
    path_in(h5, sizeof h5, "res.h5");
    rg_results *w = fixture_results();
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(w, h5, 0, &diag), RG_OK);
    rg_results_free(w);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(h5, &r, &diag), RG_OK);
    const char *whats[4] = {"front", "history", "regimens", "trajectories"};
    for (int k = 0; k < 4; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s.csv", whats[k]);
        path_in(out, sizeof out, name);
        assert_int_equal(run_sh("%s export %s --what %s -o %s 2>/dev/null", RG_REGIMEN_EXE, h5,
                                whats[k], out),
                         0);
        /* JSON beside it for export_check.py */
        snprintf(name, sizeof name, "%s.json", whats[k]);
        char js[1200];
        path_in(js, sizeof js, name);
        assert_int_equal(run_sh("%s export %s --what %s --format json -o %s 2>/dev/null",
                                RG_REGIMEN_EXE, h5, whats[k], js),
                         0);
    }
    size_t M = r->n_obj;
    path_in(out, sizeof out, "x");
    snprintf(out, sizeof out, "%s/front.csv", tmp_dir);
    csv *c = csv_read(out);
    assert_int_equal(c->n_rows - 1, r->front_size);
    for (size_t i = 0; i < r->front_size; i++) {
        for (size_t m = 0; m < M; m++)
            same(num(c, i, r->objective_names[m]), r->front_objectives[i * M + m]);
        same(num(c, i, "violation"), r->front_violation[i]);
        same(num(c, i, "flags"), r->front_flags[i]);
        char col[128];
        /* gene 8: paclitaxel on day 21 (interval 3) */
        snprintf(col, sizeof col, "dose_%s_d%d", r->drug_names[1], 21);
        same(num(c, i, col), r->front_doses[(i * 2 + 1) * 5 + 3]);
    }
    same(num(c, 2, "feasible"), 0.0);
    same(num(c, 1, "feasible"), 1.0);
    csv_free(c);

    /* the calendar, by hand: every member gives both (continuous) drugs 0, 0.25, 0.5, 0.75,
     * 1 on days 0, 7, ..., 28: four delivered doses each, of 7 days, day by day */
    path_in(out, sizeof out, "calendar.csv");
    assert_int_equal(
        run_sh("%s export %s --what calendar -o %s 2>/dev/null", RG_REGIMEN_EXE, h5, out), 0);
    c = csv_read(out);
    assert_int_equal(c->n_rows - 1, 3 * 4 * 2);
    for (size_t q = 0; q < 24; q++) {
        size_t i = q / 8, k = 1 + q % 8 / 2, d = q % 2;
        same(num(c, q, "member"), (double)i);
        same(num(c, q, "day"), 7.0 * (double)k);
        assert_string_equal(text(c, q, "drug"), r->drug_names[d]);
        same(num(c, q, "fraction"), 0.25 * (double)k);
        same(num(c, q, "duration_days"), 7.0);
    }
    csv_free(c);
    /* a continuous run at one level is one row with its whole duration; a bolus drug's row
     * has duration 0 */
    for (size_t k = 0; k < 5; k++) {
        r->front_doses[k] = k < 2 ? 0.0 : 0.5;      /* member 0, cisplatin: days 14-34 */
        r->front_doses[5 + k] = k == 3 ? 1.0 : 0.0; /* member 0, paclitaxel: day 21 */
    }
    r->bolus_days[1] = 21.0;
    rg_table *t = NULL;
    assert_int_equal(rg_export_calendar(r, h5, &t, &diag), RG_OK);
    assert_true(t->n_rows > 2);
    const rg_cell *c0 = t->cells, *c1 = t->cells + t->n_cols;
    same(c0[0].num, 0);
    same(c0[1].num, 14);
    assert_string_equal(c0[2].text, "cisplatin");
    same(c0[3].num, 0.5);
    same(c0[4].num, 21);
    same(c1[1].num, 21);
    assert_string_equal(c1[2].text, "paclitaxel");
    same(c1[3].num, 1.0);
    same(c1[4].num, 0);
    same(t->cells[2 * t->n_cols].num, 1); /* then member 1 */
    rg_table_free(t);

    snprintf(out, sizeof out, "%s/history.csv", tmp_dir);
    c = csv_read(out);
    assert_int_equal(c->n_rows - 1, r->n_history);
    for (size_t g = 0; g < r->n_history; g++) {
        same(num(c, g, "hypervolume"), r->hypervolume[g]);
        same(num(c, g, "evaluations"), (double)r->history_evaluations[g]);
        /* best ttp (maximised) over the feasible individuals, computed here independently */
        double best = -INFINITY;
        for (size_t i = 0; i < r->population; i++)
            if (r->history_violation[g * r->population + i] == 0.0)
                best = fmax(best, r->history_objectives[(g * r->population + i) * M]);
        same(num(c, g, "best_ttp"), best);
    }
    csv_free(c);

    snprintf(out, sizeof out, "%s/regimens.csv", tmp_dir);
    c = csv_read(out);
    assert_int_equal(c->n_rows - 1, r->n_regimens);
    for (size_t i = 0; i < r->n_regimens; i++) {
        assert_string_equal(text(c, i, "regimen"), r->regimen_names[i]);
        for (size_t m = 0; m < M; m++)
            same(num(c, i, r->objective_names[m]), r->regimen_objectives[i * M + m]);
    }
    csv_free(c);

    snprintf(out, sizeof out, "%s/trajectories.csv", tmp_dir);
    c = csv_read(out);
    size_t V = r->n_visits;
    assert_int_equal(c->n_rows - 1, (r->front_size + r->n_regimens) * V);
    /* row of regimen 1 ("adaptive"), visit 4 */
    size_t row = r->front_size * V + 1 * V + 4;
    assert_string_equal(text(c, row, "source"), "regimen:adaptive");
    assert_string_equal(text(c, 7 + 2, "source"), "member:1");
    same(num(c, row, "t"), r->traj_t[4]);
    /* t = 20 after its t_end of 15: off protocol; visit 3 (t = 15) still on */
    same(num(c, row, "on_protocol"), 0.0);
    same(num(c, row - 1, "on_protocol"), 1.0);
    same(num(c, 4, "on_protocol"), 1.0); /* member 0 runs to the horizon */
    same(num(c, row, "burden"), r->traj_regimens.burden[1 * V + 4]);
    same(num(c, row, "resistant"), r->traj_regimens.resistant[1 * V + 4]);
    same(num(c, row, "clone_clone2"), r->traj_regimens.clones[(1 * 3 + 2) * V + 4]);
    same(num(c, row, "conc_paclitaxel"), r->traj_regimens.conc[(1 * 2 + 1) * V + 4]);
    /* visit 4 is day 20: decision interval 2 (days 14-21) of 7-day intervals */
    same(num(c, row, "dose_paclitaxel"), r->traj_regimens.levels[(1 * 2 + 1) * 5 + 2]);
    same(num(c, row, "anc"), r->traj_regimens.anc[1 * V + 4]);
    csv_free(c);
    rg_results_free(r);
}

static void test_cli_refusals(void **state)
{
    (void)state;
    char h5[1200], out[1200], bad[1200];
    path_in(h5, sizeof h5, "ref.h5");
    rg_results *w = fixture_results();
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(w, h5, 0, &diag), RG_OK);
    rg_results_free(w);
    path_in(out, sizeof out, "exists.csv");
    FILE *f = fopen(out, "w");
    fputs("keep\n", f);
    fclose(f);
    assert_int_equal(run_sh("%s export %s -o %s 2>/dev/null", RG_REGIMEN_EXE, h5, out), 2);
    assert_int_equal(run_sh("grep -qx keep %s", out), 0);
    assert_int_equal(run_sh("%s export %s -o %s --force 2>/dev/null", RG_REGIMEN_EXE, h5, out),
                     0);
    assert_int_equal(run_sh("%s export %s --what nothing 2>/dev/null", RG_REGIMEN_EXE, h5), 2);
    assert_int_equal(run_sh("%s export %s --format xml 2>/dev/null", RG_REGIMEN_EXE, h5), 2);
    /* damaged input: exit 2 with a message naming the file */
    path_in(bad, sizeof bad, "bad.h5");
    f = fopen(bad, "w");
    fputs("not hdf5 at all\n", f);
    fclose(f);
    char msg[1200];
    path_in(msg, sizeof msg, "msg.txt");
    assert_int_equal(run_sh("%s info %s 2>%s", RG_REGIMEN_EXE, bad, msg), 2);
    assert_int_equal(
        run_sh("grep -q 'bad.h5: not a regimen results file or checkpoint' %s", msg), 0);
    assert_int_equal(run_sh("%s export %s 2>/dev/null", RG_REGIMEN_EXE, bad), 2);
    assert_int_equal(
        run_sh("%s merge -o %s/m.csv %s %s 2>/dev/null", RG_REGIMEN_EXE, tmp_dir, h5, bad), 2);
    /* info on a good file */
    assert_int_equal(run_sh("%s info %s >%s", RG_REGIMEN_EXE, h5, msg), 0);
    assert_int_equal(run_sh("grep -q 'front:        3 members, 2 feasible' %s", msg), 0);
    assert_int_equal(run_sh("grep -q 'ttp  *max' %s", msg), 0);
}

static void test_merge(void **state)
{
    (void)state;
    char a[1200], b[1200], c2[1200], out[1200];
    path_in(a, sizeof a, "a.h5");
    path_in(b, sizeof b, "b.h5");
    path_in(c2, sizeof c2, "other.h5");
    rg_diag diag;
    rg_diag_init(&diag);
    /* two runs of the same problem with 2-objective fronts (ttp max, dose_intensity min):
     * a: (100, 0.5) (200, 1.0) (150, 0.9)   b: (180, 0.6) (250, 2.0) (90, 0.4) infeasible */
    double fa[3][3] = {{100, 7, 0.5}, {200, 7, 1.0}, {150, 7, 0.9}};
    double fb[3][3] = {{180, 7, 0.6}, {250, 7, 2.0}, {90, 7, 0.4}};
    rg_results *ra = fixture_results(), *rb = fixture_results();
    memcpy(ra->front_objectives, fa, sizeof fa);
    memcpy(rb->front_objectives, fb, sizeof fb);
    for (size_t i = 0; i < 3; i++) {
        ra->front_violation[i] = rb->front_violation[i] = 0.0;
        ra->front_flags[i] = rb->front_flags[i] = 0;
    }
    rb->front_violation[2] = 0.5;
    rb->front_flags[2] = 2;
    assert_int_equal(rg_results_write(ra, a, 0, &diag), RG_OK);
    assert_int_equal(rg_results_write(rb, b, 0, &diag), RG_OK);
    const rg_results *rs[2] = {ra, rb};
    const char *files[2] = {a, b};
    rg_table *t = NULL;
    assert_int_equal(rg_export_merge(rs, files, 2, &t, &diag), RG_OK);
    /* by hand: (150, 0.9) is dominated by (180, 0.6); (90, 0.4) is infeasible */
    assert_int_equal(t->n_rows, 4);
    double want[4][2] = {{100, 0.5}, {200, 1.0}, {180, 0.6}, {250, 2.0}};
    for (size_t i = 0; i < 4; i++) {
        /* source, member, ttp, ttp_censored, resistant_burden, dose_intensity */
        same(t->cells[i * t->n_cols + 2].num, want[i][0]);
        same(t->cells[i * t->n_cols + 3].num, 0);
        same(t->cells[i * t->n_cols + 5].num, want[i][1]);
        assert_string_equal(t->cells[i * t->n_cols].text, i < 2 ? a : b);
    }
    rg_table_free(t);
    /* the command writes the same */
    path_in(out, sizeof out, "merged.csv");
    assert_int_equal(run_sh("%s merge -o %s %s %s 2>/dev/null", RG_REGIMEN_EXE, out, a, b), 0);
    csv *c = csv_read(out);
    assert_int_equal(c->n_rows, 5);
    assert_string_equal(c->f[0][0], "source");
    same(num(c, 3, "ttp"), 250);
    assert_string_equal(text(c, 3, "source"), b);
    csv_free(c);
    /* a different problem is refused */
    rg_results *rc = fixture_results();
    free(rc->problem_text);
    rc->problem_text = strdup("# a different problem\n");
    assert_int_equal(rg_results_write(rc, c2, 0, &diag), RG_OK);
    rs[1] = rc;
    files[1] = c2;
    rg_diag_init(&diag);
    assert_int_equal(rg_export_merge(rs, files, 2, &t, &diag), RG_EINVAL);
    assert_non_null(strstr(diag.msg[0], "different problem"));
    assert_non_null(strstr(diag.msg[0], c2));
    path_in(out, sizeof out, "merged2.csv");
    assert_int_equal(run_sh("%s merge -o %s %s %s 2>/dev/null", RG_REGIMEN_EXE, out, a, c2), 2);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    rg_results_free(ra);
    rg_results_free(rb);
    rg_results_free(rc);
}

/* info's fair summary, by hand: each standard regimen against the feasible, treated front
 * member that dominates it with the largest TTP gain; the untreated member is labelled. */
static void test_info_fair_summary(void **state)
{
    (void)state;
    char h5[1200], msg[1200];
    path_in(h5, sizeof h5, "fair.h5");
    path_in(msg, sizeof msg, "fair.txt");
    rg_results *r = fixture_results();
    /* (ttp max, resistant_burden min, dose_intensity min) */
    double front[3][3] = {{460, 1, 0.0}, {400, 6, 0.8}, {500, 0.5, 0.1}};
    double regs[2][3] = {{250, 7, 1.0}, {450, 2, 0.2}};
    memcpy(r->front_objectives, front, sizeof front);
    memcpy(r->regimen_objectives, regs, sizeof regs);
    for (size_t i = 0; i < 3; i++)
        r->front_flags[i] = 0;
    r->front_violation[0] = r->front_violation[1] = 0.0;
    r->front_violation[2] = 0.25; /* dominates both regimens, but infeasible */
    for (size_t q = 0; q < 10; q++)
        r->front_doses[q] = 0.0; /* member 0: no dose at all */
    r->regimen_violation[0] = r->regimen_violation[1] = 0.0;
    r->regimen_flags[0] = r->regimen_flags[1] = 0;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, h5, 0, &diag), RG_OK);
    rg_results_free(r);
    assert_int_equal(run_sh("%s info %s >%s", RG_REGIMEN_EXE, h5, msg), 0);
    /* mtd (250, 7, 1): members 0 and 1 dominate it; 0 is untreated, so member 1 (+150) */
    assert_int_equal(run_sh("grep -q '^  mtd  *ttp=250: dominated by member 1, ttp=400 (+150) "
                            "resistant_burden=6 dose_intensity=0.8$' %s",
                            msg),
                     0);
    /* adaptive (450, 2, 0.2): only the untreated and the infeasible member dominate it */
    assert_int_equal(
        run_sh("grep -q '^  adaptive  *ttp=450: no evolved member dominates it$' %s", msg), 0);
    /* the best evolved TTP is the untreated member's: marked, with the footnote */
    assert_int_equal(run_sh("grep -q '^ttp  *max  *460\\*' %s", msg), 0);
    assert_int_equal(run_sh("grep -q '^\\* the untreated member' %s", msg), 0);
    /* the calendar of member 1, the one the summary names: its delivered doses by day */
    assert_int_equal(run_sh("grep -q '^  member 1 (day: drug fraction of MTD):$' %s", msg), 0);
    assert_int_equal(
        run_sh("grep -q '^    day   14: cisplatin 0.5 for 7 days paclitaxel 0.5 for "
               "7 days$' %s",
               msg),
        0);
    assert_int_equal(run_sh("grep -q '^  member 0 ' %s", msg), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_csv_matches_hdf5),
        cmocka_unit_test(test_cli_refusals),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_info_fair_summary),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
