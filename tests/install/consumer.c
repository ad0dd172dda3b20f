/* Runs one standard regimen of a problem file through the installed library's kernel and
 * prints its time to progression and step count as `regimen simulate` does.
 * usage: consumer PROBLEM.cfg REGIMEN */
#include <stdio.h>
#include <string.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: consumer PROBLEM.cfg REGIMEN\n");
        return 2;
    }
    rg_problem *p = NULL;
    rg_diag diag = {0};
    if (rg_problem_load(argv[1], &p, &diag) != RG_OK) {
        rg_diag_print(&diag, stderr);
        return 2;
    }
    const rg_regimen *r = NULL;
    for (size_t i = 0; i < p->n_regimens; i++)
        if (strcmp(p->regimens[i].name, argv[2]) == 0)
            r = &p->regimens[i];
    rg_policy pol;
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_sim_summary s;
    int rc = !r || !w ? RG_EINVAL : rg_policy_init_regimen(&pol, p, r);
    if (rc == RG_OK) {
        rg_dosing dosing = rg_policy_dosing(&pol);
        rc = rg_sim_run(w, p, &dosing, NULL, &s, NULL);
    }
    if (rc == RG_OK) {
        printf("time to progression: %g days\n", s.ttp);
        printf("final burden: %.6g cells\n", s.final_burden);
        printf("emergence hazard L: %.6g; resistance probability: %.6g\n", s.hazard,
               s.resistance_probability);
    } else {
        fprintf(stderr, "consumer: %s: %s\n", argv[2], rg_strerror(rc));
    }
    rg_sim_free(w);
    rg_problem_free(p);
    return rc == RG_OK ? 0 : 1;
}
