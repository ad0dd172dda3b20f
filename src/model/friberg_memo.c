/* The memo of the neutrophil chain's advances over decision intervals (friberg.h;
 * docs/model.md section 13). The chain depends on the myelotoxic drugs' concentrations and
 * its own parameters only, so patients run one after the other under one schedule often
 * ask for the same advance; the key holds every input rg_friberg_advance reads, compared
 * bit for bit, so a stored output is exactly what stepping would give. */
#include <stdlib.h>
#include <string.h>

#include "regimen/friberg.h"

enum { NS = RG_NEUT_STATES, KEY_FIXED = 7 + NS, KEY_PER_DRUG = 5 };

int rg_friberg_memo_alloc(rg_friberg_memo *mm, size_t slots, size_t rows, size_t drugs)
{
    memset(mm, 0, sizeof *mm);
    size_t stride = KEY_FIXED + KEY_PER_DRUG * drugs;
    mm->keys = malloc(slots * stride * sizeof *mm->keys);
    mm->key_len = calloc(slots, sizeof *mm->key_len);
    mm->rows = malloc(rows * NS * sizeof *mm->rows);
    mm->steps = malloc(slots * sizeof *mm->steps);
    mm->linear = malloc(slots * sizeof *mm->linear);
    if (!mm->keys || !mm->key_len || !mm->rows || !mm->steps || !mm->linear) {
        rg_friberg_memo_free(mm);
        return RG_ENOMEM;
    }
    mm->cap_slots = slots;
    mm->cap_rows = rows;
    mm->key_stride = stride;
    return RG_OK;
}

void rg_friberg_memo_free(rg_friberg_memo *mm)
{
    free(mm->keys);
    free(mm->key_len);
    free(mm->rows);
    free(mm->steps);
    free(mm->linear);
    memset(mm, 0, sizeof *mm);
}

/* The call's key into key[] (at least key_stride doubles); returns its length. Only the
 * myelotoxic drugs enter rg_friberg_advance, so only they are keyed. */
static size_t make_key(const rg_friberg *f, const rg_model *m, double t0, size_t nvis,
                       const double nz[], double key[])
{
    size_t n = 0;
    key[n++] = t0;
    key[n++] = (double)nvis;
    key[n++] = f->dv;
    key[n++] = m->ktr;
    key[n++] = m->fgamma;
    key[n++] = m->circ0;
    key[n++] = m->pk_t0;
    for (size_t i = 0; i < NS; i++)
        key[n++] = nz[i];
    for (size_t d = 0; d < m->nd; d++) {
        if (m->myelo[d] == 0.0)
            continue;
        key[n++] = (double)d;
        key[n++] = m->myelo[d];
        key[n++] = m->kel[d];
        key[n++] = m->pk_a[d];
        key[n++] = m->pk_b[d];
    }
    return n;
}

int rg_friberg_advance_memo(rg_friberg *f, rg_friberg_memo *mm, size_t k, const rg_model *m,
                            double t0, size_t nvis, double nz[], double out[], size_t stride)
{
    if (!mm->keys || nvis == 0 || m->nd > (mm->key_stride - KEY_FIXED) / KEY_PER_DRUG)
        return rg_friberg_advance(f, m, t0, nvis, nz, out, stride);
    double key[KEY_FIXED + KEY_PER_DRUG * RG_MAX_DRUGS];
    size_t kl = make_key(f, m, t0, nvis, nz, key);
    int fits = k < mm->cap_slots && nvis <= mm->cap_rows / (k + 1);
    double *kslot = mm->keys + k * mm->key_stride, *row = mm->rows + k * nvis * NS;
    if (fits && mm->vpi == nvis && mm->key_len[k] == kl &&
        memcmp(kslot, key, kl * sizeof *key) == 0) {
        size_t d = mm->steps[k];
        if (!f->budget || (d <= f->budget && f->steps <= f->budget - d)) {
            if (rg_model_canceled(m))
                return RG_ECANCELED;
            for (size_t q = 1; q < nvis; q++)
                memcpy(&out[(q - 1) * stride], row + (q - 1) * NS, NS * sizeof *row);
            memcpy(nz, row + (nvis - 1) * NS, NS * sizeof *row);
            f->steps += d;
            f->linear_periods += mm->linear[k];
            mm->hits++;
            return RG_OK;
        }
    }
    size_t s0 = f->steps, l0 = f->linear_periods;
    int st = rg_friberg_advance(f, m, t0, nvis, nz, out, stride);
    mm->misses++;
    if (st != RG_OK || !fits)
        return st;
    if (mm->vpi != nvis) { /* the rows of another visit grid overlap: forget them all */
        memset(mm->key_len, 0, mm->cap_slots * sizeof *mm->key_len);
        mm->vpi = nvis;
    }
    memcpy(kslot, key, kl * sizeof *key);
    mm->key_len[k] = kl;
    for (size_t q = 1; q < nvis; q++)
        memcpy(row + (q - 1) * NS, &out[(q - 1) * stride], NS * sizeof *row);
    memcpy(row + (nvis - 1) * NS, nz, NS * sizeof *row);
    mm->steps[k] = f->steps - s0;
    mm->linear[k] = f->linear_periods - l0;
    return RG_OK;
}
