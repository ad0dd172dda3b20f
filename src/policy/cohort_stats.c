/* Statistics over a cohort's patients (cohort_stats.h; docs/model.md section 13). */
#include "regimen/cohort_stats.h"

#include "regimen/objectives.h"
#include "regimen/policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ceil(f n) for a fraction given in decimal: 0.07 * 100 is 7.000000000000001 in binary, and
 * the patient count meant is 7. */
static size_t count_of(double f, size_t n)
{
    double k = ceil(f * (double)n - 1e-9);
    if (k < 1)
        k = 1;
    return k > (double)n ? n : (size_t)k;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rg_cohort_statistic(const rg_aggregate *a, bool maximised, size_t n, const double x[],
                           const bool censored[], const double ttp[], const bool progressed[],
                           double scratch[], bool *is_censored)
{
    if (is_censored)
        *is_censored = false;
    if (n == 0)
        return NAN;
    double sum = 0.0;
    switch (a->kind) {
    case RG_AGG_MEAN:
        for (size_t i = 0; i < n; i++)
            sum += x[i];
        return sum / (double)n;
    case RG_AGG_PFS: {
        size_t free_ = 0;
        for (size_t i = 0; i < n; i++)
            free_ += !(progressed[i] && ttp[i] <= a->arg);
        return (double)free_ / (double)n;
    }
    case RG_AGG_QUANTILE: {
        memcpy(scratch, x, n * sizeof *x);
        qsort(scratch, n, sizeof *scratch, cmp_double);
        size_t k = count_of(a->arg, n);
        /* censored TTPs sit at the horizon, above every observed one; at a tie the observed
         * ones come first, so x_(k) is censored exactly when k > n - (censored count) */
        size_t nc = 0;
        if (censored)
            for (size_t i = 0; i < n; i++)
                nc += censored[i];
        if (is_censored)
            *is_censored = k > n - nc;
        return scratch[k - 1];
    }
    case RG_AGG_CVAR: {
        memcpy(scratch, x, n * sizeof *x);
        qsort(scratch, n, sizeof *scratch, cmp_double);
        size_t k = count_of(a->arg, n);
        for (size_t i = 0; i < k; i++)
            sum += maximised ? scratch[i] : scratch[n - 1 - i];
        return sum / (double)k;
    }
    }
    return NAN;
}

double rg_cohort_violation(size_t n, const double v[], double fraction, double scratch[])
{
    if (n == 0)
        return 0.0;
    memcpy(scratch, v, n * sizeof *v);
    qsort(scratch, n, sizeof *scratch, cmp_double);
    size_t k = count_of(fraction, n);
    double sum = 0.0;
    for (size_t i = 0; i < k; i++)
        sum += scratch[i];
    return sum;
}

enum { RG_RES_FAILURE = RG_RES_NONFINITE | RG_RES_BUDGET | RG_RES_BADGENOME | RG_RES_FAILED };

void rg_cohort_combine(const rg_problem *p, size_t n, const rg_eval_result per[],
                       const rg_sim_summary sums[], double scratch[], rg_eval_result *out)
{
    const rg_cohort *c = p->cohort;
    size_t n_obj = p->optimize.n_objectives;
    for (size_t i = 0; i < n; i++)
        if (per[i].flags & RG_RES_FAILURE) {
            char why[RG_REASON_MAX];
            snprintf(why, sizeof why, "patient %.20s: %.60s", c->names[i], per[i].reason);
            rg_eval_result_fail(out, n_obj, per[i].flags & RG_RES_FAILURE, why);
            return;
        }
    memset(out, 0, sizeof *out);
    double *x = scratch, *ttp = scratch + n, *work = scratch + 2 * n;
    /* progressed[] and censored[] share one array: a censored TTP is one not progressed */
    bool prog[RG_COHORT_MAX_PATIENTS], cens[RG_COHORT_MAX_PATIENTS];
    for (size_t i = 0; i < n; i++) {
        ttp[i] = sums[i].ttp;
        prog[i] = sums[i].progressed;
        cens[i] = !sums[i].progressed;
    }
    for (size_t j = 0; j < n_obj; j++) {
        int obj = p->optimize.objectives[j];
        bool mx = rg_objective_maximised(obj) || c->aggregate[j].kind == RG_AGG_PFS;
        for (size_t i = 0; i < n; i++)
            x[i] = per[i].value[j];
        bool is_c = false;
        double v = rg_cohort_statistic(&c->aggregate[j], mx, n, x,
                                       obj == RG_OBJ_TTP ? cens : NULL, ttp, prog, work, &is_c);
        out->value[j] = v;
        out->fitness[j] = mx ? -v : v;
        if (is_c)
            out->flags |= RG_RES_CENSORED;
    }
    size_t n_bad = 0, first = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = per[i].violation;
        if (per[i].violation > 0 && n_bad++ == 0)
            first = i;
    }
    out->violation = rg_cohort_violation(n, x, c->feasible_fraction, work);
    if (out->violation > 0) {
        out->flags |= RG_RES_INFEASIBLE;
        /* the counts are at most RG_COHORT_MAX_PATIENTS: 4 digits each */
        char why[2 * RG_REASON_MAX];
        snprintf(why, sizeof why, "%zu of %zu patients infeasible (%.16s: %.30s)", n_bad, n,
                 c->names[first], per[first].reason);
        snprintf(out->reason, sizeof out->reason, "%.*s", (int)sizeof out->reason - 1, why);
    }
}

int rg_cohort_eval_block(const rg_problem *p, size_t first, size_t count, rg_dosing *dose,
                         rg_sim_workspace *w, const volatile sig_atomic_t *cancel,
                         rg_sim_summary sums[], rg_eval_result per[])
{
    const rg_problem *const *patients = (const rg_problem *const *)p->cohort->patients + first;
    int rc = rg_sim_run_batch(w, count, patients, dose, rg_policy_bind, cancel, sums);
    for (size_t i = 0; rc == RG_OK && per && i < count; i++)
        rg_objectives_compute(patients[i], &sums[i], &per[i]);
    return rc;
}

int rg_cohort_eval_patients(const rg_problem *p, rg_dosing *dose, rg_sim_workspace *w,
                            const volatile sig_atomic_t *cancel, rg_sim_summary sums[],
                            rg_eval_result per[])
{
    return rg_cohort_eval_block(p, 0, p->cohort->n_patients, dose, w, cancel, sums, per);
}

int rg_cohort_run_regimen(const rg_problem *p, size_t r, rg_sim_workspace *w,
                          rg_sim_summary sums[], rg_eval_result per[])
{
    rg_policy pol;
    int rc = rg_policy_init_regimen(&pol, p, &p->regimens[r]);
    rg_dosing dose = rg_policy_dosing(&pol);
    if (rc == RG_OK)
        rc = rg_cohort_eval_patients(p, &dose, w, NULL, sums, per);
    return rc;
}

int rg_cohort_eval_regimen(const rg_problem *p, size_t r, rg_sim_workspace *w,
                           rg_sim_summary sums[], rg_eval_result per[], double scratch[],
                           rg_eval_result *out)
{
    int rc = rg_cohort_run_regimen(p, r, w, sums, per);
    if (rc != RG_OK) {
        rg_eval_result_fail(out, p->optimize.n_objectives, RG_RES_FAILED,
                            "the regimen could not be simulated");
        return rc;
    }
    rg_cohort_combine(p, p->cohort->n_patients, per, sums, scratch, out);
    return RG_OK;
}

/* Sorts order[0..n) by (ttp, index): an insertion sort, stable and free of state (n is
 * at most RG_COHORT_MAX_PATIENTS, and curves are drawn once per regimen). */
static void sort_by_time(size_t n, const double ttp[], size_t order[])
{
    for (size_t a = 1; a < n; a++) {
        size_t v = order[a], b = a;
        while (b > 0 && ttp[order[b - 1]] > ttp[v]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = v;
    }
}

size_t rg_km_curve(size_t n, const double ttp[], const bool progressed[], size_t order[],
                   double t[], double survival[], size_t at_risk[], size_t events[])
{
    t[0] = 0.0;
    survival[0] = 1.0;
    at_risk[0] = n;
    events[0] = 0;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_by_time(n, ttp, order);
    size_t rows = 1, left = n;
    double s = 1.0;
    for (size_t a = 0; a < n;) {
        double ti = ttp[order[a]];
        size_t d = 0, b = a;
        for (; b < n && ttp[order[b]] == ti; b++)
            d += progressed[order[b]];
        if (d > 0)
            s *= 1.0 - (double)d / (double)left;
        t[rows] = ti;
        survival[rows] = s;
        at_risk[rows] = left;
        events[rows] = d;
        rows++;
        left -= b - a;
        a = b;
    }
    return rows;
}
