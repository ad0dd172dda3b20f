/* The report's survival figure for a cohort run: the Kaplan-Meier curve of the times to
 * progression over the patients (rg_km_curve, as `regimen compare --km`) of each standard
 * regimen, numbered as on the front, with the selection's curve (a member's or a regimen's)
 * drawn over them by the script (the scale is in the figure's data attributes). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "htmlreport_internal.h"
#include "regimen/cohort_stats.h"
#include "regimen/eval_result.h"

enum { W = 680, H = 400, LEFT = 80, RIGHT = 600, TOP = 20, BOTTOM = 350 };

long rg_hr_km_curve(const rg_results *r, bool regimen, size_t i, double t[], double s[])
{
    size_t P = r->n_patients, M = r->n_obj;
    long m = rg_hr_objective(r, "ttp");
    if (P == 0 || m < 0)
        return 0;
    const double *obj = regimen ? r->patient_regimen_objectives : r->patient_front_objectives;
    const uint32_t *fl = regimen ? r->patient_regimen_flags : r->patient_front_flags;
    if (!obj || !fl)
        return 0;
    double *ttp = malloc(P * sizeof *ttp);
    bool *prog = malloc(P * sizeof *prog);
    size_t *order = malloc(P * sizeof *order), *risk = malloc((P + 1) * sizeof *risk),
           *ev = malloc((P + 1) * sizeof *ev);
    long n = -1;
    if (ttp && prog && order && risk && ev) {
        for (size_t q = 0; q < P; q++) {
            ttp[q] = obj[(i * P + q) * M + (size_t)m];
            prog[q] = !(fl[i * P + q] & RG_RES_CENSORED);
        }
        n = (long)rg_km_curve(P, ttp, prog, order, t, s, risk, ev);
    }
    free(ttp);
    free(prog);
    free(order);
    free(risk);
    free(ev);
    return n;
}

/* The step path of a curve of n rows, continued flat to the right edge. */
static void step_path(FILE *f, const rg_hr_scale *sx, const rg_hr_scale *sy, const double t[],
                      const double s[], long n)
{
    fprintf(f, "M%.1f %.1f", rg_hr_map(sx, 0.0), rg_hr_map(sy, 1.0));
    for (long q = 1; q < n; q++)
        fprintf(f, "H%.1fV%.1f", rg_hr_map(sx, t[q]), rg_hr_map(sy, s[q]));
    fprintf(f, "H%.1f", sx->p1);
}

int rg_hr_km(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t P = r->n_patients, R = r->n_regimens;
    if (P == 0 || rg_hr_objective(r, "ttp") < 0)
        return RG_OK;
    double horizon = r->n_visits ? r->traj_t[r->n_visits - 1] : 0.0;
    for (size_t q = 0; q < P * (R + r->front_size); q++) {
        size_t m = (size_t)rg_hr_objective(r, "ttp");
        double v = q < P * R ? r->patient_regimen_objectives[q * r->n_obj + m]
                             : r->patient_front_objectives[(q - P * R) * r->n_obj + m];
        if (isfinite(v))
            horizon = fmax(horizon, v);
    }
    if (!(horizon > 0.0))
        horizon = 1.0;
    rg_hr_scale sx = {0.0, horizon, LEFT, RIGHT, false}, sy = {0.0, 1.0, BOTTOM, TOP, false};
    double *t = malloc((P + 1) * sizeof *t), *s = malloc((P + 1) * sizeof *s);
    double *end = malloc((R + 1) * sizeof *end);
    if (!t || !s || !end) {
        free(t);
        free(s);
        free(end);
        return RG_ENOMEM;
    }
    fprintf(
        f,
        "<section id=\"survival\"><h2>Survival over the cohort</h2>\n<p>Kaplan-Meier "
        "estimates of the fraction of the %zu patients free of progression, for each "
        "standard regimen (grey, numbered as on the front) and the selected member or regimen "
        "(thick line). A table of the median times is below the figure.</p>\n",
        P);
    fprintf(f,
            "<figure><svg id=\"km\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"km-t "
            "km-d\" data-x0=\"0\" data-x1=\"%.6g\" data-px0=\"%d\" data-px1=\"%d\" "
            "data-py0=\"%d\" data-py1=\"%d\"><title id=\"km-t\">Progression-free fraction of "
            "the cohort against time</title><desc id=\"km-d\">One step curve per standard "
            "regimen, labelled with its number, and one for the selection.</desc>\n",
            W, H, horizon, LEFT, RIGHT, BOTTOM, TOP);
    rg_hr_axes(f, &sx, &sy, "days", "progression-free fraction");
    int rc = RG_OK;
    for (size_t i = 0; i < R; i++) {
        long n = rg_hr_km_curve(r, true, i, t, s);
        if (n < 0) {
            rc = RG_ENOMEM;
            break;
        }
        fprintf(f, "<path class=\"kmr k%zu\" d=\"", i % 4);
        step_path(f, &sx, &sy, t, s, n);
        fputs("\"><title>", f);
        rg_hr_text(f, r->regimen_names[i]);
        fputs("</title></path>\n", f);
        end[i] = n > 0 ? s[n - 1] : 1.0;
    }
    /* the numbers at the right end, stacked so that none covers another */
    double last = -1e9;
    for (size_t done = 0; rc == RG_OK && done < R; done++) {
        size_t best = R; /* the next label from the bottom up */
        for (size_t i = 0; i < R; i++)
            if (end[i] >= 0.0 && (best == R || end[i] < end[best]))
                best = i;
        double y = rg_hr_map(&sy, end[best]);
        if (last > -1e9 && y > last - 11.0)
            y = last - 11.0;
        last = y;
        fprintf(f, "<text class=\"rl\" x=\"%d\" y=\"%.1f\">%zu</text>", RIGHT + 4, y + 4.0,
                best + 1);
        end[best] = -1.0;
    }
    fputs("\n<g id=\"km-member\"></g></svg></figure>\n", f);
    fputs("<table><caption>The curves in numbers</caption><thead><tr><th scope=\"col\">"
          "regimen</th><th scope=\"col\">median time to progression (days)</th>"
          "<th scope=\"col\">progression-free at the end</th></tr></thead><tbody>\n",
          f);
    for (size_t i = 0; rc == RG_OK && i < R; i++) {
        long n = rg_hr_km_curve(r, true, i, t, s);
        char b[40];
        fprintf(f, "<tr><td>%zu ", i + 1);
        rg_hr_text(f, r->regimen_names[i]);
        fputs("</td><td>", f);
        long q = 0;
        while (q < n && s[q] > 0.5)
            q++;
        fputs(q < n ? rg_hr_num(b, t[q]) : "not reached", f);
        fprintf(f, "</td><td>%s</td></tr>\n", rg_hr_num(b, n > 0 ? s[n - 1] : 1.0));
    }
    fputs("</tbody></table>\n", f);
    free(t);
    free(s);
    free(end);
    fputs("</section>\n", f);
    return rc;
}
