/* The fair summary (fair.h): which evolved member dominates each standard regimen. */
#include <string.h>

#include "regimen/fair.h"

bool rg_fair_dominates(const rg_results *r, const double a[], const double b[])
{
    bool better = false;
    for (size_t m = 0; m < r->n_obj; m++) {
        double d = r->maximised[m] ? a[m] - b[m] : b[m] - a[m]; /* > 0: a is better */
        if (d < 0)
            return false;
        better |= d > 0;
    }
    return better;
}

bool rg_fair_untreated(const rg_results *r, size_t k)
{
    for (size_t m = 0; m < r->n_obj; m++)
        if (!strcmp(r->objective_names[m], "dose_intensity"))
            return r->front_objectives[k * r->n_obj + m] == 0.0;
    if (!r->front_doses)
        return false;
    size_t n = r->n_drugs * r->n_intervals;
    for (size_t q = 0; q < n; q++)
        if (r->front_doses[k * n + q] != 0.0)
            return false;
    return true;
}

long rg_fair_dominator(const rg_results *r, size_t i)
{
    size_t M = r->n_obj;
    if (i >= r->n_regimens || M == 0)
        return -1;
    const double *reg = r->regimen_objectives + i * M;
    long best = -1;
    double best_gain = 0.0;
    for (size_t k = 0; k < r->front_size; k++) {
        const double *mem = r->front_objectives + k * M;
        if (!rg_results_feasible(r->front_violation[k], r->front_flags[k]) ||
            rg_fair_untreated(r, k) || !rg_fair_dominates(r, mem, reg))
            continue;
        double gain = r->maximised[0] ? mem[0] - reg[0] : reg[0] - mem[0];
        if (best < 0 || gain > best_gain) {
            best = (long)k;
            best_gain = gain;
        }
    }
    return best;
}
