/* Objectives (docs/model.md section 9) and constraints (section 7) of one run. */
#include "regimen/objectives.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Excess of `value` over `limit`; differences within 1e-9 of the limit are rounding. */
static double excess(double value, double limit)
{
    double e = value - limit;
    return e > 1e-9 * limit ? e : 0.0;
}

static double normalised(double e, double limit)
{
    return limit > 0.0 ? e / limit : e;
}

int rg_constraints_eval(const rg_problem *p, const rg_sim_summary *s, rg_violation *v)
{
    if (!p || !s || !v)
        return RG_EINVAL;
    memset(v, 0, sizeof *v);
    for (size_t d = 0; d < p->n_drugs; d++) {
        double lim = p->drugs[d].max_cumulative_dose;
        if (lim < 0.0)
            continue;
        v->cumulative_dose[d] = excess(s->cumulative_dose[d], lim);
        v->total += normalised(v->cumulative_dose[d], lim);
    }
    if (p->max_daily_toxicity >= 0.0) {
        v->daily_toxicity = excess(s->max_daily_toxicity, p->max_daily_toxicity);
        v->total += normalised(v->daily_toxicity, p->max_daily_toxicity);
    }
    if (p->neutrophils && p->anc_min >= 0.0 && isfinite(s->neutrophil_nadir)) {
        /* a shortfall below the limit: anc_min - nadir, with the same rounding rule */
        double e = p->anc_min - s->neutrophil_nadir;
        v->anc = e > 1e-9 * p->anc_min ? e : 0.0;
        v->total += normalised(v->anc, p->anc_min);
    }
    if (!isfinite(v->total))
        v->total = 1e300;
    return RG_OK;
}

/* max(x, 0) that keeps a NaN (fmax would hide it) */
static double nonneg(double x)
{
    return x < 0.0 ? 0.0 : x;
}

double rg_objective_value(const rg_problem *p, const rg_sim_summary *s, int objective)
{
    switch (objective) {
    case RG_OBJ_TTP: return s->ttp;
    case RG_OBJ_RESISTANT_BURDEN: return log10(1.0 + nonneg(s->resistant_burden));
    case RG_OBJ_EMERGENCE_HAZARD: return log10(nonneg(s->hazard) + 1e-12);
    case RG_OBJ_RESISTANCE_PROBABILITY: return s->resistance_probability;
    case RG_OBJ_FINAL_BURDEN: return log10(1.0 + nonneg(s->final_burden));
    case RG_OBJ_DOSE_INTENSITY: {
        double sum = 0.0;
        for (size_t d = 0; d < p->n_drugs; d++)
            sum += p->drugs[d].toxicity_weight * s->dose_intensity[d];
        return sum;
    }
    case RG_OBJ_TIME_TO_EMERGENCE: return s->time_to_emergence;
    case RG_OBJ_RESISTANT_FRACTION: return s->resistant_fraction;
    case RG_OBJ_NEUTROPHIL_NADIR:
        /* +inf (model off) becomes the constant 0; a NaN stays visible */
        return !p->neutrophils || isinf(s->neutrophil_nadir) ? 0.0 : s->neutrophil_nadir;
    default: return 0.0;
    }
}

static size_t append(char *buf, size_t n, size_t at, const char *fmt, double a, double b,
                     const char *name)
{
    if (at >= n)
        return at;
    int w = name ? snprintf(buf + at, n - at, fmt, name, a, b)
                 : snprintf(buf + at, n - at, fmt, a, b);
    return w < 0 ? at : at + (size_t)w;
}

char *rg_violation_describe(const rg_problem *p, const rg_sim_summary *s, const rg_violation *v,
                            char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    if (!p || !s || !v)
        return buf;
    if (!(v->total > 0.0)) {
        snprintf(buf, n, "feasible");
        return buf;
    }
    size_t at = 0;
    for (size_t d = 0; d < p->n_drugs; d++)
        if (v->cumulative_dose[d] > 0.0)
            at = append(buf, n, at,
                        at ? "; max_cumulative_dose %s %.4g > %.4g"
                           : "max_cumulative_dose %s %.4g > %.4g",
                        s->cumulative_dose[d], p->drugs[d].max_cumulative_dose,
                        p->drugs[d].name);
    if (v->daily_toxicity > 0.0)
        at = append(buf, n, at,
                    at ? "; max_daily_toxicity %.4g > %.4g" : "max_daily_toxicity %.4g > %.4g",
                    s->max_daily_toxicity, p->max_daily_toxicity, NULL);
    if (v->anc > 0.0)
        at = append(buf, n, at, at ? "; anc_min %.4g < %.4g" : "anc_min %.4g < %.4g",
                    s->neutrophil_nadir, p->anc_min, NULL);
    return buf;
}

int rg_objectives_compute(const rg_problem *p, const rg_sim_summary *s, rg_eval_result *out)
{
    if (!out)
        return RG_EINVAL;
    memset(out, 0, sizeof *out);
    if (!p || !s) {
        rg_eval_result_fail(out, RG_MAX_OBJ, RG_RES_FAILED, "no problem or summary");
        return RG_EINVAL;
    }
    size_t n_obj = p->optimize.n_objectives;
    if (n_obj > RG_MAX_OBJ) {
        rg_eval_result_fail(out, RG_MAX_OBJ, RG_RES_FAILED, "too many objectives");
        return RG_EINVAL;
    }
    if (!s->progressed)
        out->flags |= RG_RES_CENSORED;
    if (s->status == RG_EBUDGET) {
        rg_eval_result_fail(out, n_obj, RG_RES_BUDGET, "step budget exhausted");
        return RG_OK;
    }
    if (s->status == RG_ECANCELED) {
        rg_eval_result_fail(out, n_obj, RG_RES_FAILED, "canceled");
        return RG_OK;
    }
    if (s->status != RG_OK) {
        rg_eval_result_fail(out, n_obj, RG_RES_NONFINITE, "non-finite value in the model");
        return RG_OK;
    }
    for (size_t j = 0; j < n_obj; j++) {
        int o = p->optimize.objectives[j];
        if (o < 0 || o >= RG_OBJ_NKINDS) {
            rg_eval_result_fail(out, n_obj, RG_RES_FAILED, "not a tumour-model objective");
            return RG_EINVAL;
        }
        double val = rg_objective_value(p, s, o);
        if (!isfinite(val)) {
            char why[RG_REASON_MAX];
            snprintf(why, sizeof why, "non-finite %s", rg_objective_name(o));
            rg_eval_result_fail(out, n_obj, RG_RES_NONFINITE, why);
            return RG_OK;
        }
        out->value[j] = val;
        out->fitness[j] = rg_objective_maximised(o) ? -val : val;
    }
    rg_violation v;
    rg_constraints_eval(p, s, &v);
    out->violation = v.total;
    if (v.total > 0.0) {
        out->flags |= RG_RES_INFEASIBLE;
        rg_violation_describe(p, s, &v, out->reason, sizeof out->reason);
    }
    return RG_OK;
}
