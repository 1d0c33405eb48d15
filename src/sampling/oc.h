/*
 * oc.h: operating characteristic of a single sampling plan (n, c):
 * probability of acceptance, AOQ, AOQL, ATI, and the producer's /
 * consumer's risk points.
 *
 * Pure C.  p is the fraction nonconforming (binomial, hypergeometric) or the
 * nonconformities per unit (Poisson), i.e. AQL / 100.
 */
#ifndef QE_SMP_OC_H
#define QE_SMP_OC_H

#include <stddef.h>
#include <stdint.h>

typedef enum SmpOcModel
{
	SMP_OC_BINOMIAL = 0,		/* fraction nonconforming, infinite lot (type B) */
	SMP_OC_HYPERGEOMETRIC = 1,	/* fraction nonconforming, finite lot N (type A); D = round(pN) */
	SMP_OC_POISSON = 2			/* nonconformities per unit; lambda = n p */
} SmpOcModel;

#define SMP_OC_NMODELS 3
extern const char *const smp_oc_model_names[SMP_OC_NMODELS];
#define SMP_OC_MODEL_LIST "binomial, hypergeometric, poisson"

/* largest sample size for the hypergeometric model (its cost is O(n)) */
#define SMP_OC_MAX_HYPER_N INT64_C(1000000)

extern int	smp_parse_oc_model(const char *s, size_t len);

/*
 * Called every SMP_OC_POLL_EVERY terms of a long sum, when set.  A sum has
 * as many terms as the acceptance number (a billion for the largest plans),
 * so the PostgreSQL glue points this at CHECK_FOR_INTERRUPTS: a long Pa can
 * then be cancelled.  It may leave by longjmp; the sums hold no resources.
 */
extern void (*smp_oc_poll) (void);
#define SMP_OC_POLL_EVERY 65536

/* the plain distributions; arguments must be valid (see smp_oc_check) */
extern double smp_pa_binomial(int64_t n, int64_t c, double p);
extern double smp_pa_poisson(int64_t n, int64_t c, double p);
extern double smp_pa_hypergeometric(int64_t N, int64_t n, int64_t c, int64_t D);

/* errors of smp_oc_check and of the functions below */
#define SMP_OC_OK 0
#define SMP_OC_ERR_N (-1)		/* n < 1 */
#define SMP_OC_ERR_C (-2)		/* c < 0 */
#define SMP_OC_ERR_P (-3)		/* p not finite, < 0, or > 1 for a fraction */
#define SMP_OC_ERR_LOT (-4)		/* lot size needed (hypergeometric, AOQ, ATI) or < n */
#define SMP_OC_ERR_MODEL (-5)
#define SMP_OC_ERR_BIG (-6)		/* hypergeometric n above SMP_OC_MAX_HYPER_N */

typedef struct SmpOcPlan
{
	int			model;
	int64_t		n;
	int64_t		c;
	int64_t		lot;			/* 0: infinite / unknown */
} SmpOcPlan;

/* validate a plan (need_lot: AOQ / ATI) */
extern int	smp_oc_check(const SmpOcPlan *pl, int need_lot);

/* Pa at p.  Returns SMP_OC_OK or an error. */
extern int	smp_oc_pa(const SmpOcPlan *pl, double p, double *pa);

/* AOQ = p Pa (N - n) / N (rectifying inspection) and ATI = n + (1 - Pa)(N - n) */
extern int	smp_oc_aoq(const SmpOcPlan *pl, double p, double *aoq);
extern int	smp_oc_ati(const SmpOcPlan *pl, double p, double *ati);

/* The p at which Pa falls to target (0 < target < 1): continuous for the
 * binomial and Poisson models; for the hypergeometric model the largest
 * D / N with Pa >= target. */
extern int	smp_oc_p_at(const SmpOcPlan *pl, double target, double *p);

/* AOQL = max over p of AOQ, and the p where it is reached (needs the lot size) */
extern int	smp_oc_aoql(const SmpOcPlan *pl, double *aoql, double *p_at);

#endif
