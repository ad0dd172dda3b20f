/* Progress lines and front CSV of the optimiser (report.h). */
#include "regimen/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "isort.h"
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

void rg_report_progress(FILE *f, const rg_problem *p, const rg_nsga2 *g, double evals_per_s)
{
    size_t n = rg_nsga2_population(g), m = rg_nsga2_n_objectives(g), feas = 0, nh;
    const rg_eval_result *res = rg_nsga2_results(g);
    const double *hv = rg_nsga2_hv_history(g, &nh);
    double best[RG_MAX_OBJ];
    bool censored[RG_MAX_OBJ] = {false}; /* the best value is a censored TTP */
    for (size_t i = 0; i < n; i++) {
        if (!(res[i].violation <= 0.0))
            continue;
        for (size_t j = 0; j < m; j++) {
            bool cen = (res[i].flags & RG_RES_CENSORED) != 0;
            if (!feas || res[i].fitness[j] < best[j])
                censored[j] = cen;
            else if (res[i].fitness[j] == best[j])
                censored[j] = censored[j] || cen;
            best[j] = feas ? fmin(best[j], res[i].fitness[j]) : res[i].fitness[j];
        }
        feas++;
    }
    fprintf(f, "gen %zu evals %zu evals/s %.4g hv %.10g feasible %.3f", rg_nsga2_generation(g),
            rg_nsga2_evaluations(g), evals_per_s, nh ? hv[nh - 1] : 0.0,
            (double)feas / (double)n);
    if (feas) {
        fprintf(f, " best");
        for (size_t j = 0; j < m; j++)
            fprintf(f, " %s=%s%.6g", obj_name(p, j), is_ttp(p, j) && censored[j] ? ">" : "",
                    rg_report_natural(p, j, best[j]));
    }
    fprintf(f, "\n");
    fflush(f);
}

typedef struct {
    const rg_eval_result *res;
    size_t m;
} fit_ctx;

static int cmp_fit(size_t a, size_t b, const void *vctx)
{
    const fit_ctx *c = vctx;
    for (size_t j = 0; j < c->m; j++) {
        double x = c->res[a].fitness[j], y = c->res[b].fitness[j];
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
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
              rg_encoding_decode_schedule(enc, genome, dl->levels, why, sizeof why) == RG_OK &&
              rg_policy_init_schedule(&pol, p, enc->n_drugs, enc->drugs, dl->levels) == RG_OK &&
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
    size_t n = rg_nsga2_population(g), m = rg_nsga2_n_objectives(g);
    size_t len = rg_nsga2_genome_length(g);
    const rg_eval_result *res = rg_nsga2_results(g);
    const double *gen = rg_nsga2_genomes(g);
    size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    delivery dl;
    if (!idx || !tmp || delivery_init(&dl, p, enc) != RG_OK) {
        free(idx);
        free(tmp);
        return RG_ENOMEM;
    }
    size_t k = rg_nsga2_front(g, idx);
    fit_ctx c = {res, m};
    rg_isort(idx, k, cmp_fit, &c, tmp);

    char buf[512];
    for (size_t j = 0; j < m; j++)
        fprintf(f, is_ttp(p, j) ? "%s,ttp_censored," : "%s,", obj_name(p, j));
    fprintf(f, "violation,flags");
    size_t nc = rg_encoding_n_columns(enc);
    for (size_t col = 0; col < nc; col++) {
        rg_encoding_column_name(enc, p, col, buf, sizeof buf);
        fprintf(f, ",%s", buf);
    }
    fprintf(f, "\n");
    for (size_t t = 0; t < k; t++) {
        size_t i = idx[t];
        /* identical genomes have identical fitness, so they sit next to each other */
        bool dup = false;
        for (size_t u = t; u-- > 0 && !dup && cmp_fit(idx[u], i, &c) == 0;)
            dup = !memcmp(gen + idx[u] * len, gen + i * len, len * sizeof(double));
        if (dup)
            continue;
        for (size_t j = 0; j < m; j++) {
            fprintf(f, "%.17g,", res[i].value[j]);
            if (is_ttp(p, j))
                fprintf(f, "%d,", (res[i].flags & RG_RES_CENSORED) ? 1 : 0);
        }
        fprintf(f, "%.17g,%u", res[i].violation, res[i].flags);
        delivery_run(&dl, p, enc, gen + i * len);
        for (size_t col = 0; col < nc; col++) {
            column_text(&dl, enc, p, gen + i * len, col, buf, sizeof buf);
            fprintf(f, ",%s", buf);
        }
        fprintf(f, "\n");
    }
    free(idx);
    free(tmp);
    delivery_free(&dl);
    return ferror(f) ? RG_EIO : RG_OK;
}
