/* Group /trajectories of a results file (docs/results-format.md, `/trajectories`): the visit
 * times and, per front member and standard regimen, the per-visit curves, the doses given
 * and the neutrophil count. Written and read back for rg_results_h5_put/get (results_h5.c);
 * a checkpoint has none. */
#include <stdlib.h>

#include <hdf5.h>

#include "h5util.h"
#include "results_checks.h"

#define F64 H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE

static void put_traj(rg_h5 *h, hid_t g, const rg_traj_set *t, const rg_results *r)
{
    hsize_t d2[2] = {t->n, r->n_visits};
    hsize_t dc[3] = {t->n, r->n_clones, r->n_visits};
    hsize_t dd[3] = {t->n, r->n_drugs_all, r->n_visits};
    hsize_t dl[3] = {t->n, r->n_drugs_all, r->n_traj_intervals};
    rg_h5_dset(h, g, "burden", F64, 2, d2, t->burden, 0);
    rg_h5_describe(h, g, "burden", "cells", "total burden B(t) at each visit [run][visit]");
    rg_h5_dset(h, g, "resistant", F64, 2, d2, t->resistant, 0);
    rg_h5_describe(h, g, "resistant", "cells",
                   "resistant burden R(t) at each visit [run][visit]");
    rg_h5_dset(h, g, "clones", F64, 3, dc, t->clones, 0);
    rg_h5_describe(h, g, "clones", "cells", "each clone at each visit [run][clone][visit]");
    rg_h5_dset(h, g, "conc", F64, 3, dd, t->conc, 0);
    rg_h5_describe(h, g, "conc", "normalised concentration (MTD steady state = 1)",
                   "each drug at each visit [run][drug][visit]");
    rg_h5_dset(h, g, "levels", F64, 3, dl, t->levels, 0);
    rg_h5_describe(h, g, "levels", "fraction of MTD",
                   "the dose given on each decision interval, 0 after the end of the "
                   "evaluation [run][drug][interval]");
    if (r->traj_anc) {
        rg_h5_dset(h, g, "anc", F64, 2, d2, t->anc, 0);
        rg_h5_describe(h, g, "anc", "1e9 cells/L",
                       "circulating neutrophils at each visit [run][visit]");
    }
    hsize_t d1[1] = {t->n};
    rg_h5_dset(h, g, "t_end", F64, 1, d1, t->t_end, 0);
    rg_h5_describe(h, g, "t_end", "days",
                   "end of the evaluation (progression or horizon); later visits are off "
                   "protocol [run]");
}

void rg_results_h5_put_trajectories(rg_h5 *h, hid_t f, const rg_results *r)
{
    hid_t g = rg_h5_group(h, f, "trajectories");
    hsize_t tv[1] = {r->n_visits};
    rg_h5_attr_strs(h, g, "clone_names", r->n_clones, r->clone_names[0], RG_NAME_MAX);
    rg_h5_attr_strs(h, g, "drug_names", r->n_drugs_all, r->drug_names_all[0], RG_NAME_MAX);
    rg_h5_attr_num(h, g, "decision_days", F64, 0, &r->decision_days);
    rg_h5_dset(h, g, "t", F64, 1, tv, r->traj_t, 0);
    rg_h5_describe(h, g, "t", "days", "visit times");
    hid_t sub = rg_h5_group(h, g, "front");
    put_traj(h, sub, &r->traj_front, r);
    rg_h5_close_group(sub);
    sub = rg_h5_group(h, g, "regimens");
    put_traj(h, sub, &r->traj_regimens, r);
    rg_h5_close_group(sub);
    rg_h5_close_group(g);
}

static void get_traj(rg_h5 *h, hid_t g, rg_traj_set *t, size_t n, rg_results *r)
{
    hsize_t d2[2] = {n, r->n_visits};
    hsize_t dc[3] = {n, r->n_clones, r->n_visits};
    hsize_t dd[3] = {n, r->n_drugs_all, r->n_visits};
    hsize_t dims[3];
    void *p = NULL;
    /* the set is either empty or has one row per member */
    rg_h5_read_dset(h, g, "burden", H5T_NATIVE_DOUBLE, sizeof(double), 2, dims, &p);
    free(p);
    p = NULL;
    if (h->status != RG_OK)
        return;
    if (dims[0] == 0)
        n = 0;
    d2[0] = dc[0] = dd[0] = n;
    t->n = n;
    rg_results_h5_get_fixed(h, g, "burden", H5T_NATIVE_DOUBLE, sizeof(double), 2, d2,
                            (void **)&t->burden);
    rg_results_h5_get_fixed(h, g, "resistant", H5T_NATIVE_DOUBLE, sizeof(double), 2, d2,
                            (void **)&t->resistant);
    rg_results_h5_get_fixed(h, g, "clones", H5T_NATIVE_DOUBLE, sizeof(double), 3, dc,
                            (void **)&t->clones);
    rg_results_h5_get_fixed(h, g, "conc", H5T_NATIVE_DOUBLE, sizeof(double), 3, dd,
                            (void **)&t->conc);
    /* levels and anc: absent in files written before they were recorded */
    if (h->status == RG_OK && rg_h5_exists(g, "levels")) {
        rg_h5_read_dset(h, g, "levels", H5T_NATIVE_DOUBLE, sizeof(double), 3, dims,
                        (void **)&t->levels);
        hsize_t want[3] = {n, r->n_drugs_all, dims[2]};
        rg_results_h5_expect_dims(h, "levels", 3, dims, want);
        if (h->status == RG_OK && dims[2] > (hsize_t)RG_RESULTS_MAX_GENES)
            rg_h5_fail(h, RG_EFORMAT, "'levels' has %llu intervals, at most %d",
                       (unsigned long long)dims[2], (int)RG_RESULTS_MAX_GENES);
        r->n_traj_intervals = (size_t)dims[2];
    }
    if (h->status == RG_OK && rg_h5_exists(g, "anc")) {
        rg_results_h5_get_fixed(h, g, "anc", H5T_NATIVE_DOUBLE, sizeof(double), 2, d2,
                                (void **)&t->anc);
        r->traj_anc = true;
    }
    hsize_t d1[1] = {n};
    rg_results_h5_get_fixed(h, g, "t_end", H5T_NATIVE_DOUBLE, sizeof(double), 1, d1,
                            (void **)&t->t_end);
}

void rg_results_h5_get_trajectories(rg_h5 *h, hid_t f, rg_results *r)
{
    hid_t g = rg_h5_open_group(h, f, "trajectories");
    if (g < 0)
        return;
    hsize_t dims[3];
    rg_h5_read_attr_strs(h, g, "clone_names", r->clone_names[0], RG_NAME_MAX, RG_MAX_CLONES,
                         &r->n_clones);
    rg_h5_read_attr_strs(h, g, "drug_names", r->drug_names_all[0], RG_NAME_MAX, RG_MAX_DRUGS,
                         &r->n_drugs_all);
    if (h->status == RG_OK && H5Aexists(g, "decision_days") > 0)
        rg_h5_read_attr_num(h, g, "decision_days", H5T_NATIVE_DOUBLE, 0, &r->decision_days);
    rg_h5_read_dset(h, g, "t", H5T_NATIVE_DOUBLE, sizeof(double), 1, dims, (void **)&r->traj_t);
    r->n_visits = (size_t)dims[0];
    hid_t sub = rg_h5_open_group(h, g, "front");
    if (sub >= 0)
        get_traj(h, sub, &r->traj_front, r->front_size, r);
    rg_h5_close_group(sub);
    sub = rg_h5_open_group(h, g, "regimens");
    if (sub >= 0)
        get_traj(h, sub, &r->traj_regimens, r->n_regimens, r);
    rg_h5_close_group(sub);
    rg_h5_close_group(g);
}
