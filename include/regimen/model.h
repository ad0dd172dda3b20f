/* regimen: the compiled tumour model and its right-hand side (kernel-internal).
 *
 * rg_model_compile() turns an rg_problem into flat arrays sized for that problem (each
 * clone's kill parameters with its fixed mechanisms' folds multiplied out and the list of
 * those that vary, packed competition matrix, switching edges) so that the right-hand side
 * touches only what the model uses. The state vector y holds the clones
 * x_0 .. x_{N-1}, then (when enabled) the five Friberg states Prol, T1, T2, T3, Circ. The
 * emergence hazard is not a state: it is formed after the run from the recorded steps
 * (emergence.h). Drug concentrations are not in y: pharmacokinetics is exact
 * (docs/model.md section 2) and, inside one decision interval, every c_d(t) has the closed form
 * a_d + b_d exp(-k_d (t - t0)), set by rg_model_set_pk().
 *
 * This header is internal to the kernel, the kernel's tests and bench/kernel (which runs
 * GSL steppers on the very same right-hand side). The model holds scratch space, so one
 * model must not be shared by two threads at once; everything it needs is inside it. */
#ifndef REGIMEN_MODEL_H
#define REGIMEN_MODEL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regimen/problem.h"

enum { RG_NEUT_STATES = 5 };

typedef struct {
    int mech;    /* index into the problem's mechanisms */
    double fold; /* F */
} rg_model_carried;

typedef struct {
    int from, to;
    double mu; /* per division */
    size_t n_ind;
    int ind_drug[RG_MAX_INDUCERS];
    double ind_nu[RG_MAX_INDUCERS];
    bool hazard; /* from non-resistant into resistant: starts de novo lineages */
} rg_model_edge;

/* What a mechanism does to the drugs it affects (docs/model.md section 5 table). */
enum { RG_MCLASS_EXPOSURE = 0, RG_MCLASS_EC50 = 1, RG_MCLASS_EMAX = 2 };

typedef struct {
    /* sizes */
    size_t n, nd, nm, ny, n_edges, n_inter;
    /* set by the simulation loop: the kernel steps the Friberg states apart (friberg.h), so
     * rg_model_rhs leaves them alone and the interval integrator advances rg_model_nint()
     * components */
    bool neut_apart;
    size_t ineut; /* index of Prol in y; 0 when neutrophils are off */
    bool neut;

    /* clones */
    double r[RG_MAX_CLONES], delta[RG_MAX_CLONES], K[RG_MAX_CLONES];
    bool resistant[RG_MAX_CLONES];
    bool has_gamma[RG_MAX_CLONES];
    bool gkink[RG_MAX_CLONES];   /* max(g_i, 0) is used: cycle-specific kill or switching */
    bool comp_identity;          /* every a_ij = 1: C_i = B for all i */
    double invK[RG_MAX_CLONES];  /* 1 / K_i (used when the drugs do not change K_i) */
    size_t n_dyn[RG_MAX_CLONES]; /* entries of dyn[i] (below) */
    size_t n_kdrug;              /* the drugs that kill (emax > 0), in order */
    int kdrug[RG_MAX_DRUGS];
    bool gompertz;
    /* clones that receive a hazard edge (non-resistant -> resistant): their de novo
     * lineages are followed by the emergence probability (docs/model.md section 6) */
    size_t n_haz;
    int haz[RG_MAX_CLONES];

    /* drugs */
    double emax[RG_MAX_DRUGS], ec50[RG_MAX_DRUGS], hill[RG_MAX_DRUGS];
    bool hill1[RG_MAX_DRUGS], linear[RG_MAX_DRUGS], cycle[RG_MAX_DRUGS];
    bool stroma_drug[RG_MAX_DRUGS];
    bool kills[RG_MAX_DRUGS]; /* emax > 0 */
    double ploss[RG_MAX_DRUGS], myelo[RG_MAX_DRUGS];
    double kel[RG_MAX_DRUGS]; /* ln 2 / half-life; 0 for half-life 0 */

    /* mechanisms */
    int mclass[RG_MAX_MECHS];
    uint32_t maffects[RG_MAX_MECHS];
    double eta[RG_MAX_MECHS];
    size_t n_inh[RG_MAX_MECHS];
    rg_combine combine[RG_MAX_MECHS];

    /* interactions */
    int inter_a[RG_MAX_INTERACTIONS], inter_b[RG_MAX_INTERACTIONS];
    double inter_psi[RG_MAX_INTERACTIONS];

    /* microenvironment */
    double hyp_max, hyp_half, hyp_q;
    double stroma_s;
    size_t n_stroma_inh;
    rg_inhibitor stroma_inh[RG_MAX_INHIB];
    rg_combine stroma_combine;

    /* Friberg */
    double ktr, circ0, fgamma;

    /* pharmacokinetics of the current decision interval: c_d(t) = pk_a + pk_b e^{-k (t-t0)} */
    double pk_t0;
    double pk_a[RG_MAX_DRUGS], pk_b[RG_MAX_DRUGS];
    /* set by rg_model_set_pk: a killing drug with a non-integer Hill exponent switches on
     * from c ~ 0, so kappa ~ t^n is not smooth at t0: integrators start with a small step */
    bool singular_start;
    /* set by the simulation loop: a bolus was given at t0 (concentrations jumped up) */
    bool bolus_restart;
    /* set by the simulation loop: nothing changed at t0 (no bolus, the same continuous levels,
     * no clone set to zero), so the right-hand side is smooth across it and an integrator may
     * go on with a step that runs past t0 */
    bool smooth_continue;
    /* set by the simulation loop: the run's cancellation flag (NULL: never; sim.h) */
    const volatile sig_atomic_t *cancel;

    /* scratch written by rg_model_rhs (valid after each call) */
    double c[RG_MAX_DRUGS];       /* plasma concentrations at t */
    double g[RG_MAX_CLONES];      /* g_i */
    double kill[RG_MAX_CLONES];   /* kill_i */
    double inflow[RG_MAX_CLONES]; /* switching inflow into clone i, cells/day */
    double netg[RG_MAX_CLONES];   /* g_i - delta_i - kill_i */
    double hflux[RG_MAX_CLONES];  /* inflow into hazard clone i from non-resistant clones */
    double mI[RG_MAX_MECHS];      /* inhibitor occupancy I of each mechanism */
    double kap[RG_MAX_DRUGS];
    double fhyp; /* hypoxic fraction */
    /* Which side of every kink of the right-hand side (min(1, sum o), max(g, 0), max(0, kill),
     * max(0.01, 1 - sum gamma c)) this evaluation took, hashed: the integrator
     * shrinks a step that straddles a change (dop853.c). */
    uint64_t sig;
    size_t evals; /* right-hand side calls since compile */

    /* ---- Tables: rg_model_compile writes them up to the sizes above and does not clear
     * them (they are most of the struct; clearing them at every run evicted the cache).
     * Keep `a` first: everything from it on is left alone. */
    double a[RG_MAX_CLONES * RG_MAX_CLONES];    /* packed a[i * n + j] */
    double gamma[RG_MAX_CLONES * RG_MAX_DRUGS]; /* packed gamma[i * nd + d] */
    /* The kill of clone i by drug d with the folds of its fixed mechanisms (no hypoxia
     * induction, no inhibitor) multiplied out: EC50 ec50_d F_exposure F_ec50 (D0) and
     * Emax_d / F_emax (E0); plain: no mechanism of the clone touches d's EC50 or exposure.
     * The mechanisms whose folds vary (dyn) are applied per evaluation. */
    double D0[RG_MAX_CLONES][RG_MAX_DRUGS], E0[RG_MAX_CLONES][RG_MAX_DRUGS];
    bool plain[RG_MAX_CLONES][RG_MAX_DRUGS];
    rg_model_carried dyn[RG_MAX_CLONES][RG_MAX_MECHS];
    rg_inhibitor inh[RG_MAX_MECHS][RG_MAX_INHIB];
    /* switching */
    rg_model_edge edges[RG_MAX_MUTATIONS];
} rg_model;

/* Fills m from p (defaults not yet resolved by a loader, such as a clone's K < 0, are
 * resolved here). RG_EINVAL for sizes beyond the limits or malformed indices. */
int rg_model_compile(rg_model *m, const rg_problem *p);

/* Sets the closed-form concentrations of one decision interval starting at t0. */
void rg_model_set_pk(rg_model *m, double t0, const double a[], const double b[]);

/* Concentrations c[0 .. nd-1] at time t of the current interval. */
void rg_model_conc(const rg_model *m, double t, double c[]);

/* Components of y an interval integrator advances: all ny, or the clones and L (n + 1) when
 * the Friberg states are stepped apart. */
static inline size_t rg_model_nint(const rg_model *m)
{
    return m->neut_apart ? m->ineut : m->ny;
}

/* Whether the run was asked to stop (m->cancel set and nonzero): the integrator checks it
 * once per accepted step, the neutrophil stepping once per sub-step (a load and a branch). */
static inline bool rg_model_canceled(const rg_model *m)
{
    return m->cancel && *m->cancel;
}

/* dy/dt at (t, y); reads max(x_i, 0). Fills the scratch fields. */
void rg_model_rhs(rg_model *m, double t, const double y[], double dy[]);

#endif
