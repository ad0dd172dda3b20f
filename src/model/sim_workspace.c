/* The simulation workspace and the trajectory buffers: every allocation the simulation loop
 * (sim.c) needs is made here, once, so that the loop itself allocates nothing
 * (docs/model.md section 10). */
#include <stdlib.h>
#include <string.h>

#include "regimen/status.h"
#include "sim_internal.h"

rg_sim_workspace *rg_sim_alloc(const rg_problem *p)
{
    if (!p || p->n_clones == 0 || p->n_clones > RG_MAX_CLONES || p->n_drugs > RG_MAX_DRUGS)
        return NULL;
    size_t nv = rg_problem_n_visits(p);
    if (nv == 0)
        return NULL;
    rg_sim_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cap_clones = p->n_clones;
    w->cap_drugs = p->n_drugs;
    w->cap_visits = nv;
    w->vis_t = malloc(nv * sizeof *w->vis_t);
    w->vis_b = malloc(nv * sizeof *w->vis_b);
    w->tv = malloc(nv * sizeof *w->tv);
    w->yv = malloc(nv * (p->n_clones + 1 + RG_NEUT_STATES) * sizeof *w->yv);
    if (!w->vis_t || !w->vis_b || !w->tv || !w->yv)
        goto fail;
    if (rg_emergence_alloc(&w->em, rg_emergence_clones(p), RG_EM_CAPACITY) != RG_OK)
        goto fail;
    if (rg_friberg_memo_alloc(&w->fmemo, nv, nv, p->n_drugs) != RG_OK)
        goto fail;
    return w;
fail:
    rg_sim_free(w);
    return NULL;
}

void rg_sim_free(rg_sim_workspace *w)
{
    if (!w)
        return;
    free(w->vis_t);
    free(w->vis_b);
    free(w->tv);
    free(w->yv);
    rg_emergence_free(&w->em);
    rg_friberg_memo_free(&w->fmemo);
    free(w);
}

rg_model *rg_sim_model(rg_sim_workspace *w)
{
    return &w->model;
}
rg_dop853 *rg_sim_integrator(rg_sim_workspace *w)
{
    return &w->dop;
}
const rg_friberg *rg_sim_friberg(const rg_sim_workspace *w)
{
    return &w->fri;
}
const rg_friberg_memo *rg_sim_friberg_memo(const rg_sim_workspace *w)
{
    return &w->fmemo;
}

int rg_trajectory_alloc(rg_trajectory *traj, const rg_problem *p)
{
    if (!traj || !p)
        return RG_EINVAL;
    memset(traj, 0, sizeof *traj);
    size_t nv = rg_problem_n_visits(p), ni = rg_problem_n_intervals(p);
    if (nv == 0 || ni == 0)
        return RG_EINVAL;
    size_t nd = p->n_drugs ? p->n_drugs : 1;
    traj->n_visits = nv;
    traj->n_intervals = ni;
    traj->t = calloc(nv, sizeof(double));
    traj->burden = calloc(nv, sizeof(double));
    traj->resistant = calloc(nv, sizeof(double));
    traj->clones = calloc(nv * p->n_clones, sizeof(double));
    traj->conc = calloc(nv * nd, sizeof(double));
    traj->anc = calloc(nv, sizeof(double));
    traj->levels = calloc(ni * nd, sizeof(double));
    if (!traj->t || !traj->burden || !traj->resistant || !traj->clones || !traj->conc ||
        !traj->anc || !traj->levels) {
        rg_trajectory_free(traj);
        return RG_ENOMEM;
    }
    return RG_OK;
}

void rg_trajectory_free(rg_trajectory *traj)
{
    if (!traj)
        return;
    free(traj->t);
    free(traj->burden);
    free(traj->resistant);
    free(traj->clones);
    free(traj->conc);
    free(traj->anc);
    free(traj->levels);
    memset(traj, 0, sizeof *traj);
}
