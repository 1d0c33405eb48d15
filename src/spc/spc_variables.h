/*
 * spc_variables.h: statistics of the variables control charts and of process
 * capability (pure C, no PostgreSQL headers; unit-tested by
 * test/unit/test_spc_variables.c).
 *
 * Numerical conventions
 * - Every accumulator works on values shifted by a constant K (the first
 *   value seen), so measurements like 1e9 + small noise keep their noise
 *   digits: x - K is exact (Sterbenz) for x near K.
 * - Sorted series (individuals) are summarised by a shifted two-pass pass
 *   over the held values; order-free states (subgroups) use Welford per
 *   subgroup and Chan et al.'s pairwise merge across partial states.
 */
#ifndef QE_SPC_VARIABLES_H
#define QE_SPC_VARIABLES_H

#include <stddef.h>
#include <stdint.h>

/* One individual measurement: 16 bytes. */
typedef struct SpcPair
{
	int64_t		t;
	double		x;
} SpcPair;

/* Sort by t (ascending); ties keep no particular order. */
extern void spc_pairs_sort(SpcPair *p, size_t n);

/* 1 when p[0..n) is sorted by t (non-decreasing). */
extern int	spc_pairs_is_sorted(const SpcPair *p, size_t n);

/* Index i >= 1 of the first p[i].t == p[i-1].t in sorted p, or 0 when none. */
extern size_t spc_pairs_first_tie(const SpcPair *p, size_t n);

/*
 * Summary of a time-ordered series: everything capability and the I-MR chart
 * need, and enough to join two adjacent series exactly.
 */
typedef struct SpcSeries
{
	int64_t		n;				/* values */
	double		mean;
	double		m2;				/* sum of squared deviations from the mean */
	double		sum_mr;			/* sum of |x_i - x_{i-1}| */
	int64_t		n_mr;			/* number of moving ranges (n - 1) */
	int64_t		first_t;
	double		first_x;
	int64_t		last_t;
	double		last_x;
} SpcSeries;

/* Summarise sorted pairs (n >= 1): shifted two-pass mean and M2. */
extern void spc_series_from_sorted(const SpcPair *p, size_t n, SpcSeries *out);

/*
 * Append series b to a (b starts after a ends): Chan's merge of mean/M2, and
 * the moving range across the boundary |b.first_x - a.last_x|.
 */
extern void spc_series_append(SpcSeries *a, const SpcSeries *b);

/* Sort series by first_t; returns index i >= 1 of the first series that
 * overlaps its predecessor (first_t <= previous last_t), or 0 when none. */
extern size_t spc_series_sort_check(SpcSeries *s, size_t n);

/* Within sigma of individuals: MR-bar / d2(2). */
extern double spc_series_sigma_within(const SpcSeries *s);

/* Sample standard deviation. */
extern double spc_series_sigma_overall(const SpcSeries *s);

/* Per-subgroup moments (Welford on shifted values); min/max unshifted. */
typedef struct SpcMoments
{
	int64_t		n;
	double		mean;			/* mean of x - K for the owning state's K */
	double		m2;
	double		min;			/* of x itself */
	double		max;
} SpcMoments;

static inline void
spc_moments_add(SpcMoments *m, double x, double shifted)
{
	double		delta;

	if (m->n == 0)
	{
		m->n = 1;
		m->mean = shifted;
		m->m2 = 0.0;
		m->min = m->max = x;
		return;
	}
	m->n++;
	delta = shifted - m->mean;
	m->mean += delta / (double) m->n;
	m->m2 += delta * (shifted - m->mean);
	if (x < m->min)
		m->min = x;
	if (x > m->max)
		m->max = x;
}

/* Chan et al. merge; b->mean must already be in a's shift. */
extern void spc_moments_merge(SpcMoments *a, const SpcMoments *b);

/* Chart results (fields as qe.control_limits). */
typedef struct SpcLimits
{
	double		center,
				lcl,
				ucl,
				sigma;
	int64_t		n_points,
				n_values;
	double		avg_sample_size;
	double		disp_center,
				disp_lcl,
				disp_ucl;
} SpcLimits;

/* I-MR limits from a series with n >= 2. */
extern void spc_imr_limits(const SpcSeries *s, SpcLimits *out);

/* Within-subgroup sigma estimators over k subgroups (all n_i >= 2). */
typedef enum SpcWithin
{
	SPC_WITHIN_RBAR = 0,		/* mean of R_i / d2(n_i) (ASTM E2587) */
	SPC_WITHIN_SBAR = 1,		/* weighted mean of s_i / c4(n_i) (ASTM E2587) */
	SPC_WITHIN_POOLED = 2		/* pooled sd / c4(sum(n_i - 1) + 1) */
} SpcWithin;

extern double spc_sigma_within(const SpcMoments *g, size_t k, SpcWithin method);

/* Overall n, mean (shifted) and M2 of k subgroups: two passes over them. */
extern void spc_subgroups_overall(const SpcMoments *g, size_t k,
								  int64_t *n, double *mean, double *m2);

/*
 * X-bar/R (method RBAR) or X-bar/S (method SBAR) limits from k >= 2
 * subgroups; shift is the K the subgroup means are relative to.
 */
extern void spc_xbar_limits(const SpcMoments *g, size_t k, double shift,
							SpcWithin method, SpcLimits *out);

/* Capability indices.  has_* false means that limit/target is absent. */
typedef struct SpcSpec
{
	int			has_lsl,
				has_usl,
				has_target;
	double		lsl,
				usl,
				target;
} SpcSpec;

typedef struct SpcCapability
{
	/* NaN means SQL NULL for every double here */
	double		cp,
				cpk,
				cpl,
				cpu,
				pp,
				ppk,
				ppl,
				ppu,
				cpm;
	int64_t		n;
	double		mean,
				sigma_within,
				sigma_overall;
} SpcCapability;

/*
 * Fill *out from n (>= 2), mean, M2 (sum of squared deviations) and the
 * within sigma.  Zero sigma: an index is +Infinity when the mean lies
 * strictly inside that limit, -Infinity outside, NaN (NULL) on it.
 */
extern void spc_capability(int64_t n, double mean, double m2, double sigma_within,
						   const SpcSpec *spec, SpcCapability *out);

/* Standard normal quantile (0 < p < 1), to full double precision. */
extern double spc_norm_quantile(double p);

/* Regularized lower incomplete gamma P(a, x) and upper Q(a, x). */
extern double spc_gamma_p(double a, double x);
extern double spc_gamma_q(double a, double x);

/* Chi-square quantile: x with P(chi2_df <= x) = p, 0 < p < 1, df > 0. */
extern double spc_chisq_quantile(double p, double df);

/* Two-sided confidence interval for Cp (chi-square, df = n - 1). */
extern void spc_cp_confidence(double cp, int64_t n, double level, double *lo, double *hi);

/* Bissell (1990): Cpk -+ z sqrt(1/(9n) + Cpk^2/(2(n-1))). */
extern void spc_cpk_confidence(double cpk, int64_t n, double level, double *lo, double *hi);

#endif
