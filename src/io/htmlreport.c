/* `regimen report`'s page (htmlreport.h): the document around the figures, the fair summary,
 * the tables that are every figure's text alternative, and the selection panel that the
 * script fills (htmlreport_assets.c). */
#include <math.h>
#include <string.h>

#include "htmlreport_internal.h"
#include "regimen/eval_result.h"
#include "regimen/fair.h"
#include "regimen/encoding.h"
#include "regimen/recorder.h"

static void objective_heads(FILE *f, const rg_results *r)
{
    for (size_t m = 0; m < r->n_obj; m++) {
        fputs("<th scope=\"col\">", f);
        rg_hr_text(f, r->objective_names[m]);
        fprintf(f, " (%s)</th>", r->maximised[m] ? "max" : "min");
    }
}

static void objective_cells(FILE *f, const rg_results *r, const double o[], uint32_t flags)
{
    char b[48];
    for (size_t m = 0; m < r->n_obj; m++) {
        fputs("<td>", f);
        rg_hr_text(f, rg_hr_value(b, r, m, o[m], flags));
        fputs("</td>", f);
    }
}

/* Each standard regimen against the member of the front that dominates it. */
/* A regimen's row: its number and its name, a link that selects it. */
static void regimen_row_start(FILE *f, const rg_results *r, size_t i)
{
    fprintf(f, "<tr><td>%zu</td><td><a href=\"#regimen=", i + 1);
    rg_hr_text(f, r->regimen_names[i]);
    fputs("\">", f);
    rg_hr_text(f, r->regimen_names[i]);
    fputs("</a></td>", f);
}

static void fair(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t M = r->n_obj;
    if (r->n_regimens == 0 || r->front_size == 0 || M == 0)
        return;
    fputs("<section id=\"fair\"><h2>Standard regimens against the evolved front</h2>\n<p>A "
          "standard regimen is dominated by an evolved member that is feasible, gives some "
          "drug, is no worse on every objective and better on one; of those, the member with "
          "the largest gain in ",
          f);
    rg_hr_text(f, r->objective_names[0]);
    fputs(" is named (the same summary as <code>regimen info</code>).</p>\n<table><thead><tr>"
          "<th scope=\"col\">#</th><th scope=\"col\">regimen</th>",
          f);
    objective_heads(f, r);
    fputs("<th scope=\"col\">feasible</th><th scope=\"col\">dominated by</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < r->n_regimens; i++) {
        long k = rg_fair_dominator(r, i);
        bool feas = rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i]);
        regimen_row_start(f, r, i);
        objective_cells(f, r, r->regimen_objectives + i * M, r->regimen_flags[i]);
        fprintf(f, "<td>%s</td><td>", feas ? "yes" : "no");
        if (k < 0) {
            fputs("no evolved member</td></tr>\n", f);
            continue;
        }
        char b[40];
        fprintf(f, "<a href=\"#member=%ld\">member %ld</a> (", k, k);
        rg_hr_text(f, r->objective_names[0]);
        fprintf(f, " %s%s)</td></tr>\n",
                r->front_objectives[k * M] >= r->regimen_objectives[i * M] ? "+" : "",
                rg_hr_num(b, r->front_objectives[k * M] - r->regimen_objectives[i * M]));
    }
    fputs("</tbody></table></section>\n", f);
}

/* Every member and regimen in a table: the front figure's data, and a keyboard's way to
 * select one (each row's link). */
static void tables(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    size_t M = r->n_obj;
    fprintf(f,
            "<section id=\"tables\"><h2>Every member and regimen</h2>\n<details "
            "open=\"open\"><summary>%zu front members</summary><table id=\"members\">"
            "<thead><tr><th scope=\"col\">member</th>",
            r->front_size);
    objective_heads(f, r);
    fputs("<th scope=\"col\">feasible</th><th scope=\"col\">violation</th></tr></thead>"
          "<tbody>\n",
          f);
    char b[40];
    for (size_t i = 0; i < r->front_size; i++) {
        fprintf(f, "<tr id=\"row-member-%zu\"><td><a href=\"#member=%zu\">member %zu</a></td>",
                i, i, i);
        objective_cells(f, r, r->front_objectives + i * M, r->front_flags[i]);
        fprintf(f, "<td>%s</td><td>%s</td></tr>\n",
                rg_results_feasible(r->front_violation[i], r->front_flags[i]) ? "yes" : "no",
                rg_hr_num(b, r->front_violation[i]));
    }
    fprintf(f,
            "</tbody></table></details>\n<details open=\"open\"><summary>%zu standard "
            "regimens</summary><table id=\"regimens\"><thead><tr><th scope=\"col\">#</th>"
            "<th scope=\"col\">regimen</th>",
            r->n_regimens);
    objective_heads(f, r);
    fputs("<th scope=\"col\">feasible</th><th scope=\"col\">violation</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < r->n_regimens; i++) {
        regimen_row_start(f, r, i);
        objective_cells(f, r, r->regimen_objectives + i * M, r->regimen_flags[i]);
        fprintf(f, "<td>%s</td><td>%s</td></tr>\n",
                rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i]) ? "yes"
                                                                                  : "no",
                rg_hr_num(b, r->regimen_violation[i]));
    }
    fputs("</tbody></table></details></section>\n", f);
}

/* The panel the script fills with the selection's calendar, curves and values. */
static void selection(const rg_hr_page *pg)
{
    const rg_results *r = pg->r;
    FILE *f = pg->f;
    fputs("<section id=\"selection\" aria-live=\"polite\"><h2 id=\"sel-title\">Selected: "
          "none</h2>\n<form class=\"menu\" id=\"sel-menu\"><button type=\"button\" "
          "id=\"sel-prev\">previous member</button> <button type=\"button\" id=\"sel-next\">"
          "next member</button> <label>reference curves <select id=\"ref-a\">",
          f);
    long ra = rg_hr_reference(pg, 0), rb = rg_hr_reference(pg, 1);
    for (int s = 0; s < 2; s++) {
        long want = s == 0 ? ra : rb;
        fprintf(f, "<option value=\"-1\"%s>none</option>",
                want < 0 ? " selected=\"selected\"" : "");
        for (size_t i = 0; i < r->n_regimens; i++) {
            fprintf(f, "<option value=\"%zu\"%s>", i,
                    (long)i == want ? " selected=\"selected\"" : "");
            rg_hr_text(f, r->regimen_names[i]);
            fputs(rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i])
                      ? "</option>"
                      : " (infeasible)</option>",
                  f);
        }
        fputs(s == 0 ? "</select></label> <label>and <select id=\"ref-b\">"
                     : "</select></label></form>\n",
              f);
    }
    fputs(
        "<div id=\"sel-body\"><p>Select a member or a standard regimen: click a marker of "
        "the front, or follow a link in the tables (the arrow keys step through the members). "
        "The address then names it "
        "(<code>#member=12</code>, <code>#regimen=MTD</code>), so a link opens it.</p>"
        "</div></section>\n",
        f);
}

int rg_htmlreport_write(FILE *f, const rg_results *r, const rg_problem *p, const char *source)
{
    rg_hr_page pg = {f, r, p, source ? source : ""};
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<meta "
          "name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
          "<meta name=\"generator\" content=\"regimen ",
          f);
    rg_hr_text(f, r->version);
    fputs("\"/>\n<title>regimen report: ", f);
    rg_hr_text(f, r->problem_name);
    fputs("</title>\n<style>/*<![CDATA[*/\n", f);
    rg_hr_lines(f, rg_hr_css);
    fputs("/*]]>*/</style></head>\n<body>\n<header><h1>", f);
    rg_hr_text(f, r->problem_name);
    fputs("</h1><p class=\"sub\">regimen report of ", f);
    rg_hr_text(f, pg.source);
    fprintf(f, ": seed %lu, %zu generations of %zu, %zu front members, %zu standard regimens",
            r->seed, r->generations, r->population, r->front_size, r->n_regimens);
    fputs("</p><nav><a href=\"#front\">front</a> <a href=\"#selection\">selection</a> "
          "<a href=\"#fair\">fair summary</a> <a href=\"#convergence\">convergence</a>",
          f);
    fputs(r->n_patients ? " <a href=\"#survival\">survival</a>" : "", f);
    fputs(" <a href=\"#problem\">problem and run</a> <a href=\"#tables\">tables</a></nav>"
          "</header>\n<main>\n",
          f);
    /* the front and the selection first, side by side on a wide screen: what a reader came
     * to see; the problem's description after the figures */
    fputs("<div class=\"duo\">\n", f);
    int rc = rg_hr_front(&pg);
    if (rc == RG_OK) {
        selection(&pg);
        fputs("</div>\n", f);
        fair(&pg);
        rc = rg_hr_convergence(&pg);
    }
    if (rc == RG_OK)
        rc = rg_hr_km(&pg);
    if (rc == RG_OK)
        rc = rg_hr_problem(&pg);
    if (rc == RG_OK) {
        tables(&pg);
        fputs("</main>\n", f);
        rc = rg_hr_data(&pg);
    }
    if (rc == RG_OK) {
        fputs("<script>//<![CDATA[\n", f);
        rg_hr_lines(f, rg_hr_js);
        fputs("//]]>\n</script>\n</body></html>\n", f);
    }
    if (rc == RG_OK && (fflush(f) != 0 || ferror(f)))
        rc = RG_EIO;
    return rc;
}

int rg_htmlreport_complete(rg_results *r, const rg_problem *p, rg_diag *diag)
{
    if (!p || p->bench.kind != RG_BENCH_NONE || p->n_clones == 0 ||
        (r->traj_front.n >= r->front_size && r->traj_regimens.n >= r->n_regimens))
        return RG_OK;
    rg_encoding *enc = rg_encoding_alloc(p, diag);
    if (!enc)
        return RG_EINVAL;
    int rc =
        enc->length == r->genome_length ? rg_results_fill_model(r, p, enc, diag) : RG_EINVAL;
    if (enc->length != r->genome_length)
        rg_diag_add(diag, "its genomes have %zu genes, its problem's encoding %zu",
                    r->genome_length, enc->length);
    rg_encoding_free(enc);
    return rc;
}
