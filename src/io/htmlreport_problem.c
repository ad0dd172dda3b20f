/* The report's first section: where the run came from (the command, seed, version, ranks,
 * times: the results file's provenance) and what it optimised (the problem's clones, drugs,
 * mechanisms, constraints and progression rule, and its whole text). */
#include <math.h>
#include <string.h>

#include "htmlreport_internal.h"

static const char *encoding_name(rg_encoding_kind e)
{
    return e == RG_ENC_SCHEDULE        ? "schedule"
           : e == RG_ENC_ADAPTIVE_RULE ? "adaptive_rule"
                                       : "benchmark";
}

/* <tr><th>key</th><td>text</td></tr> */
static void row(FILE *f, const char *key, const char *text)
{
    fprintf(f, "<tr><th scope=\"row\">%s</th><td>", key);
    rg_hr_text(f, text);
    fputs("</td></tr>\n", f);
}

static void provenance(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    char b[512];
    fputs("<table class=\"kv\"><caption>The run</caption>\n", f);
    row(f, "results file", pg->source);
    row(f, "command", r->command_line ? r->command_line : "");
    snprintf(b, sizeof b, "%lu", r->seed);
    row(f, "seed", b);
    snprintf(b, sizeof b, "regimen %s on %d MPI rank%s", r->version, r->n_ranks,
             r->n_ranks == 1 ? "" : "s");
    row(f, "program", b);
    snprintf(b, sizeof b, "%s to %s", r->start_time, r->end_time);
    row(f, "time (UTC)", b);
    if (r->encoding == RG_ENC_SCHEDULE && r->n_drugs)
        snprintf(b, sizeof b, "schedule: %zu drug%s x %zu intervals of %g days, %zu genes",
                 r->n_drugs, r->n_drugs == 1 ? "" : "s", r->n_intervals, r->decision_days,
                 r->genome_length);
    else
        snprintf(b, sizeof b, "%s, %zu genes", encoding_name(r->encoding), r->genome_length);
    row(f, "encoding", b);
    snprintf(b, sizeof b, "%zu generations of %zu, %llu evaluations", r->generations,
             r->population, (unsigned long long)r->evaluations);
    row(f, "optimisation", b);
    size_t n = 0;
    b[0] = '\0';
    for (size_t m = 0; m < r->n_obj; m++)
        n +=
            (size_t)snprintf(b + n, n < sizeof b ? sizeof b - n : 0, "%s%s (%s)", m ? ", " : "",
                             r->objective_names[m], r->maximised[m] ? "max" : "min");
    row(f, "objectives", b);
    if (r->n_patients) {
        snprintf(b, sizeof b, "%zu patients; objectives are statistics over them",
                 r->n_patients);
        row(f, "cohort", b);
    }
    fputs("</table>\n", f);
}

static void clones(FILE *f, const rg_problem *p)
{
    char b[40];
    fputs("<table><caption>Clones</caption><thead><tr><th scope=\"col\">clone</th>"
          "<th scope=\"col\">cells at day 0</th><th scope=\"col\">growth rate (1/day)</th>"
          "<th scope=\"col\">resistant</th><th scope=\"col\">mechanisms</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < p->n_clones; i++) {
        const rg_clone *c = &p->clones[i];
        fputs("<tr><td>", f);
        rg_hr_text(f, c->name);
        fprintf(f, "</td><td>%s</td>", rg_hr_num(b, c->cells));
        fprintf(f, "<td>%s</td><td>%s</td><td>", rg_hr_num(b, c->growth_rate),
                c->resistant ? "yes" : "no");
        bool any = false;
        for (size_t m = 0; m < p->n_mechs; m++)
            if (c->carries[m]) {
                fputs(any ? ", " : "", f);
                rg_hr_text(f, p->mechs[m].name);
                fprintf(f, " (fold %s)", rg_hr_num(b, c->fold[m]));
                any = true;
            }
        fputs(any ? "</td></tr>\n" : "none</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void drugs(FILE *f, const rg_problem *p)
{
    char b[40];
    fputs("<table><caption>Drugs</caption><thead><tr><th scope=\"col\">drug</th>"
          "<th scope=\"col\">administration</th><th scope=\"col\">half-life (days)</th>"
          "<th scope=\"col\">maximum cumulative dose</th></tr></thead><tbody>\n",
          f);
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *g = &p->drugs[d];
        fputs("<tr><td>", f);
        rg_hr_text(f, g->name);
        if (g->administration == RG_ADMIN_BOLUS)
            fprintf(f, "</td><td>bolus every %s days</td>",
                    rg_hr_num(b, g->dosing_interval_days));
        else
            fputs("</td><td>continuous</td>", f);
        fprintf(f, "<td>%s</td>", rg_hr_num(b, g->half_life_days));
        if (g->max_cumulative_dose < 0)
            fputs("<td>no limit</td></tr>\n", f);
        else
            fprintf(f, "<td>%s %s</td></tr>\n", rg_hr_num(b, g->max_cumulative_dose),
                    g->administration == RG_ADMIN_BOLUS ? "MTD boluses" : "MTD-days");
    }
    fputs("</tbody></table>\n", f);
}

static void mechanisms(FILE *f, const rg_problem *p)
{
    if (p->n_mechs == 0)
        return;
    fputs("<table><caption>Resistance mechanisms</caption><thead><tr><th scope=\"col\">"
          "mechanism</th><th scope=\"col\">kind</th><th scope=\"col\">acts on</th></tr>"
          "</thead><tbody>\n",
          f);
    for (size_t m = 0; m < p->n_mechs; m++) {
        const rg_mechanism *k = &p->mechs[m];
        fputs("<tr><td>", f);
        rg_hr_text(f, k->name);
        fputs("</td><td>", f);
        rg_hr_text(f, rg_mech_kind_name(k->kind));
        fputs("</td><td>", f);
        bool any = false;
        for (size_t d = 0; d < p->n_drugs; d++)
            if (k->affects[d]) {
                fputs(any ? ", " : "", f);
                rg_hr_text(f, p->drugs[d].name);
                any = true;
            }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void constraints(FILE *f, const rg_problem *p)
{
    char b[40], b2[40]; /* two numbers in one call: two buffers */
    fputs("<ul class=\"constraints\">", f);
    if (p->max_daily_toxicity >= 0)
        fprintf(f, "<li>daily toxicity at most %s</li>", rg_hr_num(b, p->max_daily_toxicity));
    if (p->anc_min >= 0)
        fprintf(f, "<li>neutrophils at least %s &#215; 10<sup>9</sup>/L</li>",
                rg_hr_num(b, p->anc_min));
    for (size_t d = 0; d < p->n_drugs; d++)
        if (p->drugs[d].max_cumulative_dose >= 0) {
            fputs("<li>cumulative ", f);
            rg_hr_text(f, p->drugs[d].name);
            fprintf(f, " at most %s</li>", rg_hr_num(b, p->drugs[d].max_cumulative_dose));
        }
    fprintf(f,
            "<li>progression: burden at least %s &#215; the %s burden and at least %s "
            "cells</li></ul>\n",
            rg_hr_num(b, p->progression_factor),
            p->progression_reference == RG_REF_NADIR ? "nadir (lowest so far)" : "initial",
            rg_hr_num(b2, p->progression_min_cells));
}

int rg_hr_problem(const rg_hr_page *pg)
{
    FILE *f = pg->f;
    const rg_problem *p = pg->p;
    fputs("<section id=\"problem\"><h2>The problem and the run</h2>\n", f);
    provenance(pg);
    if (!p) {
        fputs("<p>The problem text stored in the results file no longer loads here (a cohort "
              "table beside the original file, say): the model is not described and the "
              "progression threshold is not drawn.</p>\n",
              f);
    } else if (p->bench.kind != RG_BENCH_NONE || p->n_clones == 0) {
        fputs("<p>A benchmark problem: no tumour model.</p>\n", f);
    } else {
        clones(f, p);
        drugs(f, p);
        mechanisms(f, p);
        fputs("<h3>Constraints</h3>\n", f);
        constraints(f, p);
    }
    fputs("<details><summary>The problem file as the run read it</summary><pre>", f);
    rg_hr_text(f, pg->r->problem_text ? pg->r->problem_text : "");
    fputs("</pre></details></section>\n", f);
    return RG_OK;
}
