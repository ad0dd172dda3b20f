/* Hypervolume: every algorithm (2-D sweep, 3-D sweep, WFG) against brute-force
 * inclusion-exclusion and an exact grid decomposition on random small sets, against each
 * other on larger sets (embedding), and against analytic values of known fronts. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/hypervolume.h"
#include "regimen/status.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Deterministic test numbers (xorshift64*), independent of the optimiser's generator. */
static double urand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Inclusion-exclusion over all non-empty subsets: sum (-1)^(|S|+1) vol(intersection). */
static double hv_inclusion_exclusion(const double *p, size_t n, size_t d, const double *ref)
{
    double total = 0.0;
    for (unsigned long mask = 1; mask < (1ul << n); mask++) {
        double v = 1.0;
        int bits = 0;
        for (size_t j = 0; j < d; j++) {
            double hi = -1e300;
            for (size_t i = 0; i < n; i++)
                if (mask & (1ul << i))
                    hi = fmax(hi, p[i * d + j]);
            v *= fmax(ref[j] - hi, 0.0);
        }
        for (size_t i = 0; i < n; i++)
            bits += (mask >> i) & 1;
        total += (bits & 1) ? v : -v;
    }
    return total;
}

/* Exact grid: the distinct coordinates (and the reference) cut space into cells; a cell is
 * dominated when some point is <= its lower corner in every objective. */
static double hv_grid(const double *p, size_t n, size_t d, const double *ref)
{
    double *cut[8];
    size_t nc[8];
    for (size_t j = 0; j < d; j++) {
        cut[j] = malloc((n + 1) * sizeof(double));
        nc[j] = 0;
        for (size_t i = 0; i < n; i++)
            if (p[i * d + j] < ref[j])
                cut[j][nc[j]++] = p[i * d + j];
        cut[j][nc[j]++] = ref[j];
        for (size_t a = 1; a < nc[j]; a++) /* insertion sort */
            for (size_t b = a; b > 0 && cut[j][b - 1] > cut[j][b]; b--) {
                double t = cut[j][b];
                cut[j][b] = cut[j][b - 1];
                cut[j][b - 1] = t;
            }
    }
    size_t cell[8] = {0};
    double total = 0.0;
    for (;;) {
        bool ok = true;
        for (size_t j = 0; j < d; j++)
            ok = ok && cell[j] + 1 < nc[j];
        if (ok) {
            bool dom = false;
            for (size_t i = 0; i < n && !dom; i++) {
                size_t j = 0;
                while (j < d && p[i * d + j] <= cut[j][cell[j]])
                    j++;
                dom = j == d;
            }
            if (dom) {
                double v = 1.0;
                for (size_t j = 0; j < d; j++)
                    v *= cut[j][cell[j] + 1] - cut[j][cell[j]];
                total += v;
            }
        }
        size_t j = 0;
        while (j < d && ++cell[j] >= nc[j])
            cell[j++] = 0;
        if (j == d)
            break;
    }
    for (size_t j = 0; j < d; j++)
        free(cut[j]);
    return total;
}

static double hv(const double *p, size_t n, size_t d, const double *ref)
{
    double v = -1.0;
    assert_int_equal(rg_hypervolume(p, n, d, ref, &v), RG_OK);
    return v;
}

/* Random sets with dominated points, duplicates, ties and points beyond the reference. */
static void random_set(uint64_t *s, double *p, size_t n, size_t d, bool coarse)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++) {
            double x = urand(s) * 1.2;
            p[i * d + j] = coarse ? floor(x * 5.0) / 5.0 : x;
        }
        if (i > 0 && urand(s) < 0.1)
            memcpy(p + i * d, p + (i - 1) * d, d * sizeof(double));
    }
}

static void test_against_inclusion_exclusion(void **state)
{
    (void)state;
    uint64_t s = 0x9e3779b97f4a7c15ull;
    double p[12 * 5], ref[5] = {1.0, 1.05, 0.97, 1.1, 1.0};
    for (size_t d = 2; d <= 5; d++)
        for (int rep = 0; rep < 40; rep++) {
            size_t n = 1 + (size_t)(urand(&s) * 11.0);
            random_set(&s, p, n, d, rep % 3 == 0);
            double want = hv_inclusion_exclusion(p, n, d, ref);
            assert_close(hv(p, n, d, ref), want, 1e-12, 1e-14);
        }
}

static void test_against_grid(void **state)
{
    (void)state;
    uint64_t s = 12345;
    static double p[40 * 5];
    double ref[5] = {1.1, 1.1, 1.1, 1.1, 1.1};
    const size_t nmax[6] = {0, 0, 40, 40, 24, 14};
    for (size_t d = 2; d <= 5; d++)
        for (int rep = 0; rep < 10; rep++) {
            size_t n = nmax[d];
            random_set(&s, p, n, d, rep % 2 == 0);
            assert_close(hv(p, n, d, ref), hv_grid(p, n, d, ref), 1e-12, 1e-14);
        }
}

/* Larger sets: a d-objective set padded with a constant objective (0, reference 1) has the
 * same hypervolume, which sends 2-D sets through the 3-D sweep and 3-D sets through WFG. */
static void test_embedding(void **state)
{
    (void)state;
    uint64_t s = 777;
    enum { N = 300 };
    static double p3[N * 3], p4[N * 4], p2[N * 2], p2in3[N * 3];
    double ref3[3] = {1.0, 1.0, 1.0}, ref4[4] = {1.0, 1.0, 1.0, 1.0};
    for (size_t i = 0; i < N; i++) {
        /* points near the sphere so that many are non-dominated */
        double a = urand(&s) * M_PI / 2, b = urand(&s) * M_PI / 2, r = 0.7 + 0.1 * urand(&s);
        double x[3] = {r * cos(a) * cos(b), r * cos(a) * sin(b), r * sin(a)};
        for (size_t j = 0; j < 3; j++) {
            p3[i * 3 + j] = x[j];
            p4[i * 4 + j] = x[j];
        }
        p4[i * 4 + 3] = 0.0;
        p2[i * 2] = p2in3[i * 3] = r * cos(a);
        p2[i * 2 + 1] = p2in3[i * 3 + 1] = r * sin(a);
        p2in3[i * 3 + 2] = 0.0;
    }
    assert_close(hv(p4, N, 4, ref4), hv(p3, N, 3, ref3), 1e-12, 0);
    assert_close(hv(p2in3, N, 3, ref3), hv(p2, N, 2, ref3), 1e-12, 0);
}

/* Points on ZDT1's front f2 = 1 - sqrt(f1): the exact front has HV 0.1 + 2/3 + 0.11 =
 * 0.876666... with reference (1.1, 1.1). With n points equally spaced in f1 the missing
 * area is below sum (x_{i+1} - x_i)(y_i - y_{i+1}) <= 1/(n-1). */
static void test_zdt1_front(void **state)
{
    (void)state;
    enum { N = 2001 };
    static double p[N * 2];
    for (size_t i = 0; i < N; i++) {
        double x = (double)i / (N - 1);
        p[i * 2] = x;
        p[i * 2 + 1] = 1.0 - sqrt(x);
    }
    double ref[2] = {1.1, 1.1}, exact = 0.1 + 2.0 / 3.0 + 0.11;
    double v = hv(p, N, 2, ref);
    assert_true(v <= exact);
    assert_true(exact - v <= 1.0 / (N - 1));
    /* and the same points in three objectives through the sweep give the same */
    static double p3[N * 3];
    for (size_t i = 0; i < N; i++) {
        p3[i * 3] = p[i * 2];
        p3[i * 3 + 1] = p[i * 2 + 1];
        p3[i * 3 + 2] = 0.5;
    }
    double ref3[3] = {1.1, 1.1, 1.5};
    assert_close(hv(p3, N, 3, ref3), v, 1e-13, 0);
}

/* Points on the unit sphere's positive orthant (the DTLZ2 front) with reference 1: the exact
 * front dominates 1 - V_M / 2^M, V_M the unit ball's volume (M = 3: 1 - pi/6, M = 4:
 * 1 - pi^2/32). A finite set is below it and approaches it as the grid refines. */
static void sphere_grid(double *p, size_t k, size_t d, size_t *n)
{
    *n = 0;
    size_t idx[4] = {0};
    for (;;) {
        double ang[4], x[5];
        for (size_t j = 0; j + 1 < d; j++)
            ang[j] = (M_PI / 2) * (double)idx[j] / (double)(k - 1);
        for (size_t j = 0; j < d; j++) {
            double v = 1.0;
            for (size_t i = 0; i + 1 + j < d; i++)
                v *= cos(ang[i]);
            if (j > 0)
                v *= sin(ang[d - 1 - j]);
            x[j] = v;
        }
        memcpy(p + *n * d, x, d * sizeof(double));
        (*n)++;
        size_t j = 0;
        while (j + 1 < d && ++idx[j] >= k)
            idx[j++] = 0;
        if (j + 1 == d)
            break;
    }
}

static void test_sphere_front(void **state)
{
    (void)state;
    static double p[60 * 60 * 3];
    double ref[4] = {1, 1, 1, 1};
    size_t n;
    double exact3 = 1.0 - M_PI / 6.0, prev = 0.0;
    for (size_t k = 10; k <= 60; k += 25) {
        sphere_grid(p, k, 3, &n);
        double v = hv(p, n, 3, ref);
        assert_true(v < exact3 && v > prev);
        prev = v;
    }
    assert_true(exact3 - prev < 0.03);
    static double q[12 * 12 * 12 * 4];
    double exact4 = 1.0 - M_PI * M_PI / 32.0;
    sphere_grid(q, 12, 4, &n);
    double v4 = hv(q, n, 4, ref);
    assert_true(v4 < exact4 && exact4 - v4 < 0.1);
}

static void test_edge_cases(void **state)
{
    (void)state;
    double ref[3] = {1, 1, 1};
    double out = 5.0;
    assert_int_equal(rg_hypervolume(NULL, 0, 3, ref, &out), RG_OK);
    assert_close(out, 0.0, 0, 0);
    double on_ref[3] = {0.5, 1.0, 0.2}; /* touches the reference: contributes nothing */
    assert_close(hv(on_ref, 1, 3, ref), 0.0, 0, 0);
    double one[5] = {0.25, 0.5, 0.125, 0.75, 0.5}, ref5[5] = {1, 1, 1, 1, 1};
    assert_close(hv(one, 1, 5, ref5), 0.75 * 0.5 * 0.875 * 0.25 * 0.5, 1e-15, 0);
    rg_hv_workspace *w = rg_hv_alloc(2, 3);
    assert_non_null(w);
    double three[9] = {0};
    assert_int_equal(rg_hv_compute(w, three, 3, ref, &out), RG_EINVAL);
    rg_hv_free(w);
    rg_hv_free(NULL);
    assert_null(rg_hv_alloc(4, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_inclusion_exclusion),
        cmocka_unit_test(test_against_grid),
        cmocka_unit_test(test_embedding),
        cmocka_unit_test(test_zdt1_front),
        cmocka_unit_test(test_sphere_front),
        cmocka_unit_test(test_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
