/* Shared helpers for regimen's CMocka tests. Include after <cmocka.h>'s prerequisites. */
#ifndef RG_TEST_H
#define RG_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* cmocka 1.1.5 has no assert_double_equal and assert_float_equal compares in float:
 * |a - b| <= abs_tol + rel_tol * |b|, reported with full precision. */
#define assert_close(a, b, rel_tol, abs_tol)                                                 \
    rg_test_assert_close((double)(a), (double)(b), (double)(rel_tol), (double)(abs_tol), #a, \
                         #b, __FILE__, __LINE__)

static inline void rg_test_assert_close(double a, double b, double rel, double abs_tol,
                                        const char *sa, const char *sb, const char *file,
                                        int line)
{
    double err = fabs(a - b);
    if (!(err <= abs_tol + rel * fabs(b))) {
        print_error("%s = %.17g, %s = %.17g: |diff| %.3g > %.3g + %.3g*|%s|\n", sa, a, sb, b,
                    err, abs_tol, rel, sb);
        _fail(file, line);
    }
}

#endif
