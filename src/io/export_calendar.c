/* The front's delivered doses as a long-format calendar (export.h, RG_EXPORT_CALENDAR): one
 * row per dose a member's re-simulation delivered, in the order of days, then drugs. */
#include <math.h>
#include <stdio.h>

#include "regimen/export.h"

static const char *const calendar_cols[] = {"member", "day", "drug", "fraction",
                                            "duration_days"};

/* A continuous dose runs on while the level stays the same: the number of intervals from k
 * on at row[k]. */
static size_t run_length(const double row[], size_t K, size_t k)
{
    size_t n = 1;
    while (k + n < K && row[k + n] == row[k])
        n++;
    return n;
}

int rg_export_calendar(const rg_results *r, const char *file, rg_table **out, rg_diag *diag)
{
    *out = NULL;
    if (!r->front_doses || r->n_drugs == 0 || r->n_intervals == 0) {
        if (diag)
            rg_diag_add(diag, "%s: holds no delivered doses (a benchmark, or an empty front)",
                        file);
        return RG_EINVAL;
    }
    rg_table *t = rg_table_alloc(5, calendar_cols);
    if (!t)
        return RG_ENOMEM;
    size_t D = r->n_drugs, K = r->n_intervals;
    for (size_t i = 0; i < r->front_size; i++)
        for (size_t k = 0; k < K; k++)
            for (size_t d = 0; d < D; d++) {
                const double *row = r->front_doses + (i * D + d) * K;
                bool bolus = r->bolus_days[d] > 0.0;
                if (!(row[k] > 0.0) || !isfinite(row[k]))
                    continue;
                if (!bolus && k > 0 && row[k - 1] == row[k])
                    continue; /* inside a run written at its first interval */
                rg_cell *c = rg_table_add_row(t);
                if (!c || rg_cell_set_text(&c[2], r->drug_names[d]) != RG_OK) {
                    rg_table_free(t);
                    return RG_ENOMEM;
                }
                c[0].num = (double)i;
                c[1].num = (double)k * r->decision_days;
                c[3].num = row[k];
                c[4].num = bolus ? 0.0 : (double)run_length(row, K, k) * r->decision_days;
            }
    *out = t;
    return RG_OK;
}
