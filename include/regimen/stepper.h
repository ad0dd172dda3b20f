/* regimen: the kernel's integrator over one decision interval (kernel-internal).
 *
 * The simulation loop (sim.c) cuts the horizon at decision times and calls an interval
 * integrator (rg_interval_fn) from t_k to t_{k+1}; the states at the visits strictly inside
 * the interval are returned by the integrator. The kernel's integrator is DOP853, Dormand and
 * Prince's 8(5,3) pair with its 7th-order continuous extension (dop853.c; Hairer, Norsett &
 * Wanner, Solving ODEs I, section II.10), so visits cost an interpolation, not a stop.
 * bench/kernel swaps in other integrators (GSL's steppers, a Dormand-Prince 5(4) pair)
 * through the same rg_interval_fn to compare them on the same model. */
#ifndef REGIMEN_STEPPER_H
#define REGIMEN_STEPPER_H

#include <stddef.h>

#include "regimen/emergence.h"
#include "regimen/friberg.h"
#include "regimen/model.h"
#include "regimen/sim.h"

enum { RG_MAX_STATE = RG_MAX_CLONES + RG_NEUT_STATES };

/* Integrates y (length m->ny) from t0 to t1 in place with m's current pharmacokinetics.
 * tv[0 .. nv-1] are increasing visit times in (t0, t1); the state at tv[v] goes to
 * yv[v * m->ny ...]. *steps is incremented by every attempted step; the integrator stops
 * with RG_EBUDGET once it would exceed `budget`. Returns RG_OK, RG_EBUDGET, RG_ENUMERIC or
 * RG_ECANCELED (when it checks rg_model_canceled(m); the kernel's does after every accepted
 * step). Must not allocate. */
typedef int (*rg_interval_fn)(void *ctx, rg_model *m, double t0, double t1, double y[],
                              size_t nv, const double tv[], double yv[], size_t *steps,
                              size_t budget);

/* Relative tolerance of the kernel's clones (DOP853, max norm per step); chosen so that the
 * burden meets the docs/model.md section 10 rule against the 1e-12 reference with margin on the
 * 200 random models of tests/test_sim_reference.c (worst 0.47% of the tolerance, 2.8% at
 * 1e-9).
 * docs/model.md section 11 says why. */
#ifndef RG_KERNEL_RTOL
#define RG_KERNEL_RTOL 1e-10
#endif

/* The absolute error floor of every component of model m per unit relative tolerance
 * (clones: 1e-15 of the largest capacity, at most 1e3 B(0), so that a clone of one cell in a
 * 1e12-cell tumour keeps ~1e-9 relative accuracy; L: 1e-12; neutrophils: 1e-9 circ0). b0 is
 * B(0). */
void rg_error_floors(const rg_model *m, double b0, double floor[]);

/* Dormand-Prince 8(5,3) (DOP853) state: the kernel's default integrator (dop853.c). */
typedef struct {
    double rtol;                /* of the clones */
    double rtolc[RG_MAX_STATE]; /* per component: clones rtol, neutrophils looser */
    double atol[RG_MAX_STATE];
    double h;
    size_t n_accept, n_reject, n_kink, n_dense; /* statistics since setup */
    double h_bolus; /* the step size that suited the first step after the last bolus restart
                        (from its error; 0: none yet) */
    /* The step in hand: the last accepted step [t_prev, t_cur] may run past the interval's end
     * (up to t_max, the horizon); a call with m->smooth_continue goes on from it. */
    double t_max;
    bool pending;
    double t_prev, h_prev, t_cur;
    uint64_t sig_cur;
    size_t n_continued; /* decision times stepped over without a restart */
    /* where accepted steps are recorded (NULL: not recorded); set after rg_dop853_setup */
    rg_emergence *em;
    double em_fsum[RG_MAX_CLONES]; /* per hazard clone: its de novo flux integrated so far */
    bool em_held;        /* em_hold (below) holds the record of the step in hand ... */
    double em_t0, em_t1; /* ... [em_t0, em_t1], which started at y_prev */
    /* ---- Work arrays, written before they are read: rg_dop853_setup leaves them alone
     * (keep k first) */
    double k[16][RG_MAX_STATE];
    double ys[RG_MAX_STATE], ynew[RG_MAX_STATE];
    double F[7][RG_MAX_STATE];
    /* the rates of the hazard clones (rg_model.haz) at each stage of the current step, for
     * the emergence records: b - d (netg), b (max(g, 0)) and the de novo flux (hflux) */
    double em_a[13][RG_MAX_CLONES], em_b[13][RG_MAX_CLONES], em_f[13][RG_MAX_CLONES];
    /* the record of the step in hand when it runs past the interval's end, held back until
     * the next call says whether it goes on (rg_dop853_settle) */
    rg_em_clone em_hold[RG_MAX_CLONES];
    double y_prev[RG_MAX_STATE], y_cur[RG_MAX_STATE]; /* the step in hand's ends */
} rg_dop853;

/* Relative tolerance of the neutrophil states where an integrator carries them with the
 * clones (bench/kernel's other integrators). The kernel steps them apart on the visit grid
 * (friberg.h) and does not use it. */
#define RG_KERNEL_RTOL_NEUT 3e-8

/* Tolerances for model m: relative rtol on the clones and RG_KERNEL_RTOL_NEUT on the
 * neutrophils (or rtol where it is looser); absolute: each
 * component's relative tolerance times its rg_error_floors floor. Clears the step size and
 * the statistics. */
void rg_dop853_setup(rg_dop853 *s, const rg_model *m, double rtol, double b0);

/* The step in hand ran past the last interval's end and the integration restarts at t0 (the
 * right-hand side changes there): records its part up to t0, integrated again as one step
 * from its start. Call before the model's pharmacokinetics change at t0. Without a held step
 * (or without records) it does nothing. */
void rg_dop853_settle(rg_dop853 *s, rg_model *m, double t0);

/* rg_interval_fn of DOP853; ctx is an rg_dop853. */
int rg_dop853_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                       const double tv[], double yv[], size_t *steps, size_t budget);

/* rg_sim_run with another interval integrator (bench/kernel; the tests). When ctx is the
 * workspace's own integrator (rg_sim_integrator), it is set up with RG_KERNEL_RTOL; any
 * other ctx is used as the caller set it up. An integrator other than rg_dop853_interval
 * also carries the Friberg states and is not asked to check the cancellation flag: the run
 * then checks it at decision times only. */
int rg_sim_run_with(rg_sim_workspace *w, const rg_problem *p, const rg_dosing *dosing,
                    const volatile sig_atomic_t *cancel, rg_sim_summary *out,
                    rg_trajectory *traj, rg_interval_fn integrate, void *ctx);

/* The workspace's compiled model and its integrator state (valid after rg_sim_run*). */
rg_model *rg_sim_model(rg_sim_workspace *w);
rg_dop853 *rg_sim_integrator(rg_sim_workspace *w);
/* The workspace's neutrophil stepping state (its statistics; valid after rg_sim_run*). */
const rg_friberg *rg_sim_friberg(const rg_sim_workspace *w);
/* The workspace's memo of the chain's advances (friberg.h): its hits and misses. */
const rg_friberg_memo *rg_sim_friberg_memo(const rg_sim_workspace *w);

#endif
