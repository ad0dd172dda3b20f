/* The problem-file loading step shared by the subcommands (see commands.h). */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "regimen/problem_load.h"
#include "regimen/status.h"

int rg_cli_load_problem(const char *cmd, const char *file, rg_problem **out)
{
    *out = NULL;
    rg_diag *diag = malloc(sizeof *diag);
    if (!diag) {
        fprintf(stderr, "regimen %s: out of memory\n", cmd);
        return 1;
    }
    rg_diag_init(diag);
    int st = rg_problem_load(file, out, diag);
    if (st != RG_OK) {
        rg_diag_print(diag, stderr);
        if (rg_diag_total(diag) == 0)
            fprintf(stderr, "%s: %s\n", file, rg_strerror(st));
        free(diag);
        /* a file that cannot be opened is bad input from the command line's point of view */
        return st == RG_EIO ? 2 : rg_status_exit_code(st);
    }
    free(diag);
    return 0;
}
