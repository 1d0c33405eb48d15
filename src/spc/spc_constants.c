/*
 * spc_constants.c: control-chart constants computed, not tabled.
 *
 * d2(n) = E[R] and d3(n) = sd(R) for the range R of n standard normals:
 *
 *   E[R]   = integral over y of P(min <= y < max)
 *          = integral [1 - Phi(y)^n - Q(y)^n] dy
 *   E[R^2] = 2 * double integral over y < x of P(min <= y, max > x)
 *          = 2 * double integral [1 - Phi(x)^n - Q(y)^n + (Phi(x) - Phi(y))^n]
 *
 * (the second because the region {min <= y < x < max} is a triangle of area
 * R^2 / 2).  Q = 1 - Phi is evaluated with erfc so both tails keep full
 * precision.  Both integrals use composite Gauss-Legendre quadrature (16
 * nodes, panels of width 1/2) over [-L, L] with L = sqrt(2 ln n) + 9, beyond
 * which every integrand is below 1e-18.  The integrands are analytic, so the
 * result is accurate to about 1e-13.
 *
 * c4(n) = sqrt(2 / (n - 1)) * Gamma(n / 2) / Gamma((n - 1) / 2), through
 * lgamma for small n and a Stirling-series difference for large n (the plain
 * lgamma difference loses digits there).
 */
#include "spc/spc_constants.h"

#include <math.h>
#include <stddef.h>

#define GL_NODES 16
#define PANEL 0.5
#define CACHE_N 1024

static double gl_x[GL_NODES];
static double gl_w[GL_NODES];
static int	gl_ready;

/* Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on P_m. */
static void
gl_init(void)
{
	const int	m = GL_NODES;

	for (int i = 0; i < m; i++)
	{
		double		z = cos(M_PI * (i + 0.75) / (m + 0.5));
		double		dp = 1.0;

		for (int iter = 0; iter < 100; iter++)
		{
			double		p0 = 1.0,
						p1 = z,
						dz;

			for (int k = 2; k <= m; k++)
			{
				double		p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;

				p0 = p1;
				p1 = p2;
			}
			dp = m * (z * p1 - p0) / (z * z - 1.0);
			dz = p1 / dp;
			z -= dz;
			if (fabs(dz) < 1e-16)
				break;
		}
		gl_x[i] = z;
		gl_w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
	}
	gl_ready = 1;
}

/* Upper tail Q(x) = P(Z > x). */
static inline double
norm_q(double x)
{
	return 0.5 * erfc(x / M_SQRT2);
}

/* P(a < Z <= b) for a <= b, without cancellation in either tail. */
static inline double
norm_between(double a, double b)
{
	if (a >= 0.0)
		return norm_q(a) - norm_q(b);
	if (b <= 0.0)
		return norm_q(-b) - norm_q(-a);
	return 1.0 - norm_q(-a) - norm_q(b);
}

/* p^n for 0 <= p <= 1 and large n. */
static inline double
pow_n(double p, double n)
{
	if (p <= 0.0)
		return 0.0;
	return exp(n * log(p));
}

/* 1 - (1 - q)^n, accurate when q is tiny. */
static inline double
one_minus_pow_complement(double q, double n)
{
	return -expm1(n * log1p(-q));
}

static double
half_width(double n)
{
	return ceil((sqrt(2.0 * log(n)) + 9.0) / PANEL) * PANEL;
}

static double
compute_d2(double n)
{
	double		L = half_width(n);
	double		sum = 0.0;

	/* integrand is even in y: integrate [0, L] and double */
	for (double a = 0.0; a < L; a += PANEL)
	{
		double		mid = a + PANEL / 2.0;

		for (int i = 0; i < GL_NODES; i++)
		{
			double		y = mid + gl_x[i] * PANEL / 2.0;
			double		q = norm_q(y);
			double		f = one_minus_pow_complement(q, n) - pow_n(q, n);

			sum += gl_w[i] * f;
		}
	}
	return 2.0 * sum * PANEL / 2.0;
}

static double
second_moment_integrand(double x, double qx_compl_pow, double y, double n)
{
	/* 1 - Phi(x)^n - Q(y)^n + (Phi(x) - Phi(y))^n, for y < x */
	return qx_compl_pow - pow_n(norm_q(y), n) + pow_n(norm_between(y, x), n);
}

static double
compute_d3(double n, double d2)
{
	double		L = half_width(n);
	double		outer = 0.0;

	for (double a = -L; a < L; a += PANEL)
	{
		double		mid = a + PANEL / 2.0;

		for (int i = 0; i < GL_NODES; i++)
		{
			double		x = mid + gl_x[i] * PANEL / 2.0;
			double		ax = one_minus_pow_complement(norm_q(x), n);
			double		inner = 0.0;
			double		b;

			/* full panels of [-L, a) */
			for (b = -L; b < a - PANEL / 4.0; b += PANEL)
			{
				double		m2 = b + PANEL / 2.0;
				double		s = 0.0;

				for (int j = 0; j < GL_NODES; j++)
					s += gl_w[j] * second_moment_integrand(x, ax, m2 + gl_x[j] * PANEL / 2.0, n);
				inner += s * PANEL / 2.0;
			}
			/* the partial panel [a, x) */
			{
				double		w = x - a;
				double		m2 = a + w / 2.0;
				double		s = 0.0;

				for (int j = 0; j < GL_NODES; j++)
					s += gl_w[j] * second_moment_integrand(x, ax, m2 + gl_x[j] * w / 2.0, n);
				inner += s * w / 2.0;
			}
			outer += gl_w[i] * inner;
		}
	}
	{
		double		er2 = 2.0 * outer * PANEL / 2.0;
		double		var = er2 - d2 * d2;

		return var > 0.0 ? sqrt(var) : 0.0;
	}
}

/* log c4(n); c4 itself and 1 - c4^2 are derived from it without cancellation. */
static double
compute_log_c4(double n)
{
	double		z = (n - 1.0) / 2.0;

	if (z < 50.0)
		return 0.5 * log(1.0 / z) + lgamma(z + 0.5) - lgamma(z);

	/*
	 * lgamma(z + 1/2) - lgamma(z) - log(z) / 2 by Stirling's series:
	 * z log1p(1 / (2z)) - 1/2 + sum of B_2k / (2k (2k - 1)) (w^(1-2k) - z^(1-2k)),
	 * with w = z + 1/2; terms to z^-7 leave an error below 1e-17 for z >= 50.
	 */
	{
		double		w = z + 0.5;
		double		s = z * log1p(0.5 / z) - 0.5;

		s += (1.0 / w - 1.0 / z) / 12.0;
		s -= (1.0 / pow(w, 3) - 1.0 / pow(z, 3)) / 360.0;
		s += (1.0 / pow(w, 5) - 1.0 / pow(z, 5)) / 1260.0;
		s -= (1.0 / pow(w, 7) - 1.0 / pow(z, 7)) / 1680.0;
		return s;
	}
}

double
spc_c4(int64_t n)
{
	return exp(compute_log_c4((double) n));
}

typedef struct CacheEntry
{
	int			have_d2;
	int			have_d3;
	double		d2;
	double		d3;
} CacheEntry;

static CacheEntry cache[CACHE_N + 1];

double
spc_d2(int64_t n)
{
	if (!gl_ready)
		gl_init();
	if (n <= CACHE_N)
	{
		if (!cache[n].have_d2)
		{
			/* n = 2 and 3 have closed forms: 2/sqrt(pi), 3/sqrt(pi) */
			cache[n].d2 = n == 2 ? 2.0 / sqrt(M_PI) :
				n == 3 ? 3.0 / sqrt(M_PI) : compute_d2((double) n);
			cache[n].have_d2 = 1;
		}
		return cache[n].d2;
	}
	return compute_d2((double) n);
}

double
spc_d3(int64_t n)
{
	double		d2 = spc_d2(n);

	if (n <= CACHE_N)
	{
		if (!cache[n].have_d3)
		{
			/* n = 2: R = |Z1 - Z2|, E[R^2] = 2, so d3 = sqrt(2 - 4/pi) */
			cache[n].d3 = n == 2 ? sqrt(2.0 - 4.0 / M_PI) : compute_d3((double) n, d2);
			cache[n].have_d3 = 1;
		}
		return cache[n].d3;
	}
	return compute_d3((double) n, d2);
}

int
spc_constants(int64_t n, SpcConstants *out)
{
	double		rn,
				d2,
				d3,
				lc4,
				c4,
				s_c4;			/* sqrt(1 - c4^2): sd(s) / sigma */

	if (n < 2 || n > SPC_MAX_N || out == NULL)
		return -1;

	rn = (double) n;
	d2 = spc_d2(n);
	d3 = spc_d3(n);
	lc4 = compute_log_c4(rn);
	c4 = exp(lc4);
	s_c4 = sqrt(-expm1(2.0 * lc4));

	out->n = n;
	out->d2 = d2;
	out->d3 = d3;
	out->c4 = c4;
	out->A = 3.0 / sqrt(rn);
	out->A2 = 3.0 / (d2 * sqrt(rn));
	out->A3 = 3.0 / (c4 * sqrt(rn));
	out->B3 = fmax(0.0, 1.0 - 3.0 * s_c4 / c4);
	out->B4 = 1.0 + 3.0 * s_c4 / c4;
	out->B5 = fmax(0.0, c4 - 3.0 * s_c4);
	out->B6 = c4 + 3.0 * s_c4;
	out->D1 = fmax(0.0, d2 - 3.0 * d3);
	out->D2 = d2 + 3.0 * d3;
	out->D3 = fmax(0.0, 1.0 - 3.0 * d3 / d2);
	out->D4 = 1.0 + 3.0 * d3 / d2;
	out->E2 = 3.0 / d2;
	return 0;
}
