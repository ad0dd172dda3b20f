/* Progress lines and front CSV of the optimiser (report.h). */
#include "regimen/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/policy.h"
#include "regimen/sim.h"

static bool maximised(const rg_problem *p, size_t j)
{
    return p->bench.kind == RG_BENCH_NONE && j < p->optimize.n_objectives &&
           rg_objective_maximised(p->optimize.objectives[j]);
}

static const char *obj_name(const rg_problem *p, size_t j)
{
    if (j < p->optimize.n_objectives)
        return rg_objective_name(p->optimize.objectives[j]);
    return rg_objective_name(RG_OBJ_BENCH_F1 + (int)j);
}

/* Objective j is the time to progression, which a run can censor at the horizon
 * (RG_RES_CENSORED): the front CSV follows it with ttp_censored, the progress line marks it. */
static bool is_ttp(const rg_problem *p, size_t j)
{
    return p->bench.kind == RG_BENCH_NONE && j < p->optimize.n_objectives &&
           p->optimize.objectives[j] == RG_OBJ_TTP;
}

double rg_report_natural(const rg_problem *p, size_t j, double fitness)
{
    return maximised(p, j) ? -fitness : fitness;
}

void rg_report_reference(FILE *f, const rg_problem *p, const rg_nsga2 *g)
{
    const double *ref = rg_nsga2_reference(g);
    fprintf(f, "reference point (%s):", rg_reference_rule_name(rg_nsga2_reference_rule(g)));
    for (size_t j = 0; j < rg_nsga2_n_objectives(g); j++)
        fprintf(f, " %s=%.6g", obj_name(p, j), rg_report_natural(p, j, ref[j]));
    fprintf(f, "\n");
}

void rg_report_duration(double s, char *buf, size_t cap)
{
    if (!(s >= 0.0) || s > 1e12) {
        snprintf(buf, cap, "-");
        return;
    }
    unsigned long long t = (unsigned long long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, cap, "%llu:%02llu:%02llu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%llu:%02llu", t / 60, t % 60);
}

void rg_report_progress(FILE *f, const rg_problem *p, const rg_nsga2 *g, const rg_progress *pr)
{
    const rg_archive *a = rg_nsga2_archive(g);
    const rg_eval_result *res = rg_archive_results(a);
    size_t n = rg_archive_size(a), nh, best = 0;
    const double *hv = rg_nsga2_archive_hv_history(g, &nh);
    /* one objective of one member: the best first objective in the archive */
    for (size_t i = 1; i < n; i++)
        if (res[i].fitness[0] < res[best].fitness[0])
            best = i;
    char el[32], eta[32];
    rg_report_duration(pr->elapsed_s, el, sizeof el);
    rg_report_duration(pr->eta_s, eta, sizeof eta);
    char rate[32];
    if (isfinite(pr->evals_per_s))
        snprintf(rate, sizeof rate, "%.0f", pr->evals_per_s);
    else
        snprintf(rate, sizeof rate, "-");
    fprintf(f, "gen %zu/%zu  evals %zu  %s evals/s  elapsed %s  eta %s  hv %.6g  front %zu",
            rg_nsga2_generation(g), pr->generations, rg_nsga2_evaluations(g), rate, el, eta,
            nh ? hv[nh - 1] : 0.0, n);
    if (n)
        fprintf(f, "  best %s %s%.6g", obj_name(p, 0),
                is_ttp(p, 0) && (res[best].flags & RG_RES_CENSORED) ? ">" : "",
                rg_report_natural(p, 0, res[best].fitness[0]));
    fprintf(f, "\n");
    fflush(f);
}

/* The doses a schedule member of a tumour problem delivers: its re-simulation's trajectory
 * levels (a bolus drug only where its bolus is given, nothing after the end of treatment). */
typedef struct {
    bool on;  /* a schedule of a tumour problem */
    bool ran; /* the last member simulated */
    rg_sim_workspace *w;
    rg_trajectory tr;
    double *levels;
} delivery;

static void delivery_free(delivery *dl)
{
    rg_sim_free(dl->w);
    rg_trajectory_free(&dl->tr);
    free(dl->levels);
}

static int delivery_init(delivery *dl, const rg_problem *p, const rg_encoding *enc)
{
    memset(dl, 0, sizeof *dl);
    if (enc->kind != RG_ENC_SCHEDULE || p->n_clones == 0)
        return RG_OK;
    dl->on = true;
    dl->w = rg_sim_alloc(p);
    dl->levels = malloc(enc->n_drugs * enc->n_intervals * sizeof *dl->levels);
    if (!dl->w || !dl->levels || rg_trajectory_alloc(&dl->tr, p) != RG_OK) {
        delivery_free(dl);
        return RG_ENOMEM;
    }
    return RG_OK;
}

static void delivery_run(delivery *dl, const rg_problem *p, const rg_encoding *enc,
                         const double genome[])
{
    char why[RG_REASON_MAX];
    rg_policy pol;
    rg_dosing dose = rg_policy_dosing(&pol);
    rg_sim_summary sum;
    dl->ran = dl->on &&
              rg_encoding_policy(enc, p, genome, dl->levels, &pol, why, sizeof why) == RG_OK &&
              rg_sim_run(dl->w, p, &dose, NULL, &sum, &dl->tr) == RG_OK;
}

/* Column c of a member: the delivered dose of gene c, or the encoding's own text. */
static void column_text(const delivery *dl, const rg_encoding *enc, const rg_problem *p,
                        const double genome[], size_t c, char *buf, size_t size)
{
    if (!dl->on) {
        rg_encoding_column_text(enc, p, genome, c, buf, size);
        return;
    }
    size_t j, k = rg_encoding_gene_interval(enc, c, &j);
    if (dl->ran)
        snprintf(buf, size, "%.17g",
                 dl->tr.levels[(size_t)enc->drugs[j] * dl->tr.n_intervals + k]);
    else
        snprintf(buf, size, "nan");
}

int rg_report_front_csv(FILE *f, const rg_problem *p, const rg_encoding *enc, const rg_nsga2 *g)
{
    size_t m = rg_nsga2_n_objectives(g), len = rg_nsga2_genome_length(g);
    const rg_archive *a = rg_nsga2_archive(g);
    const rg_eval_result *res = rg_archive_results(a);
    const double *gen = rg_archive_genomes(a);
    size_t k = rg_archive_size(a);
    delivery dl;
    if (delivery_init(&dl, p, enc) != RG_OK)
        return RG_ENOMEM;
    char buf[512];
    fprintf(f, "member,");
    for (size_t j = 0; j < m; j++)
        fprintf(f, is_ttp(p, j) ? "%s,ttp_censored," : "%s,", obj_name(p, j));
    fprintf(f, "violation,feasible,flags");
    size_t nc = rg_encoding_n_columns(enc);
    for (size_t col = 0; col < nc; col++) {
        rg_encoding_column_name(enc, p, col, buf, sizeof buf);
        fprintf(f, ",%s", buf);
    }
    fprintf(f, "\n");
    for (size_t i = 0; i < k; i++) {
        fprintf(f, "%zu,", i);
        for (size_t j = 0; j < m; j++) {
            fprintf(f, "%.17g,", res[i].value[j]);
            if (is_ttp(p, j))
                fprintf(f, "%d,", (res[i].flags & RG_RES_CENSORED) ? 1 : 0);
        }
        fprintf(f, "%.17g,%d,%u", res[i].violation,
                rg_eval_result_feasible(res[i].violation, res[i].flags) ? 1 : 0, res[i].flags);
        delivery_run(&dl, p, enc, gen + i * len);
        for (size_t col = 0; col < nc; col++) {
            column_text(&dl, enc, p, gen + i * len, col, buf, sizeof buf);
            fprintf(f, ",%s", buf);
        }
        fprintf(f, "\n");
    }
    delivery_free(&dl);
    return ferror(f) ? RG_EIO : RG_OK;
}
