/* Tumour evaluation: genome -> policy (schedule levels or adaptive-rule parameters) ->
 * kernel run (rg_sim_run) -> objectives and constraints (rg_objectives_compute). On a
 * cohort problem the policy runs on every patient in the cohort's order and the records are
 * combined by rg_cohort_combine (docs/model.md section 13). A cohort genome's evaluation is
 * made of parts, one per patient (rg_tumour_eval_parts), which the farm may run on several
 * workers in blocks and hands back in patient order to rg_tumour_eval_combine; a whole
 * evaluation goes through the same two functions, so a result never depends on how the
 * patients were split. The workspace and the decode and per-patient buffers are allocated
 * once per evaluator; an evaluation allocates nothing. A genome that cannot be decoded, or
 * that the policy rejects, gives an infeasible result flagged RG_RES_BADGENOME with its
 * reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate_internal.h"
#include "regimen/cohort_stats.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/sim.h"

struct rg_tumour_eval {
    const rg_problem *p;
    const rg_encoding *enc;
    rg_sim_workspace *ws;
    double *levels; /* schedule: decoded levels, n_drugs * n_intervals (encoding.h) */
    rg_policy pol;
    /* cohort problems: one summary and record per patient, statistics scratch (3 n) */
    size_t n_patients;
    rg_sim_summary *sums;
    rg_eval_result *per;
    double *scratch;
    rg_tumour_part *parts; /* a whole evaluation's parts */
};

rg_tumour_eval *rg_tumour_eval_alloc(const rg_problem *p, const rg_encoding *enc, rg_diag *diag)
{
    if (enc->kind != RG_ENC_SCHEDULE && enc->kind != RG_ENC_ADAPTIVE_RULE) {
        rg_diag_add(diag, "optimize.encoding: a tumour problem needs \"schedule\" or "
                          "\"adaptive_rule\"");
        return NULL;
    }
    for (size_t j = 0; j < p->optimize.n_objectives; j++)
        if (p->optimize.objectives[j] < 0 || p->optimize.objectives[j] >= RG_OBJ_NKINDS) {
            rg_diag_add(diag,
                        "optimize.objectives: objective %zu is not a tumour-model "
                        "objective",
                        j);
            return NULL;
        }
    rg_tumour_eval *t = calloc(1, sizeof *t);
    if (!t)
        goto oom;
    t->p = p;
    t->enc = enc;
    t->ws = rg_sim_alloc(p);
    size_t cells = enc->n_drugs * enc->n_intervals;
    t->levels = malloc((cells > enc->length ? cells : enc->length) * sizeof *t->levels);
    if (!t->ws || !t->levels)
        goto oom;
    if (p->cohort) {
        size_t n = t->n_patients = p->cohort->n_patients;
        t->sums = malloc(n * sizeof *t->sums);
        t->per = malloc(n * sizeof *t->per);
        t->scratch = malloc(3 * n * sizeof *t->scratch);
        t->parts = malloc(n * sizeof *t->parts);
        if (!t->sums || !t->per || !t->scratch || !t->parts)
            goto oom;
    }
    return t;
oom:
    rg_diag_add(diag, "out of memory");
    rg_tumour_eval_free(t);
    return NULL;
}

void rg_tumour_eval_free(rg_tumour_eval *t)
{
    if (!t)
        return;
    rg_sim_free(t->ws);
    free(t->levels);
    free(t->sums);
    free(t->per);
    free(t->scratch);
    free(t->parts);
    free(t);
}

/* Fails *out for a run that returned rc (canceled or failed), as every path reports it. */
static void fail_run(size_t n_obj, int rc, rg_eval_result *out)
{
    if (rc == RG_ECANCELED) {
        rg_eval_result_fail(out, n_obj, RG_RES_FAILED | RG_RES_CANCELED, "canceled");
        return;
    }
    char why[RG_REASON_MAX];
    snprintf(why, sizeof why, "simulation failed: %s", rg_strerror(rc));
    rg_eval_result_fail(out, n_obj, RG_RES_FAILED, why);
}

void rg_tumour_parts_bad_genome(rg_tumour_part part[], size_t count, size_t n_obj,
                                const char *why)
{
    for (size_t i = 0; i < count; i++) {
        part[i].bad_genome = 1;
        rg_eval_result_fail(&part[i].res, n_obj, RG_RES_BADGENOME, why);
    }
}

void rg_tumour_eval_parts(rg_tumour_eval *t, const double genome[], size_t first, size_t count,
                          const volatile sig_atomic_t *cancel, rg_tumour_part part[])
{
    size_t n_obj = t->p->optimize.n_objectives;
    char why[RG_REASON_MAX];
    memset(part, 0, count * sizeof *part); /* padding too: the records travel as bytes */
    int rc = rg_encoding_policy(t->enc, t->p, genome, t->levels, &t->pol, why, sizeof why);
    if (rc != RG_OK) {
        rg_tumour_parts_bad_genome(part, count, n_obj, why);
        return;
    }
    rg_dosing dose = rg_policy_dosing(&t->pol);
    rc = rg_cohort_eval_block(t->p, first, count, &dose, t->ws, cancel, t->sums, t->per);
    for (size_t i = 0; i < count; i++) {
        part[i].status = rc;
        if (rc == RG_OK) {
            part[i].sum = t->sums[i];
            part[i].res = t->per[i];
        }
    }
}

void rg_tumour_eval_combine(rg_tumour_eval *t, const rg_tumour_part part[], rg_eval_result *out)
{
    size_t n_obj = t->p->optimize.n_objectives, n = t->n_patients;
    if (part[0].bad_genome) {
        rg_eval_result_fail(out, n_obj, RG_RES_BADGENOME, part[0].res.reason);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (part[i].status != RG_OK) {
            fail_run(n_obj, part[i].status, out);
            return;
        }
    for (size_t i = 0; i < n; i++) {
        t->sums[i] = part[i].sum;
        t->per[i] = part[i].res;
    }
    rg_cohort_combine(t->p, n, t->per, t->sums, t->scratch, out);
}

void rg_tumour_eval_run(rg_tumour_eval *t, const double genome[],
                        const volatile sig_atomic_t *cancel, rg_eval_result *out)
{
    if (t->p->cohort) {
        rg_tumour_eval_parts(t, genome, 0, t->n_patients, cancel, t->parts);
        rg_tumour_eval_combine(t, t->parts, out);
        return;
    }
    size_t n_obj = t->p->optimize.n_objectives;
    char why[RG_REASON_MAX];
    int rc = rg_encoding_policy(t->enc, t->p, genome, t->levels, &t->pol, why, sizeof why);
    if (rc != RG_OK) {
        rg_eval_result_fail(out, n_obj, RG_RES_BADGENOME, why);
        return;
    }
    rg_dosing dose = rg_policy_dosing(&t->pol);
    rg_sim_summary s;
    rc = rg_sim_run(t->ws, t->p, &dose, cancel, &s, NULL);
    if (rc != RG_OK) {
        fail_run(n_obj, rc, out);
        return;
    }
    rg_objectives_compute(t->p, &s, out);
}
