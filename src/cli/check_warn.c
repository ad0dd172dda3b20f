/* The warnings of `regimen check` about regimens that load but cannot do what they are for.
 * A warning is one line on stderr naming the file and the regimen; it never changes the exit
 * status (the file is valid). */
#include <stdio.h>

#include "check_print.h"
#include "regimen/regimens.h"

/* An adaptive regimen whose thresholds make every resume come at or after progression
 * (docs/model.md section 8, "Adaptive therapy and progression"): the comparison of adaptive
 * therapy with MTD is then decided by the file, not by the model. */
void rg_check_warn_adaptive(FILE *f, const char *file, const rg_problem *p)
{
    for (size_t i = 0; i < p->n_regimens; i++) {
        const rg_regimen *r = &p->regimens[i];
        if (r->policy != RG_POLICY_ADAPTIVE || rg_adaptive_can_resume(p, r))
            continue;
        const double fa = p->progression_factor;
        if (p->progression_reference == RG_REF_NADIR)
            fprintf(f,
                    "regimen check: %s: warning: adaptive regimen '%s' cannot resume before "
                    "progression: progression.factor %g x stop_below %g = %g <= resume_above "
                    "%g (progression against the nadir)\n",
                    file, r->name, fa, r->stop_below, fa * r->stop_below, r->resume_above);
        else
            fprintf(f,
                    "regimen check: %s: warning: adaptive regimen '%s' cannot resume before "
                    "progression: progression.factor %g <= resume_above %g (progression "
                    "against the initial burden)\n",
                    file, r->name, fa, r->resume_above);
    }
}
