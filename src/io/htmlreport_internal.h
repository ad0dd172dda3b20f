/* Internal to the io layer: the pieces of `regimen report`'s page (htmlreport.h), one file
 * per figure, and the SVG and text helpers they share (htmlreport_svg.c). Every writer
 * prints XHTML-compatible markup (closed empty elements, escaped text) so that a strict XML
 * parser reads the page as well as a browser does. */
#ifndef REGIMEN_IO_HTMLREPORT_INTERNAL_H
#define REGIMEN_IO_HTMLREPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "regimen/htmlreport.h"

/* What every piece reads: the page's output, the run, and its problem (NULL when the
 * results file's problem text no longer loads: the pieces that need it say so). */
typedef struct {
    FILE *f;
    const rg_results *r;
    const rg_problem *p;
    const char *source; /* the results file's name, as given */
} rg_hr_page;

/* A linear or log10 map from data [d0, d1] to pixels [p0, p1]. */
typedef struct {
    double d0, d1, p0, p1;
    bool log;
} rg_hr_scale;

/* ---- htmlreport_svg.c ---- */
/* s with &, <, >, " and ' escaped for XML text and attribute values. */
void rg_hr_text(FILE *f, const char *s);
/* v as %.6g ("NaN", "inf" spelt out), into buf. */
const char *rg_hr_num(char buf[40], double v);
/* Objective m's value as a person reads it: a censored TTP (flags RG_RES_CENSORED) is a lower
 * bound, "&gt;728" in markup, ">728" here (escape it when printing). */
const char *rg_hr_value(char buf[48], const rg_results *r, size_t m, double v, uint32_t flags);
double rg_hr_map(const rg_hr_scale *s, double v);
/* Up to cap "nice" tick values (1, 2 or 5 times a power of ten apart; powers of ten on a log
 * scale) inside the scale's domain; returns how many. */
size_t rg_hr_ticks(const rg_hr_scale *s, double out[], size_t cap);
/* The data range [lo, hi] widened by a margin for a plot (a 5% pad, at least a unit when
 * lo == hi), not below 0 when lo >= 0 (no negative days or doses). */
void rg_hr_pad(double *lo, double *hi);
/* Axes: the frame, ticks and tick labels of x (bottom) and y (left), and the axis titles. */
void rg_hr_axes(FILE *f, const rg_hr_scale *x, const rg_hr_scale *y, const char *xtitle,
                const char *ytitle);
/* The colour of t in [0, 1] on a perceptually ordered scale (dark blue to yellow), "#rrggbb".
 */
const char *rg_hr_colour(char buf[8], double t);
/* The index of objective name in r, or -1. */
long rg_hr_objective(const rg_results *r, const char *name);
/* Regimen i's index among the standard regimens that serve as default references: which
 * == 0 the first MTD regimen, 1 the first adaptive one (by the problem's policies, or by
 * name when the problem did not load); -1 when there is none. */
long rg_hr_reference(const rg_hr_page *pg, int which);

/* ---- one figure or block each; RG_OK or RG_ENOMEM ---- */
int rg_hr_problem(const rg_hr_page *pg);     /* htmlreport_problem.c */
int rg_hr_front(const rg_hr_page *pg);       /* htmlreport_front.c */
int rg_hr_convergence(const rg_hr_page *pg); /* htmlreport_history.c */
int rg_hr_km(const rg_hr_page *pg);          /* htmlreport_km.c (cohort runs only) */
int rg_hr_data(const rg_hr_page *pg);        /* htmlreport_data.c: the JSON for the script */
/* Kaplan-Meier curve of front member i (regimen: false) or regimen i (true) over the
 * cohort's patients: rows written into t and s (n_patients + 1 each), count returned; 0 when
 * r has no cohort or no ttp objective. RG_ENOMEM is reported as a negative count. */
long rg_hr_km_curve(const rg_results *r, bool regimen, size_t i, double t[], double s[]);
/* htmlreport_assets.c: the stylesheet and the script, one line per string, NULL-terminated;
 * rg_hr_lines prints such a list. */
extern const char *const rg_hr_css[];
extern const char *const rg_hr_js[];
void rg_hr_lines(FILE *f, const char *const lines[]);

#endif
