/*
 * spc_variables.c: variables control charts (I-MR, X-bar/R, X-bar/S), process
 * capability and its confidence limits.  Pure C; see spc_variables.h.
 *
 * References
 * - Montgomery, Introduction to Statistical Quality Control, 6th ed.:
 *   sections 6.2-6.4 (X-bar/R, X-bar/S), 6.4 (individuals), 8.2-8.3
 *   (capability ratios, confidence interval for Cp, eq. 8.19).
 * - ASTM E2587: sigma from subgroups of unequal size (R_i/d2(n_i) averaged;
 *   s_i/c4(n_i) averaged with minimum-variance weights c4^2/(1-c4^2)).
 * - Bissell, A. F. (1990), How reliable is your capability index?, Applied
 *   Statistics 39, 331-340: normal approximation for Cpk.
 * - Chan, Golub, LeVeque (1983): pairwise update of mean and M2.
 */
#include "spc/spc_variables.h"
#include "spc/spc_constants.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- sorting */

static inline void
pair_swap(SpcPair *a, SpcPair *b)
{
	SpcPair		t = *a;

	*a = *b;
	*b = t;
}

static void
pairs_insertion(SpcPair *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		SpcPair		v = p[i];
		size_t		j = i;

		while (j > 0 && p[j - 1].t > v.t)
		{
			p[j] = p[j - 1];
			j--;
		}
		p[j] = v;
	}
}

static void
pairs_sift(SpcPair *p, size_t root, size_t n)
{
	for (;;)
	{
		size_t		c = 2 * root + 1;

		if (c >= n)
			return;
		if (c + 1 < n && p[c + 1].t > p[c].t)
			c++;
		if (p[root].t >= p[c].t)
			return;
		pair_swap(&p[root], &p[c]);
		root = c;
	}
}

static void
pairs_heapsort(SpcPair *p, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		pairs_sift(p, i, n);
	for (size_t i = n; i-- > 1;)
	{
		pair_swap(&p[0], &p[i]);
		pairs_sift(p, 0, i);
	}
}

/* Introsort: median-of-three quicksort, heapsort past the depth limit. */
static void
pairs_introsort(SpcPair *p, size_t n, int depth)
{
	while (n > 24)
	{
		size_t		mid = n / 2,
					i,
					j;
		int64_t		pivot;

		if (depth-- == 0)
		{
			pairs_heapsort(p, n);
			return;
		}
		/* order p[0], p[mid], p[n-1]; the median goes to p[mid] */
		if (p[mid].t < p[0].t)
			pair_swap(&p[mid], &p[0]);
		if (p[n - 1].t < p[mid].t)
		{
			pair_swap(&p[n - 1], &p[mid]);
			if (p[mid].t < p[0].t)
				pair_swap(&p[mid], &p[0]);
		}
		pivot = p[mid].t;
		/* Hoare partition on [0, n) */
		i = 0;
		j = n - 1;
		for (;;)
		{
			while (p[i].t < pivot)
				i++;
			while (p[j].t > pivot)
				j--;
			if (i >= j)
				break;
			pair_swap(&p[i], &p[j]);
			i++;
			j--;
		}
		/* [0, j] <= pivot <= [j+1, n): recurse into the smaller part */
		if (j + 1 < n - (j + 1))
		{
			pairs_introsort(p, j + 1, depth);
			p += j + 1;
			n -= j + 1;
		}
		else
		{
			pairs_introsort(p + j + 1, n - (j + 1), depth);
			n = j + 1;
		}
	}
	pairs_insertion(p, n);
}

int
spc_pairs_is_sorted(const SpcPair *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i].t < p[i - 1].t)
			return 0;
	return 1;
}

void
spc_pairs_sort(SpcPair *p, size_t n)
{
	int			depth = 0;

	if (spc_pairs_is_sorted(p, n))
		return;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	pairs_introsort(p, n, depth);
}

size_t
spc_pairs_first_tie(const SpcPair *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i].t == p[i - 1].t)
			return i;
	return 0;
}

/* ------------------------------------------------------------ the series */

/*
 * Sums in blocks of 1024 terms, the blocks added at the end: rounding error
 * grows like (1024 + n / 1024) eps instead of n eps, at no cost per term.
 */
#define BLOCK 1024

void
spc_series_from_sorted(const SpcPair *p, size_t n, SpcSeries *out)
{
	double		k = p[0].x;
	bool		nonzero = false;
	double		s = 0.0,
				mean_d,
				sq = 0.0,
				corr = 0.0,
				mr = 0.0;
	size_t		i = 0;

	while (i < n)
	{
		size_t		end = (n - i > BLOCK) ? i + BLOCK : n;
		double		b = 0.0;

		for (; i < end; i++)
			b += p[i].x - k;
		s += b;
	}
	mean_d = s / (double) n;

	/* corrected two-pass: M2 = sum d^2 - (sum d)^2 / n with d = x - mean */
	i = 0;
	while (i < n)
	{
		size_t		end = (n - i > BLOCK) ? i + BLOCK : n;
		double		bsq = 0.0,
					bc = 0.0,
					bmr = 0.0;

		for (; i < end; i++)
		{
			double		d = (p[i].x - k) - mean_d;

			bsq += d * d;
			bc += d;
			nonzero |= (d != 0.0);
			if (i > 0)
				bmr += fabs(p[i].x - p[i - 1].x);
		}
		sq += bsq;
		corr += bc;
		mr += bmr;
	}

	out->n = (int64_t) n;
	out->mean = k + mean_d;
	out->m2 = sq - corr * corr / (double) n;
	if (out->m2 < 0.0)
		out->m2 = 0.0;			/* rounding; a NaN (overflow) stays NaN for the caller to report */
	if (out->m2 == 0.0 && nonzero && sq == 0.0)
		out->m2 = NAN;			/* deviations so small their squares underflow: no spread to report */
	out->sum_mr = mr;
	out->n_mr = (int64_t) n - 1;
	out->first_t = p[0].t;
	out->first_x = p[0].x;
	out->last_t = p[n - 1].t;
	out->last_x = p[n - 1].x;
}

void
spc_series_append(SpcSeries *a, const SpcSeries *b)
{
	double		na = (double) a->n,
				nb = (double) b->n,
				n = na + nb,
				delta = b->mean - a->mean;

	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		*a = *b;
		return;
	}
	a->mean += delta * (nb / n);
	a->m2 += b->m2 + delta * delta * (na * nb / n);
	a->sum_mr += b->sum_mr + fabs(b->first_x - a->last_x);
	a->n_mr += b->n_mr + 1;
	a->n += b->n;
	a->last_t = b->last_t;
	a->last_x = b->last_x;
}

static int
series_cmp(const void *a, const void *b)
{
	int64_t		x = ((const SpcSeries *) a)->first_t;
	int64_t		y = ((const SpcSeries *) b)->first_t;

	return (x > y) - (x < y);
}

size_t
spc_series_sort_check(SpcSeries *s, size_t n)
{
	if (n > 1)
		qsort(s, n, sizeof(SpcSeries), series_cmp);
	for (size_t i = 1; i < n; i++)
		if (s[i].first_t <= s[i - 1].last_t)
			return i;
	return 0;
}

double
spc_series_sigma_within(const SpcSeries *s)
{
	if (s->n_mr < 1)
		return NAN;
	return (s->sum_mr / (double) s->n_mr) / spc_d2(2);
}

double
spc_series_sigma_overall(const SpcSeries *s)
{
	if (s->n < 2)
		return NAN;
	return sqrt(s->m2 / (double) (s->n - 1));
}

void
spc_moments_merge(SpcMoments *a, const SpcMoments *b)
{
	double		na,
				nb,
				n,
				delta;

	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		*a = *b;
		return;
	}
	na = (double) a->n;
	nb = (double) b->n;
	n = na + nb;
	delta = b->mean - a->mean;

	/*
	 * Both sides one and the same value: no spread, whatever the rounding
	 * of b's mean when it was moved to a's shift (a constant subgroup split
	 * between parallel workers must keep M2 = 0, as it does serially).
	 */
	if (a->min == a->max && b->min == b->max && a->min == b->min)
		delta = 0.0;
	a->mean += delta * (nb / n);
	a->m2 += b->m2 + delta * delta * (na * nb / n);
	a->n += b->n;
	if (b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
}

/* ------------------------------------------------------------- I-MR chart */

void
spc_imr_limits(const SpcSeries *s, SpcLimits *out)
{
	SpcConstants c;
	double		mrbar = s->sum_mr / (double) s->n_mr;

	spc_constants(2, &c);
	out->center = s->mean;
	out->sigma = mrbar / c.d2;
	out->lcl = s->mean - 3.0 * out->sigma;
	out->ucl = s->mean + 3.0 * out->sigma;
	out->n_points = s->n;
	out->n_values = s->n;
	out->avg_sample_size = 1.0;
	out->disp_center = mrbar;
	out->disp_lcl = c.D3 * mrbar;	/* D3(2) = 0 */
	out->disp_ucl = c.D4 * mrbar;
}

/* ------------------------------------------------------ subgroup charts */

/* c4(n) with a one-entry memo: subgroups nearly always share one size. */
static double
c4_memo(int64_t n)
{
	static int64_t last_n = -1;
	static double last_c4;

	if (n != last_n)
	{
		last_c4 = spc_c4(n);
		last_n = n;
	}
	return last_c4;
}

double
spc_sigma_within(const SpcMoments *g, size_t k, SpcWithin method)
{
	if (k == 0)
		return NAN;
	switch (method)
	{
		case SPC_WITHIN_RBAR:
			{
				double		s = 0.0;

				for (size_t i = 0; i < k; i++)
					s += (g[i].max - g[i].min) / spc_d2(g[i].n);
				return s / (double) k;
			}
		case SPC_WITHIN_SBAR:
			{
				double		num = 0.0,
							den = 0.0;

				for (size_t i = 0; i < k; i++)
				{
					double		c4 = c4_memo(g[i].n);
					double		h = c4 * c4 / (1.0 - c4 * c4);
					double		s = sqrt(g[i].m2 / (double) (g[i].n - 1));

					num += h * s / c4;
					den += h;
				}
				return num / den;
			}
		case SPC_WITHIN_POOLED:
			{
				double		m2 = 0.0;
				int64_t		df = 0;

				for (size_t i = 0; i < k; i++)
				{
					m2 += g[i].m2;
					df += g[i].n - 1;
				}
				if (df < 1)
					return NAN;
				return sqrt(m2 / (double) df) / spc_c4(df + 1);
			}
	}
	return NAN;
}

void
spc_subgroups_overall(const SpcMoments *g, size_t k, int64_t *n_out, double *mean_out, double *m2_out)
{
	int64_t		n = 0;
	double		s = 0.0,
				mean,
				m2 = 0.0,
				corr = 0.0;

	for (size_t i = 0; i < k; i++)
	{
		n += g[i].n;
		s += (double) g[i].n * g[i].mean;
	}
	mean = s / (double) n;
	/* M2 = sum within + sum n_i (mean_i - mean)^2 (corrected for the mean's rounding) */
	for (size_t i = 0; i < k; i++)
	{
		double		d = g[i].mean - mean;

		m2 += g[i].m2 + (double) g[i].n * d * d;
		corr += (double) g[i].n * d;
	}
	m2 -= corr * corr / (double) n;
	*n_out = n;
	*mean_out = mean;
	*m2_out = m2 < 0.0 ? 0.0 : m2;	/* NaN (overflow) stays NaN */
}

void
spc_xbar_limits(const SpcMoments *g, size_t k, double shift, SpcWithin method, SpcLimits *out)
{
	int64_t		n;
	double		mean,
				m2,
				nbar,
				sigma;
	int			equal = 1;

	spc_subgroups_overall(g, k, &n, &mean, &m2);
	for (size_t i = 1; i < k; i++)
		if (g[i].n != g[0].n)
			equal = 0;
	nbar = (double) n / (double) k;
	sigma = spc_sigma_within(g, k, method);

	out->center = shift + mean;
	out->sigma = sigma;
	out->lcl = out->center - 3.0 * sigma / sqrt(nbar);
	out->ucl = out->center + 3.0 * sigma / sqrt(nbar);
	out->n_points = (int64_t) k;
	out->n_values = n;
	out->avg_sample_size = nbar;

	if (equal)
	{
		/* the textbook form: centre R-bar (S-bar), limits D3/D4 (B3/B4) times it */
		SpcConstants c;
		double		bar = 0.0;

		spc_constants(g[0].n, &c);
		for (size_t i = 0; i < k; i++)
			bar += method == SPC_WITHIN_RBAR ? g[i].max - g[i].min
				: sqrt(g[i].m2 / (double) (g[i].n - 1));
		bar /= (double) k;
		out->disp_center = bar;
		out->disp_lcl = (method == SPC_WITHIN_RBAR ? c.D3 : c.B3) * bar;
		out->disp_ucl = (method == SPC_WITHIN_RBAR ? c.D4 : c.B4) * bar;
	}
	else
	{
		/* at the mean subgroup size rounded to an integer, from sigma */
		SpcConstants c;
		int64_t		nr = (int64_t) floor(nbar + 0.5);

		spc_constants(nr < 2 ? 2 : nr, &c);
		if (method == SPC_WITHIN_RBAR)
		{
			out->disp_center = c.d2 * sigma;
			out->disp_lcl = c.D1 * sigma;
			out->disp_ucl = c.D2 * sigma;
		}
		else
		{
			out->disp_center = c.c4 * sigma;
			out->disp_lcl = c.B5 * sigma;
			out->disp_ucl = c.B6 * sigma;
		}
	}
}

/* ------------------------------------------------------------ capability */

/* dist / (3 sigma) with the zero-sigma rule of the header. */
static double
ratio(double dist, double denom)
{
	if (denom > 0.0)
		return dist / denom;
	if (dist > 0.0)
		return INFINITY;
	if (dist < 0.0)
		return -INFINITY;
	return NAN;
}


/*
 * (hi - lo) / denom without overflowing where the result is finite:
 * specification limits of +-1.7e308 are 3.4e308 apart, beyond double, but
 * their distance in sigmas is not.
 */
static double
span_ratio(double hi, double lo, double denom)
{
	double		dist = hi - lo;

	if (denom > 0.0 && isinf(dist) && isfinite(hi) && isfinite(lo))
		return hi / denom - lo / denom;
	return ratio(dist, denom);
}

void
spc_capability(int64_t n, double mean, double m2, double sw, const SpcSpec *spec, SpcCapability *out)
{
	double		so = sqrt(m2 / (double) (n - 1));

	out->n = n;
	out->mean = mean;
	out->sigma_within = sw;
	out->sigma_overall = so;

	out->cpu = spec->has_usl && !isnan(sw) ? span_ratio(spec->usl, mean, 3.0 * sw) : NAN;
	out->cpl = spec->has_lsl && !isnan(sw) ? span_ratio(mean, spec->lsl, 3.0 * sw) : NAN;
	out->ppu = spec->has_usl ? span_ratio(spec->usl, mean, 3.0 * so) : NAN;
	out->ppl = spec->has_lsl ? span_ratio(mean, spec->lsl, 3.0 * so) : NAN;
	if (spec->has_lsl && spec->has_usl)
	{
		out->cp = isnan(sw) ? NAN : span_ratio(spec->usl, spec->lsl, 6.0 * sw);
		out->pp = span_ratio(spec->usl, spec->lsl, 6.0 * so);
		out->cpk = (isnan(out->cpu) || isnan(out->cpl)) ? NAN : fmin(out->cpu, out->cpl);
		out->ppk = (isnan(out->ppu) || isnan(out->ppl)) ? NAN : fmin(out->ppu, out->ppl);
	}
	else
	{
		out->cp = NAN;
		out->pp = NAN;
		out->cpk = spec->has_usl ? out->cpu : out->cpl;
		out->ppk = spec->has_usl ? out->ppu : out->ppl;
	}
	out->cpm = NAN;
	if (spec->has_target && (spec->has_lsl || spec->has_usl))
	{
		/* tau^2 = sum (x - T)^2 / (n - 1) (Chan, Cheng and Spiring 1988) */
		double		off = mean - spec->target;
		double		tau = sqrt((m2 + (double) n * off * off) / (double) (n - 1));
		double		dist = INFINITY;

		if (spec->has_usl)
			dist = spec->usl - spec->target;
		if (spec->has_lsl)
			dist = fmin(dist, spec->target - spec->lsl);
		out->cpm = ratio(dist, 3.0 * tau);
	}
}

/* ---------------------------------------------------- distribution tools */

static double
norm_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

double
spc_norm_quantile(double p)
{
	double		q,
				t,
				x;

	if (!(p > 0.0 && p < 1.0))
		return p == 0.0 ? -INFINITY : p == 1.0 ? INFINITY : NAN;
	/* Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) as the starting point */
	q = p < 0.5 ? p : 1.0 - p;
	t = sqrt(-2.0 * log(q));
	x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
		(1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	x = p < 0.5 ? -x : x;
	/* Halley steps on Phi(x) - p; Phi evaluated through erfc in the near tail */
	for (int i = 0; i < 8; i++)
	{
		double		e,
					pdf,
					u,
					step;

		if (x < 0.0)
			e = norm_cdf(x) - p;
		else
			e = (1.0 - p) - 0.5 * erfc(x / M_SQRT2);	/* = Phi(x) - p, via the upper tail */
		pdf = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
		if (pdf <= 0.0)
			break;
		u = e / pdf;
		step = u / (1.0 + 0.5 * x * u);
		x -= step;
		if (fabs(step) <= 1e-16 * fmax(1.0, fabs(x)))
			break;
	}
	return x;
}

/* log of x^a e^-x / Gamma(a) */
static double
gamma_log_prefix(double a, double x)
{
	return a * log(x) - x - lgamma(a);
}

/* series for P(a, x), good for x < a + 1 */
static double
gamma_p_series(double a, double x)
{
	double		sum = 1.0 / a,
				term = sum;

	for (int k = 1; k < 10000; k++)
	{
		term *= x / (a + k);
		sum += term;
		if (fabs(term) < fabs(sum) * 1e-17)
			break;
	}
	return sum * exp(gamma_log_prefix(a, x));
}

/* continued fraction for Q(a, x) (modified Lentz), good for x >= a + 1 */
static double
gamma_q_fraction(double a, double x)
{
	const double tiny = 1e-300;
	double		b = x + 1.0 - a,
				c = 1.0 / tiny,
				d = 1.0 / b,
				h = d;

	for (int i = 1; i < 10000; i++)
	{
		double		an = -i * (i - a),
					del;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-17)
			break;
	}
	return exp(gamma_log_prefix(a, x)) * h;
}

double
spc_gamma_p(double a, double x)
{
	if (x <= 0.0)
		return 0.0;
	if (x < a + 1.0)
		return gamma_p_series(a, x);
	return 1.0 - gamma_q_fraction(a, x);
}

double
spc_gamma_q(double a, double x)
{
	if (x <= 0.0)
		return 1.0;
	if (x < a + 1.0)
		return 1.0 - gamma_p_series(a, x);
	return gamma_q_fraction(a, x);
}

double
spc_chisq_quantile(double p, double df)
{
	double		a = df / 2.0,
				x,
				lo = 0.0,
				hi,
				z;
	int			lower = p < 0.5;	/* solve on the smaller tail for precision */
	double		target = lower ? p : 1.0 - p;

	if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
		return NAN;

	/* Wilson-Hilferty start, or the small-x series' first term for tiny p */
	z = spc_norm_quantile(p);
	{
		double		v = 2.0 / (9.0 * df);
		double		w = 1.0 - v + z * sqrt(v);

		x = w > 0.0 ? a * w * w * w : 0.0;
	}
	if (x <= 0.0 || (lower && spc_gamma_p(a, x) > 4.0 * p))
		x = exp((log(p) + lgamma(a + 1.0)) / a);	/* P(a, x) ~ x^a / Gamma(a + 1) */
	if (!(x > 0.0))
		x = DBL_MIN;

	/* bracket [lo, hi] */
	hi = fmax(x, 1.0);
	for (int i = 0; i < 2000; i++)
	{
		double		f = lower ? spc_gamma_p(a, hi) - target : target - spc_gamma_q(a, hi);

		if (f >= 0.0)
			break;
		lo = hi;
		hi *= 2.0;
	}
	if (x <= lo || x >= hi)
		x = 0.5 * (lo + hi);

	/* Newton with bisection safeguard; f increasing in x on both tails */
	for (int i = 0; i < 200; i++)
	{
		double		f = lower ? spc_gamma_p(a, x) - target : target - spc_gamma_q(a, x);
		double		dens = exp(gamma_log_prefix(a, x)) / x;	/* dP/dx */
		double		nx;

		if (f == 0.0)
			break;
		if (f < 0.0)
			lo = x;
		else
			hi = x;
		nx = dens > 0.0 ? x - f / dens : NAN;
		if (!(nx > lo && nx < hi))
			nx = 0.5 * (lo + hi);
		if (fabs(nx - x) <= 4.0 * DBL_EPSILON * x)
		{
			x = nx;
			break;
		}
		x = nx;
	}
	return 2.0 * x;
}

static int
confidence_ok(int64_t n, double level)
{
	return n >= 2 && level > 0.0 && level < 1.0;
}

void
spc_cp_confidence(double cp, int64_t n, double level, double *lo, double *hi)
{
	double		df = (double) (n - 1),
				alpha = 1.0 - level;

	if (!confidence_ok(n, level) || isnan(cp))
	{
		*lo = *hi = NAN;
		return;
	}
	*lo = cp * sqrt(spc_chisq_quantile(alpha / 2.0, df) / df);
	*hi = cp * sqrt(spc_chisq_quantile(1.0 - alpha / 2.0, df) / df);
}

void
spc_cpk_confidence(double cpk, int64_t n, double level, double *lo, double *hi)
{
	double		z,
				se;

	if (!confidence_ok(n, level) || isnan(cpk) || isinf(cpk))
	{
		*lo = *hi = NAN;
		return;
	}
	z = spc_norm_quantile(1.0 - (1.0 - level) / 2.0);
	se = sqrt(1.0 / (9.0 * (double) n) + cpk * cpk / (2.0 * (double) (n - 1)));
	*lo = cpk - z * se;
	*hi = cpk + z * se;
}
