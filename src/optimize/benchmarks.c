/* The ZDT (Zitzler, Deb, Thiele 2000) and DTLZ (Deb, Thiele, Laumanns, Zitzler 2002) test
 * functions, written from the papers' definitions. */
#include "regimen/benchmarks.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const struct {
    const char *name;
    rg_benchmark kind;
} table[] = {
    {"zdt1", RG_BENCH_ZDT1},   {"zdt2", RG_BENCH_ZDT2}, {"zdt3", RG_BENCH_ZDT3},
    {"zdt4", RG_BENCH_ZDT4},   {"zdt6", RG_BENCH_ZDT6}, {"dtlz1", RG_BENCH_DTLZ1},
    {"dtlz2", RG_BENCH_DTLZ2},
};

rg_benchmark rg_benchmark_from_name(const char *name)
{
    if (!name)
        return RG_BENCH_NONE;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(name, table[i].name))
            return table[i].kind;
    return RG_BENCH_NONE;
}

const char *rg_benchmark_name(rg_benchmark kind)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].kind == kind)
            return table[i].name;
    return "none";
}

int rg_benchmark_check(rg_benchmark kind, size_t n_vars, size_t n_obj)
{
    switch (kind) {
    case RG_BENCH_ZDT1:
    case RG_BENCH_ZDT2:
    case RG_BENCH_ZDT3:
    case RG_BENCH_ZDT4:
    case RG_BENCH_ZDT6:
        return n_obj == 2 && n_vars >= 2 && n_vars <= RG_MAX_BENCH_VARS ? RG_OK : RG_EINVAL;
    case RG_BENCH_DTLZ1:
    case RG_BENCH_DTLZ2:
        return n_obj >= 2 && n_obj <= RG_MAX_OBJ && n_vars >= n_obj &&
                       n_vars <= RG_MAX_BENCH_VARS
                   ? RG_OK
                   : RG_EINVAL;
    case RG_BENCH_NONE: break;
    }
    return RG_EINVAL;
}

void rg_benchmark_bounds(rg_benchmark kind, size_t i, double *lower, double *upper)
{
    if (kind == RG_BENCH_ZDT4 && i > 0) {
        *lower = -5.0;
        *upper = 5.0;
    } else {
        *lower = 0.0;
        *upper = 1.0;
    }
}

int rg_benchmark_eval(rg_benchmark kind, size_t n, size_t m, const double x[], double f[])
{
    if (rg_benchmark_check(kind, n, m) != RG_OK)
        return RG_EINVAL;
    double s = 0.0, g, h;
    switch (kind) {
    case RG_BENCH_ZDT1:
    case RG_BENCH_ZDT2:
    case RG_BENCH_ZDT3:
        for (size_t i = 1; i < n; i++)
            s += x[i];
        g = 1.0 + 9.0 * s / (double)(n - 1);
        f[0] = x[0];
        if (kind == RG_BENCH_ZDT1)
            h = 1.0 - sqrt(f[0] / g);
        else if (kind == RG_BENCH_ZDT2)
            h = 1.0 - (f[0] / g) * (f[0] / g);
        else
            h = 1.0 - sqrt(f[0] / g) - (f[0] / g) * sin(10.0 * M_PI * f[0]);
        f[1] = g * h;
        return RG_OK;
    case RG_BENCH_ZDT4:
        for (size_t i = 1; i < n; i++)
            s += x[i] * x[i] - 10.0 * cos(4.0 * M_PI * x[i]);
        g = 1.0 + 10.0 * (double)(n - 1) + s;
        f[0] = x[0];
        f[1] = g * (1.0 - sqrt(f[0] / g));
        return RG_OK;
    case RG_BENCH_ZDT6: {
        double sn = sin(6.0 * M_PI * x[0]);
        f[0] = 1.0 - exp(-4.0 * x[0]) * pow(sn, 6.0);
        for (size_t i = 1; i < n; i++)
            s += x[i];
        g = 1.0 + 9.0 * pow(s / (double)(n - 1), 0.25);
        f[1] = g * (1.0 - (f[0] / g) * (f[0] / g));
        return RG_OK;
    }
    case RG_BENCH_DTLZ1: {
        size_t k = n - m + 1;
        for (size_t i = n - k; i < n; i++)
            s += (x[i] - 0.5) * (x[i] - 0.5) - cos(20.0 * M_PI * (x[i] - 0.5));
        g = 100.0 * ((double)k + s);
        /* f_j = 0.5 (1 + g) x_1 ... x_{M-1-j} (1 - x_{M-j}) (j = 0 has no last factor) */
        for (size_t j = 0; j < m; j++) {
            double v = 0.5 * (1.0 + g);
            for (size_t i = 0; i + 1 + j < m; i++)
                v *= x[i];
            if (j > 0)
                v *= 1.0 - x[m - 1 - j];
            f[j] = v;
        }
        return RG_OK;
    }
    case RG_BENCH_DTLZ2: {
        size_t k = n - m + 1;
        for (size_t i = n - k; i < n; i++)
            s += (x[i] - 0.5) * (x[i] - 0.5);
        g = s;
        for (size_t j = 0; j < m; j++) {
            double v = 1.0 + g;
            for (size_t i = 0; i + 1 + j < m; i++)
                v *= cos(0.5 * M_PI * x[i]);
            if (j > 0)
                v *= sin(0.5 * M_PI * x[m - 1 - j]);
            f[j] = v;
        }
        return RG_OK;
    }
    case RG_BENCH_NONE: break;
    }
    return RG_EINVAL;
}
