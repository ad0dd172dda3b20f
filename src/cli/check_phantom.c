/* `regimen check`'s warning about phantom doses: a nonzero level of a bolus drug in a `fixed`
 * regimen on a decision interval without a bolus slot is never delivered (docs/model.md
 * section 2), which a hand-written calendar rarely means. */
#include <stdio.h>

#include "check_print.h"
#include "regimen/policy.h"

size_t rg_check_warn_phantoms(FILE *f, const char *file, const rg_problem *p)
{
    size_t lines = 0;
    for (size_t i = 0; i < p->n_regimens; i++) {
        const rg_regimen *r = &p->regimens[i];
        for (size_t j = 0; j < r->n_drugs; j++) {
            size_t first = 0, n = rg_policy_phantom_doses(p, r, j, &first);
            if (n == 0)
                continue;
            const rg_drug *d = &p->drugs[r->drugs[j]];
            fprintf(f,
                    "regimen check: %s: warning: regimen '%s': %s is a bolus drug given every "
                    "%g days; its level %g on interval %zu (day %g) has no bolus slot and is "
                    "never given (a phantom dose; %zu such interval%s)\n",
                    file, r->name, d->name, d->dosing_interval_days,
                    r->doses[j][first % r->n_doses[j]], first, (double)first * p->decision_days,
                    n, n == 1 ? "" : "s");
            lines++;
        }
    }
    return lines;
}
