/* The helpers every figure of the report shares: escaped text, numbers, scales, ticks, axes
 * and the colour scale. */
#include <math.h>
#include <string.h>

#include "htmlreport_internal.h"
#include "regimen/eval_result.h"

void rg_hr_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

void rg_hr_lines(FILE *f, const char *const lines[])
{
    for (size_t i = 0; lines[i]; i++) {
        fputs(lines[i], f);
        fputc('\n', f);
    }
}

const char *rg_hr_num(char buf[40], double v)
{
    if (isnan(v))
        snprintf(buf, 40, "NaN");
    else if (isinf(v))
        snprintf(buf, 40, "%sinf", v < 0 ? "-" : "");
    else
        snprintf(buf, 40, "%.6g", v);
    return buf;
}

const char *rg_hr_value(char buf[48], const rg_results *r, size_t m, double v, uint32_t flags)
{
    char n[40];
    bool censored = !strcmp(r->objective_names[m], "ttp") && (flags & RG_RES_CENSORED);
    snprintf(buf, 48, "%s%s", censored ? ">" : "", rg_hr_num(n, v));
    return buf;
}

double rg_hr_map(const rg_hr_scale *s, double v)
{
    double a = s->d0, b = s->d1;
    if (s->log) {
        a = log10(a);
        b = log10(b);
        v = log10(v);
    }
    return s->p0 + (v - a) / (b - a) * (s->p1 - s->p0);
}

/* 1, 2 or 5 times a power of ten, the smallest of them at least x */
static double nice_step(double x)
{
    double e = pow(10.0, floor(log10(x)));
    double f = x / e;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * e;
}

size_t rg_hr_ticks(const rg_hr_scale *s, double out[], size_t cap)
{
    size_t n = 0;
    if (s->log) {
        for (double k = ceil(log10(s->d0) - 1e-9); k <= log10(s->d1) + 1e-9 && n < cap; k++)
            out[n++] = pow(10.0, k);
        /* more than about eight decades: every second or third power only */
        size_t stride = n > 8 ? (n + 7) / 8 : 1;
        size_t m = 0;
        for (size_t q = 0; q < n; q += stride)
            out[m++] = out[q];
        return m;
    }
    double span = s->d1 - s->d0;
    if (!(span > 0.0))
        return 0;
    double step = nice_step(span / 6.0);
    for (double v = ceil(s->d0 / step - 1e-9) * step; v <= s->d1 + 1e-9 * span && n < cap;
         v += step)
        out[n++] = fabs(v) < 1e-12 * span ? 0.0 : v;
    return n;
}

void rg_hr_pad(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0.0;
        *hi = 1.0;
        return;
    }
    double span = *hi - *lo;
    double pad = span > 0.0 ? 0.05 * span : fmax(fabs(*lo) * 0.05, 1.0);
    bool nonneg = *lo >= 0.0;
    *lo -= pad;
    *hi += pad;
    if (nonneg && *lo < 0.0)
        *lo = 0.0;
}

void rg_hr_axes(FILE *f, const rg_hr_scale *x, const rg_hr_scale *y, const char *xtitle,
                const char *ytitle)
{
    double ticks[64];
    char b[40];
    fprintf(f,
            "<g class=\"axes\"><rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\"/>\n",
            x->p0, y->p1, x->p1 - x->p0, y->p0 - y->p1);
    size_t n = rg_hr_ticks(x, ticks, 64);
    for (size_t i = 0; i < n; i++) {
        double px = rg_hr_map(x, ticks[i]);
        fprintf(f,
                "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                px, y->p0, px, y->p0 + 5.0, px, y->p0 + 18.0, rg_hr_num(b, ticks[i]));
    }
    n = rg_hr_ticks(y, ticks, 64);
    for (size_t i = 0; i < n; i++) {
        double py = rg_hr_map(y, ticks[i]);
        fprintf(f,
                "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                x->p0 - 5.0, py, x->p0, py, x->p0 - 8.0, py + 4.0, rg_hr_num(b, ticks[i]));
    }
    fprintf(f, "<text class=\"at\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
            (x->p0 + x->p1) / 2.0, y->p0 + 38.0);
    rg_hr_text(f, xtitle);
    fprintf(f,
            "</text><text class=\"at\" transform=\"translate(%.1f %.1f) rotate(-90)\" "
            "text-anchor=\"middle\">",
            x->p0 - 52.0, (y->p0 + y->p1) / 2.0);
    rg_hr_text(f, ytitle);
    fprintf(f, "</text></g>\n");
}

/* Stops of the viridis colour map (van der Walt and Smith, matplotlib 2.0), a scale that
 * stays ordered in grey and for the common colour-vision deficiencies. */
static const unsigned char viridis[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                            {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                            {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};

const char *rg_hr_colour(char buf[8], double t)
{
    if (!(t >= 0.0))
        t = 0.0;
    if (t > 1.0)
        t = 1.0;
    double x = t * 8.0;
    size_t i = (size_t)floor(x);
    if (i >= 8)
        i = 7;
    double w = x - (double)i;
    int c[3];
    for (int k = 0; k < 3; k++)
        c[k] = (int)lround(viridis[i][k] * (1.0 - w) + viridis[i + 1][k] * w);
    snprintf(buf, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

long rg_hr_objective(const rg_results *r, const char *name)
{
    for (size_t m = 0; m < r->n_obj; m++)
        if (!strcmp(r->objective_names[m], name))
            return (long)m;
    return -1;
}

long rg_hr_reference(const rg_hr_page *pg, int which)
{
    const rg_results *r = pg->r;
    rg_policy_kind want = which == 0 ? RG_POLICY_MTD : RG_POLICY_ADAPTIVE;
    const char *prefix = which == 0 ? "mtd" : "adaptive";
    for (size_t i = 0; i < r->n_regimens; i++) {
        if (pg->p && i < pg->p->n_regimens &&
            !strcmp(pg->p->regimens[i].name, r->regimen_names[i])) {
            if (pg->p->regimens[i].policy == want)
                return (long)i;
        } else if (!strncmp(r->regimen_names[i], prefix, strlen(prefix))) {
            return (long)i;
        }
    }
    return -1;
}
