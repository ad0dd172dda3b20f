/* The trajectory tables (export.h): one layout for `regimen simulate --csv`, `regimen compare
 * --trajectories` and `regimen export --what trajectories`, so that a plotting script reads
 * any of them (docs/results-format.md, "Exports"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "regimen/export.h"

rg_table *rg_traj_table_alloc(size_t n_clones, const char *const clone_names[], size_t n_drugs,
                              const char *const drug_names[], bool with_anc)
{
    size_t n = 5 + n_clones + 2 * n_drugs + (with_anc ? 1 : 0);
    char **names = calloc(n, sizeof *names);
    rg_table *t = NULL;
    if (!names)
        return NULL;
    static const char *const head[5] = {"source", "t", "on_protocol", "burden", "resistant"};
    size_t j = 0, bytes = RG_NAME_MAX + 8;
    for (; j < 5; j++)
        names[j] = strdup(head[j]);
    for (size_t c = 0; c < n_clones; c++, j++)
        if ((names[j] = malloc(bytes)))
            snprintf(names[j], bytes, "clone_%s", clone_names[c]);
    for (size_t d = 0; d < n_drugs; d++, j++)
        if ((names[j] = malloc(bytes)))
            snprintf(names[j], bytes, "conc_%s", drug_names[d]);
    for (size_t d = 0; d < n_drugs; d++, j++)
        if ((names[j] = malloc(bytes)))
            snprintf(names[j], bytes, "dose_%s", drug_names[d]);
    if (with_anc)
        names[j++] = strdup("anc");
    bool ok = true;
    for (size_t q = 0; q < n; q++)
        ok = ok && names[q];
    if (ok)
        t = rg_table_alloc(n, (const char *const *)names);
    for (size_t q = 0; q < n; q++)
        free(names[q]);
    free(names);
    return t;
}

int rg_traj_table_add(rg_table *t, const char *source, const rg_traj_view *v)
{
    size_t V = v->n_visits, K = v->n_intervals;
    size_t rows = v->n_rows && v->n_rows < V ? v->n_rows : V;
    for (size_t q = 0; q < rows; q++) {
        rg_cell *c = rg_table_add_row(t);
        if (!c || rg_cell_set_text(&c[0], source))
            return RG_ENOMEM;
        size_t j = 1;
        double tq = v->t[q];
        c[j++].num = tq;
        /* 1 up to the end of the evaluation, 0 after it (docs/model.md section 8) */
        c[j++].num = isnan(v->t_end) ? NAN : (tq <= v->t_end ? 1.0 : 0.0);
        c[j++].num = v->burden[q];
        c[j++].num = v->resistant[q];
        for (size_t i = 0; i < v->n_clones; i++)
            c[j++].num = v->clones[i * V + q];
        for (size_t d = 0; d < v->n_drugs; d++)
            c[j++].num = v->conc[d * V + q];
        /* the level of the interval that starts at or holds t (the last one at t = H) */
        size_t k = (size_t)floor(tq / v->decision_days + 1e-9);
        if (K > 0 && k >= K)
            k = K - 1;
        for (size_t d = 0; d < v->n_drugs; d++)
            c[j++].num = v->levels && K > 0 ? v->levels[d * K + k] : NAN;
        if (j < t->n_cols)
            c[j++].num = v->anc ? v->anc[q] : NAN;
    }
    return RG_OK;
}

rg_table *rg_traj_table_for(const rg_problem *p)
{
    const char *clones[RG_MAX_CLONES], *drugs[RG_MAX_DRUGS];
    for (size_t i = 0; i < p->n_clones; i++)
        clones[i] = p->clones[i].name;
    for (size_t d = 0; d < p->n_drugs; d++)
        drugs[d] = p->drugs[d].name;
    return rg_traj_table_alloc(p->n_clones, clones, p->n_drugs, drugs, p->neutrophils);
}

rg_traj_view rg_traj_view_of_run(const rg_problem *p, const rg_trajectory *tr, size_t n_rows)
{
    /* the arrays are laid out with the run's n_visits as stride: the view keeps it, and the
     * table reads only the first n_rows rows */
    rg_traj_view v = {.n_visits = tr->n_visits,
                      .n_intervals = tr->n_intervals,
                      .n_clones = p->n_clones,
                      .n_drugs = p->n_drugs,
                      .decision_days = p->decision_days,
                      .t_end = tr->t_end,
                      .t = tr->t,
                      .burden = tr->burden,
                      .resistant = tr->resistant,
                      .clones = tr->clones,
                      .conc = tr->conc,
                      .levels = tr->levels,
                      .anc = p->neutrophils ? tr->anc : NULL,
                      .n_rows = n_rows};
    return v;
}

int rg_traj_write_csv(FILE *f, const rg_problem *p, const char *source, const rg_trajectory *tr,
                      size_t n_rows)
{
    rg_table *t = rg_traj_table_for(p);
    if (!t)
        return RG_ENOMEM;
    rg_traj_view v = rg_traj_view_of_run(p, tr, n_rows);
    int rc = rg_traj_table_add(t, source, &v);
    if (rc == RG_OK)
        rc = rg_table_write_csv(t, f);
    rg_table_free(t);
    return rc;
}

/* The runs of a set into the trajectory table, labelled member:N or
 * regimen:NAME. */
static int traj_rows(rg_table *t, const rg_results *r, const rg_traj_set *s, int regimens)
{
    size_t V = r->n_visits, C = r->n_clones, D = r->n_drugs_all, K = r->n_traj_intervals;
    for (size_t i = 0; i < s->n; i++) {
        char source[RG_NAME_MAX + 16];
        if (regimens)
            snprintf(source, sizeof source, "regimen:%s", r->regimen_names[i]);
        else
            snprintf(source, sizeof source, "member:%zu", i);
        rg_traj_view v = {.n_visits = V,
                          .n_intervals = s->levels ? K : 0,
                          .n_clones = C,
                          .n_drugs = D,
                          .decision_days = r->decision_days,
                          .t_end = s->t_end ? s->t_end[i] : NAN,
                          .t = r->traj_t,
                          .burden = s->burden + i * V,
                          .resistant = s->resistant + i * V,
                          .clones = s->clones + i * C * V,
                          .conc = s->conc + i * D * V,
                          .levels = s->levels ? s->levels + i * D * K : NULL,
                          .anc = s->anc ? s->anc + i * V : NULL};
        if (rg_traj_table_add(t, source, &v) != RG_OK)
            return RG_ENOMEM;
    }
    return RG_OK;
}

int rg_export_trajectories(const rg_results *r, rg_table **out)
{
    const char *clones[RG_MAX_CLONES], *drugs[RG_MAX_DRUGS];
    for (size_t k = 0; k < r->n_clones; k++)
        clones[k] = r->clone_names[k];
    for (size_t d = 0; d < r->n_drugs_all; d++)
        drugs[d] = r->drug_names_all[d];
    rg_table *t = rg_traj_table_alloc(r->n_clones, clones, r->n_drugs_all, drugs, r->traj_anc);
    if (!t)
        return RG_ENOMEM;
    if (traj_rows(t, r, &r->traj_front, 0) || traj_rows(t, r, &r->traj_regimens, 1)) {
        rg_table_free(t);
        return RG_ENOMEM;
    }
    *out = t;
    return RG_OK;
}
