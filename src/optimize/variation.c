/* Variation operators of the encodings (encoding.h states them).
 * Real-coded: bounded SBX and polynomial mutation exactly as in Deb's reference NSGA-II
 * code (nsga2-v1.1, crossover.c realcross and mutation.c real_mutate_ind; Deb and Agrawal
 * 1995, "Simulated binary crossover for continuous search space"; Deb and Goyal 1996).
 * Schedules: crossovers that move the doses of whole time ranges across drugs, and mutations
 * that act on one drug's on/off blocks and treatment holidays, dose by dose. */
#include <math.h>
#include <string.h>

#include "regimen/encoding.h"

#define SBX_EPS 1.0e-14

static double unif(gsl_rng *r)
{
    return gsl_rng_uniform(r);
}

static size_t uint_below(gsl_rng *r, size_t n)
{
    return (size_t)gsl_rng_uniform_int(r, (unsigned long)n);
}

void rg_encoding_random(const rg_encoding *e, gsl_rng *r, double genome[])
{
    if (e->kind == RG_ENC_SCHEDULE) {
        for (size_t i = 0; i < e->length; i++)
            genome[i] = (double)uint_below(r, e->n_levels);
        return;
    }
    for (size_t i = 0; i < e->length; i++)
        genome[i] = e->lower[i] + unif(r) * (e->upper[i] - e->lower[i]);
}

/* ---- real-coded operators ---- */

static double sbx_betaq(double rand, double beta, double eta)
{
    double alpha = 2.0 - pow(beta, -(eta + 1.0));
    if (rand <= 1.0 / alpha)
        return pow(rand * alpha, 1.0 / (eta + 1.0));
    return pow(1.0 / (2.0 - rand * alpha), 1.0 / (eta + 1.0));
}

static void sbx(const rg_encoding *e, gsl_rng *r, const double p1[], const double p2[],
                double c1[], double c2[])
{
    if (unif(r) > e->crossover_probability) {
        memcpy(c1, p1, e->length * sizeof *c1);
        memcpy(c2, p2, e->length * sizeof *c2);
        return;
    }
    for (size_t i = 0; i < e->length; i++) {
        if (unif(r) <= 0.5 && fabs(p1[i] - p2[i]) > SBX_EPS) {
            double y1 = fmin(p1[i], p2[i]), y2 = fmax(p1[i], p2[i]);
            double yl = e->lower[i], yu = e->upper[i];
            double rand = unif(r);
            double bq = sbx_betaq(rand, 1.0 + 2.0 * (y1 - yl) / (y2 - y1), e->sbx_eta);
            double a = 0.5 * ((y1 + y2) - bq * (y2 - y1));
            bq = sbx_betaq(rand, 1.0 + 2.0 * (yu - y2) / (y2 - y1), e->sbx_eta);
            double b = 0.5 * ((y1 + y2) + bq * (y2 - y1));
            a = fmin(fmax(a, yl), yu);
            b = fmin(fmax(b, yl), yu);
            if (unif(r) <= 0.5) {
                c1[i] = b;
                c2[i] = a;
            } else {
                c1[i] = a;
                c2[i] = b;
            }
        } else {
            c1[i] = p1[i];
            c2[i] = p2[i];
        }
    }
}

static void polynomial_mutation(const rg_encoding *e, gsl_rng *r, double x[])
{
    double eta = e->pm_eta, mut_pow = 1.0 / (eta + 1.0);
    for (size_t i = 0; i < e->length; i++) {
        if (unif(r) > e->mutation_probability)
            continue;
        double y = x[i], yl = e->lower[i], yu = e->upper[i];
        if (!(yu > yl))
            continue;
        double d1 = (y - yl) / (yu - yl), d2 = (yu - y) / (yu - yl);
        double rnd = unif(r), dq;
        if (rnd <= 0.5) {
            double val = 2.0 * rnd + (1.0 - 2.0 * rnd) * pow(1.0 - d1, eta + 1.0);
            dq = pow(val, mut_pow) - 1.0;
        } else {
            double val = 2.0 * (1.0 - rnd) + 2.0 * (rnd - 0.5) * pow(1.0 - d2, eta + 1.0);
            dq = 1.0 - pow(val, mut_pow);
        }
        y += dq * (yu - yl);
        x[i] = fmin(fmax(y, yl), yu);
    }
}

/* ---- schedule operators ---- */

/* Swaps between the children every gene whose dose falls on decision interval k, for every
 * drug: genes stay aligned in time, so drugs given together stay together. */
static void swap_interval(const rg_encoding *e, double c1[], double c2[], size_t k)
{
    for (size_t j = 0; j < e->n_drugs; j++) {
        if (k % e->every[j] != 0)
            continue;
        size_t g = e->first_gene[j] + k / e->every[j];
        double t = c1[g];
        c1[g] = c2[g];
        c2[g] = t;
    }
}

static void schedule_crossover(const rg_encoding *e, gsl_rng *r, const double p1[],
                               const double p2[], double c1[], double c2[])
{
    memcpy(c1, p1, e->length * sizeof *c1);
    memcpy(c2, p2, e->length * sizeof *c2);
    if (unif(r) > e->crossover_probability)
        return;
    size_t n = e->n_intervals;
    if (unif(r) < 0.5) {
        /* two-point block: the doses of every drug in intervals [a, b) */
        size_t a = uint_below(r, n + 1), b = uint_below(r, n + 1);
        if (a > b) {
            size_t t = a;
            a = b;
            b = t;
        }
        for (size_t k = a; k < b; k++)
            swap_interval(e, c1, c2, k);
    } else {
        for (size_t k = 0; k < n; k++)
            if (unif(r) < 0.5)
                swap_interval(e, c1, c2, k);
    }
}

/* The maximal run [*lo, *hi] of equal values around position k of row. */
static void run_around(const double row[], size_t n, size_t k, size_t *lo, size_t *hi)
{
    size_t a = k, b = k;
    while (a > 0 && row[a - 1] == row[k])
        a--;
    while (b + 1 < n && row[b + 1] == row[k])
        b++;
    *lo = a;
    *hi = b;
}

/* Shift the on/off block around a random dose of one drug (its n genes, row) one dose left
 * or right: the block's value moves into the neighbour on one side and the block gives up
 * its cell on the other side to the value that was there. */
static void shift_block(gsl_rng *r, double row[], size_t n)
{
    if (n < 2)
        return;
    size_t lo, hi;
    run_around(row, n, uint_below(r, n), &lo, &hi);
    bool right = unif(r) < 0.5;
    if (right && hi + 1 < n) {
        double outside = row[hi + 1];
        row[hi + 1] = row[lo];
        row[lo] = outside;
    } else if (!right && lo > 0) {
        double outside = row[lo - 1];
        row[lo - 1] = row[hi];
        row[hi] = outside;
    }
}

/* Lengthen (grow = true) or shorten a treatment holiday (a run of the lowest level, gene 0)
 * of one drug (its n genes, row) by one dose. Lengthening with no holiday opens one at a
 * random dose. */
static void holiday(const rg_encoding *e, gsl_rng *r, double row[], size_t n, bool grow)
{
    size_t count = 0;
    for (size_t k = 0; k < n; k++)
        if (row[k] == 0.0 && (k == 0 || row[k - 1] != 0.0))
            count++;
    if (count == 0) {
        if (grow)
            row[uint_below(r, n)] = 0.0;
        return;
    }
    size_t pick = uint_below(r, count), start = 0;
    for (size_t k = 0, c = 0; k < n; k++)
        if (row[k] == 0.0 && (k == 0 || row[k - 1] != 0.0) && c++ == pick) {
            start = k;
            break;
        }
    size_t lo, hi;
    run_around(row, n, start, &lo, &hi);
    bool at_end = unif(r) < 0.5;
    if (grow) {
        if (at_end && hi + 1 < n)
            row[hi + 1] = 0.0;
        else if (lo > 0)
            row[lo - 1] = 0.0;
        else if (hi + 1 < n)
            row[hi + 1] = 0.0;
    } else {
        /* the freed interval takes the level of the treatment next to it */
        if (at_end && hi + 1 < n)
            row[hi] = row[hi + 1];
        else if (lo > 0)
            row[lo] = row[lo - 1];
        else if (hi + 1 < n)
            row[hi] = row[hi + 1];
        else
            row[hi] = (double)(1 + uint_below(r, e->n_levels > 1 ? e->n_levels - 1 : 1));
    }
    if (row[hi] > (double)(e->n_levels - 1))
        row[hi] = (double)(e->n_levels - 1);
}

static void schedule_mutation(const rg_encoding *e, gsl_rng *r, double x[])
{
    for (size_t i = 0; i < e->length; i++)
        if (unif(r) < e->mutation_probability)
            x[i] = (double)uint_below(r, e->n_levels);
    if (unif(r) >= RG_SCHEDULE_STRUCT_RATE)
        return;
    size_t j = uint_below(r, e->n_drugs), n = e->n_genes[j];
    double *row = x + e->first_gene[j];
    switch (uint_below(r, 3)) {
    case 0: shift_block(r, row, n); break;
    case 1: holiday(e, r, row, n, true); break;
    default: holiday(e, r, row, n, false); break;
    }
}

void rg_encoding_crossover(const rg_encoding *e, gsl_rng *r, const double p1[],
                           const double p2[], double c1[], double c2[])
{
    if (e->kind == RG_ENC_SCHEDULE)
        schedule_crossover(e, r, p1, p2, c1, c2);
    else
        sbx(e, r, p1, p2, c1, c2);
}

void rg_encoding_mutate(const rg_encoding *e, gsl_rng *r, double genome[])
{
    if (e->kind == RG_ENC_SCHEDULE)
        schedule_mutation(e, r, genome);
    else
        polynomial_mutation(e, r, genome);
}
