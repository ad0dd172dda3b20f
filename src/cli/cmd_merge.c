/* regimen merge -o MERGED.csv [--format csv|json] [--force] RESULTS.h5... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "regimen/export.h"
#include "regimen/results.h"
#include "regimen/safefile.h"

static int usage(void)
{
    fprintf(stderr, "usage: regimen merge -o MERGED.csv [--format csv|json] [--force] "
                    "RESULTS.h5...\n");
    return 2;
}

int rg_cmd_merge(int argc, char **argv)
{
    const char *out = NULL, *format = NULL;
    bool force = false;
    const char **files = calloc((size_t)argc, sizeof *files);
    rg_results **rs = calloc((size_t)argc, sizeof *rs);
    size_t n = 0;
    int rc = RG_OK;
    if (!files || !rs) {
        free(files);
        free(rs);
        fprintf(stderr, "regimen merge: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--format")) &&
            i + 1 >= argc) {
            fprintf(stderr, "regimen merge: %s needs a value\n", a);
            rc = RG_EINVAL;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out = argv[++i];
        else if (!strcmp(a, "--format"))
            format = argv[++i];
        else if (!strcmp(a, "--force"))
            force = true;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "regimen merge: unknown option '%s'\n", a);
            rc = RG_EINVAL;
        } else
            files[n++] = a;
        if (rc != RG_OK)
            break;
    }
    int json = 0;
    if (rc == RG_OK && format && strcmp(format, "csv") && strcmp(format, "json")) {
        fprintf(stderr, "regimen merge: --format '%s': expected csv or json\n", format);
        rc = RG_EINVAL;
    }
    if (format)
        json = !strcmp(format, "json");
    else if (out && strlen(out) > 5 && !strcmp(out + strlen(out) - 5, ".json"))
        json = 1;
    if (rc == RG_OK && (!out || n == 0)) {
        usage();
        rc = RG_EINVAL;
    }
    rg_diag diag;
    rg_diag_init(&diag);
    for (size_t k = 0; rc == RG_OK && k < n; k++)
        if ((rc = rg_results_read(files[k], &rs[k], &diag)) == RG_EIO)
            rc = RG_EINVAL; /* an input that cannot be opened is bad input: exit 2 */
    rg_table *t = NULL;
    if (rc == RG_OK)
        rc = rg_export_merge((const rg_results *const *)rs, files, n, &t, &diag);
    rg_safefile sf = {0};
    if (rc == RG_OK)
        rc = rg_safefile_open(&sf, out, force, &diag);
    if (rc == RG_OK) {
        int wrc = json ? rg_table_write_json(t, sf.f, rs[0], NULL, "merged front")
                       : rg_table_write_csv(t, sf.f);
        rc = rg_safefile_close(&sf, wrc == RG_OK, force, &diag);
        if (rc == RG_OK)
            rc = wrc;
    }
    if (rc != RG_OK && diag.count)
        rg_diag_print(&diag, stderr);
    else if (rc == RG_OK) {
        size_t total = 0;
        for (size_t k = 0; k < n; k++)
            total += rs[k]->front_size;
        fprintf(stderr,
                "regimen merge: %zu files, %zu front members, %zu non-dominated "
                "written to %s\n",
                n, total, t->n_rows, out);
    }
    rg_table_free(t);
    for (size_t k = 0; k < n; k++)
        rg_results_free(rs[k]);
    free(rs);
    free(files);
    return rg_status_exit_code(rc);
}
