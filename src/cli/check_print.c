/* What `regimen check` prints, shared by its two printers: the fold factors of a clone on a
 * drug, the bolus times of a drug and the names of enum values. */
#include "check_print.h"

/* ---------------------------------------------------------------- folds and grid */

/* Fold factors of clone i on drug d at zero hypoxia and no inhibitor (docs/model.md section 5):
 * exposure divisor (efflux, detox), EC50 factor (target), Emax divisor (repair, apoptosis,
 * autophagy); folds of the same kind multiply. */
void rg_check_fold_factors(const rg_problem *p, size_t i, size_t d, double *expo, double *ec50,
                           double *emax)
{
    *expo = *ec50 = *emax = 1.0;
    const rg_clone *c = &p->clones[i];
    for (size_t m = 0; m < p->n_mechs; m++) {
        if (!c->carries[m] || !p->mechs[m].affects[d])
            continue;
        switch (p->mechs[m].kind) {
        case RG_MECH_EFFLUX:
        case RG_MECH_DETOX: *expo *= c->fold[m]; break;
        case RG_MECH_TARGET: *ec50 *= c->fold[m]; break;
        default: *emax *= c->fold[m]; break;
        }
    }
}

/* Bolus times m * interval < horizon, m = 0, 1, ... */
size_t rg_check_n_boluses(const rg_problem *p, const rg_drug *d)
{
    if (d->administration != RG_ADMIN_BOLUS || !(d->dosing_interval_days > 0))
        return 0;
    size_t n = 0;
    while ((double)n * d->dosing_interval_days < p->horizon_days - 1e-9 * p->horizon_days)
        n++;
    return n;
}

/* ---------------------------------------------------------------- names */

const char *rg_check_growth_name(rg_growth g)
{
    return g == RG_GROWTH_GOMPERTZ ? "gompertz" : "logistic";
}
const char *rg_check_admin_name(rg_admin a)
{
    return a == RG_ADMIN_BOLUS ? "bolus" : "continuous";
}
const char *rg_check_effect_name(rg_effect e)
{
    return e == RG_EFFECT_LINEAR ? "linear" : "hill";
}
const char *rg_check_combine_name(rg_combine c)
{
    return c == RG_COMBINE_ALL ? "all" : "any";
}
const char *rg_check_encoding_name(rg_encoding_kind e)
{
    return e == RG_ENC_ADAPTIVE_RULE ? "adaptive_rule"
           : e == RG_ENC_BENCHMARK   ? "benchmark"
                                     : "schedule";
}
const char *rg_check_bench_name(rg_benchmark b)
{
    static const char *const n[] = {"none", "zdt1", "zdt2",  "zdt3",
                                    "zdt4", "zdt6", "dtlz1", "dtlz2"};
    return (unsigned)b <= RG_BENCH_DTLZ2 ? n[b] : "unknown";
}
