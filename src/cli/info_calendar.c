/* `regimen info`'s calendar of a front member: the rows of the calendar export
 * (rg_export_calendar: the doses its re-simulation delivered) grouped by day. */
#include "info_calendar.h"

#include "regimen/export.h"

int rg_info_print_calendar(FILE *f, const rg_results *r, size_t i)
{
    rg_table *t = NULL;
    if (!r->front_doses)
        return RG_OK;
    int rc = rg_export_calendar(r, "", &t, NULL);
    if (rc != RG_OK)
        return rc;
    fprintf(f, "  member %zu (day: drug fraction of MTD):", i);
    double day = -1.0;
    size_t n = 0;
    for (size_t q = 0; q < t->n_rows; q++) {
        const rg_cell *c = t->cells + q * t->n_cols;
        if ((size_t)c[0].num != i)
            continue;
        if (c[1].num != day) {
            day = c[1].num;
            fprintf(f, "\n    day %4g:", day);
        }
        fprintf(f, " %s %g", c[2].text, c[3].num);
        if (c[4].num > 0.0)
            fprintf(f, " for %g days", c[4].num);
        n++;
    }
    fprintf(f, n ? "\n" : " no dose delivered\n");
    rg_table_free(t);
    return RG_OK;
}
