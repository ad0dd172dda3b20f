/* regimen info RESULTS.h5: what a results (or checkpoint) file holds, in a few lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "info_calendar.h"
#include "regimen/fair.h"
#include "regimen/nsga2.h"
#include "regimen/results.h"

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int iso_seconds(const char *s, double *out)
{
    int y, mo, d, h, mi, se;
    if (sscanf(s, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &se) != 6)
        return -1;
    *out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + se;
    return 0;
}

static const char *encoding_text(rg_encoding_kind e)
{
    return e == RG_ENC_SCHEDULE        ? "schedule"
           : e == RG_ENC_ADAPTIVE_RULE ? "adaptive_rule"
                                       : "benchmark";
}

/* Objective m's value as printed: a censored TTP (no progression by the horizon) is a lower
 * bound, ">728". */
static const char *value_text(char buf[40], const rg_results *r, size_t m, double v,
                              uint32_t flags)
{
    bool censored = !strcmp(r->objective_names[m], "ttp") && (flags & RG_RES_CENSORED);
    snprintf(buf, 40, "%s%.6g", censored ? ">" : "", v);
    return buf;
}

/* The width of the regimen-name column: the longest name, at least 20. */
static int name_width(const rg_results *r)
{
    size_t w = 20;
    for (size_t i = 0; i < r->n_regimens; i++) {
        size_t n = strlen(r->regimen_names[i]);
        if (n > w)
            w = n;
    }
    return (int)w;
}

/* Each standard regimen against the evolved front: the member rg_fair_dominator names (the
 * largest gain in the first objective, TTP in the tumour problems), or that none does.
 * named[k] is set for every member named. */
static void print_fair(const rg_results *r, bool named[])
{
    size_t M = r->n_obj;
    printf(
        "\nstandard regimens against the evolved front (dominated: a feasible member no worse"
        "\non every objective and better on one; the member with the largest %s gain):\n",
        r->objective_names[0]);
    for (size_t i = 0; i < r->n_regimens; i++) {
        const double *reg = r->regimen_objectives + i * M;
        long best = rg_fair_dominator(r, i);
        char buf[40];
        printf("  %-*s %s=%s%s: ", name_width(r), r->regimen_names[i], r->objective_names[0],
               value_text(buf, r, 0, reg[0], r->regimen_flags[i]),
               rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i])
                   ? ""
                   : " (infeasible)");
        if (best < 0) {
            printf("no evolved member dominates it\n");
            continue;
        }
        const double *mem = r->front_objectives + (size_t)best * M;
        if (named)
            named[best] = true;
        printf("dominated by member %ld,", best);
        for (size_t m = 0; m < M; m++) {
            printf(" %s=%s", r->objective_names[m],
                   value_text(buf, r, m, mem[m], r->front_flags[best]));
            if (m == 0)
                printf(" (%+.6g)", mem[0] - reg[0]);
        }
        printf("\n");
    }
}

/* The best feasible value of each objective on the front and among the standard regimens:
 * a secondary table (each best may come from another member, and an untreated member is
 * labelled, not a win). */
static void print_best(const rg_results *r)
{
    size_t M = r->n_obj;
    bool any_untreated = false;
    printf("\nbest value per objective (each may come from a different member):\n");
    printf("%-24s %-5s %14s %14s  %s\n", "objective", "sense", "best evolved", "best standard",
           "(regimen)");
    for (size_t m = 0; m < M; m++) {
        long e = rg_results_best(r->front_objectives, r->front_size, M, m, r->maximised,
                                 r->front_violation, r->front_flags);
        long s = rg_results_best(r->regimen_objectives, r->n_regimens, M, m, r->maximised,
                                 r->regimen_violation, r->regimen_flags);
        printf("%-24s %-5s ", r->objective_names[m], r->maximised[m] ? "max" : "min");
        char buf[40];
        bool none = e >= 0 && rg_fair_untreated(r, (size_t)e);
        any_untreated |= none;
        if (e >= 0)
            printf("%13s%s ",
                   value_text(buf, r, m, r->front_objectives[(size_t)e * M + m],
                              r->front_flags[e]),
                   none ? "*" : " ");
        else
            printf("%14s ", "-");
        /* when no standard regimen is feasible, the best of them all, marked */
        long a = s >= 0 ? s
                        : rg_results_best(r->regimen_objectives, r->n_regimens, M, m,
                                          r->maximised, NULL, NULL);
        if (a >= 0)
            printf("%14s  (%s%s)\n",
                   value_text(buf, r, m, r->regimen_objectives[(size_t)a * M + m],
                              r->regimen_flags[a]),
                   r->regimen_names[a], s >= 0 ? "" : ", infeasible");
        else
            printf("%14s\n", "-");
    }
    if (any_untreated)
        printf("* the untreated member (no dose at all): an extreme point of every front, not "
               "a treatment\n");
}

static void print_regimens(const rg_results *r)
{
    size_t M = r->n_obj;
    if (r->n_regimens > 0) {
        printf("\nstandard regimens:\n");
        for (size_t i = 0; i < r->n_regimens; i++) {
            printf("  %-*s", name_width(r), r->regimen_names[i]);
            for (size_t m = 0; m < M; m++) {
                char buf[40];
                printf(" %s=%s", r->objective_names[m],
                       value_text(buf, r, m, r->regimen_objectives[i * M + m],
                                  r->regimen_flags[i]));
            }
            printf("%s\n", rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i])
                               ? ""
                               : "  (infeasible)");
        }
    }
}

/* The fair summary first (each standard regimen against the member that dominates it), then
 * the per-objective bests as a secondary table, the standard regimens' values, and the
 * delivered doses of the members the summary names. */
static void print_summary(const rg_results *r)
{
    bool *named = NULL;
    if (r->n_regimens > 0 && r->front_size > 0) {
        named = calloc(r->front_size, sizeof *named);
        print_fair(r, named);
    }
    print_best(r);
    if (r->n_regimens > 0)
        print_regimens(r);
    bool any = false;
    for (size_t k = 0; named && k < r->front_size && r->front_doses; k++)
        any |= named[k];
    if (any)
        printf("\ndelivered doses of the members named above (the calendar export, grouped by "
               "day):\n");
    for (size_t k = 0; any && k < r->front_size; k++)
        if (named[k])
            rg_info_print_calendar(stdout, r, k);
    free(named);
}

int rg_cmd_info(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "regimen info: unknown option '%s'\n", argv[i]);
            argc = 0;
        }
    if (argc != 2) {
        if (argc > 2)
            fprintf(stderr, "regimen info: one results file at a time\n");
        fprintf(stderr, "usage: regimen info RESULTS.h5\n");
        return 2;
    }
    const char *path = argv[1];
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    int rc = rg_results_read(path, &r, &diag);
    if (rc != RG_OK) {
        rg_diag_print(&diag, stderr);
        return rc == RG_EIO ? 2 : rg_status_exit_code(rc); /* unreadable input: exit 2 */
    }
    size_t M = r->n_obj;
    if (!strcmp(r->format, "regimen-checkpoint"))
        printf("file:         %s (a checkpoint: resume with regimen optimize --resume)\n",
               path);
    else
        printf("file:         %s\n", path);
    printf("problem:      %s\n", r->problem_name);
    printf("command:      %s\n", r->command_line ? r->command_line : "");
    printf("regimen:      %s, seed %lu, %d rank%s\n", r->version, r->seed, r->n_ranks,
           r->n_ranks == 1 ? "" : "s");
    double t0, t1;
    if (iso_seconds(r->start_time, &t0) == 0 && iso_seconds(r->end_time, &t1) == 0)
        printf("time:         %s to %s (%.0f s)\n", r->start_time, r->end_time, t1 - t0);
    else
        printf("time:         %s to %s\n", r->start_time, r->end_time);
    printf("encoding:     %s", encoding_text(r->encoding));
    if (r->encoding == RG_ENC_SCHEDULE && r->n_drugs)
        printf(" (%zu drug%s x %zu intervals of %g days)", r->n_drugs,
               r->n_drugs == 1 ? "" : "s", r->n_intervals, r->decision_days);
    printf(", genome %zu genes\n", r->genome_length);
    printf("generations:  %zu, population %zu, evaluations %llu\n", r->generations,
           r->population, (unsigned long long)r->evaluations);
    size_t last = r->n_history ? r->n_history - 1 : 0;
    /* the front is the archive: its hypervolume first, when the file records it */
    if (r->n_history > 0 && r->archive_hypervolume && !isnan(r->archive_hypervolume[last]))
        printf("hypervolume:  %.6g of the front (archive); population %.6g (generation %llu; "
               "first recorded %.6g)\n",
               r->archive_hypervolume[last], r->hypervolume[last],
               (unsigned long long)r->history_generation[last], r->hypervolume[0]);
    else if (r->n_history > 0)
        printf("hypervolume:  %.6g (generation %llu; first recorded %.6g)\n",
               r->hypervolume[last], (unsigned long long)r->history_generation[last],
               r->hypervolume[0]);
    printf("reference:    ");
    for (size_t m = 0; m < M; m++)
        printf("%s%s=%.6g", m ? ", " : "", r->objective_names[m], r->reference_point[m]);
    /* the rule the optimiser used (an optional attribute: without it the line says less) */
    if (r->reference_rule >= RG_HVREF_GIVEN && r->reference_rule <= RG_HVREF_UNIT)
        printf(" (%s)\n", rg_reference_rule_name((rg_reference_rule)r->reference_rule));
    else
        printf("%s\n", r->has_reference_point ? " (optimize.reference_point)"
                                              : " (derived at the start of the run)");
    size_t feas = 0;
    for (size_t i = 0; i < r->front_size; i++)
        feas += rg_results_feasible(r->front_violation[i], r->front_flags[i]);
    printf("front:        %zu members, %zu feasible\n", r->front_size, feas);
    if (M > 0)
        print_summary(r);
    else if (r->n_regimens > 0)
        print_regimens(r);
    rg_results_free(r);
    return 0;
}
