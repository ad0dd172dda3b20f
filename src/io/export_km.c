/* The km table of a cohort run (export.h): the Kaplan-Meier progression-free curve of every
 * front member and standard regimen over the patients, from the per-patient TTPs and their
 * censoring flags stored in /cohort. The curve is rg_km_curve's, as `regimen compare --km`
 * and the report draw it, so the rows of a standard regimen are compare's rows for it on the
 * same problem; runs are labelled as in the cohort table (member:N, regimen:NAME), so the
 * two tables join on `source`. */
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "regimen/cohort_stats.h"
#include "regimen/eval_result.h"

/* Scratch for one curve of P patients. */
typedef struct {
    double *ttp, *t, *s;
    bool *prog;
    size_t *order, *risk, *ev;
} km_buf;

static void buf_free(km_buf *b)
{
    free(b->ttp);
    free(b->t);
    free(b->s);
    free(b->prog);
    free(b->order);
    free(b->risk);
    free(b->ev);
}

static int buf_alloc(km_buf *b, size_t P)
{
    memset(b, 0, sizeof *b);
    b->ttp = malloc(P * sizeof *b->ttp);
    b->t = malloc((P + 1) * sizeof *b->t);
    b->s = malloc((P + 1) * sizeof *b->s);
    b->prog = malloc(P * sizeof *b->prog);
    b->order = malloc(P * sizeof *b->order);
    b->risk = malloc((P + 1) * sizeof *b->risk);
    b->ev = malloc((P + 1) * sizeof *b->ev);
    if (b->ttp && b->t && b->s && b->prog && b->order && b->risk && b->ev)
        return RG_OK;
    buf_free(b);
    return RG_ENOMEM;
}

/* The rows of runs 0..n-1 of one set (the front, or the regimens): obj and flags are that
 * set's per-patient records, m the ttp objective's column. */
static int km_rows(rg_table *t, const rg_results *r, size_t n, int regimens, const double *obj,
                   const uint32_t *flags, size_t m, km_buf *b)
{
    size_t P = r->n_patients, M = r->n_obj;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < P; j++) {
            b->ttp[j] = obj[(i * P + j) * M + m];
            /* a TTP is censored exactly when the run did not progress (objectives.c) */
            b->prog[j] = !(flags[i * P + j] & RG_RES_CENSORED);
        }
        size_t rows = rg_km_curve(P, b->ttp, b->prog, b->order, b->t, b->s, b->risk, b->ev);
        char source[RG_NAME_MAX + 16];
        if (regimens)
            snprintf(source, sizeof source, "regimen:%s", r->regimen_names[i]);
        else
            snprintf(source, sizeof source, "member:%zu", i);
        for (size_t k = 0; k < rows; k++) {
            rg_cell *c = rg_table_add_row(t);
            if (!c || rg_cell_set_text(&c[0], source) != RG_OK)
                return RG_ENOMEM;
            c[1].num = b->t[k];
            c[2].num = b->s[k];
            c[3].num = (double)b->risk[k];
            c[4].num = (double)b->ev[k];
        }
    }
    return RG_OK;
}

int rg_export_km(const rg_results *r, const char *file, rg_table **out, rg_diag *diag)
{
    *out = NULL;
    size_t m = r->n_obj;
    for (size_t q = 0; q < r->n_obj; q++)
        if (!strcmp(r->objective_names[q], "ttp"))
            m = q;
    if (r->n_patients == 0 || m == r->n_obj) {
        if (diag)
            rg_diag_add(diag,
                        r->n_patients == 0
                            ? "%s: holds no cohort (its problem has no cohort group)"
                            : "%s: holds no per-patient TTP (ttp is not an objective of its "
                              "problem), so it has no Kaplan-Meier curves",
                        file);
        return RG_EINVAL;
    }
    static const char *const cols[] = {"source", "t", "survival", "at_risk", "events"};
    rg_table *t = rg_table_alloc(5, cols);
    km_buf b;
    int rc = t ? buf_alloc(&b, r->n_patients) : RG_ENOMEM;
    if (rc != RG_OK) {
        rg_table_free(t);
        return rc;
    }
    rc = km_rows(t, r, r->front_size, 0, r->patient_front_objectives, r->patient_front_flags, m,
                 &b);
    if (rc == RG_OK)
        rc = km_rows(t, r, r->n_regimens, 1, r->patient_regimen_objectives,
                     r->patient_regimen_flags, m, &b);
    buf_free(&b);
    if (rc != RG_OK) {
        rg_table_free(t);
        return rc;
    }
    *out = t;
    return RG_OK;
}
