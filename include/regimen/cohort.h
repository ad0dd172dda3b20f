/* regimen: sampling a virtual cohort (docs/model.md section 13).
 *
 * A sampled cohort draws each varied parameter from a distribution, optionally truncated,
 * by the inverse of its CDF at a point of (0, 1)^m: Sobol points (GSL's gsl_qrng_sobol,
 * at most 40 dimensions) with a Cranley-Patterson shift drawn from the seed, or MT19937
 * uniforms. The result depends on the seed only, never on the machine or the rank count. */
#ifndef REGIMEN_COHORT_H
#define REGIMEN_COHORT_H

#include <stdbool.h>
#include <stddef.h>

enum { RG_SOBOL_MAX_DIM = 40 };

typedef enum { RG_DIST_LOGNORMAL = 0, RG_DIST_NORMAL, RG_DIST_UNIFORM } rg_dist_kind;

typedef struct {
    rg_dist_kind kind;
    double a, b;   /* lognormal: median, cv; normal: mean, sd; uniform: min, max */
    double lo, hi; /* truncation; -HUGE_VAL / HUGE_VAL when absent */
} rg_dist;

/* The value at u in (0, 1) of distribution d truncated to [lo, hi]:
 * F^-1(F(lo) + u (F(hi) - F(lo))). */
double rg_dist_quantile(const rg_dist *d, double u);

/* n patients of m parameters into out[i * m + j] (patient i, parameter j): Sobol with the
 * seed's shift (sobol = true; m <= RG_SOBOL_MAX_DIM) or random. Returns RG_OK, RG_EINVAL
 * (m = 0, or m too large for Sobol) or RG_ENOMEM. */
int rg_cohort_sample(const rg_dist d[], size_t m, bool sobol, unsigned long seed, size_t n,
                     double out[]);

#endif
