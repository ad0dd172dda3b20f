/* regimen report RESULTS.h5 [-o FILE] [--force]
 *
 * One self-contained HTML page of a run (htmlreport.h), written atomically (safefile.h):
 * by default beside the results file with its extension replaced by .html. The run's problem
 * is loaded from the text the file holds; when it no longer loads the page says so and
 * leaves out what needs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "regimen/htmlreport.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"
#include "regimen/safefile.h"

static int usage(void)
{
    fprintf(stderr, "usage: regimen report RESULTS.h5 [-o FILE] [--force]\n");
    return 2;
}

/* FILE.h5 -> FILE.html (any other name: NAME.html) into buf; false when it does not fit. */
static bool default_output(const char *in, char *buf, size_t cap)
{
    size_t n = strlen(in);
    if (n > 3 && !strcmp(in + n - 3, ".h5"))
        n -= 3;
    return (size_t)snprintf(buf, cap, "%.*s.html", (int)n, in) < cap;
}

int rg_cmd_report(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 >= argc) {
            fprintf(stderr, "regimen report: %s needs a value\n", a);
            return usage();
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out = argv[++i];
        else if (!strcmp(a, "--force"))
            force = true;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "regimen report: unknown option '%s'\n", a);
            return usage();
        } else if (!in)
            in = a;
        else {
            fprintf(stderr, "regimen report: one results file at a time ('%s')\n", a);
            return usage();
        }
    }
    if (!in)
        return usage();
    char def[RG_SAFEFILE_PATH_MAX];
    if (!out) {
        if (!default_output(in, def, sizeof def)) {
            fprintf(stderr, "regimen report: %s: the name is too long\n", in);
            return 2;
        }
        out = def;
    }
    if (strcmp(out, "-") && rg_safefile_same(in, out)) {
        fprintf(stderr, "regimen report: %s: the page would replace the results file\n", out);
        return 2;
    }
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    rg_problem *p = NULL;
    int rc = rg_results_read(in, &r, &diag);
    if (rc == RG_EIO)
        rc = RG_EINVAL; /* an input that cannot be opened is bad input: exit 2 */
    if (rc == RG_OK) {
        /* the problem the run read, from the file itself with its stored patients (as a
         * checkpoint's front is): no cohort table is needed */
        rg_diag quiet;
        rg_diag_init(&quiet);
        if (rg_results_load_problem(r, in, &p, &quiet) != RG_OK)
            p = NULL;
        rc = rg_htmlreport_complete(r, p, &diag);
    }
    rg_safefile sf = {0};
    if (rc == RG_OK)
        rc = rg_safefile_open(&sf, out, force, &diag);
    if (rc == RG_OK) {
        int wrc = rg_htmlreport_write(sf.f, r, p, in);
        rc = rg_safefile_close(&sf, wrc == RG_OK, force, &diag);
        if (rc == RG_OK)
            rc = wrc;
    }
    if (rc != RG_OK) {
        if (diag.count)
            rg_diag_print(&diag, stderr);
        else
            fprintf(stderr, "regimen report: %s: %s\n", in, rg_strerror(rc));
    } else if (strcmp(out, "-")) {
        fprintf(stderr, "regimen report: %s written (open it in a browser)\n", out);
    }
    rg_problem_free(p);
    rg_results_free(r);
    return rg_status_exit_code(rc);
}
