/* The simulation workspace's layout, shared by sim.c (the loop) and sim_workspace.c (its
 * allocation and the trajectory buffers). Private to the model layer. */
#ifndef RG_SIM_INTERNAL_H
#define RG_SIM_INTERNAL_H

#include <stddef.h>

#include "regimen/emergence.h"
#include "regimen/friberg.h"
#include "regimen/model.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

struct rg_sim_workspace {
    size_t cap_clones, cap_drugs, cap_visits;
    rg_emergence em; /* the accepted steps up to t_end (docs/model.md section 6) */
    rg_model model;
    rg_dop853 dop;
    rg_friberg fri;
    rg_friberg_memo fmemo; /* the chain's advances per interval, across runs (friberg.h) */
    double *vis_t, *vis_b; /* cap_visits each: what policies may read */
    double *tv;            /* cap_visits: interior visit times of one interval */
    double *yv;            /* cap_visits * (cap_clones + 1 + RG_NEUT_STATES) */
};

#endif
