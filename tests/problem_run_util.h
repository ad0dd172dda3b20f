/* Helpers shared by test_problems.c and test_problems_headlines.c (header-only: each test
 * file is its own executable): load a shipped problem, run one of its regimens through
 * rg_sim_run with a trajectory, read a clone's share of the burden. */
#ifndef RG_PROBLEM_RUN_UTIL_H
#define RG_PROBLEM_RUN_UTIL_H

#include "rg_test.h"

#include <math.h>
#include <stdio.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

static inline rg_problem *load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/problems/%s.cfg", RG_SOURCE_DIR, name);
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_problem_load(path, &p, &diag);
    if (rc != RG_OK) {
        print_error("%s does not load:\n", path);
        rg_diag_print(&diag, stderr);
    }
    assert_int_equal(rc, RG_OK);
    assert_non_null(p);
    return p;
}

/* One regimen's run: summary, and per clone its cells at the end of the evaluation (the
 * progression visit, or the horizon when censored; docs/model.md section 8); the smallest
 * burden over the visits up to it. */
typedef struct {
    rg_sim_summary s;
    double at_ttp[RG_MAX_CLONES];
    double min_burden;
    double b0;
} run_t;

static inline void run_named(const rg_problem *p, const char *regimen, run_t *out)
{
    int r = rg_problem_regimen_index(p, regimen);
    if (r < 0)
        print_error("%s has no regimen %s\n", p->name, regimen);
    assert_true(r >= 0);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    rg_trajectory traj;
    assert_int_equal(rg_trajectory_alloc(&traj, p), RG_OK);
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &out->s, &traj), RG_OK);
    assert_int_equal(out->s.status, RG_OK);
    size_t nv = traj.n_visits;
    size_t v_ttp = (size_t)llround(out->s.ttp / p->visit_days);
    assert_true(v_ttp < nv);
    assert_int_equal(traj.n_on_protocol, v_ttp + 1);
    out->min_burden = traj.burden[0];
    for (size_t v = 0; v <= v_ttp; v++)
        if (traj.burden[v] < out->min_burden)
            out->min_burden = traj.burden[v];
    for (size_t i = 0; i < p->n_clones; i++) {
        out->at_ttp[i] = traj.clones[i * nv + v_ttp];
    }
    out->b0 = rg_problem_initial_burden(p);
    rg_trajectory_free(&traj);
    rg_sim_free(w);
}

static inline double share(const rg_problem *p, const double cells[], const char *clone)
{
    int c = rg_problem_clone_index(p, clone);
    assert_true(c >= 0);
    double total = 0.0;
    for (size_t i = 0; i < p->n_clones; i++)
        total += cells[i];
    assert_true(total > 0.0);
    return cells[c] / total;
}

#endif
