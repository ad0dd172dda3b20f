/* The report's front: one scatter per ordered pair of objectives (the script shows the pair
 * chosen in the menus), the remaining objective as colour, the standard regimens as
 * numbered squares (hollow when infeasible) with their names in a legend, censored TTPs as
 * triangles pointing to where the true value lies, and a dashed line from each standard
 * regimen to the member of the fair summary that dominates it (rg_fair_dominator). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "htmlreport_internal.h"
#include "regimen/eval_result.h"
#include "regimen/fair.h"

enum { W = 680, H = 470, LEFT = 80, RIGHT = 590, TOP = 20, BOTTOM = 420 };

typedef struct {
    double x0, y0, x1, y1;
} box;

static bool overlaps(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* The range of objective m over the members and (with_regimens) the regimens (finite
 * values). */
static void range(const rg_results *r, size_t m, bool with_regimens, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < r->front_size; i++) {
        double v = r->front_objectives[i * r->n_obj + m];
        if (isfinite(v)) {
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
    }
    for (size_t i = 0; with_regimens && i < r->n_regimens; i++) {
        double v = r->regimen_objectives[i * r->n_obj + m];
        if (isfinite(v)) {
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
    }
}

static void axis_title(char buf[160], const rg_results *r, size_t m)
{
    const char *u = rg_results_objective_units(r->objective_names[m]);
    snprintf(buf, 160, "%s%s%s (%s)", r->objective_names[m], *u ? ", " : "", u,
             r->maximised[m] ? "higher is better" : "lower is better");
}

/* "member 3: ttp=>728, resistant_fraction=0.5" */
static void describe(FILE *f, const rg_results *r, const double obj[], uint32_t flags)
{
    char b[48];
    for (size_t m = 0; m < r->n_obj; m++) {
        fprintf(f, "%s%s=", m ? ", " : "", r->objective_names[m]);
        rg_hr_text(f, rg_hr_value(b, r, m, obj[m], flags));
    }
}

/* A member's marker: a circle, or for a censored TTP a triangle pointing along the TTP axis
 * (right on x, up on y, up when TTP is the colour). */
static void marker(FILE *f, double px, double py, int censored_dir, const char *fill,
                   bool feasible)
{
    const char *style = feasible ? "" : " class=\"hollow\"";
    if (!censored_dir) {
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"%s/>", px,
                py, feasible ? fill : "none", fill, style);
    } else if (censored_dir == 1) { /* right */
        fprintf(f, "<path d=\"M%.1f %.1fl-9 -5.5v11z\" fill=\"%s\" stroke=\"%s\"%s/>", px + 5.0,
                py, feasible ? fill : "none", fill, style);
    } else { /* up */
        fprintf(f, "<path d=\"M%.1f %.1fl5.5 9h-11z\" fill=\"%s\" stroke=\"%s\"%s/>", px,
                py - 5.0, feasible ? fill : "none", fill, style);
    }
}

/* true when a member's marker (a point of pts, with its 4-pixel radius) touches b */
static bool covers_member(const box *b, const double pts[], size_t n_pts)
{
    for (size_t q = 0; q < n_pts; q++) {
        double x = pts[2 * q], y = pts[2 * q + 1];
        if (x > b->x0 - 4.0 && x < b->x1 + 4.0 && y > b->y0 - 4.0 && y < b->y1 + 4.0)
            return true;
    }
    return false;
}

/* Places the label of a regimen's square (text of len characters near (px, py)) where it
 * overlaps no placed label or square: eight positions around the square, then the same
 * further out with a leader line; a place that covers no member's marker either is taken
 * first (pts: the members' n_pts marker centres, x and y). */
static void place_label(FILE *f, box placed[], size_t *n_placed, const double pts[],
                        size_t n_pts, double px, double py, size_t len, const char *text)
{
    static const double dx[8] = {9, 9, -9, -9, 0, 0, 14, -14};
    static const double dy[8] = {-7, 13, -7, 13, -11, 19, 4, 4};
    double w = 7.0 * (double)len + 2.0, h = 12.0;
    for (int pass = 0; pass < 2; pass++) {
        for (int ring = 1; ring <= 4; ring++) {
            for (int k = 0; k < 8; k++) {
                double tx = px + dx[k] * ring, ty = py + dy[k] * ring;
                double x0 = dx[k] > 0 ? tx : dx[k] < 0 ? tx - w : tx - w / 2.0;
                box b = {x0, ty - h + 2.0, x0 + w, ty + 2.0};
                bool free = b.x0 >= LEFT && b.x1 <= RIGHT && b.y0 >= TOP && b.y1 <= BOTTOM;
                for (size_t q = 0; free && q < *n_placed; q++)
                    free = !overlaps(&b, &placed[q]);
                if (free && pass == 0)
                    free = !covers_member(&b, pts, n_pts);
                if (!free && !(pass == 1 && ring == 4 && k == 7))
                    continue;
                placed[(*n_placed)++] = b;
                if (ring > 1)
                    fprintf(f,
                            "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\"/>",
                            px, py, (b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
                fprintf(f, "<text class=\"rl\" x=\"%.1f\" y=\"%.1f\">%s</text>", b.x0 + 1.0, ty,
                        text);
                return;
            }
        }
    }
}

static void colour_bar(FILE *f, const rg_results *r, size_t c, double lo, double hi)
{
    char col[8], b[40];
    fprintf(f, "<g class=\"cbar\" aria-hidden=\"true\">");
    for (int k = 0; k < 40; k++)
        fprintf(f, "<rect x=\"612\" y=\"%.1f\" width=\"14\" height=\"10.5\" fill=\"%s\"/>",
                BOTTOM - (k + 1) * 10.0, rg_hr_colour(col, (k + 0.5) / 40.0));
    /* the ends of the scale centred under and over the bar, three digits: inside the figure */
    snprintf(b, sizeof b, "%.3g", lo);
    fprintf(f, "<text class=\"tl\" x=\"619\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            BOTTOM + 14, b);
    snprintf(b, sizeof b, "%.3g", hi);
    fprintf(f, "<text class=\"tl\" x=\"619\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            TOP - 6, b);
    fprintf(f,
            "<text class=\"at\" transform=\"translate(660 %d) rotate(-90)\" "
            "text-anchor=\"middle\">colour: ",
            (TOP + BOTTOM) / 2);
    rg_hr_text(f, r->objective_names[c]);
    fprintf(f, "</text></g>\n");
}

/* One scatter: objective x across, y up, colour c (-1: none). */
static int scatter(const rg_hr_page *pg, size_t x, size_t y, long c, bool shown)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t M = r->n_obj, R = r->n_regimens;
    double xl, xh, yl, yh, cl = 0.0, ch = 1.0;
    range(r, x, true, &xl, &xh);
    range(r, y, true, &yl, &yh);
    rg_hr_pad(&xl, &xh);
    rg_hr_pad(&yl, &yh);
    if (c >= 0)
        range(r, (size_t)c, false, &cl, &ch); /* the colour is the members' only */
    rg_hr_scale sx = {xl, xh, LEFT, RIGHT, false}, sy = {yl, yh, BOTTOM, TOP, false};
    long ttp = rg_hr_objective(r, "ttp");
    int cdir = ttp == (long)x ? 1 : 2;
    char xt[160], yt[160], col[8];
    axis_title(xt, r, x);
    axis_title(yt, r, y);
    fprintf(f, "<figure class=\"front-plot\" data-x=\"%zu\" data-y=\"%zu\"%s>\n", x, y,
            shown ? "" : " hidden=\"hidden\"");
    fprintf(f,
            "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"ft-%zu-%zu fd-%zu-%zu\">"
            "<title id=\"ft-%zu-%zu\">The front: ",
            W, H, x, y, x, y, x, y);
    rg_hr_text(f, r->objective_names[y]);
    fputs(" against ", f);
    rg_hr_text(f, r->objective_names[x]);
    fprintf(f,
            "</title><desc id=\"fd-%zu-%zu\">%zu evolved members (circles; triangles: TTP "
            "censored at the horizon, a lower bound; hollow: infeasible) and %zu standard "
            "regimens (numbered squares, hollow when infeasible; names in the legend). ",
            x, y, r->front_size, R);
    if (c >= 0) {
        fputs("Colour: ", f);
        rg_hr_text(f, r->objective_names[c]);
        fputs(". ", f);
    }
    fputs("Dashed lines join a standard regimen to the evolved member that dominates it. The "
          "tables below hold every value.</desc>\n",
          f);
    rg_hr_axes(f, &sx, &sy, xt, yt);
    /* dominance lines under the markers */
    fprintf(f, "<g class=\"dom\">");
    for (size_t i = 0; i < R; i++) {
        long k = rg_fair_dominator(r, i);
        if (k < 0)
            continue;
        const double *a = r->regimen_objectives + i * M, *b = r->front_objectives + k * M;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                rg_hr_map(&sx, a[x]), rg_hr_map(&sy, a[y]), rg_hr_map(&sx, b[x]),
                rg_hr_map(&sy, b[y]));
    }
    double *pts = malloc((2 * r->front_size + 1) * sizeof *pts);
    if (!pts)
        return RG_ENOMEM;
    size_t n_pts = 0;
    fprintf(f, "</g>\n<g class=\"members\">\n");
    for (size_t i = 0; i < r->front_size; i++) {
        const double *o = r->front_objectives + i * M;
        if (!isfinite(o[x]) || !isfinite(o[y]))
            continue;
        pts[2 * n_pts] = rg_hr_map(&sx, o[x]);
        pts[2 * n_pts++ + 1] = rg_hr_map(&sy, o[y]);
        double t = c >= 0 && ch > cl ? (o[c] - cl) / (ch - cl) : 0.5;
        bool cens = ttp >= 0 && (r->front_flags[i] & RG_RES_CENSORED);
        fprintf(f, "<a href=\"#member=%zu\" tabindex=\"-1\" class=\"m%zu\">", i, i);
        marker(f, rg_hr_map(&sx, o[x]), rg_hr_map(&sy, o[y]), cens ? cdir : 0,
               rg_hr_colour(col, t),
               rg_results_feasible(r->front_violation[i], r->front_flags[i]));
        fprintf(f, "<title>member %zu: ", i);
        describe(f, r, o, r->front_flags[i]);
        fputs("</title></a>\n", f);
    }
    fprintf(f, "</g>\n<g class=\"regimens\">\n");
    box *placed = malloc((2 * R + 1) * sizeof *placed);
    if (!placed) {
        free(pts);
        return RG_ENOMEM;
    }
    size_t n_placed = 0;
    for (size_t i = 0; i < R; i++) { /* the squares first: no label may cover one */
        const double *o = r->regimen_objectives + i * M;
        double px = rg_hr_map(&sx, o[x]), py = rg_hr_map(&sy, o[y]);
        placed[n_placed++] = (box){px - 5.0, py - 5.0, px + 5.0, py + 5.0};
    }
    for (size_t i = 0; i < R; i++) {
        const double *o = r->regimen_objectives + i * M;
        if (!isfinite(o[x]) || !isfinite(o[y]))
            continue;
        double px = rg_hr_map(&sx, o[x]), py = rg_hr_map(&sy, o[y]);
        bool feas = rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i]);
        fputs("<a href=\"#regimen=", f);
        rg_hr_text(f, r->regimen_names[i]);
        fprintf(f,
                "\" tabindex=\"-1\" class=\"r%zu\"><rect class=\"%s\" x=\"%.1f\" "
                "y=\"%.1f\" width=\"9\" height=\"9\"/><title>",
                i, feas ? "reg" : "reg hollow", px - 4.5, py - 4.5);
        fprintf(f, "%zu ", i + 1);
        rg_hr_text(f, r->regimen_names[i]);
        fputs(feas ? ": " : " (infeasible): ", f);
        describe(f, r, o, r->regimen_flags[i]);
        fputs("</title></a>", f);
        if (ttp >= 0 && (r->regimen_flags[i] & RG_RES_CENSORED)) /* an arrow: "more than" */
        {
            if (cdir == 1)
                fprintf(f, "<path class=\"cens\" d=\"M%.1f %.1fh9m-3 -3l3 3l-3 3\"/>", px + 5.0,
                        py);
            else
                fprintf(f, "<path class=\"cens\" d=\"M%.1f %.1fv-9m-3 3l3 -3l3 3\"/>", px,
                        py - 5.0);
        }
        char num[24];
        snprintf(num, sizeof num, "%zu", i + 1);
        place_label(f, placed, &n_placed, pts, n_pts, px, py, strlen(num), num);
        fputc('\n', f);
    }
    free(placed);
    free(pts);
    fprintf(f, "</g>\n");
    if (c >= 0)
        colour_bar(f, r, (size_t)c, cl, ch);
    fprintf(f, "</svg></figure>\n");
    return RG_OK;
}

static void objective_menu(FILE *f, const rg_results *r, const char *id, const char *label,
                           size_t chosen)
{
    fprintf(f, "<label>%s <select id=\"%s\">", label, id);
    for (size_t m = 0; m < r->n_obj; m++) {
        fprintf(f, "<option value=\"%zu\"%s>", m, m == chosen ? " selected=\"selected\"" : "");
        rg_hr_text(f, r->objective_names[m]);
        fputs("</option>", f);
    }
    fputs("</select></label>\n", f);
}

/* The legend of the markers and the regimens' numbers, in HTML so it wraps and prints. */
static void legend(FILE *f, const rg_results *r)
{
    fputs(
        "<ul class=\"legend\"><li><svg class=\"key\" viewBox=\"0 0 12 12\" "
        "aria-hidden=\"true\">"
        "<circle cx=\"6\" cy=\"6\" r=\"4\"/></svg> evolved member</li>"
        "<li><svg class=\"key\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><path "
        "d=\"M11 6l-9 -5.5v11z\"/></svg> TTP censored (no progression by the horizon: a lower "
        "bound)</li><li><svg class=\"key\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><circle "
        "class=\"hollow\" cx=\"6\" cy=\"6\" r=\"4\" fill=\"none\" stroke=\"#333\"/></svg> "
        "infeasible (hollow)</li><li><svg class=\"key\" viewBox=\"0 0 12 12\" "
        "aria-hidden=\"true\"><line class=\"domkey\" x1=\"0\" y1=\"6\" x2=\"12\" "
        "y2=\"6\"/></svg> dominated by (fair summary)</li><li><svg class=\"key\" viewBox=\"0 "
        "0 12 12\" aria-hidden=\"true\"><path class=\"cens\" d=\"M1 6h9m-3 -3l3 3l-3 "
        "3\"/></svg> beside a square: the regimen's TTP is censored</li></ul>\n<ol "
        "class=\"regkey\">",
        f);
    for (size_t i = 0; i < r->n_regimens; i++) {
        bool feas = rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i]);
        fputs("<li><a href=\"#regimen=", f);
        rg_hr_text(f, r->regimen_names[i]);
        fputs("\">", f);
        rg_hr_text(f, r->regimen_names[i]);
        fprintf(f, "</a>%s</li>",
                feas ? ""
                     : " <span class=\"infeasible\">(infeasible, "
                       "hollow square)</span>");
    }
    fputs("</ol>\n", f);
}

int rg_hr_front(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t M = r->n_obj;
    fputs("<section id=\"front\"><h2>The front</h2>\n", f);
    if (M < 2 || r->front_size == 0) {
        fputs("<p>This run has no front to draw (fewer than two objectives or no member).</p>"
              "</section>\n",
              f);
        return RG_OK;
    }
    fprintf(f, "<p>%zu evolved members and %zu standard regimens. Choose the axes; ",
            r->front_size, r->n_regimens);
    fputs(M > 2 ? "the colour shows the first objective on neither axis. " : "", f);
    fputs("Click a marker, or a link in the tables, to show its calendar and curves.</p>\n"
          "<form class=\"menu\" id=\"front-menu\">",
          f);
    objective_menu(f, r, "front-x", "x axis", 0);
    objective_menu(f, r, "front-y", "y axis", 1);
    fputs("</form>\n", f);
    for (size_t x = 0; x < M; x++)
        for (size_t y = 0; y < M; y++) {
            if (x == y)
                continue;
            long c = -1;
            for (size_t m = 0; m < M && c < 0; m++)
                if (m != x && m != y)
                    c = (long)m;
            int rc = scatter(pg, x, y, c, x == 0 && y == 1);
            if (rc != RG_OK)
                return rc;
        }
    legend(f, r);
    fputs("</section>\n", f);
    return RG_OK;
}
