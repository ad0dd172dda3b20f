/* regimen export RESULTS.h5 --what front|history|regimens|trajectories|calendar|cohort|km
 *                [--format csv|json] [-o FILE] [--force] */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "regimen/export.h"
#include "regimen/results.h"
#include "regimen/safefile.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: regimen export RESULTS.h5 [--what front|history|regimens|"
            "trajectories|calendar|cohort|km] [--format csv|json] [-o FILE] [--force]\n");
    return 2;
}

/* json when asked, or when the output file's name ends in .json */
static int pick_format(const char *format, const char *out, int *json)
{
    if (format) {
        if (!strcmp(format, "json"))
            *json = 1;
        else if (!strcmp(format, "csv"))
            *json = 0;
        else
            return -1;
        return 0;
    }
    size_t n = out ? strlen(out) : 0;
    *json = n > 5 && !strcmp(out + n - 5, ".json");
    return 0;
}

int rg_cmd_export(int argc, char **argv)
{
    const char *in = NULL, *what_s = "front", *format = NULL, *out = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--what") || !strcmp(a, "--format") || !strcmp(a, "-o") ||
             !strcmp(a, "--output")) &&
            i + 1 >= argc) {
            fprintf(stderr, "regimen export: %s needs a value\n", a);
            return usage();
        }
        if (!strcmp(a, "--what"))
            what_s = argv[++i];
        else if (!strcmp(a, "--format"))
            format = argv[++i];
        else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out = argv[++i];
        else if (!strcmp(a, "--force"))
            force = true;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "regimen export: unknown option '%s'\n", a);
            return usage();
        } else if (!in)
            in = a;
        else {
            fprintf(stderr, "regimen export: one results file at a time ('%s')\n", a);
            return usage();
        }
    }
    if (!in)
        return usage();
    int what = rg_export_parse_what(what_s);
    if (what < 0) {
        fprintf(stderr,
                "regimen export: --what '%s': expected front, history, regimens, "
                "trajectories, calendar, cohort or km\n",
                what_s);
        return 2;
    }
    int json = 0;
    if (pick_format(format, out, &json)) {
        fprintf(stderr, "regimen export: --format '%s': expected csv or json\n", format);
        return 2;
    }
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    rg_table *t = NULL;
    int rc = rg_results_read(in, &r, &diag);
    if (rc == RG_EIO)
        rc = RG_EINVAL; /* an input that cannot be opened is bad input: exit 2 */
    if (rc == RG_OK)
        rc = rg_export_table(r, (rg_export_what)what, in, &t, &diag);
    rg_safefile sf = {0};
    if (rc == RG_OK)
        rc = rg_safefile_open(&sf, out, force, &diag);
    if (rc == RG_OK) {
        int wrc =
            json ? rg_table_write_json(t, sf.f, r, in, what_s) : rg_table_write_csv(t, sf.f);
        rc = rg_safefile_close(&sf, wrc == RG_OK, force, &diag);
        if (rc == RG_OK)
            rc = wrc;
    }
    if (rc != RG_OK) {
        if (diag.count)
            rg_diag_print(&diag, stderr);
        else
            fprintf(stderr, "regimen export: %s: %s\n", in, rg_strerror(rc));
    } else if (out && strcmp(out, "-")) {
        fprintf(stderr, "regimen export: %zu rows of %s written to %s\n", t->n_rows, what_s,
                out);
    }
    rg_table_free(t);
    rg_results_free(r);
    return rg_status_exit_code(rc);
}
