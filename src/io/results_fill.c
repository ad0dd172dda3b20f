/* Standard regimens and trajectories for a results file: the model is run once more for
 * each regimen and each front member, with the per-visit trajectory kept (recorder.h). On a
 * cohort problem the trajectories are the nominal patient's, and a regimen's objectives are
 * its statistics over the patients, as the front's are (docs/model.md section 13). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/cohort_stats.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/recorder.h"
#include "regimen/sim.h"

/* Copies one run's trajectory into row i of a set. */
static void keep(rg_traj_set *s, size_t i, const rg_trajectory *tr, size_t V, size_t C,
                 size_t D)
{
    size_t K = tr->n_intervals;
    memcpy(s->burden + i * V, tr->burden, V * sizeof(double));
    memcpy(s->resistant + i * V, tr->resistant, V * sizeof(double));
    memcpy(s->clones + i * C * V, tr->clones, C * V * sizeof(double));
    memcpy(s->conc + i * D * V, tr->conc, D * V * sizeof(double));
    memcpy(s->levels + i * D * K, tr->levels, D * K * sizeof(double));
    if (s->anc)
        memcpy(s->anc + i * V, tr->anc, V * sizeof(double));
    s->t_end[i] = tr->t_end;
}

/* Row i of front_doses: the doses the trajectory's run delivered to the optimised drugs
 * (tr->levels: 0 where a bolus drug has no bolus and after the end of treatment), NaN when
 * the member could not be simulated (tr NULL). */
static void delivered(rg_results *r, const rg_encoding *enc, size_t i, const rg_trajectory *tr)
{
    if (!r->front_doses || r->n_drugs != enc->n_drugs)
        return;
    size_t K = r->n_intervals;
    for (size_t j = 0; j < enc->n_drugs; j++)
        for (size_t k = 0; k < K; k++)
            r->front_doses[(i * enc->n_drugs + j) * K + k] =
                tr ? tr->levels[(size_t)enc->drugs[j] * tr->n_intervals + k] : NAN;
}

static void blank(rg_traj_set *s, size_t i, size_t V, size_t C, size_t D, size_t K)
{
    for (size_t v = 0; v < V; v++) {
        s->burden[i * V + v] = s->resistant[i * V + v] = NAN;
        if (s->anc)
            s->anc[i * V + v] = NAN;
    }
    for (size_t q = 0; q < D * K; q++)
        s->levels[i * D * K + q] = NAN;
    for (size_t q = 0; q < C * V; q++)
        s->clones[i * C * V + q] = NAN;
    for (size_t q = 0; q < D * V; q++)
        s->conc[i * D * V + q] = NAN;
    s->t_end[i] = NAN;
}

/* Buffers of a cohort's evaluations: n patients' summaries and records, and scratch. */
typedef struct {
    size_t n;
    rg_sim_summary *sums;
    rg_eval_result *per;
    double *scratch;
} cohort_bufs;

static int cohort_bufs_alloc(cohort_bufs *b, const rg_problem *p)
{
    memset(b, 0, sizeof *b);
    if (!p->cohort)
        return RG_OK;
    b->n = p->cohort->n_patients;
    b->sums = malloc(b->n * sizeof *b->sums);
    b->per = malloc(b->n * sizeof *b->per);
    b->scratch = malloc(3 * b->n * sizeof *b->scratch);
    return b->sums && b->per && b->scratch ? RG_OK : RG_ENOMEM;
}

static void cohort_bufs_free(cohort_bufs *b)
{
    free(b->sums);
    free(b->per);
    free(b->scratch);
}

/* Row i of a per-patient table: b's records, or failed ones when the run could not be done. */
static void keep_patients(const cohort_bufs *b, size_t M, bool ok, size_t i, double obj[],
                          double viol[], uint32_t flags[])
{
    for (size_t j = 0; j < b->n; j++) {
        rg_eval_result e = b->per[j];
        if (!ok)
            rg_eval_result_fail(&e, M, RG_RES_FAILED, "could not be simulated");
        for (size_t m = 0; m < M; m++)
            obj[(i * b->n + j) * M + m] = ok ? e.value[m] : NAN;
        viol[i * b->n + j] = e.violation;
        flags[i * b->n + j] = e.flags;
    }
}

/* The policy of front member x (decoded schedule or rule) into *pol; levels: scratch of the
 * encoding's drugs x intervals. RG_OK, or RG_EINVAL for a genome that does not decode. */
static int member_policy(rg_policy *pol, const rg_problem *p, const rg_encoding *enc,
                         const double x[], double levels[])
{
    char reason[RG_REASON_MAX];
    return rg_encoding_policy(enc, p, x, levels, pol, reason, sizeof reason);
}

int rg_results_fill_model(rg_results *r, const rg_problem *p, const rg_encoding *enc,
                          rg_diag *diag)
{
    if (p->bench.kind != RG_BENCH_NONE || enc->kind == RG_ENC_BENCHMARK) {
        r->n_visits = 0;
        return rg_results_alloc_regimens(r, 0);
    }
    size_t V = rg_problem_n_visits(p), C = p->n_clones, D = p->n_drugs, M = r->n_obj;
    size_t K = rg_problem_n_intervals(p);
    r->n_visits = V;
    r->n_clones = C;
    r->n_drugs_all = D;
    for (size_t i = 0; i < C; i++)
        snprintf(r->clone_names[i], RG_NAME_MAX, "%s", p->clones[i].name);
    for (size_t d = 0; d < D; d++)
        snprintf(r->drug_names_all[d], RG_NAME_MAX, "%s", p->drugs[d].name);
    r->n_traj_intervals = rg_problem_n_intervals(p);
    r->traj_anc = p->neutrophils;
    int rc = rg_results_alloc_regimens(r, p->n_regimens);
    if (rc == RG_OK)
        rc = rg_results_alloc_trajectories(r, r->front_size, p->n_regimens);
    cohort_bufs cb = {0};
    if (rc == RG_OK)
        rc = cohort_bufs_alloc(&cb, p);
    if (rc == RG_OK && p->cohort) {
        rc = rg_results_alloc_patients(r, cb.n);
        for (size_t j = 0; rc == RG_OK && j < cb.n; j++)
            snprintf(r->patient_names[j], RG_NAME_MAX, "%s", p->cohort->names[j]);
    }
    if (rc != RG_OK) {
        rg_diag_add(diag, "out of memory for trajectories");
        cohort_bufs_free(&cb);
        return rc;
    }
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_trajectory tr;
    memset(&tr, 0, sizeof tr);
    size_t cells = enc->n_drugs * K;
    double *levels = malloc((cells > 0 ? cells : 1) * sizeof *levels);
    if (!w || !levels || rg_trajectory_alloc(&tr, p) != RG_OK) {
        rg_diag_add(diag, "out of memory for the model workspace");
        rc = RG_ENOMEM;
        goto done;
    }
    bool have_t = false;
    for (size_t i = 0; i < p->n_regimens; i++) {
        snprintf(r->regimen_names[i], RG_NAME_MAX, "%s", p->regimens[i].name);
        rg_policy pol;
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary sum;
        rg_eval_result res;
        memset(&res, 0, sizeof res);
        int prc = rg_policy_init_regimen(&pol, p, &p->regimens[i]);
        if (prc == RG_OK)
            prc = rg_sim_run(w, p, &dose, NULL, &sum, &tr);
        if (prc == RG_OK && p->cohort) {
            prc = rg_cohort_eval_regimen(p, i, w, cb.sums, cb.per, cb.scratch, &res);
            keep_patients(&cb, M, prc == RG_OK, i, r->patient_regimen_objectives,
                          r->patient_regimen_violation, r->patient_regimen_flags);
        } else if (prc == RG_OK) {
            prc = rg_objectives_compute(p, &sum, &res);
        }
        if (prc != RG_OK) {
            rg_eval_result_fail(&res, M, RG_RES_FAILED, "the regimen could not be simulated");
            blank(&r->traj_regimens, i, V, C, D, K);
        } else {
            keep(&r->traj_regimens, i, &tr, V, C, D);
            if (!have_t) {
                memcpy(r->traj_t, tr.t, V * sizeof(double));
                have_t = true;
            }
        }
        for (size_t m = 0; m < M; m++)
            r->regimen_objectives[i * M + m] = res.value[m];
        r->regimen_violation[i] = res.violation;
        r->regimen_flags[i] = res.flags;
    }
    for (size_t i = 0; i < r->front_size; i++) {
        const double *x = r->front_genomes + i * r->genome_length;
        rg_policy pol;
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary sum;
        int prc = member_policy(&pol, p, enc, x, levels);
        if (prc == RG_OK)
            prc = rg_sim_run(w, p, &dose, NULL, &sum, &tr);
        if (p->cohort) { /* every patient, after the nominal patient's trajectory */
            int crc = prc == RG_OK ? member_policy(&pol, p, enc, x, levels) : prc;
            if (crc == RG_OK)
                crc = rg_cohort_eval_patients(p, &dose, w, NULL, cb.sums, cb.per);
            keep_patients(&cb, M, crc == RG_OK, i, r->patient_front_objectives,
                          r->patient_front_violation, r->patient_front_flags);
        }
        if (prc != RG_OK) {
            blank(&r->traj_front, i, V, C, D, K);
            delivered(r, enc, i, NULL);
            continue;
        }
        keep(&r->traj_front, i, &tr, V, C, D);
        delivered(r, enc, i, &tr);
        if (!have_t) {
            memcpy(r->traj_t, tr.t, V * sizeof(double));
            have_t = true;
        }
    }
    if (!have_t)
        for (size_t v = 0; v < V; v++)
            r->traj_t[v] = p->visit_days * (double)v;
    rc = RG_OK;
done:
    rg_trajectory_free(&tr);
    free(levels);
    rg_sim_free(w);
    cohort_bufs_free(&cb);
    return rc;
}

int rg_results_fill_front(rg_results *r, const rg_problem *p, const rg_encoding *enc, size_t n,
                          const double genomes[], const rg_eval_result res[], rg_diag *diag)
{
    size_t L = r->genome_length, M = r->n_obj;
    int rc = rg_results_alloc_front(r, n);
    for (size_t i = 0; rc == RG_OK && i < n; i++) {
        const double *x = genomes + i * L;
        memcpy(r->front_genomes + i * L, x, L * sizeof(double));
        for (size_t m = 0; m < M; m++)
            r->front_objectives[i * M + m] = res[i].value[m];
        r->front_violation[i] = res[i].violation;
        r->front_flags[i] = res[i].flags;
        /* a schedule's front_doses are the delivered doses: rg_results_fill_model */
        if (enc && enc->kind == RG_ENC_ADAPTIVE_RULE && r->front_rule) {
            double v[RG_RULE_NPARAM_BASE + RG_MAX_DRUGS];
            rg_encoding_rule_values(enc, x, v);
            memcpy(r->front_rule + i * r->n_rule_params, v, r->n_rule_params * sizeof *v);
        }
    }
    if (rc == RG_OK && p && enc)
        return rg_results_fill_model(r, p, enc, diag);
    /* not simulated: no delivered dose or rule is known */
    size_t nd = r->front_doses ? n * r->n_drugs * r->n_intervals : 0;
    for (size_t q = 0; q < nd; q++)
        r->front_doses[q] = NAN;
    size_t nr = r->front_rule && !enc ? n * r->n_rule_params : 0;
    for (size_t q = 0; q < nr; q++)
        r->front_rule[q] = NAN;
    return rc;
}
