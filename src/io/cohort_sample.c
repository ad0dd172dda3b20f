/* Sampling a virtual cohort (cohort.h; docs/model.md section 13). */
#include "regimen/cohort.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "regimen/status.h"

/* The smallest point used: a Sobol coordinate or a shifted one may be exactly 0. */
#define RG_U_MIN 0x1p-53

/* The distribution on the standard scale: z = (g(x) - mu) / sigma with g = log for the
 * lognormal; the uniform works on x itself. */
static void standardise(const rg_dist *d, double *mu, double *sigma)
{
    switch (d->kind) {
    case RG_DIST_LOGNORMAL:
        *mu = log(d->a);
        *sigma = sqrt(log1p(d->b * d->b));
        return;
    case RG_DIST_NORMAL:
        *mu = d->a;
        *sigma = d->b;
        return;
    case RG_DIST_UNIFORM:
        *mu = 0.0;
        *sigma = 1.0;
        return;
    }
}

/* CDF of d at x (untruncated). */
static double cdf(const rg_dist *d, double x)
{
    double mu, sigma;
    standardise(d, &mu, &sigma);
    switch (d->kind) {
    case RG_DIST_LOGNORMAL:
        if (x <= 0.0)
            return 0.0;
        if (isinf(x))
            return 1.0;
        return sigma > 0 ? gsl_cdf_ugaussian_P((log(x) - mu) / sigma) : (x >= d->a ? 1.0 : 0.0);
    case RG_DIST_NORMAL:
        if (isinf(x))
            return x > 0 ? 1.0 : 0.0;
        return sigma > 0 ? gsl_cdf_ugaussian_P((x - mu) / sigma) : (x >= d->a ? 1.0 : 0.0);
    case RG_DIST_UNIFORM:
        if (x <= d->a)
            return 0.0;
        if (x >= d->b)
            return 1.0;
        return (x - d->a) / (d->b - d->a);
    }
    return 0.0;
}

double rg_dist_quantile(const rg_dist *d, double u)
{
    double flo = cdf(d, d->lo), fhi = cdf(d, d->hi);
    double p = flo + u * (fhi - flo);
    double mu, sigma, x;
    standardise(d, &mu, &sigma);
    switch (d->kind) {
    case RG_DIST_LOGNORMAL: x = exp(mu + sigma * gsl_cdf_ugaussian_Pinv(p)); break;
    case RG_DIST_NORMAL: x = mu + sigma * gsl_cdf_ugaussian_Pinv(p); break;
    default: x = d->a + p * (d->b - d->a); break;
    }
    /* the inverse CDF at the edge of a truncation may round past the bound */
    if (x < d->lo)
        x = d->lo;
    if (x > d->hi)
        x = d->hi;
    return x;
}

static double clamp_u(double u)
{
    return u < RG_U_MIN ? RG_U_MIN : u;
}

int rg_cohort_sample(const rg_dist d[], size_t m, bool sobol, unsigned long seed, size_t n,
                     double out[])
{
    if (m == 0 || (sobol && m > RG_SOBOL_MAX_DIM))
        return RG_EINVAL;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *u = malloc(m * sizeof *u), *shift = malloc(m * sizeof *shift);
    gsl_qrng *q = sobol ? gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)m) : NULL;
    int st = RG_OK;
    if (!r || !u || !shift || (sobol && !q)) {
        st = RG_ENOMEM;
        goto done;
    }
    gsl_rng_set(r, seed);
    /* Cranley-Patterson rotation: one uniform shift per dimension, drawn first */
    for (size_t j = 0; j < m; j++)
        shift[j] = gsl_rng_uniform(r);
    for (size_t i = 0; i < n; i++) {
        if (sobol) {
            gsl_qrng_get(q, u);
            for (size_t j = 0; j < m; j++) {
                double v = u[j] + shift[j];
                u[j] = clamp_u(v >= 1.0 ? v - 1.0 : v);
            }
        } else {
            for (size_t j = 0; j < m; j++)
                u[j] = clamp_u(gsl_rng_uniform(r));
        }
        for (size_t j = 0; j < m; j++)
            out[i * m + j] = rg_dist_quantile(&d[j], u[j]);
    }
done:
    gsl_qrng_free(q);
    gsl_rng_free(r);
    free(u);
    free(shift);
    return st;
}
