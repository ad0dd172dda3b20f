/* The report's convergence figures: per recorded generation, the hypervolume of the
 * population's feasible first front and of the archive (the run's front, when the file
 * records it), and the size of the population's first front (its feasible members that no
 * other feasible member dominates, rg_fair_dominates), with a table of the same numbers. */
#include <math.h>
#include <stdlib.h>

#include "htmlreport_internal.h"
#include "regimen/fair.h"

enum { W = 680, H = 300, LEFT = 80, RIGHT = 600, TOP = 20, BOTTOM = 250 };

/* The feasible members of history row g that no feasible member of the row dominates. */
static size_t front_size(const rg_results *r, size_t g)
{
    size_t N = r->population, M = r->n_obj, n = 0;
    const double *o = r->history_objectives + g * N * M;
    const double *v = r->history_violation + g * N;
    for (size_t i = 0; i < N; i++) {
        if (v[i] != 0.0)
            continue;
        bool dominated = false;
        for (size_t j = 0; j < N && !dominated; j++)
            dominated = j != i && v[j] == 0.0 && rg_fair_dominates(r, o + j * M, o + i * M);
        n += !dominated;
    }
    return n;
}

static void polyline(FILE *f, const char *cls, const rg_hr_scale *sx, const rg_hr_scale *sy,
                     const rg_results *r, const double y[])
{
    fprintf(f, "<path class=\"%s\" d=\"", cls);
    bool pen = false;
    for (size_t g = 0; g < r->n_history; g++) {
        if (!isfinite(y[g])) {
            pen = false;
            continue;
        }
        fprintf(f, "%s%.1f %.1f", pen ? "L" : "M",
                rg_hr_map(sx, (double)r->history_generation[g]), rg_hr_map(sy, y[g]));
        pen = true;
    }
    fputs("\"/>\n", f);
}

static void figure(FILE *f, const rg_results *r, const char *id, const char *title,
                   const char *desc, const char *ytitle, const double a[], const double b[])
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t g = 0; g < r->n_history; g++) {
        if (isfinite(a[g])) {
            lo = fmin(lo, a[g]);
            hi = fmax(hi, a[g]);
        }
        if (b && isfinite(b[g])) {
            lo = fmin(lo, b[g]);
            hi = fmax(hi, b[g]);
        }
    }
    rg_hr_pad(&lo, &hi);
    double g1 = (double)r->history_generation[r->n_history - 1];
    rg_hr_scale sx = {0.0, g1 > 0.0 ? g1 : 1.0, LEFT, RIGHT, false};
    rg_hr_scale sy = {lo, hi, BOTTOM, TOP, false};
    fprintf(f,
            "<figure><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t %s-d\">"
            "<title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>\n",
            W, H, id, id, id, title, id, desc);
    rg_hr_axes(f, &sx, &sy, "generation", ytitle);
    polyline(f, "hv", &sx, &sy, r, a);
    if (b)
        polyline(f, "hva", &sx, &sy, r, b);
    fputs("</svg></figure>\n", f);
}

int rg_hr_convergence(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    fputs("<section id=\"convergence\"><h2>Convergence</h2>\n", f);
    if (r->n_history == 0) {
        fputs("<p>The file records no generation.</p></section>\n", f);
        return RG_OK;
    }
    double *size = malloc(r->n_history * sizeof *size);
    if (!size)
        return RG_ENOMEM;
    bool archive = false;
    for (size_t g = 0; g < r->n_history; g++) {
        /* a record without the populations (a reader that left them in the file) has no
         * front sizes to draw: NaN leaves gaps, not zeros */
        size[g] =
            r->history_objectives && r->history_violation ? (double)front_size(r, g) : NAN;
        archive |= r->archive_hypervolume && isfinite(r->archive_hypervolume[g]);
    }
    fputs("<p>Hypervolume (the volume of objective space the front dominates up to the "
          "reference point; larger is better) per recorded generation",
          f);
    fputs(archive ? ": the population's (solid) and the archive's, the run's front "
                    "(dashed, always at least the population's).</p>\n"
                  : ".</p>\n",
          f);
    figure(f, r, "hv", "Hypervolume per generation",
           archive ? "Solid line: the population's first front. Dashed line: the archive."
                   : "The population's first front.",
           "hypervolume", r->hypervolume, archive ? r->archive_hypervolume : NULL);
    figure(f, r, "fs", "Size of the population's first front per generation",
           "Feasible members of the population that no other feasible member dominates.",
           "members on the first front", size, NULL);
    fputs("<details><summary>The same numbers as a table</summary><table><thead><tr>"
          "<th scope=\"col\">generation</th><th scope=\"col\">evaluations</th>"
          "<th scope=\"col\">hypervolume</th><th scope=\"col\">archive hypervolume</th>"
          "<th scope=\"col\">first front size</th></tr></thead><tbody>\n",
          f);
    char b1[40], b2[40], b3[40];
    for (size_t g = 0; g < r->n_history; g++)
        fprintf(f, "<tr><td>%llu</td><td>%llu</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                (unsigned long long)r->history_generation[g],
                (unsigned long long)r->history_evaluations[g], rg_hr_num(b1, r->hypervolume[g]),
                archive ? rg_hr_num(b2, r->archive_hypervolume[g]) : "-",
                rg_hr_num(b3, size[g]));
    fputs("</tbody></table></details></section>\n", f);
    free(size);
    return RG_OK;
}
