/* regimen: the de novo emergence probability (docs/model.md section 6; kernel-internal).
 *
 * A lineage of resistant clone j born at t survives to t_end with probability
 * phi_j(t) = 1 / u_j(t), u_j' = (b_j - d_j) u_j - b_j backwards from u_j(t_end) = 1, and
 * L = sum_j integral flux_j phi_j dt. phi depends on t_end, known only when the run ends, so
 * the integrator records every accepted step of the forward run (rg_emergence_record) and a
 * backward pass (rg_emergence_hazard) forms L afterwards.
 *
 * Per step [s0, s1] and clone j, with A(t) = integral_{s0}^{t} (b - d) and
 * G(t) = integral_{s0}^{t} b e^{-A}, the solution is u(t) = e^{A(t)} (e^{-A(s1)} u(s1) + G(s1)
 * - G(t)): an affine map u(s0) = alpha u(s1) + G(s1), and the step's share of L is the
 * integral of flux e^{-A} / (u(s0) - G(t)). A, G and that integral are what DOP853 computes
 * for the augmented system A' = b - d, G' = b e^{-A}, l' = flux e^{-A} / (K - G) (K = u(s0), a
 * constant of the step) from the stage rates of the accepted step: the record keeps alpha,
 * G(s1) and, at the stages with a nonzero weight, w = h b_i flux e^{-A_i} and G_i. */
#ifndef REGIMEN_EMERGENCE_H
#define REGIMEN_EMERGENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/problem.h"

/* Stages of a DOP853 step with a nonzero weight of the 8th-order solution */
enum { RG_EM_NODES = 8 };

/* Accepted steps one evaluation may record (docs/model.md section 6) */
#define RG_EM_CAPACITY 16384

/* One hazard clone over one step */
typedef struct {
    double alpha; /* exp(-integral of (b - d)) */
    double G1;    /* G(s1) */
    double w[RG_EM_NODES], G[RG_EM_NODES];
} rg_em_clone;

/* The records of one run; sized by rg_emergence_alloc for n_haz clones. */
typedef struct {
    size_t n_haz, cap, n; /* clones, capacity and records in use */
    bool full;            /* a record was refused: the run must end flagged */
    double *t0, *t1;      /* cap each */
    rg_em_clone *rec;     /* cap * n_haz: record r, clone q at rec[r * n_haz + q] */
} rg_emergence;

/* The number of resistant clones fed by switching from a non-resistant clone (the model's
 * hazard clones). */
size_t rg_emergence_clones(const rg_problem *p);

/* Storage for up to `cap` steps of n_haz clones (nothing when n_haz is 0). RG_OK or
 * RG_ENOMEM. */
int rg_emergence_alloc(rg_emergence *e, size_t n_haz, size_t cap);
void rg_emergence_free(rg_emergence *e);

/* The n_haz clone records of a new step [t0, t1], for the integrator to fill (dop853.c), or
 * NULL (and e->full set) when the store is full. */
rg_em_clone *rg_emergence_push(rg_emergence *e, double t0, double t1);

/* Drops the records from index `from` on (the caller records that span again) and clears
 * e->full. */
void rg_emergence_truncate(rg_emergence *e, size_t from);

/* The backward pass from the last record's end (phi = 1 there): L. */
double rg_emergence_hazard(const rg_emergence *e);

#endif
