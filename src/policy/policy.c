/* Dosing policies: the dispatcher and the open-loop kinds (docs/model.md section 8).
 *
 * One switch per entry point dispatches on rg_policy_kind. The kinds here are `mtd` (with
 * optional cycles), `fixed` (per-interval levels repeated over the horizon) and `schedule`
 * (the evolved matrix u[drug][interval]). Feedback kinds live in their own files
 * (metronomic.c, adaptive.c, dose_modulation.c, adaptive_rule.c; regimens.h) and are one
 * case each here. Kinds not built in return RG_EINVAL. */
#include "regimen/policy.h"

#include <math.h>
#include <string.h>

#include "regimen/regimens.h"
#include "regimen/status.h"

/* n_intervals of a whole multiple of decision_days, or 0 when `days` is off the grid. */
static size_t grid_count(const rg_problem *p, double days)
{
    if (!(days > 0.0) || !(p->decision_days > 0.0))
        return 0;
    double q = days / p->decision_days;
    long long r = llround(q);
    if (r < 1 || fabs(q - (double)r) > 1e-9 * q)
        return 0;
    return (size_t)r;
}

static int copy_drugs(rg_policy *pol, const rg_problem *p, size_t n, const int drugs[])
{
    if (n > RG_MAX_DRUGS)
        return RG_EINVAL;
    for (size_t j = 0; j < n; j++)
        if (drugs[j] < 0 || (size_t)drugs[j] >= p->n_drugs)
            return RG_EINVAL;
    pol->n_drugs = n;
    for (size_t j = 0; j < n; j++)
        pol->drugs[j] = drugs[j];
    return RG_OK;
}

/* ---- mtd: u = 1 on the regimen's drugs; with cycles, on for the first on_days of each */

static int mtd_init(rg_policy *pol)
{
    const rg_regimen *r = pol->regimen;
    if (r->cycle_days > 0.0 || r->on_days > 0.0) {
        size_t cyc = grid_count(pol->problem, r->cycle_days);
        size_t on = grid_count(pol->problem, r->on_days);
        if (cyc == 0 || on == 0 || on > cyc)
            return RG_EINVAL;
    }
    return RG_OK;
}

static int mtd_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    bool on = true;
    if (r->cycle_days > 0.0) {
        size_t cyc = grid_count(pol->problem, r->cycle_days);
        size_t ond = grid_count(pol->problem, r->on_days);
        on = (v->k % cyc) < ond;
    }
    for (size_t j = 0; j < pol->n_drugs; j++)
        u[pol->drugs[j]] = on ? 1.0 : 0.0;
    return RG_OK;
}

/* ---- fixed: doses[j][k mod n_doses[j]]; with its own dosing_interval_days, the regimen
 * restarts its bolus drugs' cycles on that grid (docs/model.md section 2), which gives a
 * bolus at every multiple of it as long as it is at most the drugs' own intervals */

static int fixed_init(rg_policy *pol)
{
    const rg_regimen *r = pol->regimen;
    if (r->dosing_interval_days != 0.0) {
        size_t every = grid_count(pol->problem, r->dosing_interval_days);
        if (every == 0)
            return RG_EINVAL;
        for (size_t j = 0; j < pol->n_drugs; j++) {
            const rg_drug *d = &pol->problem->drugs[pol->drugs[j]];
            if (d->administration == RG_ADMIN_BOLUS &&
                r->dosing_interval_days > d->dosing_interval_days)
                return RG_EINVAL;
        }
    }
    for (size_t j = 0; j < pol->n_drugs; j++) {
        if (!r->doses[j] || r->n_doses[j] == 0)
            return RG_EINVAL;
        for (size_t k = 0; k < r->n_doses[j]; k++)
            if (!(r->doses[j][k] >= 0.0 && r->doses[j][k] <= 1.0))
                return RG_EINVAL;
    }
    return RG_OK;
}

static int fixed_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    for (size_t j = 0; j < pol->n_drugs; j++)
        u[pol->drugs[j]] = r->doses[j][v->k % r->n_doses[j]];
    if (r->dosing_interval_days != 0.0 && v->restart &&
        v->k % grid_count(pol->problem, r->dosing_interval_days) == 0)
        for (size_t j = 0; j < pol->n_drugs; j++)
            v->restart[pol->drugs[j]] = true;
    return RG_OK;
}

size_t rg_policy_phantom_doses(const rg_problem *p, const rg_regimen *r, size_t j,
                               size_t *first)
{
    if (r->policy != RG_POLICY_FIXED || j >= r->n_drugs || !r->doses[j] || r->n_doses[j] == 0 ||
        r->drugs[j] < 0 || (size_t)r->drugs[j] >= p->n_drugs)
        return 0;
    const rg_drug *d = &p->drugs[r->drugs[j]];
    if (d->administration != RG_ADMIN_BOLUS)
        return 0;
    /* the regimen's own interval restarts the cycle at each of its multiples, which are then
     * the bolus slots (fixed_decide) */
    size_t every = grid_count(p, r->dosing_interval_days != 0.0 ? r->dosing_interval_days
                                                                : d->dosing_interval_days);
    if (every <= 1)
        return 0;
    size_t n = 0, ni = rg_problem_n_intervals(p);
    for (size_t k = 0; k < ni; k++)
        if (k % every != 0 && r->doses[j][k % r->n_doses[j]] > 0.0 && n++ == 0 && first)
            *first = k;
    return n;
}

/* ---- schedule: levels[j * n_intervals + k] */

static int schedule_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    size_t ni = rg_problem_n_intervals(pol->problem);
    if (v->k >= ni)
        return RG_EINVAL;
    for (size_t j = 0; j < pol->n_drugs; j++)
        u[pol->drugs[j]] = pol->levels[j * ni + v->k];
    return RG_OK;
}

/* ---- entry points */

int rg_policy_init_regimen(rg_policy *pol, const rg_problem *p, const rg_regimen *r)
{
    if (!pol || !p || !r)
        return RG_EINVAL;
    memset(pol, 0, sizeof *pol);
    pol->kind = r->policy;
    pol->problem = p;
    pol->regimen = r;
    int st = copy_drugs(pol, p, r->n_drugs, r->drugs);
    if (st != RG_OK)
        return st;
    switch (r->policy) {
    case RG_POLICY_MTD: return mtd_init(pol);
    case RG_POLICY_FIXED: return fixed_init(pol);
    case RG_POLICY_METRONOMIC: st = rg_metronomic_check(p, r); break;
    case RG_POLICY_ADAPTIVE: st = rg_adaptive_check(p, r); break;
    case RG_POLICY_DOSE_MODULATION: st = rg_dose_modulation_check(p, r); break;
    default: return RG_EINVAL;
    }
    if (st == RG_OK)
        rg_policy_reset(pol);
    return st;
}

int rg_policy_init_schedule(rg_policy *pol, const rg_problem *p, size_t n_drugs,
                            const int drugs[], const double levels[])
{
    if (!pol || !p || (n_drugs > 0 && (!drugs || !levels)))
        return RG_EINVAL;
    memset(pol, 0, sizeof *pol);
    pol->kind = RG_POLICY_SCHEDULE;
    pol->problem = p;
    pol->levels = levels;
    int st = copy_drugs(pol, p, n_drugs, drugs);
    if (st != RG_OK)
        return st;
    size_t ni = rg_problem_n_intervals(p);
    if (ni == 0)
        return RG_EINVAL;
    for (size_t q = 0; q < n_drugs * ni; q++)
        if (!(levels[q] >= 0.0 && levels[q] <= 1.0))
            return RG_EINVAL;
    return RG_OK;
}

void rg_policy_state_reset(rg_policy *pol, int treating, double remembered)
{
    pol->treating = treating;
    pol->remembered = remembered;
    pol->last_burden = 0.0;
    pol->current = 0;
}

bool rg_regimen_bolus_slot(const rg_problem *p, const rg_regimen *r, size_t j, size_t k)
{
    if (!p || !r || j >= r->n_drugs || r->drugs[j] < 0 || (size_t)r->drugs[j] >= p->n_drugs)
        return false;
    const rg_drug *d = &p->drugs[r->drugs[j]];
    if (d->administration != RG_ADMIN_BOLUS)
        return true;
    double every = r->policy == RG_POLICY_FIXED && r->dosing_interval_days != 0.0
                       ? r->dosing_interval_days
                       : d->dosing_interval_days;
    size_t n = grid_count(p, every);
    return n > 0 && k % n == 0;
}

void rg_regimen_give(const rg_policy *pol, const rg_regimen *r, double level, double u[])
{
    for (size_t d = 0; d < pol->problem->n_drugs; d++)
        u[d] = 0.0;
    for (size_t j = 0; j < r->n_drugs; j++)
        u[r->drugs[j]] = level;
}

int rg_policy_bind(void *state, const rg_problem *p)
{
    rg_policy *pol = state;
    if (!pol || !p || !pol->problem)
        return RG_EINVAL;
    if (pol->regimen)
        pol->regimen = &p->regimens[pol->regimen - pol->problem->regimens];
    pol->problem = p;
    return RG_OK;
}

void rg_policy_reset(rg_policy *pol)
{
    if (!pol)
        return;
    rg_policy_state_reset(pol, 0, 0.0);
    switch (pol->kind) {
    case RG_POLICY_METRONOMIC: rg_metronomic_reset(pol); break;
    case RG_POLICY_ADAPTIVE: rg_adaptive_reset(pol); break;
    case RG_POLICY_DOSE_MODULATION: rg_dose_modulation_reset(pol); break;
    case RG_POLICY_ADAPTIVE_RULE: rg_rule_reset(pol); break;
    default: break;
    }
}

int rg_policy_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    if (!pol || !v || !u || !pol->problem)
        return RG_EINVAL;
    for (size_t d = 0; d < pol->problem->n_drugs; d++)
        u[d] = 0.0;
    switch (pol->kind) {
    case RG_POLICY_MTD: return mtd_decide(pol, v, u);
    case RG_POLICY_FIXED: return fixed_decide(pol, v, u);
    case RG_POLICY_SCHEDULE: return schedule_decide(pol, v, u);
    case RG_POLICY_METRONOMIC: return rg_metronomic_decide(pol, v, u);
    case RG_POLICY_ADAPTIVE: return rg_adaptive_decide(pol, v, u);
    case RG_POLICY_DOSE_MODULATION: return rg_dose_modulation_decide(pol, v, u);
    case RG_POLICY_ADAPTIVE_RULE: return rg_rule_decide(pol, v, u);
    default: return RG_EINVAL;
    }
}

static int dosing_reset(void *state)
{
    rg_policy_reset(state);
    return RG_OK;
}

static int dosing_decide(void *state, const rg_dose_view *v, double u[])
{
    return rg_policy_decide(state, v, u);
}

rg_dosing rg_policy_dosing(rg_policy *pol)
{
    return (rg_dosing){.reset = dosing_reset, .decide = dosing_decide, .state = pol};
}
