/* Tables from results: front, history, regimens, cohort, merged fronts (export.h); the others
 * are in export_traj.c, export_calendar.c and export_km.c. */
#include "regimen/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "regimen/eval_result.h"

rg_table *rg_table_alloc(size_t n_cols, const char *const cols[])
{
    rg_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cols = calloc(n_cols ? n_cols : 1, sizeof *t->cols);
    if (!t->cols)
        goto fail;
    t->n_cols = n_cols;
    for (size_t j = 0; j < n_cols; j++)
        if (!(t->cols[j] = strdup(cols[j])))
            goto fail;
    return t;
fail:
    rg_table_free(t);
    return NULL;
}

void rg_table_free(rg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        if (t->cells[i].is_text)
            free(t->cells[i].text);
    free(t->cells);
    for (size_t j = 0; t->cols && j < t->n_cols; j++)
        free(t->cols[j]);
    free(t->cols);
    free(t);
}

rg_cell *rg_table_add_row(rg_table *t)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 64;
        rg_cell *c = realloc(t->cells, cap * (t->n_cols ? t->n_cols : 1) * sizeof *c);
        if (!c)
            return NULL;
        t->cells = c;
        t->cap_rows = cap;
    }
    rg_cell *row = t->cells + t->n_rows * t->n_cols;
    memset(row, 0, t->n_cols * sizeof *row);
    t->n_rows++;
    return row;
}

int rg_cell_set_text(rg_cell *c, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        return RG_ENOMEM;
    if (c->is_text)
        free(c->text);
    c->is_text = true;
    c->text = d;
    return RG_OK;
}

int rg_export_parse_what(const char *s)
{
    static const char *const names[] = {"front",    "history", "regimens", "trajectories",
                                        "calendar", "cohort",  "km"};
    for (int i = 0; i < 7; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* ---- column lists ---- */

typedef struct {
    size_t n, cap;
    char **names;
} colbuf;

static int col_add(colbuf *b, const char *fmt, const char *a, size_t k, int with_k)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        char **p = realloc(b->names, cap * sizeof *p);
        if (!p)
            return RG_ENOMEM;
        b->names = p;
        b->cap = cap;
    }
    char buf[256];
    if (with_k)
        snprintf(buf, sizeof buf, fmt, a, k);
    else
        snprintf(buf, sizeof buf, fmt, a);
    if (!(b->names[b->n] = strdup(buf)))
        return RG_ENOMEM;
    b->n++;
    return RG_OK;
}

static void col_free(colbuf *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->names[i]);
    free(b->names);
}

static rg_table *table_from(colbuf *b, int rc)
{
    rg_table *t = rc == RG_OK ? rg_table_alloc(b->n, (const char *const *)b->names) : NULL;
    col_free(b);
    return t;
}

/* The time to progression, which a run censors at the horizon (RG_RES_CENSORED): every table
 * follows a ttp column with ttp_censored (0/1). */
static bool is_ttp(const rg_results *r, size_t m)
{
    return !strcmp(r->objective_names[m], "ttp");
}

/* The objective columns, each ttp followed by ttp_censored. */
static int objective_cols(colbuf *b, const rg_results *r)
{
    int rc = RG_OK;
    for (size_t m = 0; m < r->n_obj; m++) {
        rc |= col_add(b, "%s", r->objective_names[m], 0, 0);
        if (is_ttp(r, m))
            rc |= col_add(b, "%s", "ttp_censored", 0, 0);
    }
    return rc;
}

/* Cells of the objective columns of one row: values[n_obj] and the row's RG_RES_* flags.
 * Returns how many cells were written. */
static size_t objective_cells(rg_cell *c, const rg_results *r, const double *values,
                              uint32_t flags)
{
    size_t j = 0;
    for (size_t m = 0; m < r->n_obj; m++) {
        c[j++].num = values[m];
        if (is_ttp(r, m))
            c[j++].num = (flags & RG_RES_CENSORED) ? 1 : 0;
    }
    return j;
}

/* The dose columns of a schedule front: one per gene (an admissible dose), from the gene
 * map (a rule's doses are in the calendar; its columns are the parameters). */
static size_t n_dose_cols(const rg_results *r)
{
    bool map = r->encoding == RG_ENC_SCHEDULE && r->gene_drug && r->gene_day;
    return r->front_doses && map ? r->genome_length : 0;
}

/* Dose column c: the drug's position and the decision interval. */
static void dose_col(const rg_results *r, size_t c, size_t *d, size_t *k)
{
    *d = r->gene_drug[c];
    *k = (size_t)llround(r->gene_day[c] / r->decision_days);
}

/* The columns describing one front member: objectives, violation ... decoded. */
static int front_cols(colbuf *b, const rg_results *r)
{
    int rc = objective_cols(b, r);
    rc |= col_add(b, "%s", "violation", 0, 0);
    rc |= col_add(b, "%s", "feasible", 0, 0);
    rc |= col_add(b, "%s", "flags", 0, 0);
    for (size_t c = 0; c < n_dose_cols(r); c++) {
        size_t d, k;
        char name[RG_NAME_MAX + 64];
        dose_col(r, c, &d, &k);
        snprintf(name, sizeof name, "dose_%s_d%.15g", r->drug_names[d],
                 (double)k * r->decision_days);
        rc |= col_add(b, "%s", name, 0, 0);
    }
    if (r->front_rule)
        for (size_t p = 0; p < r->n_rule_params; p++)
            rc |= col_add(b, "rule_%s", r->rule_param_names[p], 0, 0);
    if (!r->front_doses && !r->front_rule)
        for (size_t j = 0; j < r->genome_length; j++)
            rc |= col_add(b, "x%s%zu", "", j + 1, 1);
    return rc ? RG_ENOMEM : RG_OK;
}

static void front_row(rg_cell *c, const rg_results *r, size_t i)
{
    size_t j = objective_cells(c, r, r->front_objectives + i * r->n_obj, r->front_flags[i]);
    c[j++].num = r->front_violation[i];
    c[j++].num = rg_results_feasible(r->front_violation[i], r->front_flags[i]) ? 1 : 0;
    c[j++].num = r->front_flags[i];
    for (size_t q = 0; q < n_dose_cols(r); q++) {
        size_t d, k;
        dose_col(r, q, &d, &k);
        c[j++].num = r->front_doses[(i * r->n_drugs + d) * r->n_intervals + k];
    }
    if (r->front_rule)
        for (size_t p = 0; p < r->n_rule_params; p++)
            c[j++].num = r->front_rule[i * r->n_rule_params + p];
    if (!r->front_doses && !r->front_rule)
        for (size_t q = 0; q < r->genome_length; q++)
            c[j++].num = r->front_genomes[i * r->genome_length + q];
}

static int export_front(const rg_results *r, rg_table **out)
{
    colbuf b = {0};
    int rc = col_add(&b, "%s", "member", 0, 0);
    rc |= front_cols(&b, r);
    rg_table *t = table_from(&b, rc);
    if (!t)
        return RG_ENOMEM;
    for (size_t i = 0; i < r->front_size; i++) {
        rg_cell *c = rg_table_add_row(t);
        if (!c) {
            rg_table_free(t);
            return RG_ENOMEM;
        }
        c[0].num = (double)i;
        front_row(c + 1, r, i);
    }
    *out = t;
    return RG_OK;
}

static int export_history(const rg_results *r, rg_table **out)
{
    colbuf b = {0};
    int rc = col_add(&b, "%s", "generation", 0, 0);
    rc |= col_add(&b, "%s", "evaluations", 0, 0);
    rc |= col_add(&b, "%s", "hypervolume", 0, 0);
    rc |= col_add(&b, "%s", "feasible_fraction", 0, 0);
    for (size_t m = 0; m < r->n_obj; m++)
        rc |= col_add(&b, "best_%s", r->objective_names[m], 0, 0);
    rg_table *t = table_from(&b, rc);
    if (!t)
        return RG_ENOMEM;
    size_t N = r->population, M = r->n_obj;
    for (size_t g = 0; g < r->n_history; g++) {
        rg_cell *c = rg_table_add_row(t);
        if (!c) {
            rg_table_free(t);
            return RG_ENOMEM;
        }
        c[0].num = (double)r->history_generation[g];
        c[1].num = (double)r->history_evaluations[g];
        c[2].num = r->hypervolume[g];
        size_t feas = 0;
        for (size_t i = 0; i < N; i++)
            feas += r->history_violation[g * N + i] == 0.0;
        c[3].num = N ? (double)feas / (double)N : 0.0;
        for (size_t m = 0; m < M; m++) {
            long best = rg_results_best(r->history_objectives + g * N * M, N, M, m,
                                        r->maximised, r->history_violation + g * N, NULL);
            c[4 + m].num =
                best < 0 ? NAN : r->history_objectives[(g * N + (size_t)best) * M + m];
        }
    }
    *out = t;
    return RG_OK;
}

/* Cells of a row's outcome: its objectives (objective_cells), violation, feasible, flags.
 * Returns how many cells were written. */
static size_t outcome_cells(rg_cell *c, const rg_results *r, const double *obj, double viol,
                            uint32_t flags)
{
    size_t j = objective_cells(c, r, obj, flags);
    c[j++].num = viol;
    c[j++].num = rg_results_feasible(viol, flags);
    c[j++].num = flags;
    return j;
}

static int outcome_cols(colbuf *b, const rg_results *r)
{
    int rc = objective_cols(b, r);
    rc |= col_add(b, "%s", "violation", 0, 0);
    rc |= col_add(b, "%s", "feasible", 0, 0);
    rc |= col_add(b, "%s", "flags", 0, 0);
    return rc;
}

static int export_regimens(const rg_results *r, rg_table **out)
{
    colbuf b = {0};
    int rc = col_add(&b, "%s", "regimen", 0, 0);
    rc |= outcome_cols(&b, r);
    rg_table *t = table_from(&b, rc);
    if (!t)
        return RG_ENOMEM;
    for (size_t i = 0; i < r->n_regimens; i++) {
        rg_cell *c = rg_table_add_row(t);
        if (!c || rg_cell_set_text(&c[0], r->regimen_names[i]) != RG_OK) {
            rg_table_free(t);
            return RG_ENOMEM;
        }
        outcome_cells(c + 1, r, r->regimen_objectives + i * r->n_obj, r->regimen_violation[i],
                      r->regimen_flags[i]);
    }
    *out = t;
    return RG_OK;
}

/* Rows of one set of the per-patient table: run i, patient j. */
static int cohort_rows(rg_table *t, const rg_results *r, size_t n, int regimens,
                       const double *obj, const double *viol, const uint32_t *flags)
{
    size_t P = r->n_patients, M = r->n_obj;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < P; j++) {
            char source[RG_NAME_MAX + 16];
            if (regimens)
                snprintf(source, sizeof source, "regimen:%s", r->regimen_names[i]);
            else
                snprintf(source, sizeof source, "member:%zu", i);
            rg_cell *c = rg_table_add_row(t);
            if (!c || rg_cell_set_text(&c[0], source) != RG_OK ||
                rg_cell_set_text(&c[1], r->patient_names[j]) != RG_OK)
                return RG_ENOMEM;
            size_t q = i * P + j;
            outcome_cells(c + 2, r, obj + q * M, viol[q], flags[q]);
        }
    return RG_OK;
}

int rg_export_cohort(const rg_results *r, rg_table **out)
{
    colbuf b = {0};
    int rc = col_add(&b, "%s", "source", 0, 0);
    rc |= col_add(&b, "%s", "patient", 0, 0);
    rc |= outcome_cols(&b, r);
    rg_table *t = table_from(&b, rc);
    if (!t)
        return RG_ENOMEM;
    if (cohort_rows(t, r, r->front_size, 0, r->patient_front_objectives,
                    r->patient_front_violation, r->patient_front_flags) ||
        cohort_rows(t, r, r->n_regimens, 1, r->patient_regimen_objectives,
                    r->patient_regimen_violation, r->patient_regimen_flags)) {
        rg_table_free(t);
        return RG_ENOMEM;
    }
    *out = t;
    return RG_OK;
}

int rg_export_table(const rg_results *r, rg_export_what what, const char *file, rg_table **out,
                    rg_diag *diag)
{
    *out = NULL;
    switch (what) {
    case RG_EXPORT_FRONT: return export_front(r, out);
    case RG_EXPORT_HISTORY: return export_history(r, out);
    case RG_EXPORT_REGIMENS: return export_regimens(r, out);
    case RG_EXPORT_TRAJECTORIES:
        if (r->n_visits == 0 || (r->traj_front.n == 0 && r->traj_regimens.n == 0)) {
            if (diag)
                rg_diag_add(diag, "%s: holds no trajectories (a benchmark problem?)", file);
            return RG_EINVAL;
        }
        return rg_export_trajectories(r, out);
    case RG_EXPORT_CALENDAR: return rg_export_calendar(r, file, out, diag);
    case RG_EXPORT_COHORT:
        if (r->n_patients == 0) {
            if (diag)
                rg_diag_add(diag, "%s: holds no cohort (its problem has no cohort group)",
                            file);
            return RG_EINVAL;
        }
        return rg_export_cohort(r, out);
    case RG_EXPORT_KM: return rg_export_km(r, file, out, diag);
    }
    return RG_EINVAL;
}

/* ---- merge ---- */

/* a dominates b in the minimised form of every objective */
static bool dominates(const double *a, const double *b, size_t M, const bool maxi[])
{
    bool better = false;
    for (size_t m = 0; m < M; m++) {
        double x = maxi[m] ? -a[m] : a[m], y = maxi[m] ? -b[m] : b[m];
        if (x > y)
            return false;
        if (x < y)
            better = true;
    }
    return better;
}

int rg_export_merge(const rg_results *const rs[], const char *const files[], size_t n,
                    rg_table **out, rg_diag *diag)
{
    *out = NULL;
    if (n == 0)
        return RG_EINVAL;
    const rg_results *r0 = rs[0];
    char h0[17], hi[17];
    rg_results_text_hash(r0->problem_text, h0);
    for (size_t k = 1; k < n; k++) {
        const rg_results *r = rs[k];
        rg_results_text_hash(r->problem_text, hi);
        bool same = !strcmp(h0, hi) && r->n_obj == r0->n_obj && r->encoding == r0->encoding &&
                    r->genome_length == r0->genome_length;
        for (size_t m = 0; same && m < r0->n_obj; m++)
            same = !strcmp(r->objective_names[m], r0->objective_names[m]);
        if (!same) {
            if (diag)
                rg_diag_add(diag,
                            "%s: holds a different problem ('%s', text hash %s) from %s "
                            "('%s', text hash %s); only fronts of one problem can be merged",
                            files[k], r->problem_name, hi, files[0], r0->problem_name, h0);
            return RG_EINVAL;
        }
    }
    size_t M = r0->n_obj, total = 0;
    for (size_t k = 0; k < n; k++)
        total += rs[k]->front_size;
    size_t *src = malloc((total ? total : 1) * sizeof *src);
    size_t *row = malloc((total ? total : 1) * sizeof *row);
    bool *keep = malloc((total ? total : 1) * sizeof *keep);
    colbuf b = {0};
    int rc = RG_OK;
    rg_table *t = NULL;
    if (!src || !row || !keep) {
        rc = RG_ENOMEM;
        goto done;
    }
    size_t c = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rs[k]->front_size; i++) {
            src[c] = k;
            row[c] = i;
            keep[c] = rg_results_feasible(rs[k]->front_violation[i], rs[k]->front_flags[i]);
            c++;
        }
    for (size_t a = 0; a < total; a++) {
        if (!keep[a])
            continue;
        const double *oa = rs[src[a]]->front_objectives + row[a] * M;
        for (size_t q = 0; q < total && keep[a]; q++) {
            if (q == a || !rg_results_feasible(rs[src[q]]->front_violation[row[q]],
                                               rs[src[q]]->front_flags[row[q]]))
                continue;
            if (dominates(rs[src[q]]->front_objectives + row[q] * M, oa, M, r0->maximised))
                keep[a] = false;
        }
    }
    rc = col_add(&b, "%s", "source", 0, 0);
    rc |= col_add(&b, "%s", "member", 0, 0);
    rc |= front_cols(&b, r0);
    t = table_from(&b, rc ? RG_ENOMEM : RG_OK);
    if (!t) {
        rc = RG_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < total; a++) {
        if (!keep[a])
            continue;
        rg_cell *cell = rg_table_add_row(t);
        if (!cell || rg_cell_set_text(&cell[0], files[src[a]])) {
            rc = RG_ENOMEM;
            goto done;
        }
        cell[1].num = (double)row[a];
        front_row(cell + 2, rs[src[a]], row[a]);
    }
    rc = RG_OK;
done:
    free(src);
    free(row);
    free(keep);
    if (rc != RG_OK) {
        rg_table_free(t);
        return rc;
    }
    *out = t;
    return RG_OK;
}
