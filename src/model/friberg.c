/* The Friberg neutrophil states stepped along the visit grid (friberg.h says why).
 *
 * Each visit period is cut into nsub equal Dormand-Prince 8 steps (the 12 stages of DOP853,
 * 8th-order weights, no error estimate): the step size comes from the fastest rate in play,
 * so no step is ever rejected and every visit is a step end. Inside one decision interval
 * the drug effect has the closed form E(t0 + s) = A + sum_j B_j exp(-k_j s), and with equal
 * steps the exponentials at the stage abscissae are a fixed factor times one running factor
 * per drug: the stages cost no exp() for the pharmacokinetics.
 *
 * The feedback v = (circ0 / Circ)^gamma is carried as a sixth state, v' = -gamma v Circ' / Circ
 * (v is set exactly from Circ at every call): a division per stage instead of a pow(). */
#include "regimen/friberg.h"

#include <math.h>
#include <string.h>

#include "dop853_coef.h"

enum { NS = RG_NEUT_STATES + 1, NSTAGE = 12 };

/* the six-state derivative (five Friberg states and the feedback v) */
static inline void deriv6(double k, double g, double E, const double x[NS], double dx[NS])
{
    rg_friberg_deriv(k, E, x[5], x, dx);
    dx[5] = -g * x[5] * dx[4] / (x[4] > 1e-300 ? x[4] : 1e-300);
}

/* v from Circ (the Friberg states are set) */
static inline void feedback_from_circ(double z[NS], double circ0, double g)
{
    z[5] = g != 0.0 ? pow(circ0 / (z[4] > 1e-300 ? z[4] : 1e-300), g) : 1.0;
}

/* One DOP853 step of z with the stage weights ha = h * dop_a and the stage drug effects Es.
 * Fully unrolled by the compiler (the zeros of the coefficient table fold away). The stages
 * form one chain, each waiting for the last: the newest stage's term is added last, so that
 * the rest of each sum is formed while that stage is still being computed. */
static inline void dop8_step(double z[NS], const double ha[NSTAGE + 1][NSTAGE],
                             const double Es[NSTAGE], double k, double g)
{
    double kk[NSTAGE][NS], ys[NS];
    deriv6(k, g, Es[0], z, kk[0]);
#pragma GCC unroll 16
    for (size_t st = 1; st <= NSTAGE; st++) {
#pragma GCC unroll 8
        for (size_t i = 0; i < NS; i++) {
            double acc = z[i];
#pragma GCC unroll 16
            for (size_t j = 0; j + 1 < st; j++)
                if (dop_a[st][j] != 0.0)
                    acc += ha[st][j] * kk[j][i];
            ys[i] = acc + ha[st][st - 1] * kk[st - 1][i];
        }
        if (st < NSTAGE)
            deriv6(k, g, Es[st], ys, kk[st]);
    }
    memcpy(z, ys, sizeof ys);
}

void rg_friberg_setup(rg_friberg *f, const rg_model *m, double dv)
{
    enum { N = RG_NEUT_STATES };
    f->steps = f->linear_periods = 0;
    /* every run of one problem asks for the same M: computed once */
    if (f->ready && f->dv == dv && f->ktr == m->ktr && f->gamma == m->fgamma)
        return;
    f->dv = dv;
    f->ktr = m->ktr;
    f->gamma = m->fgamma;
    f->ready = true;
    /* J about rest (all states circ0, E = 0): dProl = -k gamma dCirc, the chain k (in - out) */
    double A[N][N] = {{0}};
    const double k = m->ktr;
    A[0][4] = -k * m->fgamma;
    for (size_t i = 1; i < N; i++) {
        A[i][i - 1] = k;
        A[i][i] = -k;
    }
    double norm = 0.0; /* max row sum of |J dv| */
    for (size_t i = 0; i < N; i++) {
        double r = 0.0;
        for (size_t j = 0; j < N; j++)
            r += fabs(A[i][j] * dv);
        norm = r > norm ? r : norm;
    }
    int sq = 0;
    double sc = dv;
    while (norm > 0.25 && sq < 60) {
        norm *= 0.5;
        sc *= 0.5;
        sq++;
    }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            A[i][j] *= sc;
    /* Taylor to order 20 at norm <= 1/4: remainder below 1e-25 */
    double E[N][N] = {{0}}, T[N][N] = {{0}}, W[N][N];
    for (size_t i = 0; i < N; i++)
        E[i][i] = T[i][i] = 1.0;
    for (int n = 1; n <= 20; n++) {
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++) {
                double acc = 0.0;
                for (size_t l = 0; l < N; l++)
                    acc += T[i][l] * A[l][j];
                W[i][j] = acc / n;
            }
        memcpy(T, W, sizeof T);
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++)
                E[i][j] += T[i][j];
    }
    for (int r = 0; r < sq; r++) {
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++) {
                double acc = 0.0;
                for (size_t l = 0; l < N; l++)
                    acc += E[i][l] * E[l][j];
                W[i][j] = acc;
            }
        memcpy(E, W, sizeof E);
    }
    memcpy(f->M, E, sizeof E);
}

int rg_friberg_advance(rg_friberg *f, const rg_model *m, double t0, size_t nvis, double nz[],
                       double out[], size_t stride)
{
    const double dv = f->dv;
    /* E(t0 + s) = A + sum_j (sa_j + sb_j exp(-k_j s)) over the myelotoxic drugs j; the
     * pharmacokinetic origin of the interval is m->pk_t0 */
    double A = 0.0, sa[RG_MAX_DRUGS], sb[RG_MAX_DRUGS], kel[RG_MAX_DRUGS];
    size_t nb = 0;
    for (size_t d = 0; d < m->nd; d++) {
        double s = m->myelo[d];
        if (s == 0.0)
            continue;
        if (m->pk_b[d] != 0.0 && m->kel[d] > 0.0) {
            sa[nb] = s * m->pk_a[d];
            sb[nb] = s * m->pk_b[d];
            kel[nb] = m->kel[d];
            nb++;
        } else {
            A += s * m->pk_a[d];
        }
    }
    /* run_j = exp(-k_j s) at the current step start s; exp(-k_j (s + c h)) = run_j fac_j[c] */
    double run[RG_MAX_DRUGS], period[RG_MAX_DRUGS], fac[RG_MAX_DRUGS][NSTAGE];
    double stepfac[RG_MAX_DRUGS];
    for (size_t j = 0; j < nb; j++) {
        run[j] = t0 == m->pk_t0 ? 1.0 : exp(-kel[j] * (t0 - m->pk_t0));
        period[j] = exp(-kel[j] * dv);
    }
    const double g = m->fgamma, k = m->ktr;
    double z[NS], Es[NSTAGE], ha[NSTAGE + 1][NSTAGE];
    memcpy(z, nz, RG_NEUT_STATES * sizeof *z);
    size_t nsub_fac = 0; /* the number of steps per period fac is set for */
    bool stale = true; /* z[5] not set from Circ yet (set where a Dormand-Prince step needs it:
                            intervals taken wholly by the linear propagator never do) */
    for (size_t q = 1; q <= nvis; q++) {
        /* the fastest rate of this visit period: k_tr (1 + |E|) (E is monotone in each drug
         * over the period, so its ends bound it) or a myelotoxic drug's elimination */
        double rate = k, emax = fabs(A);
        for (size_t j = 0; j < nb; j++) {
            double e0 = fabs(sa[j] + sb[j] * run[j]),
                   e1 = fabs(sa[j] + sb[j] * run[j] * period[j]);
            emax += e0 > e1 ? e0 : e1;
            if (kel[j] > rate)
                rate = kel[j];
        }
        /* near rest without drug: the linearised chain's exact step (at rest exactly, the
         * states stay at circ0 to the last bit: M times a zero perturbation) */
        if (A == 0.0 && emax < 1e-13) {
            double dz[RG_NEUT_STATES], big = 0.0;
            for (size_t i = 0; i < RG_NEUT_STATES; i++) {
                dz[i] = z[i] - m->circ0;
                big = fabs(dz[i]) > big ? fabs(dz[i]) : big;
            }
            if (big <= RG_FRIBERG_LINEAR * m->circ0) {
                for (size_t i = 0; i < RG_NEUT_STATES; i++) {
                    double acc = 0.0;
                    for (size_t j = 0; j < RG_NEUT_STATES; j++)
                        acc += f->M[i][j] * dz[j];
                    z[i] = m->circ0 + acc;
                }
                stale = true;
                f->linear_periods++;
                for (size_t j = 0; j < nb; j++)
                    run[j] *= period[j];
                if (q < nvis)
                    memcpy(&out[(q - 1) * stride], z, RG_NEUT_STATES * sizeof *z);
                continue;
            }
        }
        if (stale) {
            feedback_from_circ(z, m->circ0, g);
            stale = false;
        }
        if (k * (1.0 + emax) > rate)
            rate = k * (1.0 + emax);
        double want = ceil(dv * rate / RG_FRIBERG_HRATE);
        /* (a rate no budget allows is capped before the conversion, which would overflow) */
        size_t nsub = want > 1.0 ? (want < 1e15 ? (size_t)want : (size_t)1e15) : 1;
        const double h = dv / (double)nsub;
        if (nsub != nsub_fac) {
            for (size_t st = 1; st <= NSTAGE; st++)
                for (size_t j = 0; j < st; j++)
                    ha[st][j] = h * dop_a[st][j];
            for (size_t j = 0; j < nb; j++) {
                for (size_t st = 0; st < NSTAGE; st++)
                    fac[j][st] = exp(-kel[j] * (st == 11 ? 1.0 : dop_c[st]) * h);
                stepfac[j] = exp(-kel[j] * h);
            }
            nsub_fac = nsub;
        }
        if (f->budget && (nsub > f->budget || f->steps > f->budget - nsub))
            return RG_EBUDGET;
        for (size_t sub = 0; sub < nsub; sub++) {
            if (rg_model_canceled(m))
                return RG_ECANCELED;
            for (size_t st = 0; st < NSTAGE; st++) {
                double E = A;
                for (size_t j = 0; j < nb; j++)
                    E += sa[j] + sb[j] * run[j] * fac[j][st];
                Es[st] = E;
            }
            dop8_step(z, (const double(*)[NSTAGE])ha, Es, k, g);
            for (size_t j = 0; j < nb; j++)
                run[j] *= stepfac[j];
        }
        f->steps += nsub;
        if (q < nvis)
            memcpy(&out[(q - 1) * stride], z, RG_NEUT_STATES * sizeof *z);
    }
    memcpy(nz, z, RG_NEUT_STATES * sizeof *z);
    return RG_OK;
}
