/* The archive (archive.h) against brute force: unbounded, it holds exactly the distinct
 * non-dominated admissible points offered, in canonical order, and its hypervolume never
 * decreases; bounded, it never exceeds its bound, stays mutually non-dominated and its
 * hypervolume never decreases; exclusive contributions match hypervolume differences
 * computed independently by inclusion-exclusion; a loaded archive is checked. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/archive.h"
#include "regimen/hypervolume.h"
#include "regimen/status.h"

enum { LEN = 3, NPTS = 400 };

/* Deterministic test numbers (xorshift64*), independent of the optimiser's generator. */
static double urand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Points on and behind a concave front, coarse enough for ties; every 7th infeasible, every
 * 11th a failure (1e300), every 13th a copy of an earlier point (same genome and result),
 * every 17th the fitness of an earlier point with another genome. */
static void make_points(size_t n, size_t m, uint64_t seed, double *gen, rg_eval_result *res)
{
    uint64_t s = seed;
    memset(res, 0, n * sizeof *res);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < m; j++) {
            double u = floor(urand(&s) * 64.0) / 64.0 + 1.0 / 128.0;
            res[i].fitness[j] = u;
            sum += u * u;
        }
        double r = sqrt(sum) / (1.0 + 0.5 * urand(&s)); /* pull some towards the front */
        for (size_t j = 0; j < m; j++) {
            res[i].fitness[j] = floor(res[i].fitness[j] / r * 32.0) / 32.0;
            res[i].value[j] = res[i].fitness[j];
        }
        for (size_t k = 0; k < LEN; k++)
            gen[i * LEN + k] = urand(&s);
        if (i % 7 == 6)
            res[i].violation = 0.5;
        if (i % 11 == 10)
            rg_eval_result_fail(&res[i], m, RG_RES_FAILED, "test");
        if (i % 13 == 12 && i > 20) {
            memcpy(gen + i * LEN, gen + (i - 20) * LEN, LEN * sizeof *gen);
            res[i] = res[i - 20];
        }
        if (i % 17 == 16 && i > 30)
            memcpy(res[i].fitness, res[i - 30].fitness, sizeof res[i].fitness);
    }
}

static bool dominated_by(const double *x, const double *y, size_t m)
{
    bool strict = false;
    for (size_t j = 0; j < m; j++) {
        if (y[j] > x[j])
            return false;
        strict = strict || y[j] < x[j];
    }
    return strict;
}

static bool admissible(const rg_eval_result *r, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!(fabs(r->fitness[j]) < 1e300))
            return false;
    return r->violation <= 0.0;
}

static int canon_cmp(const rg_eval_result *a, const double *ga, const rg_eval_result *b,
                     const double *gb, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (a->fitness[j] != b->fitness[j])
            return a->fitness[j] < b->fitness[j] ? -1 : 1;
    return memcmp(ga, gb, LEN * sizeof(double));
}

static double hv_of(const rg_archive *a, size_t m, const double ref[])
{
    size_t n = rg_archive_size(a);
    double *pts = malloc((n ? n : 1) * m * sizeof *pts);
    assert_non_null(pts);
    for (size_t i = 0; i < n; i++)
        memcpy(pts + i * m, rg_archive_results(a)[i].fitness, m * sizeof(double));
    rg_hv_workspace *w = rg_hv_alloc(n ? n : 1, m);
    assert_non_null(w);
    double v = 0.0;
    if (n)
        assert_int_equal(rg_hv_compute(w, pts, n, ref, &v), RG_OK);
    rg_hv_free(w);
    free(pts);
    return v;
}

/* Unbounded: the members are the distinct admissible points no admissible point dominates,
 * in canonical order; offered in batches of 32, the hypervolume never decreases. */
static void unbounded(size_t m)
{
    double *gen = malloc(NPTS * LEN * sizeof *gen);
    rg_eval_result *res = malloc(NPTS * sizeof *res);
    assert_non_null(gen);
    assert_non_null(res);
    make_points(NPTS, m, 0x9e3779b97f4a7c15ull + m, gen, res);
    double ref[RG_MAX_OBJ] = {1.5, 1.5, 1.5};
    rg_archive *a = rg_archive_alloc(LEN, m, 0);
    assert_non_null(a);
    double last = 0.0;
    for (size_t i = 0; i < NPTS; i += 32) {
        size_t k = NPTS - i < 32 ? NPTS - i : 32;
        assert_int_equal(rg_archive_offer(a, gen + i * LEN, res + i, k, ref), RG_OK);
        double v;
        assert_int_equal(rg_archive_hypervolume(a, ref, &v), RG_OK);
        assert_close(v, hv_of(a, m, ref), 1e-12, 0);
        assert_true(v >= last);
        last = v;
    }
    /* brute force: count the distinct non-dominated admissible points */
    size_t want = 0;
    for (size_t i = 0; i < NPTS; i++) {
        if (!admissible(&res[i], m))
            continue;
        bool keep = true;
        for (size_t q = 0; q < NPTS && keep; q++) {
            if (!admissible(&res[q], m))
                continue;
            if (dominated_by(res[i].fitness, res[q].fitness, m))
                keep = false;
            else if (q < i && canon_cmp(&res[q], gen + q * LEN, &res[i], gen + i * LEN, m) == 0)
                keep = false; /* a copy of an earlier point */
        }
        if (!keep)
            continue;
        want++;
        bool found = false;
        for (size_t t = 0; t < rg_archive_size(a) && !found; t++)
            found = canon_cmp(&rg_archive_results(a)[t], rg_archive_genomes(a) + t * LEN,
                              &res[i], gen + i * LEN, m) == 0;
        assert_true(found);
    }
    assert_int_equal(rg_archive_size(a), want);
    assert_true(want > 10);
    for (size_t t = 1; t < rg_archive_size(a); t++)
        assert_true(canon_cmp(&rg_archive_results(a)[t - 1],
                              rg_archive_genomes(a) + (t - 1) * LEN, &rg_archive_results(a)[t],
                              rg_archive_genomes(a) + t * LEN, m) < 0);
    /* offering the same points again changes nothing */
    size_t before = rg_archive_size(a);
    assert_int_equal(rg_archive_offer(a, gen, res, NPTS, ref), RG_OK);
    assert_int_equal(rg_archive_size(a), before);
    rg_archive_free(a);
    free(gen);
    free(res);
}

static void test_unbounded_2(void **state)
{
    (void)state;
    unbounded(2);
}

static void test_unbounded_3(void **state)
{
    (void)state;
    unbounded(3);
}

/* Bounded: never above the bound, mutually non-dominated, hypervolume never decreasing
 * after each single offer. */
static void bounded(size_t m, size_t bound)
{
    double *gen = malloc(NPTS * LEN * sizeof *gen);
    rg_eval_result *res = malloc(NPTS * sizeof *res);
    assert_non_null(gen);
    assert_non_null(res);
    make_points(NPTS, m, 0x2545f4914f6cdd1dull + m, gen, res);
    double ref[RG_MAX_OBJ] = {1.2, 1.2, 1.2};
    rg_archive *a = rg_archive_alloc(LEN, m, bound);
    rg_archive *u = rg_archive_alloc(LEN, m, 0);
    assert_non_null(a);
    assert_non_null(u);
    double last = 0.0;
    for (size_t i = 0; i < NPTS; i++) {
        assert_int_equal(rg_archive_offer(a, gen + i * LEN, res + i, 1, ref), RG_OK);
        assert_int_equal(rg_archive_offer(u, gen + i * LEN, res + i, 1, ref), RG_OK);
        assert_true(rg_archive_size(a) <= bound);
        double v;
        assert_int_equal(rg_archive_hypervolume(a, ref, &v), RG_OK);
        assert_true(v >= last);
        last = v;
    }
    assert_int_equal(rg_archive_size(a), bound);
    assert_true(rg_archive_size(u) > bound); /* the bound was exercised */
    const rg_eval_result *r = rg_archive_results(a);
    for (size_t i = 0; i < bound; i++)
        for (size_t q = 0; q < bound; q++)
            assert_false(dominated_by(r[i].fitness, r[q].fitness, m));
    /* the bounded archive keeps most of the unbounded one's hypervolume */
    double hu, ha;
    assert_int_equal(rg_archive_hypervolume(u, ref, &hu), RG_OK);
    assert_int_equal(rg_archive_hypervolume(a, ref, &ha), RG_OK);
    assert_true(ha <= hu && ha > 0.9 * hu);
    rg_archive_free(a);
    rg_archive_free(u);
    free(gen);
    free(res);
}

static void test_bounded_2(void **state)
{
    (void)state;
    bounded(2, 12);
}

static void test_bounded_3(void **state)
{
    (void)state;
    bounded(3, 16);
}

/* Inclusion-exclusion over all non-empty subsets of n <= 12 points (the independent
 * reference for the exclusive contributions). */
static double hv_ie(const double *p, size_t n, size_t m, const double *ref)
{
    double total = 0.0;
    for (unsigned long mask = 1; mask < (1ul << n); mask++) {
        double v = 1.0;
        int bits = 0;
        for (size_t j = 0; j < m; j++) {
            double hi = -1e300;
            for (size_t i = 0; i < n; i++)
                if (mask & (1ul << i))
                    hi = fmax(hi, p[i * m + j]);
            v *= fmax(ref[j] - hi, 0.0);
        }
        for (size_t i = 0; i < n; i++)
            bits += (mask >> i) & 1ul;
        total += (bits & 1) ? v : -v;
    }
    return total;
}

static void contributions(size_t m)
{
    double gen[40 * LEN];
    rg_eval_result res[40];
    make_points(40, m, 77 + m, gen, res);
    double ref[RG_MAX_OBJ] = {1.0, 1.0, 1.0}; /* some members lie outside the box */
    rg_archive *a = rg_archive_alloc(LEN, m, 0);
    assert_non_null(a);
    assert_int_equal(rg_archive_offer(a, gen, res, m == 2 ? 40 : 24, ref), RG_OK);
    size_t n = rg_archive_size(a);
    assert_true(n >= 3 && n <= 12);
    double c[12], pts[12 * 3], all[12 * 3];
    assert_int_equal(rg_archive_contributions(a, ref, c), RG_OK);
    for (size_t i = 0; i < n; i++)
        memcpy(all + i * m, rg_archive_results(a)[i].fitness, m * sizeof(double));
    double total = hv_ie(all, n, m, ref);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (size_t q = 0; q < n; q++)
            if (q != i)
                memcpy(pts + k++ * m, all + q * m, m * sizeof(double));
        assert_close(c[i], total - hv_ie(pts, k, m, ref), 1e-9, 1e-12);
    }
    rg_archive_free(a);
}

static void test_contributions(void **state)
{
    (void)state;
    contributions(2);
    contributions(3);
}

/* A checkpoint's archive is loaded only when it is one: canonical order, admissible,
 * mutually non-dominated, within the bound. */
static void test_load(void **state)
{
    (void)state;
    double gen[NPTS * LEN];
    rg_eval_result res[NPTS];
    make_points(NPTS, 2, 5, gen, res);
    double ref[2] = {1.5, 1.5};
    rg_archive *a = rg_archive_alloc(LEN, 2, 0), *b = rg_archive_alloc(LEN, 2, 0);
    rg_archive *small = rg_archive_alloc(LEN, 2, 2);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(small);
    assert_int_equal(rg_archive_offer(a, gen, res, NPTS, ref), RG_OK);
    size_t n = rg_archive_size(a);
    assert_true(n >= 3);
    double *g = malloc(n * LEN * sizeof *g);
    rg_eval_result *r = malloc(n * sizeof *r);
    assert_non_null(g);
    assert_non_null(r);
    memcpy(g, rg_archive_genomes(a), n * LEN * sizeof *g);
    memcpy(r, rg_archive_results(a), n * sizeof *r);
    assert_int_equal(rg_archive_load(b, g, r, n), RG_OK);
    assert_int_equal(rg_archive_size(b), n);
    assert_memory_equal(rg_archive_genomes(b), g, n * LEN * sizeof *g);
    assert_int_equal(rg_archive_load(small, g, r, n), RG_EINVAL); /* above the bound */
    /* out of order: the first and the last member swapped */
    rg_eval_result t = r[0];
    r[0] = r[n - 1];
    r[n - 1] = t;
    assert_int_equal(rg_archive_load(b, g, r, n), RG_EINVAL);
    r[n - 1] = r[0];
    r[0] = t;
    r[1].fitness[0] = r[0].fitness[0] + 1e-9; /* now dominated by member 0 */
    r[1].fitness[1] = r[0].fitness[1] + 1.0;
    assert_int_equal(rg_archive_load(b, g, r, 2), RG_EINVAL);
    r[0].violation = 0.1; /* infeasible */
    assert_int_equal(rg_archive_load(b, g, r, 1), RG_EINVAL);
    rg_archive_free(a);
    rg_archive_free(b);
    rg_archive_free(small);
    free(g);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unbounded_2),   cmocka_unit_test(test_unbounded_3),
        cmocka_unit_test(test_bounded_2),     cmocka_unit_test(test_bounded_3),
        cmocka_unit_test(test_contributions), cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
