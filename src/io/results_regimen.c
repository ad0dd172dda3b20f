/* A front member of a results file as a standard `fixed` regimen of a problem (results.h):
 * what `regimen show --as-regimen` prints and `regimen simulate --from` runs. A schedule's
 * calendar is the schedule itself (its genes' dose levels), so a re-simulation reproduces
 * its outcomes on the run's problem and on each patient of a cohort (docs/model.md section
 * 8: nothing is given after t_end either way); an adaptive rule's is the doses it
 * delivered on the nominal patient. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/results.h"

bool rg_results_member_calendar(const rg_results *r, size_t member, double levels[])
{
    size_t D = r->n_drugs, K = r->n_intervals, L = r->genome_length;
    bool schedule = r->encoding == RG_ENC_SCHEDULE && r->gene_drug && r->gene_day &&
                    r->front_genomes && r->n_levels > 0;
    if (!schedule) {
        memcpy(levels, r->front_doses + member * D * K, D * K * sizeof(double));
        return false;
    }
    for (size_t q = 0; q < D * K; q++)
        levels[q] = 0.0;
    const double *x = r->front_genomes + member * L;
    for (size_t g = 0; g < L; g++) {
        double k = floor(r->gene_day[g] / r->decision_days + 0.5);
        bool ok = x[g] >= 0.0 && x[g] < (double)r->n_levels && r->gene_drug[g] < D &&
                  k >= 0.0 && k < (double)K;
        if (ok)
            levels[r->gene_drug[g] * K + (size_t)k] = r->dose_levels[(size_t)x[g]];
    }
    return true;
}

static int refuse(rg_diag *diag, const char *path, const char *what, const char *detail)
{
    if (diag)
        rg_diag_add(diag, "%s: %s%s", path, what, detail ? detail : "");
    return RG_EINVAL;
}

int rg_results_add_member_regimen(const rg_results *r, const char *path, size_t member,
                                  const char *name, rg_problem *p, int *index, rg_diag *diag)
{
    char detail[256];
    if (!r->front_doses || r->n_drugs == 0 || r->n_intervals == 0)
        return refuse(diag, path, "its members have no calendar of doses",
                      " (benchmark encoding)");
    if (member >= r->front_size) {
        snprintf(detail, sizeof detail, " (the front has %zu: 0 to %zu)", r->front_size,
                 r->front_size ? r->front_size - 1 : 0);
        return refuse(diag, path, "no such member", detail);
    }
    if (fabs(p->decision_days - r->decision_days) > 1e-9 * r->decision_days) {
        snprintf(detail, sizeof detail, " (%g days in the results, %g in %s)", r->decision_days,
                 p->decision_days, p->path);
        return refuse(diag, path, "decision_days differs from the problem's", detail);
    }
    if (p->n_regimens >= RG_MAX_REGIMENS || rg_problem_regimen_index(p, name) >= 0) {
        snprintf(detail, sizeof detail, " '%s' (%s has %zu regimens, at most %d)", name,
                 p->path, p->n_regimens, (int)RG_MAX_REGIMENS);
        return refuse(diag, path, "cannot add the regimen", detail);
    }
    rg_regimen reg;
    memset(&reg, 0, sizeof reg);
    snprintf(reg.name, sizeof reg.name, "%s", name);
    reg.policy = RG_POLICY_FIXED;
    reg.n_drugs = r->n_drugs;
    size_t K = rg_problem_n_intervals(p);
    for (size_t j = 0; j < r->n_drugs; j++) {
        int d = rg_problem_drug_index(p, r->drug_names[j]);
        const rg_drug *drug = d >= 0 ? &p->drugs[d] : NULL;
        double every =
            drug && drug->administration == RG_ADMIN_BOLUS ? drug->dosing_interval_days : 0.0;
        if (!drug || fabs(every - r->bolus_days[j]) > 1e-9 * (every > 0 ? every : 1.0)) {
            snprintf(detail, sizeof detail, " '%s' (%s)", r->drug_names[j],
                     drug ? "a bolus on another interval in the problem"
                          : "not in the problem");
            for (size_t k = 0; k < j; k++)
                free(reg.doses[k]);
            return refuse(diag, path, "the problem cannot give drug", detail);
        }
        reg.drugs[j] = d;
        reg.doses[j] = calloc(K ? K : 1, sizeof(double));
        if (!reg.doses[j]) {
            for (size_t k = 0; k < j; k++)
                free(reg.doses[k]);
            return RG_ENOMEM;
        }
        reg.n_doses[j] = K;
    }
    size_t cells = r->n_drugs * r->n_intervals;
    double *cal = malloc((cells ? cells : 1) * sizeof *cal);
    if (!cal) {
        for (size_t j = 0; j < r->n_drugs; j++)
            free(reg.doses[j]);
        return RG_ENOMEM;
    }
    rg_results_member_calendar(r, member, cal);
    for (size_t j = 0; j < r->n_drugs; j++)
        for (size_t k = 0; k < K && k < r->n_intervals; k++)
            reg.doses[j][k] = cal[j * r->n_intervals + k];
    free(cal);
    if (index)
        *index = (int)p->n_regimens;
    p->regimens[p->n_regimens++] = reg;
    return RG_OK;
}
