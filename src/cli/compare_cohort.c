/* regimen compare on a cohort problem: a virtual trial (docs/model.md section 13;
 * docs/regimens.md). Every regimen runs on every patient in the cohort's order through the
 * batch entry point (rg_sim_run_batch, one workspace); the table and --csv give per regimen
 * the median TTP with its interquartile range, the restricted mean TTP, the fraction
 * progression-free at the horizon and the median resistance probability; --patients one
 * row per (regimen, patient), --km the Kaplan-Meier curves. Files are written atomically. */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "regimen/cohort_stats.h"
#include "regimen/export.h"
#include "regimen/policy.h"
#include "regimen/safefile.h"
#include "regimen/status.h"

enum { CELL = 64 };

/* What the table and --csv report of one regimen. */
typedef struct {
    double med, q25, q75, rmst, pf, med_p, med_rf, med_di;
    bool med_c, q25_c, q75_c;
    size_t feasible, failed;
} regimen_stats;

static void stats_of(const rg_problem *p, const rg_compare_row *rows, size_t n, double *buf,
                     regimen_stats *st)
{
    double *x = buf, *ttp = buf + n, *work = buf + 2 * n;
    bool prog[RG_COHORT_MAX_PATIENTS], cens[RG_COHORT_MAX_PATIENTS];
    memset(st, 0, sizeof *st);
    size_t free_ = 0;
    for (size_t i = 0; i < n; i++) {
        ttp[i] = rows[i].s.ttp;
        prog[i] = rows[i].s.progressed;
        cens[i] = !prog[i];
        free_ += cens[i];
        st->failed += rows[i].s.status != RG_OK;
        st->feasible += rows[i].s.status == RG_OK && !(rows[i].v.total > 0.0);
    }
    rg_aggregate q = {RG_AGG_QUANTILE, 0.5}, mean = {RG_AGG_MEAN, 0};
    st->med = rg_cohort_statistic(&q, true, n, ttp, cens, NULL, NULL, work, &st->med_c);
    q.arg = 0.25;
    st->q25 = rg_cohort_statistic(&q, true, n, ttp, cens, NULL, NULL, work, &st->q25_c);
    q.arg = 0.75;
    st->q75 = rg_cohort_statistic(&q, true, n, ttp, cens, NULL, NULL, work, &st->q75_c);
    st->rmst = rg_cohort_statistic(&mean, true, n, ttp, NULL, NULL, NULL, work, NULL);
    st->pf = (double)free_ / (double)n;
    q.arg = 0.5;
    for (size_t i = 0; i < n; i++)
        x[i] = rows[i].s.resistance_probability;
    st->med_p = rg_cohort_statistic(&q, false, n, x, NULL, NULL, NULL, work, NULL);
    for (size_t i = 0; i < n; i++)
        x[i] = rows[i].s.resistant_fraction;
    st->med_rf = rg_cohort_statistic(&q, false, n, x, NULL, NULL, NULL, work, NULL);
    for (size_t i = 0; i < n; i++)
        x[i] = rg_objective_value(rg_problem_patient(p, i), &rows[i].s, RG_OBJ_DOSE_INTENSITY);
    st->med_di = rg_cohort_statistic(&q, false, n, x, NULL, NULL, NULL, work, NULL);
}

/* Regimen r on every patient into rows[0..n). Returns 0 or the exit status. */
static int run_regimen(const rg_problem *p, const char *path, size_t r, rg_sim_workspace *w,
                       rg_sim_summary *sums, rg_compare_row *rows)
{
    const rg_cohort *c = p->cohort;
    int rc = rg_cohort_run_regimen(p, r, w, sums, NULL);
    if (rc != RG_OK) {
        fprintf(stderr, "%s: regimen %s: %s\n", path, p->regimens[r].name, rg_strerror(rc));
        return rg_status_exit_code(rc);
    }
    for (size_t i = 0; i < c->n_patients; i++) {
        const rg_problem *pi = c->patients[i];
        rows[i].s = sums[i];
        rg_constraints_eval(pi, &rows[i].s, &rows[i].v);
        rg_violation_describe(pi, &rows[i].s, &rows[i].v, rows[i].broken,
                              sizeof rows[i].broken);
    }
    return 0;
}

static void ttp_cell(char *out, double t, bool censored)
{
    if (censored)
        snprintf(out, CELL, ">%g", t);
    else
        snprintf(out, CELL, "%g", t);
}

static void print_table(FILE *f, const rg_problem *p, const regimen_stats *st)
{
    size_t n = p->cohort->n_patients;
    fprintf(f, "%s: virtual trial of %zu regimens on %zu patients, horizon %g days\n",
            p->name[0] ? p->name : "cohort", p->n_regimens, n, p->horizon_days);
    char pf_head[CELL];
    snprintf(pf_head, sizeof pf_head, "PF at day %g", p->horizon_days);
    int w = 7; /* "regimen" */
    for (size_t r = 0; r < p->n_regimens; r++)
        if ((int)strlen(p->regimens[r].name) > w)
            w = (int)strlen(p->regimens[r].name);
    fprintf(f, "%-*s  %-15s %12s %18s %12s %12s %12s %10s\n", w, "regimen", "policy",
            "median TTP", "TTP IQR", "RMST (days)", pf_head, "median P", "feasible");
    for (size_t r = 0; r < p->n_regimens; r++) {
        const regimen_stats *s = &st[r];
        char med[CELL], a[CELL], b[CELL], iqr[2 * CELL + 4], feas[CELL];
        ttp_cell(med, s->med, s->med_c);
        ttp_cell(a, s->q25, s->q25_c);
        ttp_cell(b, s->q75, s->q75_c);
        snprintf(iqr, sizeof iqr, "%s-%s", a, b);
        snprintf(feas, sizeof feas, "%zu/%zu", s->feasible, n);
        fprintf(f, "%-*s  %-15s %12s %18s %12.1f %11.1f%% %12.3g %10s%s\n", w,
                p->regimens[r].name, rg_policy_kind_name(p->regimens[r].policy), med, iqr,
                s->rmst, 100.0 * s->pf, s->med_p, feas, s->failed ? " (runs failed)" : "");
    }
}

static int write_summary(const char *path, const rg_problem *p, const regimen_stats *st)
{
    rg_safefile a;
    int rc = rg_safefile_open(&a, path, true, NULL);
    if (rc != RG_OK)
        return rc;
    FILE *f = a.f;
    fputs("regimen,policy,patients,median_ttp,median_ttp_censored,ttp_q25,ttp_q25_censored,"
          "ttp_q75,ttp_q75_censored,rmst_ttp,progression_free_at_horizon,"
          "median_resistance_probability,median_resistant_fraction,median_dose_intensity,"
          "feasible_patients,failed_patients\n",
          f);
    for (size_t r = 0; r < p->n_regimens; r++) {
        const regimen_stats *s = &st[r];
        rg_csv_field(f, p->regimens[r].name);
        fprintf(f, ",%s,%zu,%.17g,%d,%.17g,%d,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%zu,%zu\n",
                rg_policy_kind_name(p->regimens[r].policy), p->cohort->n_patients, s->med,
                s->med_c, s->q25, s->q25_c, s->q75, s->q75_c, s->rmst, s->pf, s->med_p,
                s->med_rf, s->med_di, s->feasible, s->failed);
    }
    return rg_safefile_close(&a, true, true, NULL);
}

static int write_patients(const char *path, const rg_problem *p, const rg_compare_row *rows)
{
    rg_safefile a;
    int rc = rg_safefile_open(&a, path, true, NULL);
    if (rc != RG_OK)
        return rc;
    size_t n = p->cohort->n_patients;
    rg_compare_csv_header(a.f, p, true);
    for (size_t r = 0; r < p->n_regimens; r++)
        for (size_t i = 0; i < n; i++)
            rg_compare_csv_row(a.f, rg_problem_patient(p, i), r, p->cohort->names[i],
                               &rows[r * n + i]);
    return rg_safefile_close(&a, true, true, NULL);
}

static int write_km(const char *path, const rg_problem *p, const rg_compare_row *rows)
{
    size_t n = p->cohort->n_patients;
    double *ttp = malloc(n * sizeof *ttp), *t = malloc((n + 1) * sizeof *t);
    double *sv = malloc((n + 1) * sizeof *sv);
    size_t *order = malloc(n * sizeof *order), *risk = malloc((n + 1) * sizeof *risk);
    size_t *ev = malloc((n + 1) * sizeof *ev);
    bool *prog = malloc(n * sizeof *prog);
    rg_safefile a;
    int rc = !ttp || !t || !sv || !order || !risk || !ev || !prog
                 ? RG_ENOMEM
                 : rg_safefile_open(&a, path, true, NULL);
    if (rc == RG_OK) {
        fputs("regimen,t,survival,at_risk,events\n", a.f);
        for (size_t r = 0; r < p->n_regimens; r++) {
            for (size_t i = 0; i < n; i++) {
                ttp[i] = rows[r * n + i].s.ttp;
                prog[i] = rows[r * n + i].s.progressed;
            }
            size_t m = rg_km_curve(n, ttp, prog, order, t, sv, risk, ev);
            for (size_t k = 0; k < m; k++) {
                rg_csv_field(a.f, p->regimens[r].name);
                fprintf(a.f, ",%.17g,%.17g,%zu,%zu\n", t[k], sv[k], risk[k], ev[k]);
            }
        }
        rc = rg_safefile_close(&a, true, true, NULL);
    }
    free(ttp);
    free(t);
    free(sv);
    free(order);
    free(risk);
    free(ev);
    free(prog);
    return rc;
}

/* Without --force no output may exist already. Returns 0 or the exit status 2. */
static int check_outputs(const compare_args *a)
{
    if (a->traj_dir) {
        fprintf(stderr, "regimen compare: --trajectories is for problems without a cohort "
                        "(use --patients for per-patient outcomes)\n");
        return 2;
    }
    const char *out[] = {a->csv, a->patients, a->km};
    for (size_t k = 0; k < 3 && !a->force; k++)
        if (out[k] && strcmp(out[k], "-") != 0 && rg_safefile_exists(out[k])) {
            fprintf(stderr, "%s: exists; not overwritten (use --force to replace it)\n",
                    out[k]);
            return 2;
        }
    return 0;
}

static int write_outputs(const compare_args *a, const rg_problem *p, const regimen_stats *st,
                         const rg_compare_row *rows)
{
    const char *bad = NULL;
    if (a->csv && write_summary(a->csv, p, st) != RG_OK)
        bad = a->csv;
    else if (a->patients && write_patients(a->patients, p, rows) != RG_OK)
        bad = a->patients;
    else if (a->km && write_km(a->km, p, rows) != RG_OK)
        bad = a->km;
    if (!bad)
        return 0;
    fprintf(stderr, "regimen compare: cannot write '%s'\n", bad);
    return 1;
}

int rg_compare_cohort(const rg_problem *p, const compare_args *a)
{
    int status = check_outputs(a);
    if (status)
        return status;
    size_t n = p->cohort->n_patients, nr = p->n_regimens;
    rg_compare_row *rows = calloc(nr * n, sizeof *rows);
    rg_sim_summary *sums = malloc(n * sizeof *sums);
    regimen_stats *st = calloc(nr, sizeof *st);
    double *buf = malloc(3 * n * sizeof *buf);
    rg_sim_workspace *w = rg_sim_alloc(p);
    if (!rows || !sums || !st || !buf || !w) {
        fprintf(stderr, "regimen compare: out of memory\n");
        status = 1;
    }
    for (size_t r = 0; r < nr && status == 0; r++) {
        status = run_regimen(p, a->problem, r, w, sums, rows + r * n);
        if (status == 0)
            stats_of(p, rows + r * n, n, buf, &st[r]);
    }
    if (status == 0) {
        bool csv_stdout = a->csv && !strcmp(a->csv, "-");
        if (!csv_stdout)
            print_table(stdout, p, st);
        status = write_outputs(a, p, st, rows);
    }
    rg_sim_free(w);
    free(buf);
    free(st);
    free(sums);
    free(rows);
    return status;
}
