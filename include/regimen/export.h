/* regimen: results as tables (CSV, JSON) for plotting tools and spreadsheets.
 *
 * rg_table is a plain table of named columns whose cells are numbers or strings. The tables
 * of a results file are (docs/results-format.md, "Export"):
 *   front         one row per front member: member, objectives (natural units), violation,
 *                 feasible, flags, then the delivered dose of every gene (admissible dose)
 *                 of a schedule (dose_<drug>_d<day>, fraction of MTD) or the rule
 *                 parameters (rule_<name>)
 *   calendar      one row per dose a front member's re-simulation delivered (schedule
 *                 and adaptive_rule encodings; nonzero only): member, day, drug, fraction (of MTD), duration_days (a
 *                 continuous drug's run at that level, 0 for a bolus)
 *   history       one row per generation: generation, evaluations, hypervolume,
 *                 feasible_fraction, best_<objective> among the feasible individuals
 *   regimens      one row per standard regimen: regimen, objectives, violation, feasible, flags
 *   cohort        (cohort problems) one row per run and patient: source (member:N or
 *                 regimen:NAME), patient, that patient's objectives, violation, feasible, flags
 *   km            (cohort problems with a ttp objective) the Kaplan-Meier progression-free
 *                 curve of each run over the patients (rg_km_curve, as compare --km): source
 *                 (as in cohort), t, survival, at_risk, events; front members first
 *   trajectories  one row per visit of each run, in the layout of every trajectory table
 *                 (rg_traj_table_alloc; simulate --csv and compare --trajectories write it
 *                 too): source (member:N or regimen:NAME), t, on_protocol, burden, resistant,
 *                 clone_<name>..., conc_<drug>..., dose_<drug>..., anc (neutrophil model)
 * Numbers are written with 17 significant digits (they read back bit-identical); a
 * non-finite value is written as nan/inf in CSV and null in JSON. */
#ifndef REGIMEN_EXPORT_H
#define REGIMEN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "regimen/results.h"
#include "regimen/sim.h"
#include "regimen/status.h"

typedef enum {
    RG_EXPORT_FRONT = 0,
    RG_EXPORT_HISTORY,
    RG_EXPORT_REGIMENS,
    RG_EXPORT_TRAJECTORIES,
    RG_EXPORT_CALENDAR,
    RG_EXPORT_COHORT,
    RG_EXPORT_KM
} rg_export_what;

typedef struct {
    bool is_text;
    double num;
    char *text; /* owned when is_text */
} rg_cell;

typedef struct {
    size_t n_cols, n_rows, cap_rows;
    char **cols;    /* [n_cols] owned names */
    rg_cell *cells; /* [n_rows][n_cols] */
} rg_table;

/* An empty table with the given columns (copied). NULL when out of memory. Caller frees
 * with rg_table_free. */
rg_table *rg_table_alloc(size_t n_cols, const char *const cols[]);
void rg_table_free(rg_table *t);
/* Appends a row of n_cols cells, all 0; returns a pointer to it (valid until the next
 * append) or NULL when out of memory. */
rg_cell *rg_table_add_row(rg_table *t);
int rg_cell_set_text(rg_cell *c, const char *s);

/* Builds one of the tables above from a results record. RG_EINVAL when the part is absent
 * (e.g. trajectories of a benchmark run), with a message in diag naming `file`. */
int rg_export_table(const rg_results *r, rg_export_what what, const char *file, rg_table **out,
                    rg_diag *diag);
/* The calendar table alone (export_calendar.c); RG_EINVAL when r holds no delivered doses. */
int rg_export_calendar(const rg_results *r, const char *file, rg_table **out, rg_diag *diag);
/* Parses "front", "history", "regimens", "trajectories", "calendar", "cohort", "km"; -1
 * when unknown. */
int rg_export_parse_what(const char *s);

/* Writes a table. CSV: a header line, then one line per row (RFC 4180 quoting). JSON: an
 * object {"file", "problem", "regimen_version", "seed", "what", "columns", "rows": [ {...} ]}
 * where meta (may be NULL) supplies the first fields. Return RG_EIO on a write error. */
int rg_table_write_csv(const rg_table *t, FILE *f);
/* Writes one CSV field with RFC 4180 quoting: in double quotes, with quotes doubled, when it
 * holds a comma, a double quote, CR or LF; as it is otherwise. */
void rg_csv_field(FILE *f, const char *s);
int rg_table_write_json(const rg_table *t, FILE *f, const rg_results *meta, const char *file,
                        const char *what);

/* One run's per-visit trajectory as the trajectory tables read it: pointers into the
 * caller's arrays, laid out as rg_trajectory's (sim.h). */
typedef struct {
    size_t n_visits, n_intervals, n_clones, n_drugs;
    size_t n_rows; /* visits written, from the first (0: all n_visits) */
    double decision_days;
    double t_end;    /* end of the evaluation (docs/model.md section 8); NaN: the run failed */
    const double *t; /* [n_visits] */
    const double *burden, *resistant; /* [n_visits] */
    const double *clones;             /* [n_clones][n_visits] */
    const double *conc;               /* [n_drugs][n_visits] */
    const double
        *levels;       /* [n_drugs][n_intervals] the doses given, or NULL (dose columns NaN) */
    const double *anc; /* [n_visits], or NULL when the problem has no neutrophil model */
} rg_traj_view;

/* An empty trajectory table: source, t, on_protocol (1 up to t_end, 0 after it), burden,
 * resistant, clone_<name> per clone, conc_<drug> (normalised concentration) and dose_<drug>
 * (the level given on the decision interval that holds t, fraction of MTD) per drug, then
 * anc when with_anc. NULL when out of memory. */
rg_table *rg_traj_table_alloc(size_t n_clones, const char *const clone_names[], size_t n_drugs,
                              const char *const drug_names[], bool with_anc);
/* Appends the rows of run v (n_rows, or n_visits), labelled source. RG_ENOMEM. */
int rg_traj_table_add(rg_table *t, const char *source, const rg_traj_view *v);
/* rg_traj_table_alloc for problem p: its clones and drugs, anc with its neutrophil model. */
rg_table *rg_traj_table_for(const rg_problem *p);
/* The view of a kernel run of p (sim.h), its first n_rows visits. */
rg_traj_view rg_traj_view_of_run(const rg_problem *p, const rg_trajectory *tr, size_t n_rows);
/* One kernel run of p as a trajectory CSV on f (its first n_rows visits), labelled source:
 * what simulate --csv and compare --trajectories write. RG_ENOMEM, RG_EIO. */
int rg_traj_write_csv(FILE *f, const rg_problem *p, const char *source, const rg_trajectory *tr,
                      size_t n_rows);

/* Merges the fronts of several results of the same problem: the non-dominated rows of the
 * union of their feasible front members (each objective in its own sense), with a `source`
 * column naming the file and a `member` column its row there. RG_EINVAL (message naming
 * both files) when the files hold different problems or objectives. */
int rg_export_merge(const rg_results *const rs[], const char *const files[], size_t n,
                    rg_table **out, rg_diag *diag);

#endif
