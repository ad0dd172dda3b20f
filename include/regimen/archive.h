/* regimen: the archive of an optimisation run, every feasible non-dominated schedule it
 * evaluated (docs/optimizer.md, "Archive").
 *
 * The optimiser offers every evaluated genome with its result; the archive keeps those that
 * are feasible (violation 0, finite fitness) and that no other offered feasible point
 * dominates (Pareto domination of the minimised fitness). Identical genomes are kept once;
 * different genomes with identical fitness are all kept. Members are held in one canonical
 * order (fitness lexicographically, then the genome's bytes), so the archive's content and
 * order depend only on the points offered and their order.
 *
 * Unbounded by default. With a bound B, a point that makes the archive exceed B removes
 * one member: the least exclusive hypervolume contributor (against the run's reference
 * point) among the members that are not extremes (a member holding the archive's best value
 * of some objective, the first in canonical order on ties) and the newcomer itself (which
 * is therefore rejected when it would contribute least; on equal contributions too). As the
 * removed point never contributes more than the newcomer, the archive's hypervolume never
 * decreases. A point outside the reference box (not strictly better in every objective)
 * contributes nothing, the least possible: such a newcomer is rejected, else the first such
 * non-extreme member removed, with no hypervolume computed (an adaptive bounded archive in
 * the sense of Knowles and Corne 2003,
 * "Properties of an adaptive archiving algorithm for storing nondominated vectors", IEEE
 * TEC 7(2), with the exclusive hypervolume contribution of SMS-EMOA: Beume, Naujoks and
 * Emmerich 2007, EJOR 181(3)). Contributions are exact: a closed form for 2 objectives,
 * hypervolume differences (hypervolume.h) beyond, O(B) hypervolumes per pruning. */
#ifndef REGIMEN_ARCHIVE_H
#define REGIMEN_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/eval_result.h"

typedef struct rg_archive rg_archive;

/* An empty archive for genomes of `length` genes and n_obj objectives, holding at most
 * `bound` members (0: unbounded). NULL when out of memory or n_obj is 0 or above
 * RG_MAX_OBJ. Caller frees with rg_archive_free. */
rg_archive *rg_archive_alloc(size_t length, size_t n_obj, size_t bound);
void rg_archive_free(rg_archive *a);

/* Offers n evaluated genomes (genomes[i * length ...], results res[i]) one after the other;
 * ref is the hypervolume reference point (minimised form, n_obj values), used only by a
 * bounded archive. RG_OK or RG_ENOMEM (the archive is then still valid). */
int rg_archive_offer(rg_archive *a, const double genomes[], const rg_eval_result res[],
                     size_t n, const double ref[]);

/* Replaces the content with n members in canonical order (a checkpoint's archive).
 * RG_EINVAL when they are not in canonical order, not admissible or not mutually
 * non-dominated, or exceed the bound; RG_ENOMEM. */
int rg_archive_load(rg_archive *a, const double genomes[], const rg_eval_result res[],
                    size_t n);

size_t rg_archive_size(const rg_archive *a);
size_t rg_archive_bound(const rg_archive *a);                  /* 0: unbounded */
const double *rg_archive_genomes(const rg_archive *a);         /* size x length, in order */
const rg_eval_result *rg_archive_results(const rg_archive *a); /* size */

/* Hypervolume of the members against ref (minimised form). RG_OK or RG_ENOMEM. */
int rg_archive_hypervolume(rg_archive *a, const double ref[], double *out);

/* Exclusive hypervolume contribution of each member against ref into out[size].
 * RG_OK or RG_ENOMEM. */
int rg_archive_contributions(rg_archive *a, const double ref[], double out[]);

/* True when a result may enter an archive: violation 0 and finite fitness (not the 1e300
 * of a failed evaluation). */
bool rg_archive_admissible(const rg_eval_result *r, size_t n_obj);

#endif
