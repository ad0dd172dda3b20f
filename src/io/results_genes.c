/* The schedule genome's layout and its gene-to-day map (results_genes.h): one gene per
 * admissible dose of each optimised drug (encoding.h), so a reader needs the drug and day of
 * every gene, and the dose levels its values index, to read a genome as a calendar. */
#include "results_genes.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/encoding.h"

int rg_results_set_genes(rg_results *r, const rg_problem *p, const rg_encoding *enc)
{
    free(r->gene_drug);
    free(r->gene_day);
    r->gene_drug = NULL;
    r->gene_day = NULL;
    r->genome_layout = 0;
    r->n_levels = 0;
    for (size_t j = 0; j < enc->n_drugs && enc->kind != RG_ENC_BENCHMARK; j++) {
        const rg_drug *d = &p->drugs[enc->drugs[j]];
        r->bolus_days[j] = d->administration == RG_ADMIN_BOLUS ? d->dosing_interval_days : 0.0;
    }
    if (enc->kind != RG_ENC_SCHEDULE)
        return RG_OK;
    size_t L = enc->length;
    r->gene_drug = malloc((L ? L : 1) * sizeof *r->gene_drug);
    r->gene_day = malloc((L ? L : 1) * sizeof *r->gene_day);
    if (!r->gene_drug || !r->gene_day)
        return RG_ENOMEM;
    for (size_t g = 0; g < L; g++) {
        size_t j, k = rg_encoding_gene_interval(enc, g, &j);
        r->gene_drug[g] = (uint32_t)j;
        r->gene_day[g] = (double)k * enc->decision_days;
    }
    r->genome_layout = RG_SCHEDULE_LAYOUT;
    r->n_levels = enc->n_levels;
    memcpy(r->dose_levels, enc->levels, sizeof r->dose_levels);
    return RG_OK;
}

void rg_results_h5_put_layout(rg_h5 *h, hid_t file, const rg_results *r)
{
    if (r->encoding != RG_ENC_SCHEDULE)
        return;
    int32_t layout = RG_SCHEDULE_LAYOUT;
    rg_h5_attr_num(h, file, "genome_layout", H5T_NATIVE_INT32, H5T_STD_I32LE, 0, &layout);
}

void rg_results_h5_get_layout(rg_h5 *h, hid_t file, rg_results *r)
{
    if (h->status != RG_OK || r->encoding != RG_ENC_SCHEDULE)
        return;
    int32_t layout = 0;
    if (H5Aexists(file, "genome_layout") > 0)
        rg_h5_read_attr_num(h, file, "genome_layout", H5T_NATIVE_INT32, 0, &layout);
    if (h->status == RG_OK && layout != RG_SCHEDULE_LAYOUT)
        rg_h5_fail(h, RG_EFORMAT,
                   "its schedule genomes have the old layout (%s: a gene per drug and "
                   "interval); this version has one gene per admissible dose (layout %d, "
                   "docs/optimizer.md): run the optimisation again",
                   layout ? "genome_layout is not 2" : "no genome_layout attribute",
                   RG_SCHEDULE_LAYOUT);
    r->genome_layout = (int)layout;
}

void rg_results_h5_put_genes(rg_h5 *h, hid_t front, const rg_results *r)
{
    if (r->n_drugs > 0 && r->encoding != RG_ENC_BENCHMARK)
        rg_h5_attr_num(h, front, "bolus_days", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, r->n_drugs,
                       r->bolus_days);
    if (r->encoding != RG_ENC_SCHEDULE || !r->gene_drug || !r->gene_day)
        return;
    hsize_t dl[1] = {r->genome_length};
    rg_h5_dset(h, front, "gene_drug", H5T_NATIVE_UINT32, H5T_STD_U32LE, 1, dl, r->gene_drug, 0);
    rg_h5_describe(h, front, "gene_drug", "1",
                   "optimised drug of each gene, a position in drug_names");
    rg_h5_dset(h, front, "gene_day", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 1, dl, r->gene_day, 0);
    rg_h5_describe(h, front, "gene_day", "days", "day of each gene's dose");
    rg_h5_attr_num(h, front, "dose_levels", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, r->n_levels,
                   r->dose_levels);
}

void rg_results_h5_get_genes(rg_h5 *h, hid_t front, rg_results *r)
{
    /* a rule run's doses say which drugs are boluses; files written before have none */
    if (h->status == RG_OK && r->n_drugs > 0 && H5Aexists(front, "bolus_days") > 0)
        rg_h5_read_attr_num(h, front, "bolus_days", H5T_NATIVE_DOUBLE, r->n_drugs,
                            r->bolus_days);
    if (h->status != RG_OK || r->encoding != RG_ENC_SCHEDULE)
        return;
    hsize_t dims[1];
    rg_h5_read_dset(h, front, "gene_drug", H5T_NATIVE_UINT32, sizeof(uint32_t), 1, dims,
                    (void **)&r->gene_drug);
    if (h->status == RG_OK && dims[0] != r->genome_length)
        rg_h5_fail(h, RG_EFORMAT, "dataset 'front/gene_drug' has %llu genes, the run %zu",
                   (unsigned long long)dims[0], r->genome_length);
    rg_h5_read_dset(h, front, "gene_day", H5T_NATIVE_DOUBLE, sizeof(double), 1, dims,
                    (void **)&r->gene_day);
    if (h->status == RG_OK && dims[0] != r->genome_length)
        rg_h5_fail(h, RG_EFORMAT, "dataset 'front/gene_day' has %llu genes, the run %zu",
                   (unsigned long long)dims[0], r->genome_length);
    for (size_t g = 0; h->status == RG_OK && g < r->genome_length; g++)
        if (r->gene_drug[g] >= r->n_drugs)
            rg_h5_fail(h, RG_EFORMAT, "front/gene_drug[%zu] = %u names no drug of drug_names",
                       g, (unsigned)r->gene_drug[g]);
    if (h->status != RG_OK)
        return;
    hid_t a = H5Aopen(front, "dose_levels", H5P_DEFAULT);
    hid_t sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (a >= 0)
        H5Aclose(a);
    if (n < 1 || n > RG_MAX_LEVELS) {
        rg_h5_fail(h, RG_EFORMAT, "attribute 'front/dose_levels' is missing or malformed");
        return;
    }
    r->n_levels = (size_t)n;
    rg_h5_read_attr_num(h, front, "dose_levels", H5T_NATIVE_DOUBLE, r->n_levels,
                        r->dose_levels);
}
