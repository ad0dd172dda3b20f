/* regimen: the Friberg neutrophil model advanced on its own (kernel-internal).
 *
 * The five Friberg states (docs/model.md section 7) depend on the drug concentrations alone,
 * not on the tumour, and are read only at visits. The kernel therefore takes them out of the
 * tumour's integration: there they were the fastest component (transit rate 4 / MTT, about 1
 * per day) and set the step size of the whole system; on their own they are stepped along the
 * visit grid, so that every visit is a step end and needs no interpolation, while the tumour
 * takes the long steps its own dynamics allow (docs/model.md section 11). */
#ifndef REGIMEN_FRIBERG_H
#define REGIMEN_FRIBERG_H
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include "regimen/model.h"
#include "regimen/status.h"

/* d/dt of (Prol, T1, T2, T3, Circ) at drug effect E and feedback fb = (circ0 / Circ)^gamma:
 * the one statement of docs/model.md section 7's equations, used by rg_model_rhs and
 * friberg.c. */
static inline void rg_friberg_deriv(double ktr, double E, double fb, const double nz[],
                                    double dn[])
{
    dn[0] = ktr * nz[0] * ((1.0 - E) * fb - 1.0);
    dn[1] = ktr * (nz[0] - nz[1]);
    dn[2] = ktr * (nz[1] - nz[2]);
    dn[3] = ktr * (nz[2] - nz[3]);
    dn[4] = ktr * (nz[3] - nz[4]);
}

/* Largest h * rate of one Friberg step, rate = max(k_tr (1 + |E|), elimination rates of the
 * myelotoxic drugs): the steps are Dormand-Prince 8 steps without error control, so their size
 * is set from the rates, and tests/test_sim_reference.c checks the result against GSL's rk8pd
 * at 1e-12 on 200 random models. */
#ifndef RG_FRIBERG_HRATE
#define RG_FRIBERG_HRATE 1.6
#endif

/* Near rest and without drug the chain is linear to within the square of its perturbation:
 * a visit period is then one exact step of the linearised chain, z - circ0 <- M (z - circ0)
 * with M = exp(J dv). Its error per unit perturbation is below RG_FRIBERG_LINEAR (relative
 * to circ0), so the absolute error stays under RG_FRIBERG_LINEAR^2 circ0 = 1e-10 circ0
 * (tests allow 1e-5 relative + 1e-6 circ0); the drug effect must be below 1e-13 as well. */
#ifndef RG_FRIBERG_LINEAR
#define RG_FRIBERG_LINEAR 1e-5
#endif

/* What the neutrophil stepping keeps between calls: the exact propagator of the linearised
 * chain over one visit period. Caller-owned, set up once per run. */
typedef struct {
    bool ready;                               /* M is set, for dv, ktr and gamma */
    double dv, ktr, gamma;                    /* the visit period and chain M is for */
    double M[RG_NEUT_STATES][RG_NEUT_STATES]; /* exp(J dv) */
    /* statistics since setup: Dormand-Prince steps (12 derivative calls each) and visit
     * periods taken by the linear propagator */
    size_t steps, linear_periods;
    /* the most steps may reach: advancing past it returns RG_EBUDGET (0: no bound). The
     * simulation sets it from the evaluation's step budget (docs/model.md section 10) */
    size_t budget;
} rg_friberg;

/* M for model m (its k_tr and gamma) and visit period dv: scaling and squaring of the Taylor
 * series (error below 1e-16); kept when they are those of the last call. Resets the
 * statistics. f must start zeroed (the sim workspace is calloc'ed). */
void rg_friberg_setup(rg_friberg *f, const rg_model *m, double dv);

/* Advances nz (the five states at t0, under m's current pharmacokinetics) over nvis visit
 * periods of f->dv days: the states at t0 + q dv, q = 1 .. nvis - 1, go to out[(q - 1) *
 * stride + 0 .. 4], and nz ends at t0 + nvis dv. Allocates nothing. Returns RG_OK,
 * RG_ECANCELED (nz and out then partly advanced) when m's cancellation flag is found set
 * before a sub-step, or RG_EBUDGET when a visit period's steps would take f->steps past
 * f->budget. */
int rg_friberg_advance(rg_friberg *f, const rg_model *m, double t0, size_t nvis, double nz[],
                       double out[], size_t stride);
/* The last advance of the chain over each decision interval of the runs on one workspace,
 * so that a run whose inputs for an interval are bit for bit those of an earlier run takes
 * that run's outputs (docs/model.md section 13: a schedule on a cohort steps the chain once).
 * Slot k holds interval k's key (every input rg_friberg_advance reads: t0, the visit count,
 * the states at t0, dv, k_tr, gamma, Circ_0, and each myelotoxic drug's index, slope,
 * elimination rate and PK coefficients with the PK origin) and its outputs (the states at
 * the interval's visits and end, in rows k nvis .. k nvis + nvis - 1, and the steps and
 * linear periods it took). Owned by the sim workspace; allocated once. */
typedef struct {
    size_t cap_slots, cap_rows, key_stride;
    size_t vpi;          /* visits per interval the stored slots are for (0: none stored) */
    double *keys;        /* cap_slots * key_stride */
    size_t *key_len;     /* doubles of each slot's key; 0: the slot is empty */
    double *rows;        /* cap_rows * RG_NEUT_STATES */
    size_t *steps;       /* per slot: Dormand-Prince steps the advance took */
    size_t *linear;      /* per slot: visit periods the linear propagator took */
    size_t hits, misses; /* advances taken from a slot, and stepped */
} rg_friberg_memo;

/* Storage for intervals 0 .. slots - 1, rows visit rows, drugs drugs at most. RG_OK or
 * RG_ENOMEM (mm then holds nothing; rg_friberg_memo_free is still safe). */
int rg_friberg_memo_alloc(rg_friberg_memo *mm, size_t slots, size_t rows, size_t drugs);
void rg_friberg_memo_free(rg_friberg_memo *mm);

/* rg_friberg_advance over decision interval k (t0 = t_k, nvis visit periods), through the
 * memo: when slot k's key is this call's and its steps fit f's budget, copies the stored
 * outputs into out and nz and adds the stored steps to f; otherwise steps the chain and, on
 * success, stores the call in slot k. Same results, bit for bit, either way. */
int rg_friberg_advance_memo(rg_friberg *f, rg_friberg_memo *mm, size_t k, const rg_model *m,
                            double t0, size_t nvis, double nz[], double out[], size_t stride);

#endif
