/*
 * oc.c: operating-characteristic numerics for single sampling.
 *
 * Pa = P(d <= c) is summed term by term in log space (each term from the
 * previous by the ratio of consecutive probabilities, the running sum kept
 * relative to its largest term), so neither large n nor tiny probabilities
 * underflow and no cancellation occurs: the relative error is a few units of
 * n * 1e-16.  Risk points are found by bisection to full double precision
 * (Pa is strictly decreasing in p); the AOQL by a grid search refined by
 * golden sections (continuous models) or by a ternary search over the
 * integer number of nonconforming units in the lot (hypergeometric).
 */
#include "sampling/oc.h"

#include <math.h>
#include <stddef.h>

void		(*smp_oc_poll) (void) = NULL;

/* every SMP_OC_POLL_EVERY steps of a sum */
static inline void
poll_at(int64_t step)
{
	if ((step & (SMP_OC_POLL_EVERY - 1)) == SMP_OC_POLL_EVERY - 1 && smp_oc_poll != NULL)
		smp_oc_poll();
}

const char *const smp_oc_model_names[SMP_OC_NMODELS] = {"binomial", "hypergeometric", "poisson"};

int
smp_parse_oc_model(const char *s, size_t len)
{
	for (int k = 0; k < SMP_OC_NMODELS; k++)
	{
		const char *w = smp_oc_model_names[k];
		size_t		i;

		for (i = 0; i < len && w[i]; i++)
		{
			int			a = (unsigned char) s[i];

			if (a >= 'A' && a <= 'Z')
				a += 'a' - 'A';
			if (a != w[i])
				break;
		}
		if (i == len && w[i] == '\0')
			return k;
	}
	return -1;
}

/* running log-sum-exp */
typedef struct LogSum
{
	double		m;				/* largest log term so far */
	double		s;				/* sum of exp(term - m) */
} LogSum;

static inline void
ls_add(LogSum *ls, double lt)
{
	if (ls->s == 0.0)
	{
		ls->m = lt;
		ls->s = 1.0;
	}
	else if (lt > ls->m)
	{
		ls->s = ls->s * exp(ls->m - lt) + 1.0;
		ls->m = lt;
	}
	else
		ls->s += exp(lt - ls->m);
}

static inline double
ls_value(const LogSum *ls)
{
	double		v = ls->s == 0.0 ? 0.0 : exp(ls->m + log(ls->s));

	return v > 1.0 ? 1.0 : v;
}

double
smp_pa_binomial(int64_t n, int64_t c, double p)
{
	LogSum		ls = {0.0, 0.0};
	double		lp,
				lq,
				lt;

	if (c >= n || p <= 0.0)
		return 1.0;
	if (p >= 1.0)
		return 0.0;
	lp = log(p);
	lq = log1p(-p);
	lt = (double) n * lq;		/* log P(d = 0) */
	for (int64_t d = 0;; d++)
	{
		ls_add(&ls, lt);
		if (d == c)
			break;
		poll_at(d);
		lt += log((double) (n - d) / (double) (d + 1)) + lp - lq;
	}
	return ls_value(&ls);
}

double
smp_pa_poisson(int64_t n, int64_t c, double p)
{
	LogSum		ls = {0.0, 0.0};
	double		lambda = (double) n * p,
				ll,
				lt;

	if (lambda <= 0.0)
		return 1.0;
	if (!isfinite(lambda))
		return 0.0;				/* n p beyond double: every term is 0 */
	ll = log(lambda);
	lt = -lambda;
	for (int64_t d = 0;; d++)
	{
		ls_add(&ls, lt);
		if (d == c)
			break;
		poll_at(d);
		lt += ll - log((double) (d + 1));
	}
	return ls_value(&ls);
}

/*
 * log P(X = dmin) of the hypergeometric law as a sum of small terms: with
 * dmin = 0, P = prod_{i < n} (1 - D / (N - i)); with dmin > 0 (n > N - D),
 * P = prod_{j < N - D} (1 - (N - n) / (N - j)).  Each log1p term is small
 * and the sum keeps its relative precision, where log C(D, dmin) +
 * log C(N - D, n - dmin) - log C(N, n) subtracted sums of the order of
 * n log N (relative error 2e-6 at n = 10^6).  Neumaier-compensated.
 */
static double
log_p_first(int64_t N, int64_t n, int64_t D, int64_t dmin)
{
	int64_t		m = dmin == 0 ? n : N - D;
	double		num = dmin == 0 ? (double) D : (double) (N - n);
	double		s = 0.0,
				comp = 0.0;

	for (int64_t i = 0; i < m; i++)
	{
		double		t = log1p(-num / (double) (N - i));
		double		u = s + t;

		poll_at(i);
		comp += fabs(s) >= fabs(t) ? (s - u) + t : (t - u) + s;
		s = u;
	}
	return s + comp;
}

double
smp_pa_hypergeometric(int64_t N, int64_t n, int64_t c, int64_t D)
{
	int64_t		dmin = n - (N - D) > 0 ? n - (N - D) : 0;
	int64_t		dmax = n < D ? n : D;
	LogSum		ls = {0.0, 0.0};
	double		lt;

	if (c >= dmax)
		return 1.0;
	if (c < dmin)
		return 0.0;
	lt = log_p_first(N, n, D, dmin);
	for (int64_t d = dmin;; d++)
	{
		ls_add(&ls, lt);
		if (d == c)
			break;
		poll_at(d);
		lt += log((double) (D - d) * (double) (n - d)) -
			log((double) (d + 1) * (double) (N - D - n + d + 1));
	}
	return ls_value(&ls);
}

int
smp_oc_check(const SmpOcPlan *pl, int need_lot)
{
	if (pl->model < 0 || pl->model >= SMP_OC_NMODELS)
		return SMP_OC_ERR_MODEL;
	if (pl->n < 1)
		return SMP_OC_ERR_N;
	if (pl->c < 0)
		return SMP_OC_ERR_C;
	if ((need_lot || pl->model == SMP_OC_HYPERGEOMETRIC) && pl->lot < pl->n)
		return SMP_OC_ERR_LOT;
	if (pl->model == SMP_OC_HYPERGEOMETRIC && pl->n > SMP_OC_MAX_HYPER_N)
		return SMP_OC_ERR_BIG;
	return SMP_OC_OK;
}

static int
check_p(const SmpOcPlan *pl, double p)
{
	if (!isfinite(p) || p < 0.0 || (pl->model != SMP_OC_POISSON && p > 1.0))
		return SMP_OC_ERR_P;
	return SMP_OC_OK;
}

static int64_t
defectives_in_lot(const SmpOcPlan *pl, double p)
{
	double		D = nearbyint(p * (double) pl->lot);

	/* >=: (double) INT64_MAX is 2^63, which does not convert back */
	return D >= (double) pl->lot ? pl->lot : (int64_t) D;
}

/* Pa without validation */
static double
pa_raw(const SmpOcPlan *pl, double p)
{
	switch (pl->model)
	{
		case SMP_OC_HYPERGEOMETRIC:
			return smp_pa_hypergeometric(pl->lot, pl->n, pl->c, defectives_in_lot(pl, p));
		case SMP_OC_POISSON:
			return smp_pa_poisson(pl->n, pl->c, p);
		default:
			return smp_pa_binomial(pl->n, pl->c, p);
	}
}

int
smp_oc_pa(const SmpOcPlan *pl, double p, double *pa)
{
	int			rc = smp_oc_check(pl, 0);

	if (rc == SMP_OC_OK)
		rc = check_p(pl, p);
	if (rc == SMP_OC_OK)
		*pa = pa_raw(pl, p);
	return rc;
}

/* AOQ without validation: the outgoing quality after rectifying inspection */
static double
aoq_raw(const SmpOcPlan *pl, double p)
{
	double		frac = (double) (pl->lot - pl->n) / (double) pl->lot;

	if (pl->model == SMP_OC_HYPERGEOMETRIC)
		p = (double) defectives_in_lot(pl, p) / (double) pl->lot;
	return p * pa_raw(pl, p) * frac;
}

int
smp_oc_aoq(const SmpOcPlan *pl, double p, double *aoq)
{
	int			rc = smp_oc_check(pl, 1);

	if (rc == SMP_OC_OK)
		rc = check_p(pl, p);
	if (rc == SMP_OC_OK)
		*aoq = aoq_raw(pl, p);
	return rc;
}

int
smp_oc_ati(const SmpOcPlan *pl, double p, double *ati)
{
	int			rc = smp_oc_check(pl, 1);

	if (rc == SMP_OC_OK)
		rc = check_p(pl, p);
	if (rc == SMP_OC_OK)
		*ati = (double) pl->n + (1.0 - pa_raw(pl, p)) * (double) (pl->lot - pl->n);
	return rc;
}

/* an upper bound of p with Pa(p) < target, for the Poisson model */
static double
poisson_upper(const SmpOcPlan *pl, double target)
{
	double		hi = ((double) pl->c + 1.0) / (double) pl->n;

	while (smp_pa_poisson(pl->n, pl->c, hi) >= target && hi < 1e300)
		hi *= 2.0;
	return hi;
}

int
smp_oc_p_at(const SmpOcPlan *pl, double target, double *p)
{
	int			rc = smp_oc_check(pl, 0);

	if (rc != SMP_OC_OK)
		return rc;
	if (!(target > 0.0 && target < 1.0))
		return SMP_OC_ERR_P;

	if (pl->model == SMP_OC_HYPERGEOMETRIC)
	{
		/* largest D with Pa >= target: Pa(0) = 1 */
		int64_t		lo = 0,
					hi = pl->lot;

		if (smp_pa_hypergeometric(pl->lot, pl->n, pl->c, hi) >= target)
		{
			*p = 1.0;
			return SMP_OC_OK;
		}
		while (hi - lo > 1)
		{
			int64_t		mid = lo + (hi - lo) / 2;

			if (smp_pa_hypergeometric(pl->lot, pl->n, pl->c, mid) >= target)
				lo = mid;
			else
				hi = mid;
		}
		*p = (double) lo / (double) pl->lot;
		return SMP_OC_OK;
	}

	if (pl->model == SMP_OC_BINOMIAL && pl->c >= pl->n)
	{
		*p = 1.0;				/* accepted whatever p */
		return SMP_OC_OK;
	}
	{
		double		lo = 0.0,
					hi = pl->model == SMP_OC_POISSON ? poisson_upper(pl, target) : 1.0;

		for (int it = 0; it < 2000 && hi - lo > 0.0; it++)
		{
			double		mid = lo + (hi - lo) / 2.0;

			if (mid <= lo || mid >= hi)
				break;
			if (pa_raw(pl, mid) >= target)
				lo = mid;
			else
				hi = mid;
		}
		*p = lo + (hi - lo) / 2.0;
	}
	return SMP_OC_OK;
}

int
smp_oc_aoql(const SmpOcPlan *pl, double *aoql, double *p_at)
{
	int			rc = smp_oc_check(pl, 1);

	if (rc != SMP_OC_OK)
		return rc;

	if (pl->model == SMP_OC_HYPERGEOMETRIC)
	{
		/* AOQ(D) = (D / N) Pa(D) (N - n) / N rises, then falls to a tail of zeros */
		int64_t		lo = 0,
					hi = pl->lot,
					best = 0;
		double		bestv = -1.0;

		while (hi - lo > 2)
		{
			int64_t		m1 = lo + (hi - lo) / 3,
						m2 = hi - (hi - lo) / 3;
			double		f1 = aoq_raw(pl, (double) m1 / (double) pl->lot),
						f2 = aoq_raw(pl, (double) m2 / (double) pl->lot);

			if (f1 < f2)
				lo = m1 + 1;
			else
				hi = m2;
		}
		for (int64_t D = lo; D <= hi; D++)
		{
			double		v = aoq_raw(pl, (double) D / (double) pl->lot);

			if (v > bestv)
			{
				bestv = v;
				best = D;
			}
		}
		*aoql = bestv;
		*p_at = (double) best / (double) pl->lot;
		return SMP_OC_OK;
	}

	{
		/* grid up to where Pa is negligible, then golden sections around the best point */
		const int	G = 400;
		double		top,
					a,
					b,
					bestp = 0.0,
					bestv = -1.0;
		const double gr = (sqrt(5.0) - 1.0) / 2.0;

		if (smp_oc_p_at(pl, 1e-9, &top) != SMP_OC_OK || !(top > 0.0))
			top = 1.0;
		for (int i = 1; i <= G; i++)
		{
			double		p = top * i / G;
			double		v = aoq_raw(pl, p);

			if (v > bestv)
			{
				bestv = v;
				bestp = p;
			}
		}
		a = bestp - top / G;
		b = bestp + top / G;
		if (a < 0.0)
			a = 0.0;
		if (pl->model != SMP_OC_POISSON && b > 1.0)
			b = 1.0;
		for (int it = 0; it < 200 && b - a > 1e-15 * (b > 1.0 ? b : 1.0); it++)
		{
			double		x1 = b - gr * (b - a),
						x2 = a + gr * (b - a);

			if (aoq_raw(pl, x1) < aoq_raw(pl, x2))
				a = x1;
			else
				b = x2;
		}
		{
			double		p = (a + b) / 2.0;
			double		v = aoq_raw(pl, p);

			if (v >= bestv)
			{
				bestv = v;
				bestp = p;
			}
		}
		*aoql = bestv;
		*p_at = bestp;
	}
	return SMP_OC_OK;
}
