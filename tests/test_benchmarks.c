/* ZDT and DTLZ functions at points whose values follow by hand from the definitions
 * (Zitzler, Deb, Thiele 2000; Deb, Thiele, Laumanns, Zitzler 2002). */
#include <string.h>

#include "rg_test.h"

#include "regimen/benchmarks.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void test_names_and_checks(void **state)
{
    (void)state;
    assert_int_equal(rg_benchmark_from_name("zdt4"), RG_BENCH_ZDT4);
    assert_int_equal(rg_benchmark_from_name("dtlz2"), RG_BENCH_DTLZ2);
    assert_int_equal(rg_benchmark_from_name("zdt5"), RG_BENCH_NONE);
    assert_string_equal(rg_benchmark_name(RG_BENCH_ZDT6), "zdt6");
    assert_int_equal(rg_benchmark_check(RG_BENCH_ZDT1, 30, 2), RG_OK);
    assert_int_equal(rg_benchmark_check(RG_BENCH_ZDT1, 30, 3), RG_EINVAL);
    assert_int_equal(rg_benchmark_check(RG_BENCH_ZDT1, 1, 2), RG_EINVAL);
    assert_int_equal(rg_benchmark_check(RG_BENCH_DTLZ1, 4, 5), RG_EINVAL);
    assert_int_equal(rg_benchmark_check(RG_BENCH_DTLZ2, 14, 5), RG_OK);
    double lo, hi;
    rg_benchmark_bounds(RG_BENCH_ZDT4, 0, &lo, &hi);
    assert_true(lo == 0.0 && hi == 1.0);
    rg_benchmark_bounds(RG_BENCH_ZDT4, 3, &lo, &hi);
    assert_true(lo == -5.0 && hi == 5.0);
    double x[3] = {0.5, 0.5, 0.5}, f[3];
    assert_int_equal(rg_benchmark_eval(RG_BENCH_ZDT1, 3, 3, x, f), RG_EINVAL);
}

static void test_zdt(void **state)
{
    (void)state;
    double x[30], f[2];
    memset(x, 0, sizeof x);
    x[0] = 0.36;
    /* on the front (g = 1) */
    rg_benchmark_eval(RG_BENCH_ZDT1, 30, 2, x, f);
    assert_close(f[0], 0.36, 0, 0);
    assert_close(f[1], 0.4, 1e-15, 0);
    rg_benchmark_eval(RG_BENCH_ZDT2, 30, 2, x, f);
    assert_close(f[1], 1.0 - 0.1296, 1e-15, 0);
    rg_benchmark_eval(RG_BENCH_ZDT3, 30, 2, x, f);
    assert_close(f[1], 1.0 - 0.6 - 0.36 * sin(3.6 * M_PI), 1e-14, 0);
    /* off the front: x2..x30 = 0.25 -> g = 1 + 9 * 0.25 = 3.25 */
    for (size_t i = 1; i < 30; i++)
        x[i] = 0.25;
    rg_benchmark_eval(RG_BENCH_ZDT1, 30, 2, x, f);
    assert_close(f[1], 3.25 * (1.0 - sqrt(0.36 / 3.25)), 1e-15, 0);
    /* ZDT4 with x2..x10 = 0: g = 1 + 90 + 9 * (0 - 10) = 1 */
    double y[10] = {0.49};
    rg_benchmark_eval(RG_BENCH_ZDT4, 10, 2, y, f);
    assert_close(f[1], 1.0 - 0.7, 1e-14, 0);
    /* x2..x10 = 0.5: cos(2 pi) = 1 -> g = 1 + 90 + 9 (0.25 - 10) = 3.25 */
    for (size_t i = 1; i < 10; i++)
        y[i] = 0.5;
    rg_benchmark_eval(RG_BENCH_ZDT4, 10, 2, y, f);
    assert_close(f[1], 3.25 * (1.0 - sqrt(0.49 / 3.25)), 1e-13, 0);
    /* ZDT6 at x1 = 1/12: sin(pi/2) = 1, f1 = 1 - exp(-1/3); x2.. = 0.0625 -> g = 1 + 9 * 0.5 */
    double z[10];
    z[0] = 1.0 / 12.0;
    for (size_t i = 1; i < 10; i++)
        z[i] = 0.0625;
    rg_benchmark_eval(RG_BENCH_ZDT6, 10, 2, z, f);
    double f1 = 1.0 - exp(-1.0 / 3.0);
    assert_close(f[0], f1, 1e-15, 0);
    assert_close(f[1], 5.5 * (1.0 - (f1 / 5.5) * (f1 / 5.5)), 1e-14, 0);
}

static void test_dtlz(void **state)
{
    (void)state;
    /* DTLZ1, M = 3, n = 7: distance variables 0.5 -> g = 100 (5 + 5 (0 - 1)) = 0 */
    double x[7] = {0.3, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5}, f[5];
    rg_benchmark_eval(RG_BENCH_DTLZ1, 7, 3, x, f);
    assert_close(f[0], 0.5 * 0.3 * 0.8, 1e-15, 0);
    assert_close(f[1], 0.5 * 0.3 * 0.2, 1e-15, 0);
    assert_close(f[2], 0.5 * 0.7, 1e-15, 0);
    assert_close(f[0] + f[1] + f[2], 0.5, 1e-15, 0);
    /* a distance variable at 0: (0.25 - cos(-10 pi)) = -0.75 -> g = 100 (5 - 4 - 0.75) = 25 */
    x[6] = 0.0;
    rg_benchmark_eval(RG_BENCH_DTLZ1, 7, 3, x, f);
    assert_close(f[0] + f[1] + f[2], 0.5 * 26.0, 1e-13, 0);
    /* DTLZ2, M = 4, n = 13: on the front sum f^2 = 1; f_M = sin(x1 pi/2) */
    double y[13] = {0.2, 0.4, 0.9};
    for (size_t i = 3; i < 13; i++)
        y[i] = 0.5;
    rg_benchmark_eval(RG_BENCH_DTLZ2, 13, 4, y, f);
    double s = 0;
    for (size_t j = 0; j < 4; j++)
        s += f[j] * f[j];
    assert_close(s, 1.0, 1e-14, 0);
    assert_close(f[3], sin(0.1 * M_PI), 1e-15, 0);
    assert_close(f[0], cos(0.1 * M_PI) * cos(0.2 * M_PI) * cos(0.45 * M_PI), 1e-15, 0);
    assert_close(f[2], cos(0.1 * M_PI) * sin(0.2 * M_PI), 1e-15, 0);
    y[12] = 0.0; /* g = 0.25 */
    rg_benchmark_eval(RG_BENCH_DTLZ2, 13, 4, y, f);
    assert_close(f[3], 1.25 * sin(0.1 * M_PI), 1e-15, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_checks),
        cmocka_unit_test(test_zdt),
        cmocka_unit_test(test_dtlz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
