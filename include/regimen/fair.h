/* regimen: the fair summary of a run, each standard regimen against the evolved front.
 *
 * A standard regimen is beaten fairly only by one evolved member that is no worse on every
 * objective and better on one (Pareto dominance in each objective's own sense), feasible and
 * treated (the untreated member, which gives no drug, is an extreme point every front keeps,
 * not a treatment). `regimen info` prints the summary and `regimen report` draws it; both
 * take the member from rg_fair_dominator so the two never disagree. */
#ifndef REGIMEN_FAIR_H
#define REGIMEN_FAIR_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/results.h"

/* a dominates b: a[m] no worse than b[m] for every objective m of r (in natural units, each
 * in its sense r->maximised[m]) and better for one. a and b hold r->n_obj values. */
bool rg_fair_dominates(const rg_results *r, const double a[], const double b[]);

/* Front member k gives no drug at all: its dose_intensity objective is 0 when it has one,
 * else every delivered dose (front_doses) is 0; false when r records neither. */
bool rg_fair_untreated(const rg_results *r, size_t k);

/* The feasible, treated front member that dominates standard regimen i with the largest gain
 * in the first objective (in its sense), the lowest index among equal gains; -1 when no
 * member dominates it (or i is not a regimen of r). */
long rg_fair_dominator(const rg_results *r, size_t i);

#endif
