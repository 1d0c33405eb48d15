/*
 * attribute_charts.c: p, np, c, u control charts and limits at a given n.
 *
 * Pure computation; see attribute_charts.h.  Formulas as in Montgomery,
 * Introduction to Statistical Quality Control, "Control Charts for
 * Attributes":
 *   p:  pbar = sum d / sum n,  limits pbar +- 3 sqrt(pbar (1 - pbar) / n)
 *   np: limits n pbar +- 3 sqrt(n pbar (1 - pbar))        (constant n)
 *   c:  cbar = sum c / k,      limits cbar +- 3 sqrt(cbar)
 *   u:  ubar = sum c / sum units, limits ubar +- 3 sqrt(ubar / n)
 * With variable sizes the composite holds the limits at the mean size; the
 * limits of any one sample come from spc_limits_at().
 */
#include "spc/attribute_charts.h"
#include "spc/spc_constants.h"

#include <math.h>
#include <string.h>

static const char *const chart_names[] = {
	[SPC_CHART_P] = "p",
	[SPC_CHART_NP] = "np",
	[SPC_CHART_C] = "c",
	[SPC_CHART_U] = "u",
	[SPC_CHART_IMR] = "I-MR",
	[SPC_CHART_XBAR_R] = "Xbar-R",
	[SPC_CHART_XBAR_S] = "Xbar-S",
};

const char *
spc_chart_name(SpcChartKind kind)
{
	if (kind < 0 || kind >= SPC_CHART_UNKNOWN)
		return NULL;
	return chart_names[kind];
}

SpcChartKind
spc_chart_kind(const char *name)
{
	if (name == NULL)
		return SPC_CHART_UNKNOWN;
	for (int k = 0; k < SPC_CHART_UNKNOWN; k++)
		if (strcmp(name, chart_names[k]) == 0)
			return (SpcChartKind) k;
	return SPC_CHART_UNKNOWN;
}

void
spc_attr_init(double *state)
{
	for (int i = 0; i < SPC_ATTR_NSLOTS; i++)
		state[i] = 0.0;
}

static inline bool
is_whole(double v)
{
	return isfinite(v) && v == floor(v);
}

/* Neumaier-compensated s += v with its compensation term c. */
static inline void
neumaier_add(double *s, double *c, double v)
{
	double		t = *s + v;

	if (fabs(*s) >= fabs(v))
		*c += (*s - t) + v;
	else
		*c += (v - t) + *s;
	*s = t;
}

SpcAttrError
spc_attr_add(double *state, SpcChartKind kind, double x, double n)
{
	double		sum_x;

	if (isnan(x) || x < 0)
		return SPC_ATTR_NEGATIVE_COUNT;
	if (x >= SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_TOO_LARGE;

	switch (kind)
	{
		case SPC_CHART_P:
		case SPC_CHART_NP:
			if (isnan(n) || n <= 0)
				return SPC_ATTR_BAD_SIZE;
			if (n >= SPC_ATTR_MAX_COUNT)
				return SPC_ATTR_TOO_LARGE;
			if (x > n)
				return SPC_ATTR_DEFECTIVES_EXCEED;
			if (kind == SPC_CHART_NP && state[SPC_ATTR_K] > 0 && n != state[SPC_ATTR_N_MIN])
				return SPC_ATTR_SIZE_VARIES;
			if (state[SPC_ATTR_SUM_N] + n >= SPC_ATTR_MAX_COUNT)
				return SPC_ATTR_TOO_LARGE;
			break;
		case SPC_CHART_C:
			n = 1.0;
			break;
		case SPC_CHART_U:
			if (!isfinite(n))
				return SPC_ATTR_NONFINITE_SIZE;
			if (n <= 0)
				return SPC_ATTR_BAD_SIZE;
			if (!isfinite(state[SPC_ATTR_SUM_N] + n))
				return SPC_ATTR_TOO_LARGE;
			break;
		default:
			return SPC_ATTR_BAD_STATE;
	}

	sum_x = state[SPC_ATTR_SUM_X] + x;
	if (sum_x >= SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_TOO_LARGE;

	if (state[SPC_ATTR_K] == 0)
	{
		state[SPC_ATTR_N_MIN] = n;
		state[SPC_ATTR_N_MAX] = n;
	}
	else
	{
		if (n < state[SPC_ATTR_N_MIN])
			state[SPC_ATTR_N_MIN] = n;
		if (n > state[SPC_ATTR_N_MAX])
			state[SPC_ATTR_N_MAX] = n;
	}
	state[SPC_ATTR_K] += 1.0;
	state[SPC_ATTR_SUM_X] = sum_x;
	if (kind == SPC_CHART_U)
		neumaier_add(&state[SPC_ATTR_SUM_N], &state[SPC_ATTR_COMP_N], n);
	else
		state[SPC_ATTR_SUM_N] += n;	/* whole numbers below 2^53: exact */
	return SPC_ATTR_OK;
}

SpcAttrError
spc_attr_check_state(const double *s, SpcChartKind kind)
{
	double		k = s[SPC_ATTR_K];

	for (int i = 0; i < SPC_ATTR_NSLOTS; i++)
		if (!isfinite(s[i]))
			return SPC_ATTR_BAD_STATE;
	if (!is_whole(k) || k < 0 || k > SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_BAD_STATE;
	if (!is_whole(s[SPC_ATTR_SUM_X]) || s[SPC_ATTR_SUM_X] < 0 ||
		s[SPC_ATTR_SUM_X] > SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_BAD_STATE;
	if (k == 0)
	{
		for (int i = 1; i < SPC_ATTR_NSLOTS; i++)
			if (s[i] != 0)
				return SPC_ATTR_BAD_STATE;
		return SPC_ATTR_OK;
	}

	switch (kind)
	{
		case SPC_CHART_C:
			if (s[SPC_ATTR_SUM_N] != k || s[SPC_ATTR_COMP_N] != 0 ||
				s[SPC_ATTR_N_MIN] != 1 || s[SPC_ATTR_N_MAX] != 1)
				return SPC_ATTR_BAD_STATE;
			break;
		case SPC_CHART_P:
		case SPC_CHART_NP:
			if (!is_whole(s[SPC_ATTR_SUM_N]) || s[SPC_ATTR_SUM_N] > SPC_ATTR_MAX_COUNT ||
				s[SPC_ATTR_COMP_N] != 0 ||
				!is_whole(s[SPC_ATTR_N_MIN]) || !is_whole(s[SPC_ATTR_N_MAX]) ||
				s[SPC_ATTR_N_MIN] < 1 || s[SPC_ATTR_N_MAX] < s[SPC_ATTR_N_MIN] ||
				s[SPC_ATTR_SUM_X] > s[SPC_ATTR_SUM_N])
				return SPC_ATTR_BAD_STATE;
			/* k samples of sizes within [n_min, n_max] (products of whole numbers) */
			if (s[SPC_ATTR_SUM_N] < k * s[SPC_ATTR_N_MIN] ||
				s[SPC_ATTR_SUM_N] > k * s[SPC_ATTR_N_MAX])
				return SPC_ATTR_BAD_STATE;
			if (kind == SPC_CHART_NP && s[SPC_ATTR_N_MIN] != s[SPC_ATTR_N_MAX])
				return SPC_ATTR_SIZE_VARIES;
			break;
		case SPC_CHART_U:
			if (!(s[SPC_ATTR_N_MIN] > 0) || s[SPC_ATTR_N_MAX] < s[SPC_ATTR_N_MIN] ||
				!(s[SPC_ATTR_SUM_N] + s[SPC_ATTR_COMP_N] > 0) ||
				fabs(s[SPC_ATTR_COMP_N]) > 1e-6 * s[SPC_ATTR_SUM_N])
				return SPC_ATTR_BAD_STATE;
			break;
		default:
			return SPC_ATTR_BAD_STATE;
	}
	return SPC_ATTR_OK;
}

SpcAttrError
spc_attr_combine(double *a, const double *b, SpcChartKind kind)
{
	if (b[SPC_ATTR_K] == 0)
		return SPC_ATTR_OK;
	if (a[SPC_ATTR_K] == 0)
	{
		memcpy(a, b, sizeof(double) * SPC_ATTR_NSLOTS);
		return SPC_ATTR_OK;
	}
	if (kind == SPC_CHART_NP &&
		(a[SPC_ATTR_N_MIN] != b[SPC_ATTR_N_MIN] || a[SPC_ATTR_N_MAX] != b[SPC_ATTR_N_MAX]))
		return SPC_ATTR_SIZE_VARIES;
	if (a[SPC_ATTR_SUM_X] + b[SPC_ATTR_SUM_X] >= SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_TOO_LARGE;
	if (kind != SPC_CHART_U && a[SPC_ATTR_SUM_N] + b[SPC_ATTR_SUM_N] >= SPC_ATTR_MAX_COUNT)
		return SPC_ATTR_TOO_LARGE;
	if (!isfinite(a[SPC_ATTR_SUM_N] + b[SPC_ATTR_SUM_N]))
		return SPC_ATTR_TOO_LARGE;

	a[SPC_ATTR_K] += b[SPC_ATTR_K];
	a[SPC_ATTR_SUM_X] += b[SPC_ATTR_SUM_X];
	if (kind == SPC_CHART_U)
	{
		neumaier_add(&a[SPC_ATTR_SUM_N], &a[SPC_ATTR_COMP_N], b[SPC_ATTR_SUM_N]);
		a[SPC_ATTR_COMP_N] += b[SPC_ATTR_COMP_N];
	}
	else
		a[SPC_ATTR_SUM_N] += b[SPC_ATTR_SUM_N];
	if (b[SPC_ATTR_N_MIN] < a[SPC_ATTR_N_MIN])
		a[SPC_ATTR_N_MIN] = b[SPC_ATTR_N_MIN];
	if (b[SPC_ATTR_N_MAX] > a[SPC_ATTR_N_MAX])
		a[SPC_ATTR_N_MAX] = b[SPC_ATTR_N_MAX];
	return SPC_ATTR_OK;
}

static void
limits_common(SpcChartLimits *out, SpcChartKind kind)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->has_disp = false;
	out->n_values_null = false;
}

bool
spc_attr_final(const double *s, SpcChartKind kind, SpcChartLimits *out, SpcAttrError *err)
{
	double		k = s[SPC_ATTR_K];
	double		sum_x = s[SPC_ATTR_SUM_X];
	double		half;

	*err = spc_attr_check_state(s, kind);
	if (*err != SPC_ATTR_OK)
		return false;
	if (k < 2)
		return false;

	limits_common(out, kind);
	out->n_points = (int64_t) k;

	switch (kind)
	{
		case SPC_CHART_P:
			{
				double		sum_n = s[SPC_ATTR_SUM_N];
				double		pbar = sum_x / sum_n;
				double		nbar = sum_n / k;

				out->center = pbar;
				out->sigma = sqrt(pbar * (1.0 - pbar));
				out->avg_sample_size = nbar;
				out->n_values = (int64_t) sum_n;
				half = 3.0 * sqrt(pbar * (1.0 - pbar) / nbar);
				out->lcl = fmax(0.0, pbar - half);
				out->ucl = pbar + half;
				break;
			}
		case SPC_CHART_NP:
			{
				double		n = s[SPC_ATTR_N_MIN];
				double		pbar = sum_x / s[SPC_ATTR_SUM_N];

				out->center = sum_x / k;	/* = n pbar, one rounding */
				out->sigma = sqrt(pbar * (1.0 - pbar));
				out->avg_sample_size = n;
				out->n_values = (int64_t) s[SPC_ATTR_SUM_N];
				half = 3.0 * sqrt(n * pbar * (1.0 - pbar));
				out->lcl = fmax(0.0, out->center - half);
				out->ucl = out->center + half;
				break;
			}
		case SPC_CHART_C:
			{
				double		cbar = sum_x / k;

				out->center = cbar;
				out->sigma = sqrt(cbar);
				out->avg_sample_size = 1.0;
				out->n_values = (int64_t) k;
				out->lcl = fmax(0.0, cbar - 3.0 * out->sigma);
				out->ucl = cbar + 3.0 * out->sigma;
				break;
			}
		case SPC_CHART_U:
			{
				double		units = s[SPC_ATTR_SUM_N] + s[SPC_ATTR_COMP_N];
				double		ubar = sum_x / units;
				double		nbar = units / k;

				out->center = ubar;
				out->sigma = sqrt(ubar);
				out->avg_sample_size = nbar;
				if (is_whole(units) && units <= SPC_ATTR_MAX_COUNT)
					out->n_values = (int64_t) units;
				else
					out->n_values_null = true;
				half = 3.0 * (sqrt(ubar) / sqrt(nbar));	/* ubar / nbar alone may underflow */
				out->lcl = fmax(0.0, ubar - half);
				out->ucl = ubar + half;
				break;
			}
		default:
			*err = SPC_ATTR_BAD_STATE;
			return false;
	}
	return true;
}

SpcLimitsAtError
spc_limits_at(SpcChartKind kind, double center, double sigma, double avg_sample_size,
			  double n, SpcChartLimits *out, bool *changed)
{
	double		half;

	*changed = false;
	if (!isfinite(n) || n <= 0)
		return SPC_LIMITS_AT_BAD_N;

	limits_common(out, kind);
	switch (kind)
	{
		case SPC_CHART_C:
		case SPC_CHART_IMR:
			return SPC_LIMITS_AT_OK;	/* limits do not depend on n */

		case SPC_CHART_P:
			if (isnan(center))
				return SPC_LIMITS_AT_MISSING;
			if (!(center >= 0 && center <= 1))
				return SPC_LIMITS_AT_BAD_FIELD;
			half = 3.0 * sqrt(center * (1.0 - center) / n);
			out->center = center;
			out->lcl = fmax(0.0, center - half);
			out->ucl = center + half;
			break;

		case SPC_CHART_NP:
			{
				double		pbar;

				if (isnan(center) || isnan(avg_sample_size))
					return SPC_LIMITS_AT_MISSING;
				if (!(avg_sample_size > 0) || !isfinite(avg_sample_size) ||
					!(center >= 0 && center <= avg_sample_size))
					return SPC_LIMITS_AT_BAD_FIELD;
				pbar = center / avg_sample_size;
				out->center = n * pbar;
				half = 3.0 * sqrt(n * pbar * (1.0 - pbar));
				out->lcl = fmax(0.0, out->center - half);
				out->ucl = out->center + half;
				break;
			}

		case SPC_CHART_U:
			if (isnan(center))
				return SPC_LIMITS_AT_MISSING;
			if (!(center >= 0) || !isfinite(center))
				return SPC_LIMITS_AT_BAD_FIELD;
			half = 3.0 * (sqrt(center) / sqrt(n));
			out->center = center;
			out->lcl = fmax(0.0, center - half);
			out->ucl = center + half;
			break;

		case SPC_CHART_XBAR_R:
		case SPC_CHART_XBAR_S:
			{
				SpcConstants c;

				if (isnan(center) || isnan(sigma))
					return SPC_LIMITS_AT_MISSING;
				if (!isfinite(center) || !isfinite(sigma) || sigma < 0)
					return SPC_LIMITS_AT_BAD_FIELD;
				if (n != floor(n))
					return SPC_LIMITS_AT_N_NOT_INTEGER;
				if (n < 2)
					return SPC_LIMITS_AT_N_TOO_SMALL;
				if (n > (double) SPC_MAX_N || spc_constants((int64_t) n, &c) != 0)
					return SPC_LIMITS_AT_BAD_N;
				half = 3.0 * (sigma / sqrt(n));	/* 3 sigma alone may overflow */
				out->center = center;
				out->lcl = center - half;
				out->ucl = center + half;
				out->has_disp = true;
				if (kind == SPC_CHART_XBAR_R)
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
				break;
			}

		default:
			return SPC_LIMITS_AT_UNKNOWN_CHART;
	}
	out->avg_sample_size = n;
	*changed = true;
	return SPC_LIMITS_AT_OK;
}
