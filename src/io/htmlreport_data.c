/* The data the report's script draws from, as one JSON object in a
 * <script type="application/json" id="data"> block: the objectives, the drugs and the visit
 * times, the progression rule, and per front member and per standard regimen its objectives,
 * feasibility, dose calendar, burden and resistant curves (100 log10 cells rounded to an
 * integer: a 1.2% step, half a pixel where a decade is 80 pixels, for half the bytes of
 * full precision) and, for a cohort, its Kaplan-Meier curve. Strings escape <, > and &
 * so that the block can neither end early nor upset an XML parser. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "htmlreport_internal.h"
#include "regimen/eval_result.h"
#include "regimen/fair.h"

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == '<' || c == '>' || c == '&')
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* v with prec significant digits, null when not finite */
static void jnum(FILE *f, double v, int prec)
{
    if (isfinite(v))
        fprintf(f, "%.*g", prec, v);
    else
        fputs("null", f);
}

/* 100 log10(v) to the nearest integer, null for v <= 0 or not finite */
static void jlog(FILE *f, double v)
{
    if (isfinite(v) && v > 0.0)
        fprintf(f, "%.0f", 100.0 * log10(v));
    else
        fputs("null", f);
}

/* The drugs of the calendars: every drug of the trajectories when the file has their
 * levels, else the optimised drugs. */
static bool all_drugs(const rg_results *r)
{
    return r->n_drugs_all > 0 && r->n_traj_intervals > 0;
}

/* Run i's calendar: [drug][interval] fraction of MTD, from the trajectory's levels, else
 * (members) the delivered doses of the front. */
static void calendar(FILE *f, const rg_results *r, const rg_traj_set *s, bool member, size_t i)
{
    bool all = all_drugs(r);
    size_t D = all ? r->n_drugs_all : r->n_drugs,
           K = all ? r->n_traj_intervals : r->n_intervals;
    const double *lv = NULL;
    if (all && s->levels && i < s->n)
        lv = s->levels + i * D * K;
    else if (!all && member && r->front_doses)
        lv = r->front_doses + i * D * K;
    if (!lv) {
        fputs("null", f);
        return;
    }
    fputc('[', f);
    for (size_t d = 0; d < D; d++) {
        fputs(d ? ",[" : "[", f);
        for (size_t k = 0; k < K; k++) {
            if (k)
                fputc(',', f);
            double v = lv[d * K + k];
            if (v == 0.0)
                fputc('0', f);
            else
                jnum(f, v, 4);
        }
        fputc(']', f);
    }
    fputc(']', f);
}

static void curve(FILE *f, const char *key, const double *v, size_t n)
{
    fprintf(f, ",\"%s\":", key);
    if (!v) {
        fputs("null", f);
        return;
    }
    fputc('[', f);
    for (size_t q = 0; q < n; q++) {
        if (q)
            fputc(',', f);
        jlog(f, v[q]);
    }
    fputc(']', f);
}

/* One run: objectives, censoring, feasibility, violation, calendar, curves, KM. */
static int run(const rg_hr_page *pg, bool regimen, size_t i, double kt[], double ks[])
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t M = r->n_obj, V = r->n_visits;
    const double *o = (regimen ? r->regimen_objectives : r->front_objectives) + i * M;
    double viol = regimen ? r->regimen_violation[i] : r->front_violation[i];
    uint32_t flags = regimen ? r->regimen_flags[i] : r->front_flags[i];
    const rg_traj_set *s = regimen ? &r->traj_regimens : &r->traj_front;
    fputc('{', f);
    if (regimen) {
        fputs("\"name\":", f);
        jstr(f, r->regimen_names[i]);
        fprintf(f, ",\"dom\":%ld,", rg_fair_dominator(r, i));
    }
    fputs("\"o\":[", f);
    for (size_t m = 0; m < M; m++) {
        if (m)
            fputc(',', f);
        jnum(f, o[m], 10);
    }
    fprintf(f, "],\"c\":%s,\"f\":%s,\"v\":", (flags & RG_RES_CENSORED) ? "true" : "false",
            rg_results_feasible(viol, flags) ? "true" : "false");
    jnum(f, viol, 6);
    fputs(",\"cal\":", f);
    calendar(f, r, s, !regimen, i);
    bool traj = i < s->n && V > 0;
    curve(f, "b", traj ? s->burden + i * V : NULL, V);
    curve(f, "r", traj ? s->resistant + i * V : NULL, V);
    fputs(",\"te\":", f);
    jnum(f, traj ? s->t_end[i] : NAN, 6);
    if (r->n_patients) {
        long n = rg_hr_km_curve(r, regimen, i, kt, ks);
        if (n < 0)
            return RG_ENOMEM;
        fputs(",\"km\":[[", f);
        for (long q = 0; q < n; q++) {
            fputs(q ? "," : "", f);
            jnum(f, kt[q], 6);
        }
        fputs("],[", f);
        for (long q = 0; q < n; q++) {
            fputs(q ? "," : "", f);
            jnum(f, ks[q], 6);
        }
        fputs("]]", f);
    }
    fputs("}", f);
    return RG_OK;
}

static void header(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    const rg_problem *p = pg->p;
    FILE *f = pg->f;
    fputs("{\"obj\":[", f);
    for (size_t m = 0; m < r->n_obj; m++) {
        fputs(m ? ",{\"name\":" : "{\"name\":", f);
        jstr(f, r->objective_names[m]);
        fprintf(f, ",\"max\":%s,\"unit\":", r->maximised[m] ? "true" : "false");
        jstr(f, rg_results_objective_units(r->objective_names[m]));
        fputc('}', f);
    }
    fputs("],\"drugs\":[", f);
    bool all = all_drugs(r);
    size_t D = all ? r->n_drugs_all : r->n_drugs;
    for (size_t d = 0; d < D; d++) {
        fputs(d ? "," : "", f);
        jstr(f, all ? r->drug_names_all[d] : r->drug_names[d]);
    }
    fputs("],\"dd\":", f);
    jnum(f, r->decision_days, 10);
    fputs(",\"t\":[", f);
    for (size_t v = 0; v < r->n_visits && r->traj_t; v++) {
        fputs(v ? "," : "", f);
        jnum(f, r->traj_t[v], 8);
    }
    fputs("],\"prog\":", f);
    if (p && p->n_clones > 0) {
        fprintf(f, "{\"nadir\":%s,\"factor\":",
                p->progression_reference == RG_REF_NADIR ? "true" : "false");
        jnum(f, p->progression_factor, 10);
        fputs(",\"min\":", f);
        jnum(f, p->progression_min_cells, 10);
        fputs(",\"b0\":", f);
        jnum(f, rg_problem_initial_burden(p), 10);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fprintf(f, ",\"refs\":[%ld,%ld]", rg_hr_reference(pg, 0), rg_hr_reference(pg, 1));
}

int rg_hr_data(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t n = r->n_patients + 1;
    double *kt = malloc(n * sizeof *kt), *ks = malloc(n * sizeof *ks);
    int rc = kt && ks ? RG_OK : RG_ENOMEM;
    fputs("<script type=\"application/json\" id=\"data\">", f);
    header(pg);
    fputs(",\n\"members\":[", f);
    for (size_t i = 0; rc == RG_OK && i < r->front_size; i++) {
        fputs(i ? ",\n" : "", f);
        rc = run(pg, false, i, kt, ks);
    }
    fputs("],\n\"regimens\":[", f);
    for (size_t i = 0; rc == RG_OK && i < r->n_regimens; i++) {
        fputs(i ? ",\n" : "", f);
        rc = run(pg, true, i, kt, ks);
    }
    fputs("]}</script>\n", f);
    free(kt);
    free(ks);
    return rc;
}
