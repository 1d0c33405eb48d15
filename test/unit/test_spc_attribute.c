/*
 * Unit tests of src/spc/attribute_charts.c: p, np, c, u charts and
 * spc_limits_at, on Montgomery's textbook data sets (Introduction to
 * Statistical Quality Control, "Control Charts for Attributes"; the same data
 * ship with the R package qcc as orangejuice, circuit, pcmanufact, dyedcloth)
 * and on hand-checked small cases.
 */
#include "spc/attribute_charts.h"
#include "spc/spc_constants.h"
#include "tap.h"

#include <string.h>

/* Orange juice concentrate cans: 30 samples of n = 50, 347 nonconforming. */
static const int oj[30] = {12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
	8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6};
/* Printed circuit boards: nonconformities in 26 samples of 100 boards, total 516. */
static const int circuit[26] = {21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19,
	10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15};
/* Personal computers: nonconformities in 20 samples of 5 computers, total 193. */
static const int pcs[20] = {10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5};
/* Dyed cloth: nonconformities in 10 rolls, units of 50 m^2 (fractional), totals 153 / 107.5. */
static const int cloth_x[10] = {14, 12, 20, 11, 7, 10, 21, 16, 19, 23};
static const double cloth_n[10] = {10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5};

static void
fill(double *s, SpcChartKind kind, const int *x, const double *n, double n_const, int k)
{
	spc_attr_init(s);
	for (int i = 0; i < k; i++)
		spc_attr_add(s, kind, x[i], n ? n[i] : n_const);
}

static void
test_textbook(void)
{
	double		s[SPC_ATTR_NSLOTS];
	SpcChartLimits cl;
	SpcAttrError err;
	double		pbar = 347.0 / 1500.0;

	fill(s, SPC_CHART_P, oj, NULL, 50, 30);
	tap_ok(spc_attr_final(s, SPC_CHART_P, &cl, &err), "p chart of the orange-juice cans computes");
	/* Montgomery: pbar = 0.2313, UCL = 0.4102, LCL = 0.0524 (printed to 4 decimals) */
	tap_near(cl.center, 0.2313, 0.00005, "OJ p chart center 0.2313 (Montgomery)");
	tap_near(cl.ucl, 0.4102, 0.00005, "OJ p chart UCL 0.4102 (Montgomery)");
	tap_near(cl.lcl, 0.0524, 0.00005, "OJ p chart LCL 0.0524 (Montgomery)");
	tap_near(cl.ucl, pbar + 3 * sqrt(pbar * (1 - pbar) / 50), 1e-15, "OJ p chart UCL = closed form to the last bit");
	tap_near(cl.sigma, sqrt(pbar * (1 - pbar)), 1e-15, "p sigma is that of one unit, sqrt(pbar(1-pbar))");
	tap_ok(cl.n_points == 30 && cl.n_values == 1500 && cl.avg_sample_size == 50,
		   "OJ p chart: 30 points, 1500 units, n = 50");
	{
		int			above = 0;

		for (int i = 0; i < 30; i++)
			above += oj[i] / 50.0 > cl.ucl ? (i == 14 || i == 22 ? 1 : 100) : 0;
		tap_ok(above == 2, "exactly samples 15 (22/50) and 23 (24/50) plot above the UCL, as in the text");
	}

	fill(s, SPC_CHART_NP, oj, NULL, 50, 30);
	tap_ok(spc_attr_final(s, SPC_CHART_NP, &cl, &err), "np chart of the same data computes");
	/* n pbar = 11.5667, 3 sqrt(50 * 0.23133 * 0.76867) = 8.945: UCL 20.51, LCL 2.62 */
	tap_near(cl.center, 347.0 / 30.0, 1e-14, "np center = mean defectives 11.5667");
	tap_near(cl.ucl, 20.51, 0.005, "np UCL 20.51");
	tap_near(cl.lcl, 2.62, 0.005, "np LCL 2.62");

	fill(s, SPC_CHART_C, circuit, NULL, 1, 26);
	tap_ok(spc_attr_final(s, SPC_CHART_C, &cl, &err), "c chart of the circuit boards computes");
	/* Montgomery: cbar = 516/26 = 19.85, UCL 33.22, LCL 6.48 */
	tap_near(cl.center, 19.85, 0.005, "circuit c center 19.85 (Montgomery)");
	/* the text works from the rounded cbar: 19.85 + 3 sqrt(19.85) = 33.216 -> 33.22;
	 * from the exact 516/26 the UCL is 33.2109 */
	tap_near(19.85 + 3 * sqrt(19.85), 33.22, 0.005, "Montgomery's UCL 33.22 is 19.85 + 3 sqrt(19.85)");
	tap_near(cl.ucl, 516.0 / 26 + 3 * sqrt(516.0 / 26), 1e-14, "circuit c UCL from the exact cbar");
	tap_near(cl.ucl, 33.22, 0.01, "circuit c UCL 33.22 (Montgomery, rounded cbar)");
	tap_near(cl.lcl, 6.48, 0.005, "circuit c LCL 6.48 (Montgomery)");
	tap_ok(cl.n_points == 26 && cl.n_values == 26 && cl.avg_sample_size == 1,
		   "c chart: n_values is the number of samples, avg_sample_size 1");

	fill(s, SPC_CHART_U, pcs, NULL, 5, 20);
	tap_ok(spc_attr_final(s, SPC_CHART_U, &cl, &err), "u chart of the personal computers computes");
	/* Montgomery: ubar = 193/100 = 1.93, UCL 3.79, LCL 0.07 */
	tap_near(cl.center, 1.93, 1e-15, "PC u center 1.93 (Montgomery)");
	tap_near(cl.ucl, 3.79, 0.005, "PC u UCL 3.79 (Montgomery)");
	tap_near(cl.lcl, 0.07, 0.005, "PC u LCL 0.07 (Montgomery)");
	tap_ok(cl.n_values == 100 && !cl.n_values_null, "u chart: 100 whole units inspected");

	fill(s, SPC_CHART_U, cloth_x, cloth_n, 0, 10);
	tap_ok(spc_attr_final(s, SPC_CHART_U, &cl, &err), "u chart of the dyed cloth (fractional units) computes");
	tap_near(cl.center, 153.0 / 107.5, 1e-15, "dyed cloth ubar = 153/107.5 = 1.42 (Montgomery)");
	tap_ok(cl.n_values_null, "fractional total of units (107.5): n_values is NULL, not rounded");
	tap_near(cl.avg_sample_size, 10.75, 1e-15, "mean units per roll 10.75");
	{
		SpcChartLimits at;
		bool		changed;

		/* Montgomery's table of per-roll limits: n = 9.5 gives LCL 0.26, UCL 2.58; n = 8 gives 0.16, 2.68 */
		tap_ok(spc_limits_at(SPC_CHART_U, cl.center, cl.sigma, cl.avg_sample_size, 9.5, &at, &changed) == 0
			   && changed, "limits_at the roll of 9.5 units");
		tap_near(at.ucl, 2.58, 0.005, "roll of 9.5 units: UCL 2.58 (Montgomery)");
		tap_near(at.lcl, 0.26, 0.005, "roll of 9.5 units: LCL 0.26 (Montgomery)");
		spc_limits_at(SPC_CHART_U, cl.center, cl.sigma, cl.avg_sample_size, 8, &at, &changed);
		/* the text uses ubar rounded to 1.42: 1.42 + 3 sqrt(1.42/8) = 2.684; exact 2.6886 */
		tap_near(at.ucl, 2.68, 0.01, "roll of 8 units: UCL 2.68 (Montgomery, from ubar rounded to 1.42)");
		tap_near(at.lcl, 0.16, 0.005, "roll of 8 units: LCL 0.16 (Montgomery)");
	}
}

static void
test_small_cases(void)
{
	double		s[SPC_ATTR_NSLOTS];
	SpcChartLimits cl;
	SpcAttrError err;

	/* p with variable n: 1/10, 3/30 -> pbar = 4/40 = 0.1, nbar = 20,
	 * limits 0.1 +- 3 sqrt(0.09/20) = 0.1 +- 0.201246 -> LCL 0 (clamped), UCL 0.301246 */
	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_P, 1, 10);
	spc_attr_add(s, SPC_CHART_P, 3, 30);
	tap_ok(spc_attr_final(s, SPC_CHART_P, &cl, &err), "p with variable n computes");
	tap_near(cl.center, 0.1, 1e-16, "pbar weighted by sample size: (1 + 3) / (10 + 30) = 0.1");
	tap_near(cl.ucl, 0.1 + 3 * sqrt(0.09 / 20), 1e-16, "UCL at the mean sample size 20");
	tap_ok(cl.lcl == 0, "negative LCL clamped to 0");
	tap_ok(cl.avg_sample_size == 20 && cl.n_values == 40, "avg_sample_size 20, 40 units");

	/* one sample: NULL */
	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_P, 1, 10);
	tap_ok(!spc_attr_final(s, SPC_CHART_P, &cl, &err) && err == SPC_ATTR_OK,
		   "one sample gives NULL (fewer than 2 points)");
	spc_attr_init(s);
	tap_ok(!spc_attr_final(s, SPC_CHART_C, &cl, &err) && err == SPC_ATTR_OK, "no rows give NULL");

	/* no defectives at all: every line at 0, no division by zero */
	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_P, 0, 10);
	spc_attr_add(s, SPC_CHART_P, 0, 10);
	tap_ok(spc_attr_final(s, SPC_CHART_P, &cl, &err) && cl.center == 0 && cl.lcl == 0 &&
		   cl.ucl == 0 && cl.sigma == 0, "pbar = 0: center, limits and sigma 0");
	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_P, 10, 10);
	spc_attr_add(s, SPC_CHART_P, 5, 5);
	tap_ok(spc_attr_final(s, SPC_CHART_P, &cl, &err) && cl.center == 1 && cl.ucl == 1 &&
		   cl.lcl == 1, "pbar = 1: all lines at 1");

	/* c: 4, 0 -> cbar 2, UCL 2 + 3 sqrt 2 = 6.2426, LCL 0 */
	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_C, 4, 1);
	spc_attr_add(s, SPC_CHART_C, 0, 1);
	tap_ok(spc_attr_final(s, SPC_CHART_C, &cl, &err), "c of {4, 0}");
	tap_near(cl.ucl, 2 + 3 * sqrt(2.0), 1e-15, "c UCL 2 + 3 sqrt(2)");
	tap_ok(cl.lcl == 0, "c LCL clamped to 0");
}

static void
test_errors(void)
{
	double		s[SPC_ATTR_NSLOTS],
				before[SPC_ATTR_NSLOTS];

	spc_attr_init(s);
	spc_attr_add(s, SPC_CHART_NP, 2, 50);
	memcpy(before, s, sizeof s);
	tap_ok(spc_attr_add(s, SPC_CHART_P, -1, 50) == SPC_ATTR_NEGATIVE_COUNT, "negative defectives refused");
	tap_ok(spc_attr_add(s, SPC_CHART_C, -1, 1) == SPC_ATTR_NEGATIVE_COUNT, "negative defects refused");
	tap_ok(spc_attr_add(s, SPC_CHART_P, 0, 0) == SPC_ATTR_BAD_SIZE, "zero sample size refused");
	tap_ok(spc_attr_add(s, SPC_CHART_P, 0, -5) == SPC_ATTR_BAD_SIZE, "negative sample size refused");
	tap_ok(spc_attr_add(s, SPC_CHART_P, 51, 50) == SPC_ATTR_DEFECTIVES_EXCEED, "defectives > sample size refused");
	tap_ok(spc_attr_add(s, SPC_CHART_NP, 51, 50) == SPC_ATTR_DEFECTIVES_EXCEED, "np: defectives > sample size refused");
	tap_ok(spc_attr_add(s, SPC_CHART_NP, 1, 40) == SPC_ATTR_SIZE_VARIES, "np: a different sample size refused");
	tap_ok(spc_attr_add(s, SPC_CHART_U, 1, 0) == SPC_ATTR_BAD_SIZE, "u: zero units refused");
	tap_ok(spc_attr_add(s, SPC_CHART_U, 1, NAN) == SPC_ATTR_NONFINITE_SIZE, "u: NaN units refused");
	tap_ok(spc_attr_add(s, SPC_CHART_U, 1, INFINITY) == SPC_ATTR_NONFINITE_SIZE, "u: infinite units refused");
	tap_ok(spc_attr_add(s, SPC_CHART_C, 1e16, 1) == SPC_ATTR_TOO_LARGE, "count beyond 2^53 refused");
	tap_ok(memcmp(s, before, sizeof s) == 0, "a rejected row leaves the state as it was");
	tap_ok(spc_attr_add(s, SPC_CHART_NP, 50, 50) == SPC_ATTR_OK, "defectives = sample size accepted");
	{
		double		big[SPC_ATTR_NSLOTS];

		spc_attr_init(big);
		spc_attr_add(big, SPC_CHART_C, SPC_ATTR_MAX_COUNT - 1, 1);
		tap_ok(spc_attr_add(big, SPC_CHART_C, 2, 1) == SPC_ATTR_TOO_LARGE, "sum of counts beyond 2^53 refused");
	}
}

static void
test_combine_and_states(void)
{
	double		whole[SPC_ATTR_NSLOTS],
				a[SPC_ATTR_NSLOTS],
				b[SPC_ATTR_NSLOTS],
				e[SPC_ATTR_NSLOTS];
	SpcChartLimits l1,
				l2;
	SpcAttrError err;

	/* any split of the rows combines to the same state (counts are exact) */
	for (int cut = 0; cut <= 30; cut += 7)
	{
		fill(whole, SPC_CHART_P, oj, NULL, 50, 30);
		fill(a, SPC_CHART_P, oj, NULL, 50, cut);
		fill(b, SPC_CHART_P, oj + cut, NULL, 50, 30 - cut);
		tap_ok(spc_attr_combine(a, b, SPC_CHART_P) == SPC_ATTR_OK &&
			   memcmp(a, whole, sizeof a) == 0, "p: split at %d combines to the serial state", cut);
	}
	fill(whole, SPC_CHART_U, cloth_x, cloth_n, 0, 10);
	fill(a, SPC_CHART_U, cloth_x + 4, cloth_n + 4, 0, 6);
	fill(b, SPC_CHART_U, cloth_x, cloth_n, 0, 4);
	spc_attr_combine(a, b, SPC_CHART_U);
	spc_attr_final(whole, SPC_CHART_U, &l1, &err);
	spc_attr_final(a, SPC_CHART_U, &l2, &err);
	tap_ok(l1.center == l2.center && l1.ucl == l2.ucl && l1.lcl == l2.lcl,
		   "u: combined in another order gives the same limits");
	spc_attr_init(e);
	tap_ok(spc_attr_combine(e, whole, SPC_CHART_U) == 0 && memcmp(e, whole, sizeof e) == 0,
		   "empty + state = state");

	fill(a, SPC_CHART_NP, oj, NULL, 50, 5);
	fill(b, SPC_CHART_NP, oj, NULL, 40, 5);
	tap_ok(spc_attr_combine(a, b, SPC_CHART_NP) == SPC_ATTR_SIZE_VARIES,
		   "np: combining states of different sample sizes refused");

	/* states no transition produces */
	{
		double		bad[SPC_ATTR_NSLOTS];

		fill(bad, SPC_CHART_P, oj, NULL, 50, 3);
		tap_ok(spc_attr_check_state(bad, SPC_CHART_P) == SPC_ATTR_OK, "a real p state checks");
		bad[SPC_ATTR_K] = 2.5;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_P) == SPC_ATTR_BAD_STATE, "fractional sample count refused");
		fill(bad, SPC_CHART_P, oj, NULL, 50, 3);
		bad[SPC_ATTR_SUM_X] = 1000;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_P) == SPC_ATTR_BAD_STATE, "defectives above units refused");
		fill(bad, SPC_CHART_P, oj, NULL, 50, 3);
		bad[SPC_ATTR_SUM_N] = NAN;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_P) == SPC_ATTR_BAD_STATE, "NaN slot refused");
		spc_attr_init(bad);
		bad[SPC_ATTR_SUM_X] = 3;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_C) == SPC_ATTR_BAD_STATE, "k = 0 with a count refused");
		fill(bad, SPC_CHART_P, oj, NULL, 50, 3);
		bad[SPC_ATTR_N_MAX] = 60;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_NP) == SPC_ATTR_SIZE_VARIES,
			   "np state with n_min != n_max refused");
		fill(bad, SPC_CHART_C, circuit, NULL, 1, 3);
		bad[SPC_ATTR_SUM_N] = 7;
		tap_ok(spc_attr_check_state(bad, SPC_CHART_C) == SPC_ATTR_BAD_STATE, "c state with sum_n != k refused");
	}
}

static void
test_limits_at(void)
{
	SpcChartLimits at,
				at2;
	bool		changed;
	SpcConstants c5;
	double		pbar = 347.0 / 1500.0;

	spc_constants(5, &c5);

	/* piston rings (Montgomery): grand mean 74.001, R-bar 0.023, n = 5 ->
	 * X-bar limits 74.014 / 73.988, R chart UCL 0.049, LCL 0 */
	tap_ok(spc_limits_at(SPC_CHART_XBAR_R, 74.001, 0.023 / c5.d2, 5, 5, &at, &changed) == 0 &&
		   changed && at.has_disp, "Xbar-R limits_at n = 5");
	tap_near(at.ucl, 74.014, 0.0005, "piston rings X-bar UCL 74.014 (Montgomery)");
	tap_near(at.lcl, 73.988, 0.0005, "piston rings X-bar LCL 73.988 (Montgomery)");
	tap_near(at.disp_center, 0.023, 1e-15, "R chart centre d2(5) sigma = R-bar");
	tap_near(at.disp_ucl, 0.049, 0.0005, "R chart UCL 0.049 (Montgomery)");
	tap_ok(at.disp_lcl == 0, "R chart LCL 0 for n = 5");
	tap_near(at.ucl - at.center, c5.A2 * 0.023, 1e-12, "X-bar half width = A2 R-bar");

	/* piston rings X-bar/S: S-bar 0.0094 -> X-bar UCL 74.001 + A3 S-bar = 74.014,
	 * S chart UCL B4 S-bar = 2.089 * 0.0094 = 0.0196, LCL 0 */
	tap_ok(spc_limits_at(SPC_CHART_XBAR_S, 74.001, 0.0094 / c5.c4, 5, 5, &at, &changed) == 0,
		   "Xbar-S limits_at n = 5");
	tap_near(at.disp_center, 0.0094, 1e-15, "S chart centre c4(5) sigma = S-bar");
	tap_near(at.disp_ucl, 0.0196, 0.00005, "S chart UCL 0.0196 (Montgomery)");
	tap_ok(at.disp_lcl == 0, "S chart LCL 0 for n = 5");
	tap_near(at.ucl, 74.014, 0.0005, "X-bar (from S) UCL 74.014 (Montgomery)");

	tap_ok(spc_limits_at(SPC_CHART_P, pbar, sqrt(pbar * (1 - pbar)), 50, 50, &at, &changed) == 0 &&
		   fabs(at.ucl - 0.4102) < 0.00005 && fabs(at.lcl - 0.0524) < 0.00005,
		   "p limits_at 50 reproduces the aggregate limits");
	tap_ok(spc_limits_at(SPC_CHART_P, pbar, 0, 50, 5, &at, &changed) == 0 && at.lcl == 0 &&
		   at.avg_sample_size == 5, "p limits_at 5: LCL clamped, avg_sample_size = n");
	spc_limits_at(SPC_CHART_NP, 347.0 / 30.0, 0, 50, 100, &at, &changed);
	tap_near(at.center, 100 * pbar, 1e-13, "np limits_at 100: center 100 pbar");
	tap_near(at.ucl, 100 * pbar + 3 * sqrt(100 * pbar * (1 - pbar)), 1e-13, "np limits_at 100: UCL");
	spc_limits_at(SPC_CHART_NP, at.center, 0, at.avg_sample_size, 50, &at2, &changed);
	tap_near(at2.center, 347.0 / 30.0, 1e-13, "np: limits_at(limits_at(cl, 100), 50) = limits at 50");

	tap_ok(spc_limits_at(SPC_CHART_C, 19.85, 4.45, 1, 7, &at, &changed) == 0 && !changed,
		   "c chart: limits_at leaves the limits unchanged");
	tap_ok(spc_limits_at(SPC_CHART_IMR, 10, 1, 1, 3, &at, &changed) == 0 && !changed,
		   "I-MR: limits_at leaves the limits unchanged");

	tap_ok(spc_limits_at(SPC_CHART_P, 0.1, 0.3, 50, 0, &at, &changed) == SPC_LIMITS_AT_BAD_N, "n = 0 refused");
	tap_ok(spc_limits_at(SPC_CHART_C, 2, 1, 1, -1, &at, &changed) == SPC_LIMITS_AT_BAD_N, "n < 0 refused (even for c)");
	tap_ok(spc_limits_at(SPC_CHART_U, 2, 1, 1, NAN, &at, &changed) == SPC_LIMITS_AT_BAD_N, "n NaN refused");
	tap_ok(spc_limits_at(SPC_CHART_U, 2, 1, 1, INFINITY, &at, &changed) == SPC_LIMITS_AT_BAD_N, "n infinite refused");
	tap_ok(spc_limits_at(SPC_CHART_XBAR_R, 74, 0.01, 5, 4.5, &at, &changed) == SPC_LIMITS_AT_N_NOT_INTEGER,
		   "Xbar-R: non-integer n refused");
	tap_ok(spc_limits_at(SPC_CHART_XBAR_S, 74, 0.01, 5, 1, &at, &changed) == SPC_LIMITS_AT_N_TOO_SMALL,
		   "Xbar-S: n = 1 refused");
	tap_ok(spc_limits_at(SPC_CHART_XBAR_R, 74, NAN, 5, 5, &at, &changed) == SPC_LIMITS_AT_MISSING,
		   "Xbar-R without sigma refused");
	tap_ok(spc_limits_at(SPC_CHART_P, 1.5, 0, 50, 5, &at, &changed) == SPC_LIMITS_AT_BAD_FIELD,
		   "p chart with center > 1 refused");
	tap_ok(spc_limits_at(SPC_CHART_NP, 3, 0, NAN, 5, &at, &changed) == SPC_LIMITS_AT_MISSING,
		   "np without avg_sample_size refused");
	tap_ok(spc_limits_at(SPC_CHART_UNKNOWN, 3, 0, 1, 5, &at, &changed) == SPC_LIMITS_AT_UNKNOWN_CHART,
		   "unknown chart refused");
	tap_ok(spc_chart_kind("Xbar-S") == SPC_CHART_XBAR_S && spc_chart_kind("xbar-s") == SPC_CHART_UNKNOWN &&
		   strcmp(spc_chart_name(SPC_CHART_NP), "np") == 0, "chart names round-trip (case-sensitive)");
}

/* deterministic pseudo-random numbers (xorshift64) */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * 500 random data sets split at random into up to 4 partial states combined
 * in random order (as parallel workers do): p, np and c limits equal the
 * serial ones bit for bit (whole numbers are summed exactly), u limits with
 * fractional units to 1e-14 relative; and the limits match a direct
 * computation from the totals.  Random garbage states never pass the check
 * silently into a wrong result: check_state accepts only what it can prove.
 */
static void
test_random(void)
{
	int			exact_fail = 0,
				u_fail = 0,
				direct_fail = 0,
				garbage_ok = 0,
				garbage_seen = 0;

	for (int iter = 0; iter < 500; iter++)
	{
		SpcChartKind kind = (SpcChartKind) (iter % 4);
		int			k = 2 + (int) (rng() % 60);
		double		serial[SPC_ATTR_NSLOTS],
					part[4][SPC_ATTR_NSLOTS];
		double		sx = 0,
					sn = 0;
		int			nconst = 20 + (int) (rng() % 100);
		SpcChartLimits a,
					b;
		SpcAttrError err;

		spc_attr_init(serial);
		for (int j = 0; j < 4; j++)
			spc_attr_init(part[j]);
		for (int i = 0; i < k; i++)
		{
			double		n = kind == SPC_CHART_NP ? nconst
				: kind == SPC_CHART_P ? 1 + (double) (rng() % 200)
				: kind == SPC_CHART_U ? 0.25 * (double) (1 + rng() % 40) + 0.1
				: 1;
			double		x = kind == SPC_CHART_P || kind == SPC_CHART_NP
				? (double) (rng() % ((uint64_t) n + 1)) : (double) (rng() % 30);

			sx += x;
			sn += n;
			spc_attr_add(serial, kind, x, n);
			spc_attr_add(part[rng() % 4], kind, x, n);
		}
		{
			int			order[3] = {1, 2, 3};

			for (int j = 2; j > 0; j--)
			{
				int			r = (int) (rng() % (uint64_t) (j + 1)),
							tmp = order[j];

				order[j] = order[r];
				order[r] = tmp;
			}
			for (int j = 0; j < 3; j++)
				spc_attr_combine(part[0], part[order[j]], kind);
		}
		if (!spc_attr_final(serial, kind, &a, &err) || !spc_attr_final(part[0], kind, &b, &err))
		{
			exact_fail++;
			continue;
		}
		if (kind == SPC_CHART_U)
		{
			if (fabs(a.ucl - b.ucl) > 1e-14 * a.ucl || fabs(a.center - b.center) > 1e-14 * a.center + 1e-300)
				u_fail++;
		}
		else if (a.center != b.center || a.ucl != b.ucl || a.lcl != b.lcl || a.sigma != b.sigma)
			exact_fail++;
		/* direct computation from the totals */
		{
			double		c = kind == SPC_CHART_C ? sx / k : kind == SPC_CHART_NP ? sx / k : sx / sn;
			double		half = kind == SPC_CHART_P ? 3 * sqrt(c * (1 - c) / (sn / k))
				: kind == SPC_CHART_NP ? 3 * sqrt(nconst * (sx / sn) * (1 - sx / sn))
				: kind == SPC_CHART_C ? 3 * sqrt(c) : 3 * sqrt(c / (sn / k));

			if (fabs(a.center - c) > 1e-13 * (1 + c) || fabs(a.ucl - (c + half)) > 1e-13 * (1 + c + half) ||
				fabs(a.lcl - fmax(0, c - half)) > 1e-13 * (1 + c + half))
				direct_fail++;
		}
	}
	tap_ok(exact_fail == 0, "500 random data sets: p, np, c combined in random partitions = serial, bit for bit (%d failures)", exact_fail);
	tap_ok(u_fail == 0, "u with fractional units: combined = serial to 1e-14 (%d failures)", u_fail);
	tap_ok(direct_fail == 0, "limits equal a direct computation from the totals (%d failures)", direct_fail);

	for (int iter = 0; iter < 20000; iter++)
	{
		double		g[SPC_ATTR_NSLOTS];
		SpcChartLimits l;
		SpcAttrError err;
		SpcChartKind kind = (SpcChartKind) (iter % 4);
		uint64_t	r = rng();

		/* a valid state with one slot replaced by something arbitrary */
		fill(g, kind, oj, NULL, 50, 2 + iter % 20);
		g[r % SPC_ATTR_NSLOTS] = (r >> 8) % 4 == 0 ? -(double) ((r >> 12) % 100)
			: (r >> 8) % 4 == 1 ? (double) ((r >> 12) % 2000) / 3.0
			: (r >> 8) % 4 == 2 ? (double) ((r >> 12) % 100000)
			: ((r >> 12) % 2 ? NAN : INFINITY);
		if (spc_attr_final(g, kind, &l, &err))
		{
			garbage_seen++;
			if (!(l.lcl >= 0 && l.ucl >= l.center && l.center >= 0 && isfinite(l.ucl) &&
				  (kind != SPC_CHART_P || l.center <= 1) && l.n_points >= 2))
				garbage_ok++;
		}
	}
	tap_ok(garbage_ok == 0, "20000 corrupted states: what check_state lets through (%d) gives sane limits (%d insane)",
		   garbage_seen, garbage_ok);
}

int
main(void)
{
	test_textbook();
	test_small_cases();
	test_errors();
	test_combine_and_states();
	test_limits_at();
	test_random();
	return tap_done();
}
