/* bench/stochastic: the stochastic mode's replicates per CPU-second beside the deterministic
 * kernel's evaluations per CPU-second, on the same problem and regimen in the same run. Not a
 * test: it prints figures.
 *
 *   build/bench/stochastic [PROBLEM.cfg] [--regimen NAME] [--quick]
 *
 * The problem defaults to problems/default.cfg and the regimen to its first runnable one.
 * Both configurations run 5 rounds of 1 s (0.2 s with --quick) of CPU time, the rounds
 * interleaving the two, and the best round of each is printed (CPU time of this process: on a
 * machine shared with other jobs it is far steadier than wall time). A replicate runs on the
 * fixed step of docs/model.md section 12 (rg_stoch_step: at most 0.05 days on the default
 * problem) up to its own t_end, so its cost grows with t_end, printed as the replicates' mean. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"
#include "regimen/stochastic.h"

enum { ROUNDS = 5 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    const rg_problem *p;
    rg_dosing dose;
    rg_sim_workspace *sim;
    rg_stoch_workspace *stoch;
    size_t next_replicate; /* every replicate of the run is a new one (seed 0) */
    double t_end_sum;      /* over the replicates timed */
    size_t alive, n;
} bench;

/* Deterministic evaluations per CPU-second over at least secs. */
static double kernel_rate(bench *b, double secs)
{
    rg_sim_summary s;
    size_t n = 0;
    double t0 = now(), t;
    do {
        rg_sim_run(b->sim, b->p, &b->dose, NULL, &s, NULL);
        n++;
        t = now() - t0;
    } while (t < secs);
    return (double)n / t;
}

/* Replicates per CPU-second over at least secs. */
static double replicate_rate(bench *b, double secs)
{
    rg_stoch_result res;
    size_t n = 0;
    double t0 = now(), t;
    do {
        if (rg_stoch_run(b->stoch, b->p, &b->dose, 0, b->next_replicate++, &res) != RG_OK)
            return NAN;
        b->t_end_sum += res.t_end;
        b->alive += res.de_novo_alive;
        b->n++;
        n++;
        t = now() - t0;
    } while (t < secs);
    return (double)n / t;
}

static int pick_regimen(const rg_problem *p, const char *name, rg_policy *pol)
{
    for (size_t ri = 0; ri < p->n_regimens; ri++) {
        if (name && strcmp(p->regimens[ri].name, name) != 0)
            continue;
        if (rg_policy_init_regimen(pol, p, &p->regimens[ri]) == RG_OK)
            return (int)ri;
    }
    return -1;
}

int main(int argc, char **argv)
{
    const char *path = RG_SOURCE_DIR "/problems/default.cfg", *regimen = NULL;
    double secs = 1.0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick"))
            secs = 0.2;
        else if (!strcmp(argv[a], "--regimen") && a + 1 < argc)
            regimen = argv[++a];
        else
            path = argv[a];
    }
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    if (rg_problem_load(path, &p, &diag) != RG_OK) {
        rg_diag_print(&diag, stderr);
        return 2;
    }
    rg_policy pol;
    int ri = pick_regimen(p, regimen, &pol);
    if (ri < 0) {
        fprintf(stderr, "bench/stochastic: %s has no runnable regimen %s\n", path,
                regimen ? regimen : "");
        rg_problem_free(p);
        return 2;
    }
    bench b = {.p = p,
               .dose = rg_policy_dosing(&pol),
               .sim = rg_sim_alloc(p),
               .stoch = rg_stoch_alloc(p, NULL)};
    if (!b.sim || !b.stoch) {
        fprintf(stderr, "bench/stochastic: out of memory\n");
        return 1;
    }
    rg_sim_summary s;
    rg_stoch_result res;
    if (rg_sim_run(b.sim, p, &b.dose, NULL, &s, NULL) != RG_OK ||
        rg_stoch_run(b.stoch, p, &b.dose, 0, 0, &res) != RG_OK) {
        fprintf(stderr,
                "bench/stochastic: %s cannot be run in both modes (the stochastic "
                "mode needs extinction_cells > 0)\n",
                path);
        return 2;
    }
    double best_k = 0.0, best_r = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
        double k = kernel_rate(&b, secs), r = replicate_rate(&b, secs);
        best_k = k > best_k ? k : best_k;
        best_r = r > best_r ? r : best_r;
    }
    double spd = 1.0 / rg_stoch_step(p, NULL);
    printf("problem: %s, regimen %s: %zu clones, %zu drugs, horizon %g days\n", path,
           p->regimens[ri].name, p->n_clones, p->n_drugs, p->horizon_days);
    printf("deterministic kernel: t_end %g days, %zu steps, %zu rhs evals; "
           "best of %d rounds of %g CPU-s: %.0f evaluations/s\n",
           s.t_end, s.steps, s.rhs_evals, ROUNDS, secs, best_k);
    printf("stochastic mode: threshold %g cells, %g fixed steps per day (4 rhs evals each); "
           "%zu replicates timed, mean t_end %.1f days, de novo lineage alive in %zu; "
           "best of %d rounds of %g CPU-s: %.1f replicates/s\n",
           RG_STOCH_THRESHOLD, spd, b.n, b.n ? b.t_end_sum / (double)b.n : 0.0, b.alive, ROUNDS,
           secs, best_r);
    printf("kernel evaluations per replicate: %.0f\n", best_k / best_r);
    rg_stoch_free(b.stoch);
    rg_sim_free(b.sim);
    rg_problem_free(p);
    return 0;
}
