/* regimen compare PROBLEM.cfg [--csv FILE] [--trajectories DIR]
 *
 * Runs every regimen of the problem file's `regimens` list through the kernel and prints
 * one row per regimen: TTP, final and resistant burden, emergence probability and time,
 * dose intensity, cumulative dose per drug, neutrophil nadir and the constraints it breaks
 * (docs/model.md sections 7-9; docs/regimens.md). --csv writes the same rows for tools ("-":
 * stdout), --trajectories one per-visit CSV per regimen for plotting. Files are written
 * atomically (rg_safefile: temporary name in the same directory, fsync, rename) and
 * replace older ones, as `regimen simulate` does. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "compare.h"
#include "regimen/export.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/safefile.h"
#include "regimen/sim.h"
#include "regimen/status.h"

enum { CELL = 128 };

typedef rg_compare_row row_result;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: regimen compare PROBLEM.cfg [--csv FILE] [--trajectories DIR]\n"
            "       regimen compare COHORT.cfg [--csv FILE] [--patients FILE] [--km FILE]\n");
}

/* ---- CSV ---- */

static void csv_num(FILE *f, double x)
{
    fprintf(f, ",%.17g", x);
}

void rg_compare_csv_header(FILE *f, const rg_problem *p, bool with_patient)
{
    /* columns named as a docs/model.md section 9 objective carry that objective's value; the
     * cell counts and L itself carry their own names. Every outcome is read at t_end
     * (docs/model.md section 8). */
    fprintf(f,
            "regimen,%spolicy,ttp,ttp_censored,final_burden_cells,resistant_burden_cells,"
            "resistant_fraction,resistance_probability,hazard_L,time_to_emergence,"
            "dose_intensity",
            with_patient ? "patient," : "");
    for (size_t d = 0; d < p->n_drugs; d++) {
        fputs(",", f);
        char name[RG_NAME_MAX + 32];
        snprintf(name, sizeof name, "cumulative_dose_%s", p->drugs[d].name);
        rg_csv_field(f, name);
    }
    for (size_t d = 0; d < p->n_drugs; d++) {
        fputs(",", f);
        char name[RG_NAME_MAX + 32];
        snprintf(name, sizeof name, "dose_intensity_%s", p->drugs[d].name);
        rg_csv_field(f, name);
    }
    fprintf(f, ",neutrophil_nadir,max_daily_toxicity,feasible,violation,broken,status\n");
}

void rg_compare_csv_row(FILE *f, const rg_problem *p, size_t r, const char *patient,
                        const rg_compare_row *row)
{
    const rg_sim_summary *s = &row->s;
    rg_csv_field(f, p->regimens[r].name);
    if (patient) {
        fputs(",", f);
        rg_csv_field(f, patient);
    }
    fprintf(f, ",%s,", rg_policy_kind_name(p->regimens[r].policy));
    /* (time, censored) as survival tools read it: a censored TTP is the horizon */
    fprintf(f, "%.17g,%d", s->ttp, s->progressed ? 0 : 1);
    csv_num(f, s->final_burden);
    csv_num(f, s->resistant_burden);
    csv_num(f, s->resistant_fraction);
    csv_num(f, s->resistance_probability);
    csv_num(f, s->hazard);
    fputs(",", f);
    if (s->emerged)
        fprintf(f, "%.17g", s->time_to_emergence);
    csv_num(f, rg_objective_value(p, s, RG_OBJ_DOSE_INTENSITY));
    for (size_t d = 0; d < p->n_drugs; d++)
        csv_num(f, s->cumulative_dose[d]);
    for (size_t d = 0; d < p->n_drugs; d++)
        csv_num(f, s->dose_intensity[d]);
    fputs(",", f);
    if (p->neutrophils && isfinite(s->neutrophil_nadir))
        fprintf(f, "%.17g", s->neutrophil_nadir);
    csv_num(f, s->max_daily_toxicity);
    int ok = s->status == RG_OK && !(row->v.total > 0.0);
    fprintf(f, ",%d", ok);
    csv_num(f, s->status == RG_OK ? row->v.total : 1e300);
    fputs(",", f);
    rg_csv_field(f, row->v.total > 0.0 ? row->broken : "");
    fprintf(f, ",%s\n", s->status == RG_OK ? "ok" : rg_strerror(s->status));
}

static int write_summary_csv(const char *path, const rg_problem *p, const row_result *rows)
{
    rg_safefile a;
    int rc = rg_safefile_open(&a, path, true, NULL);
    if (rc != RG_OK)
        return rc;
    rg_compare_csv_header(a.f, p, false);
    for (size_t r = 0; r < p->n_regimens; r++)
        rg_compare_csv_row(a.f, p, r, NULL, &rows[r]);
    return rg_safefile_close(&a, true, true, NULL);
}

/* A file name from a regimen name: characters outside [A-Za-z0-9._-] become '_'. */
static void file_stem(const char *name, char *out, size_t n)
{
    size_t i = 0;
    for (; name[i] && i + 1 < n; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
    if (i == 0) {
        out[0] = '_';
        out[1] = '\0';
    } else if (out[0] == '.') {
        out[0] = '_'; /* no hidden files, no ".." */
    }
}

static int write_trajectory_csv(const char *path, const rg_problem *p, size_t r,
                                const rg_trajectory *t)
{
    rg_safefile a;
    int rc = rg_safefile_open(&a, path, true, NULL);
    if (rc != RG_OK)
        return rc;
    char source[RG_NAME_MAX + 16];
    snprintf(source, sizeof source, "regimen:%s", p->regimens[r].name);
    rc = rg_traj_write_csv(a.f, p, source, t, t->n_visits);
    int closed = rg_safefile_close(&a, rc == RG_OK, true, NULL);
    return rc != RG_OK ? rc : closed;
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return RG_OK;
    }
    return RG_EIO;
}

/* ---- the table for people ---- */

static void fmt_cells(char *out, double x)
{
    snprintf(out, CELL, "%.3g", x);
}

static void print_table(FILE *f, const rg_problem *p, const row_result *rows)
{
    size_t ncol = 10 + p->n_drugs;
    size_t nrow = p->n_regimens + 1;
    char(*cell)[CELL] = calloc(ncol * nrow, sizeof *cell);
    if (!cell)
        return;
#define C(r, c) cell[(r)*ncol + (c)]
    size_t c = 0;
    snprintf(C(0, c++), CELL, "regimen");
    snprintf(C(0, c++), CELL, "policy");
    snprintf(C(0, c++), CELL, "TTP (days)");
    snprintf(C(0, c++), CELL, "burden at end");
    snprintf(C(0, c++), CELL, "resistant (cells)");
    snprintf(C(0, c++), CELL, "resistant fraction");
    snprintf(C(0, c++), CELL, "P(de novo)");
    snprintf(C(0, c++), CELL, "emergence (day)");
    snprintf(C(0, c++), CELL, "dose intensity");
    for (size_t d = 0; d < p->n_drugs; d++)
        snprintf(C(0, c++), CELL, "%s %s", p->drugs[d].name,
                 p->drugs[d].administration == RG_ADMIN_BOLUS ? "(boluses)" : "(MTD-days)");
    snprintf(C(0, c++), CELL, "ANC nadir");
    for (size_t r = 0; r < p->n_regimens; r++) {
        const rg_sim_summary *s = &rows[r].s;
        size_t row = r + 1;
        c = 0;
        snprintf(C(row, c++), CELL, "%s", p->regimens[r].name);
        snprintf(C(row, c++), CELL, "%s", rg_policy_kind_name(p->regimens[r].policy));
        if (s->progressed)
            snprintf(C(row, c++), CELL, "%g", s->ttp);
        else
            snprintf(C(row, c++), CELL, "none by day %g", p->horizon_days);
        fmt_cells(C(row, c++), s->final_burden);
        fmt_cells(C(row, c++), s->resistant_burden);
        snprintf(C(row, c++), CELL, "%.3g", s->resistant_fraction);
        snprintf(C(row, c++), CELL, "%.3g", s->resistance_probability);
        if (s->emerged)
            snprintf(C(row, c++), CELL, "%g", s->time_to_emergence);
        else
            snprintf(C(row, c++), CELL, "none");
        snprintf(C(row, c++), CELL, "%.3f", rg_objective_value(p, s, RG_OBJ_DOSE_INTENSITY));
        for (size_t d = 0; d < p->n_drugs; d++)
            snprintf(C(row, c++), CELL, "%.4g", s->cumulative_dose[d]);
        if (p->neutrophils && isfinite(s->neutrophil_nadir))
            snprintf(C(row, c++), CELL, "%.3g", s->neutrophil_nadir);
        else
            snprintf(C(row, c++), CELL, "-");
    }
    size_t width[64 + RG_MAX_DRUGS];
    for (c = 0; c < ncol; c++) {
        width[c] = 0;
        for (size_t r = 0; r < nrow; r++) {
            size_t w = strlen(C(r, c));
            if (w > width[c])
                width[c] = w;
        }
    }
    for (size_t r = 0; r < nrow; r++) {
        for (c = 0; c < ncol; c++) {
            /* names left-aligned, numbers right-aligned */
            if (c < 2)
                fprintf(f, "%-*s  ", (int)width[c], C(r, c));
            else
                fprintf(f, "%*s  ", (int)width[c], C(r, c));
        }
        if (r == 0)
            fputs("constraints\n", f);
        else if (rows[r - 1].s.status != RG_OK)
            fprintf(f, "run failed: %s\n", rg_strerror(rows[r - 1].s.status));
        else
            fprintf(f, "%s\n", rows[r - 1].broken);
    }
#undef C
    free(cell);
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int parse_args(int argc, char **argv, compare_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv") || !strcmp(argv[i], "--trajectories") ||
            !strcmp(argv[i], "--patients") || !strcmp(argv[i], "--km")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "regimen compare: %s needs an argument\n", argv[i]);
                usage(stderr);
                return 2;
            }
            const char *opt = argv[i++];
            if (!strcmp(opt, "--csv"))
                a->csv = argv[i];
            else if (!strcmp(opt, "--patients"))
                a->patients = argv[i];
            else if (!strcmp(opt, "--km"))
                a->km = argv[i];
            else
                a->traj_dir = argv[i];
        } else if (!strcmp(argv[i], "--force")) {
            a->force = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regimen compare: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!a->problem) {
            a->problem = argv[i];
        } else {
            fprintf(stderr, "regimen compare: more than one problem file ('%s')\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!a->problem) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* Returns 0 when p has a tumour model and regimens to compare, else the exit status. */
static int check_comparable(const rg_problem *p, const char *path)
{
    if (p->bench.kind != RG_BENCH_NONE) {
        fprintf(stderr, "%s: a benchmark problem has no tumour model or regimens to compare\n",
                path);
        return 2;
    }
    if (p->n_regimens == 0) {
        fprintf(stderr, "%s: regimens: the problem lists no regimens to compare\n", path);
        return 2;
    }
    return 0;
}

/* traj_dir/<stem>.csv, the trajectory file of regimen r; two names that map to the same
 * stem: the later one gets its index. Returns false when the path does not fit. */
static bool trajectory_path(const char *traj_dir, const rg_problem *p, size_t r, char *path,
                            size_t cap)
{
    char stem[RG_NAME_MAX + 16];
    file_stem(p->regimens[r].name, stem, RG_NAME_MAX);
    for (size_t q = 0; q < r; q++) {
        char other[RG_NAME_MAX + 16];
        file_stem(p->regimens[q].name, other, RG_NAME_MAX);
        if (!strcmp(other, stem)) {
            size_t len = strlen(stem);
            snprintf(stem + len, sizeof stem - len, "_%zu", r);
            break;
        }
    }
    int n = snprintf(path, cap, "%s/%s.csv", traj_dir, stem);
    return n >= 0 && (size_t)n < cap;
}

static int write_regimen_trajectory(const char *traj_dir, const rg_problem *p, size_t r,
                                    const rg_trajectory *traj)
{
    char path[4096];
    if (!trajectory_path(traj_dir, p, r, path, sizeof path) ||
        write_trajectory_csv(path, p, r, traj) != RG_OK) {
        fprintf(stderr, "regimen compare: cannot write '%s'\n", path);
        return 1;
    }
    return 0;
}

/* Without --force no output may exist already: refused before anything runs, so that
 * nothing is half-written. Returns 0 or the exit status 2. */
static int check_outputs(const rg_problem *p, const compare_args *a)
{
    if (a->force)
        return 0;
    const char *taken = NULL;
    char path[4096];
    if (a->csv && strcmp(a->csv, "-") != 0 && rg_safefile_exists(a->csv))
        taken = a->csv;
    for (size_t r = 0; a->traj_dir && !taken && r < p->n_regimens; r++)
        if (trajectory_path(a->traj_dir, p, r, path, sizeof path) && rg_safefile_exists(path))
            taken = path;
    if (!taken)
        return 0;
    fprintf(stderr, "%s: exists; not overwritten (use --force to replace it)\n", taken);
    return 2;
}

/* Simulates regimen r into row (and traj when it is not NULL). Returns 0 or the exit
 * status. */
static int run_regimen(const rg_problem *p, const char *path, size_t r, rg_sim_workspace *w,
                       row_result *row, rg_trajectory *traj)
{
    const rg_regimen *reg = &p->regimens[r];
    rg_policy pol;
    int rc = rg_policy_init_regimen(&pol, p, reg);
    if (rc != RG_OK) {
        fprintf(stderr, "%s: regimens.[%zu] (%s): %s\n", path, r, reg->name, rg_strerror(rc));
        return rg_status_exit_code(rc);
    }
    rg_dosing dose = rg_policy_dosing(&pol);
    rc = rg_sim_run(w, p, &dose, NULL, &row->s, traj);
    if (rc != RG_OK) {
        fprintf(stderr, "%s: regimen %s: %s\n", path, reg->name, rg_strerror(rc));
        return rg_status_exit_code(rc);
    }
    rg_constraints_eval(p, &row->s, &row->v);
    rg_violation_describe(p, &row->s, &row->v, row->broken, sizeof row->broken);
    return 0;
}

/* Every regimen of p in order, with its trajectory file when a.traj_dir is set. */
static int run_all(const rg_problem *p, const compare_args *a, row_result rows[])
{
    int status = 0;
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_trajectory traj;
    memset(&traj, 0, sizeof traj);
    if (!w || rg_trajectory_alloc(&traj, p) != RG_OK) {
        fprintf(stderr, "regimen compare: out of memory\n");
        status = 1;
    } else if (a->traj_dir && make_dir(a->traj_dir) != RG_OK) {
        fprintf(stderr, "regimen compare: cannot create directory '%s': %s\n", a->traj_dir,
                strerror(errno));
        status = 1;
    }
    for (size_t r = 0; r < p->n_regimens && status == 0; r++) {
        status = run_regimen(p, a->problem, r, w, &rows[r], a->traj_dir ? &traj : NULL);
        if (status == 0 && a->traj_dir)
            status = write_regimen_trajectory(a->traj_dir, p, r, &traj);
    }
    rg_trajectory_free(&traj);
    rg_sim_free(w);
    return status;
}

int rg_cmd_compare(int argc, char **argv)
{
    compare_args a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    rg_problem *p = NULL;
    code = rg_cli_load_problem("compare", a.problem, &p);
    if (code != 0)
        return code;
    row_result *rows = NULL;
    int status = check_comparable(p, a.problem);
    if (status == 0 && p->cohort) {
        status = rg_compare_cohort(p, &a);
        rg_problem_free(p);
        return status;
    }
    if (status == 0 && (a.patients || a.km)) {
        fprintf(stderr, "regimen compare: --patients and --km need a problem with a cohort "
                        "group\n");
        status = 2;
    }
    if (status == 0)
        status = check_outputs(p, &a);
    if (status == 0) {
        rows = calloc(p->n_regimens, sizeof *rows);
        if (!rows) {
            fprintf(stderr, "regimen compare: out of memory\n");
            status = 1;
        }
    }
    if (status == 0)
        status = run_all(p, &a, rows);
    if (status == 0) {
        /* with --csv - the CSV alone goes to stdout, for pipes */
        if (!a.csv || strcmp(a.csv, "-") != 0) {
            printf("%s: %zu regimens, horizon %g days, B(0) = %.4g\n",
                   p->name[0] ? p->name : a.problem, p->n_regimens, p->horizon_days,
                   rg_problem_initial_burden(p));
            print_table(stdout, p, rows);
        }
        if (a.csv && write_summary_csv(a.csv, p, rows) != RG_OK) {
            fprintf(stderr, "regimen compare: cannot write '%s'\n", a.csv);
            status = 1;
        }
    }
    free(rows);
    rg_problem_free(p);
    return status;
}
