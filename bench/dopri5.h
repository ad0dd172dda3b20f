/* bench/kernel's Dormand-Prince 5(4) interval integrator (dopri5.c): an rg_interval_fn
 * (stepper.h) that the benchmark runs through rg_sim_run_with next to GSL's steppers. */
#ifndef REGIMEN_BENCH_DOPRI5_H
#define REGIMEN_BENCH_DOPRI5_H

#include <stddef.h>

#include "regimen/model.h"
#include "regimen/stepper.h"

/* Dormand-Prince 5(4) state: tolerances, the step size carried between intervals and the
 * stage vectors (fixed size: nothing is allocated). */
typedef struct {
    double rtol;
    double atol[RG_MAX_STATE];
    double h; /* next step size to try; 0 = estimate from the right-hand side */
    double facold;
    double k[7][RG_MAX_STATE];
    double ys[RG_MAX_STATE], ynew[RG_MAX_STATE];
    double r[5][RG_MAX_STATE];
} dopri5;

/* Tolerances for model m: relative rtol on every component, absolute rtol times
 * rg_error_floors. */
void dopri5_setup(dopri5 *s, const rg_model *m, double rtol, double b0);

/* rg_interval_fn of the Dormand-Prince 5(4) pair; ctx is a dopri5. */
int dopri5_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                    const double tv[], double yv[], size_t *steps, size_t budget);

#endif
