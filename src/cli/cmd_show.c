/* regimen show RESULTS.h5 --member N [--as-regimen NAME]
 *
 * One front member as a clinician reads it: its objectives (units, a censored TTP marked),
 * feasibility, the rule parameters of an adaptive_rule run, and the calendar of the doses
 * its evaluation delivered (info_calendar.c). --as-regimen prints instead a `fixed` regimen
 * block of its schedule (rg_results_member_calendar), ready to paste into the regimens list
 * of a problem file; `regimen simulate PROBLEM --from RESULTS.h5 --member N` runs the same
 * regimen (rg_results_add_member_regimen). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "info_calendar.h"
#include "regimen/eval_result.h"
#include "regimen/results.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen show RESULTS.h5 --member N [--as-regimen NAME]\n");
}

typedef struct {
    const char *file, *as_regimen;
    size_t member;
    bool member_given;
} show_args;

/* -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, show_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--member") && i + 1 < argc) {
            const char *s = argv[++i];
            char *end;
            errno = 0;
            unsigned long long v = strtoull(s, &end, 10);
            if (!*s || *s == '-' || *s == '+' || *end || errno) {
                fprintf(stderr, "regimen show: --member: '%s' is not a member number\n", s);
                return 2;
            }
            a->member = (size_t)v;
            a->member_given = true;
        } else if (!strcmp(argv[i], "--as-regimen") && i + 1 < argc) {
            a->as_regimen = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regimen show: unknown or incomplete option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!a->file) {
            a->file = argv[i];
        } else {
            fprintf(stderr, "regimen show: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!a->file || !a->member_given) {
        usage(stderr);
        return 2;
    }
    const char *n = a->as_regimen;
    if (n && (!*n || strlen(n) >= RG_NAME_MAX || strpbrk(n, "\"\\\n"))) {
        fprintf(stderr,
                "regimen show: --as-regimen: '%s' is not a regimen name (1 to %d characters, "
                "no quote, backslash or newline)\n",
                n, RG_NAME_MAX - 1);
        return 2;
    }
    return -1;
}

/* v as the shortest decimal that reads back as v, always a libconfig float ("1.0", not
 * "1": libconfig arrays hold one type). */
static const char *float_text(char buf[40], double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return buf;
}

static void print_objectives(const rg_results *r, size_t i)
{
    size_t M = r->n_obj;
    uint32_t flags = r->front_flags[i];
    printf("objectives:\n");
    for (size_t m = 0; m < M; m++) {
        const char *name = r->objective_names[m];
        bool censored = !strcmp(name, "ttp") && (flags & RG_RES_CENSORED);
        printf("  %-24s %-3s %s%.6g %s%s\n", name, r->maximised[m] ? "max" : "min",
               censored ? ">" : "", r->front_objectives[i * M + m],
               rg_results_objective_units(name),
               censored ? " (censored: no progression by the horizon)" : "");
    }
    bool feasible = rg_results_feasible(r->front_violation[i], flags);
    printf("feasible: %s", feasible ? "yes" : "no");
    if (!feasible)
        printf(" (violation %.6g)", r->front_violation[i]);
    printf("\n");
    if (r->front_rule && r->n_rule_params) {
        printf("rule:");
        for (size_t k = 0; k < r->n_rule_params; k++)
            printf(" %s=%.6g", r->rule_param_names[k], r->front_rule[i * r->n_rule_params + k]);
        printf("\n");
    }
}

/* The `fixed` regimen block of member i (docs/regimens.md, `fixed`; its calendar by
 * rg_results_member_calendar), fifteen levels a line as in the shipped problems. Returns 0,
 * or 1 when out of memory. */
static int print_regimen_block(const rg_results *r, const char *path, size_t i,
                               const char *name)
{
    size_t M = r->n_obj, D = r->n_drugs, K = r->n_intervals;
    printf("# front member %zu of %s (problem: %s):", i, path, r->problem_name);
    for (size_t m = 0; m < M; m++)
        printf(" %s=%s%.6g", r->objective_names[m],
               !strcmp(r->objective_names[m], "ttp") && (r->front_flags[i] & RG_RES_CENSORED)
                   ? ">"
                   : "",
               r->front_objectives[i * M + m]);
    size_t cells = D * K;
    double *cal = malloc((cells > 0 ? cells : 1) * sizeof *cal);
    if (!cal)
        return 1;
    bool planned = rg_results_member_calendar(r, i, cal);
    printf("\n# %s, fraction of MTD per %g-day interval\n",
           planned ? "its schedule" : "the doses its rule delivered (on the nominal patient)",
           r->decision_days);
    printf("{ name = \"%s\"; policy = \"fixed\"; drugs = [", name);
    for (size_t d = 0; d < D; d++)
        printf("%s\"%s\"", d ? ", " : "", r->drug_names[d]);
    printf("];\n  doses = (");
    char buf[40];
    for (size_t d = 0; d < D; d++) {
        const double *row = cal + d * K;
        printf("%s[", d ? ",\n            " : " ");
        for (size_t k = 0; k < K; k++) {
            if (k && k % 15 == 0)
                printf(",\n             ");
            else if (k)
                printf(", ");
            printf("%s", float_text(buf, row[k]));
        }
        printf("]");
    }
    printf(" ); },\n");
    free(cal);
    return 0;
}

int rg_cmd_show(int argc, char **argv)
{
    show_args a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    int rc = rg_results_read(a.file, &r, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        return rc == RG_EIO ? 2 : rg_status_exit_code(rc);
    }
    code = 0;
    if (a.member >= r->front_size) {
        fprintf(stderr, "%s: no member %zu (the front has %zu%s)\n", a.file, a.member,
                r->front_size, r->front_size ? ": 0 to the last" : "");
        code = 2;
    } else if (a.as_regimen && !r->front_doses) {
        fprintf(stderr, "%s: its members have no calendar of doses (benchmark encoding)\n",
                a.file);
        code = 2;
    } else if (a.as_regimen) {
        code = print_regimen_block(r, a.file, a.member, a.as_regimen);
    } else {
        printf("member %zu of %zu in %s (problem: %s)\n", a.member, r->front_size, a.file,
               r->problem_name);
        print_objectives(r, a.member);
        if (r->front_doses && rg_info_print_calendar(stdout, r, a.member) != RG_OK) {
            fprintf(stderr, "regimen show: out of memory\n");
            code = 1;
        }
    }
    rg_results_free(r);
    return code;
}
