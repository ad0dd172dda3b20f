/* bench/cohort: patient-evaluations per CPU-second of the cohort batch entry point
 * (rg_sim_run_batch: one dosing bound to each patient in turn, one workspace) against the
 * same patients evaluated one by one as separate problems (a policy made for each patient and
 * a workspace allocated for each evaluation, as K single evaluators would). Not a test: it
 * prints figures.
 *
 *   build/bench/cohort [COHORT.cfg] [--quick]
 *
 * Default problem: problems/default_cohort.cfg; each built-in regimen in turn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

/* CPU time of this process: steadier than wall time on a shared machine. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int batch(const rg_problem *p, size_t r, rg_sim_workspace *w, rg_sim_summary *out)
{
    rg_policy pol;
    if (rg_policy_init_regimen(&pol, p, &p->regimens[r]) != RG_OK)
        return -1;
    rg_dosing d = rg_policy_dosing(&pol);
    return rg_sim_run_batch(w, p->cohort->n_patients,
                            (const rg_problem *const *)p->cohort->patients, &d, rg_policy_bind,
                            NULL, out);
}

static int singles(const rg_problem *p, size_t r, rg_sim_summary *out)
{
    for (size_t i = 0; i < p->cohort->n_patients; i++) {
        const rg_problem *q = p->cohort->patients[i];
        rg_sim_workspace *w = rg_sim_alloc(q);
        rg_policy pol;
        if (!w || rg_policy_init_regimen(&pol, q, &q->regimens[r]) != RG_OK) {
            rg_sim_free(w);
            return -1;
        }
        rg_dosing d = rg_policy_dosing(&pol);
        int rc = rg_sim_run(w, q, &d, NULL, &out[i], NULL);
        rg_sim_free(w);
        if (rc != RG_OK)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *file = RG_SOURCE_DIR "/problems/default_cohort.cfg";
    double budget = 1.0; /* CPU seconds per measurement */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            budget = 0.2;
        else
            file = argv[i];
    }
    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    if (rg_problem_load(file, &p, &diag) != RG_OK || !p->cohort) {
        rg_diag_print(&diag, stderr);
        fprintf(stderr, "%s: not a cohort problem\n", file);
        rg_problem_free(p);
        return 2;
    }
    size_t n = p->cohort->n_patients;
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_sim_summary *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!w || !a || !b)
        return 1;
    printf("%s: %zu patients; patient-evaluations per CPU-second\n", file, n);
    printf("%-24s %12s %12s %8s %s\n", "regimen", "batch", "singles", "ratio", "same TTPs");
    for (size_t r = 0; r < p->n_regimens; r++) {
        double rate[2];
        for (int mode = 0; mode < 2; mode++) {
            size_t reps = 0;
            double t0 = now(), t;
            do {
                int rc = mode == 0 ? batch(p, r, w, a) : singles(p, r, b);
                if (rc != 0) {
                    fprintf(stderr, "regimen %s failed\n", p->regimens[r].name);
                    return 1;
                }
                reps++;
                t = now() - t0;
            } while (t < budget);
            rate[mode] = (double)(reps * n) / t;
        }
        bool same = true;
        for (size_t i = 0; i < n; i++)
            same = same && a[i].ttp == b[i].ttp && a[i].final_burden == b[i].final_burden;
        printf("%-24s %12.0f %12.0f %8.3f %s\n", p->regimens[r].name, rate[0], rate[1],
               rate[0] / rate[1], same ? "yes" : "NO");
    }
    free(a);
    free(b);
    rg_sim_free(w);
    rg_problem_free(p);
    return 0;
}
