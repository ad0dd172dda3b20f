/* Group /cohort of a results file or checkpoint (docs/results-format.md, `/cohort`): on a
 * cohort problem, the resolved patients (names, varied parameters, values), so that reading
 * the run back never needs its table file, and in a results file every patient's record of
 * each front member and standard regimen, whose statistics over the patients are the
 * objectives of /front and /regimens (docs/model.md section 13). Written and read back for
 * rg_results_h5_put/get (results_h5.c); absent without a cohort. */
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5util.h"
#include "results_checks.h"

#define F64 H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE
#define U32 H5T_NATIVE_UINT32, H5T_STD_U32LE

static void put_set(rg_h5 *h, hid_t g, const char *name, size_t n, const rg_results *r,
                    const double *obj, const double *viol, const uint32_t *flags)
{
    hid_t sub = rg_h5_group(h, g, name);
    hsize_t d3[3] = {n, r->n_patients, r->n_obj}, d2[2] = {n, r->n_patients};
    rg_h5_dset(h, sub, "objectives", F64, 3, d3, obj, 0);
    rg_h5_describe(h, sub, "objectives", "see objective_units",
                   "each patient's objective values [run][patient][objective]");
    rg_h5_dset(h, sub, "violation", F64, 2, d2, viol, 0);
    rg_h5_describe(h, sub, "violation", "1", "each patient's constraint violation");
    rg_h5_dset(h, sub, "flags", U32, 2, d2, flags, 0);
    rg_h5_describe(h, sub, "flags", "bit set", "each patient's RG_RES_* flags, as front/flags");
    rg_h5_close_group(sub);
}

void rg_results_h5_put_cohort(rg_h5 *h, hid_t f, const rg_results *r, bool records)
{
    if (r->n_patients == 0)
        return;
    hid_t g = rg_h5_group(h, f, "cohort");
    rg_h5_attr_strs(h, g, "patient_names", r->n_patients, r->patient_names[0], RG_NAME_MAX);
    if (r->n_cohort_params > 0) {
        hsize_t dv[2] = {r->n_patients, r->n_cohort_params};
        rg_h5_attr_strs(h, g, "parameters", r->n_cohort_params, r->cohort_params[0],
                        RG_PARAM_PATH_MAX);
        rg_h5_dset(h, g, "patient_values", F64, 2, dv, r->patient_values, 0);
        rg_h5_describe(h, g, "patient_values", "each parameter's own",
                       "each patient's value of each varied parameter [patient][parameter]");
    }
    if (!records) {
        rg_h5_close_group(g);
        return;
    }
    put_set(h, g, "front", r->front_size, r, r->patient_front_objectives,
            r->patient_front_violation, r->patient_front_flags);
    put_set(h, g, "regimens", r->n_regimens, r, r->patient_regimen_objectives,
            r->patient_regimen_violation, r->patient_regimen_flags);
    rg_h5_close_group(g);
}

static void get_set(rg_h5 *h, hid_t g, const char *name, size_t n, const rg_results *r,
                    double **obj, double **viol, uint32_t **flags)
{
    hid_t sub = rg_h5_open_group(h, g, name);
    hsize_t d3[3] = {n, r->n_patients, r->n_obj}, d2[2] = {n, r->n_patients};
    rg_results_h5_get_fixed(h, sub, "objectives", H5T_NATIVE_DOUBLE, sizeof(double), 3, d3,
                            (void **)obj);
    rg_results_h5_get_fixed(h, sub, "violation", H5T_NATIVE_DOUBLE, sizeof(double), 2, d2,
                            (void **)viol);
    rg_results_h5_get_fixed(h, sub, "flags", H5T_NATIVE_UINT32, sizeof(uint32_t), 2, d2,
                            (void **)flags);
    rg_h5_close_group(sub);
}

/* The varied parameters' paths and each patient's values (absent in older files). */
static void get_values(rg_h5 *h, hid_t g, rg_results *r)
{
    size_t m = 0;
    char(*params)[RG_PARAM_PATH_MAX] = calloc(RG_COHORT_MAX_PARAMS, RG_PARAM_PATH_MAX);
    if (!params) {
        rg_h5_fail(h, RG_ENOMEM, "out of memory reading the cohort");
        return;
    }
    rg_h5_read_attr_strs(h, g, "parameters", params[0], RG_PARAM_PATH_MAX, RG_COHORT_MAX_PARAMS,
                         &m);
    if (h->status == RG_OK && m == 0)
        rg_h5_fail(h, RG_EFORMAT, "'/cohort' names no parameter");
    hsize_t dv[2] = {r->n_patients, m};
    double *values = NULL;
    if (h->status == RG_OK)
        rg_results_h5_get_fixed(h, g, "patient_values", H5T_NATIVE_DOUBLE, sizeof(double), 2,
                                dv, (void **)&values);
    if (h->status == RG_OK)
        rg_results_h5_expect_finite(h, "cohort/patient_values", values, r->n_patients * m);
    if (h->status != RG_OK) {
        free(params);
        free(values);
        return;
    }
    free(r->cohort_params);
    free(r->patient_values);
    r->n_cohort_params = m;
    r->cohort_params = params;
    r->patient_values = values;
}

void rg_results_h5_get_cohort(rg_h5 *h, hid_t f, rg_results *r)
{
    if (h->status != RG_OK || !rg_h5_exists(f, "cohort"))
        return;
    hid_t g = rg_h5_open_group(h, f, "cohort");
    size_t n = 0;
    /* names first, so that the arrays are sized: at most the loader's cohort size */
    char(*names)[RG_NAME_MAX] = calloc(RG_COHORT_MAX_PATIENTS, RG_NAME_MAX);
    if (!names)
        rg_h5_fail(h, RG_ENOMEM, "out of memory reading the cohort");
    else
        rg_h5_read_attr_strs(h, g, "patient_names", names[0], RG_NAME_MAX,
                             RG_COHORT_MAX_PATIENTS, &n);
    if (h->status == RG_OK && n == 0)
        rg_h5_fail(h, RG_EFORMAT, "'/cohort' names no patient");
    if (h->status == RG_OK && rg_results_alloc_patients(r, n) != RG_OK)
        rg_h5_fail(h, RG_ENOMEM, "out of memory reading the cohort");
    if (h->status == RG_OK)
        memcpy(r->patient_names, names, n * RG_NAME_MAX);
    if (h->status == RG_OK && H5Aexists(g, "parameters") > 0)
        get_values(h, g, r);
    /* a checkpoint has the patients but no records */
    if (h->status == RG_OK && rg_h5_exists(g, "front")) {
        get_set(h, g, "front", r->front_size, r, &r->patient_front_objectives,
                &r->patient_front_violation, &r->patient_front_flags);
        get_set(h, g, "regimens", r->n_regimens, r, &r->patient_regimen_objectives,
                &r->patient_regimen_violation, &r->patient_regimen_flags);
    }
    free(names);
    rg_h5_close_group(g);
}
