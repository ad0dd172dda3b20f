/* regimen: the standard multi-objective test functions, all minimised.
 *
 * ZDT1, ZDT2, ZDT3, ZDT4, ZDT6: Zitzler, Deb and Thiele 2000, "Comparison of multiobjective
 * evolutionary algorithms: empirical results", Evolutionary Computation 8(2), 173-195
 * (two objectives; ZDT4: x1 in [0, 1], x2..xn in [-5, 5]; the others in [0, 1]).
 * DTLZ1, DTLZ2: Deb, Thiele, Laumanns and Zitzler 2002, "Scalable multi-objective
 * optimization test problems", CEC 2002 (M >= 2 objectives, n >= M variables in [0, 1],
 * k = n - M + 1 distance variables). */
#ifndef REGIMEN_BENCHMARKS_H
#define REGIMEN_BENCHMARKS_H

#include <stddef.h>

#include "regimen/problem.h"

/* "zdt1" .. "dtlz2" -> kind; RG_BENCH_NONE when unknown. */
rg_benchmark rg_benchmark_from_name(const char *name);
const char *rg_benchmark_name(rg_benchmark kind);

/* RG_OK when n_vars and n_obj suit the function (ZDT: n_obj = 2, n_vars >= 2; DTLZ:
 * 2 <= n_obj <= RG_MAX_OBJ, n_vars >= n_obj), RG_EINVAL otherwise. */
int rg_benchmark_check(rg_benchmark kind, size_t n_vars, size_t n_obj);

/* Bounds of variable i. */
void rg_benchmark_bounds(rg_benchmark kind, size_t i, double *lower, double *upper);

/* f[0 .. n_obj - 1] at x[0 .. n_vars - 1]. RG_EINVAL when the sizes do not suit. */
int rg_benchmark_eval(rg_benchmark kind, size_t n_vars, size_t n_obj, const double x[],
                      double f[]);

#endif
