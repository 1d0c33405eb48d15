/*
 * Unit tests of src/spc/spc_variables.c: sorting, series summaries and their
 * merge, subgroup estimators, capability indices, the chi-square and normal
 * quantiles against published tables, and numerical stability on 10 million
 * values of 1e9 + noise.
 */
#include "spc/spc_constants.h"
#include "spc/spc_variables.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* deterministic generator (xorshift64*) */
static uint64_t rng = 88172645463325252ULL;
static uint64_t
next_u64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static void
test_sort(void)
{
	size_t		n = 100000;
	SpcPair    *p = malloc(n * sizeof(SpcPair));
	int			ok = 1;

	for (size_t i = 0; i < n; i++)
	{
		p[i].t = (int64_t) (next_u64() % 1000000000ULL) - 500000000;
		p[i].x = (double) p[i].t * 2.0;
	}
	spc_pairs_sort(p, n);
	tap_ok(spc_pairs_is_sorted(p, n), "introsort sorts 100000 random keys");
	for (size_t i = 0; i < n; i++)
		if (p[i].x != (double) p[i].t * 2.0)
			ok = 0;
	tap_ok(ok, "values travel with their keys");
	/* adversarial shapes: all equal, descending, organ pipe */
	for (size_t i = 0; i < n; i++)
		p[i].t = 7;
	spc_pairs_sort(p, n);
	tap_ok(spc_pairs_is_sorted(p, n) && spc_pairs_first_tie(p, n) == 1, "all-equal keys: sorted, tie at 1");
	for (size_t i = 0; i < n; i++)
		p[i].t = (int64_t) (n - i);
	spc_pairs_sort(p, n);
	tap_ok(spc_pairs_is_sorted(p, n) && spc_pairs_first_tie(p, n) == 0, "descending keys sort, no tie");
	for (size_t i = 0; i < n; i++)
		p[i].t = (int64_t) (i < n / 2 ? i : n - i) * 2 + (i >= n / 2);
	spc_pairs_sort(p, n);
	tap_ok(spc_pairs_is_sorted(p, n) && spc_pairs_first_tie(p, n) == 0, "organ-pipe keys sort, no tie");
	free(p);
}

/* I-MR on a hand example: x = 10, 12, 11, 15, 13 at t = 5, 1, 4, 2, 3 */
static void
test_imr_hand(void)
{
	SpcPair		p[5] = {{5, 13}, {1, 10}, {4, 15}, {2, 12}, {3, 11}};
	SpcSeries	s;
	SpcLimits	l;

	spc_pairs_sort(p, 5);
	spc_series_from_sorted(p, 5, &s);
	/* ordered: 10 12 11 15 13; MR = 2 1 4 2, MR-bar = 9/4 = 2.25; mean = 61/5 = 12.2 */
	tap_near(s.mean, 12.2, 1e-14, "mean 12.2");
	/* deviations -2.2 -0.2 -1.2 2.8 0.8: squares 4.84 0.04 1.44 7.84 0.64 = 14.8 */
	tap_near(s.m2, 14.8, 1e-13, "M2 14.8");
	tap_near(s.sum_mr, 9.0, 0, "sum of moving ranges 9");
	tap_ok(s.n_mr == 4 && s.first_t == 1 && s.last_t == 5 && s.first_x == 10 && s.last_x == 13,
		   "first/last points and MR count");
	spc_imr_limits(&s, &l);
	/* sigma = 2.25 / (2/sqrt(pi)) = 2.25 * 0.886226925452758 = 1.99401058226871 */
	tap_near(l.sigma, 2.25 * sqrt(M_PI) / 2.0, 1e-14, "sigma = MR-bar/d2(2)");
	tap_near(l.ucl, 12.2 + 3 * 2.25 * sqrt(M_PI) / 2.0, 1e-13, "UCL = mean + 2.660 MR-bar");
	tap_near(l.disp_ucl, 2.25 * (1 + 3 * sqrt(2 - 4 / M_PI) / (2 / sqrt(M_PI))), 1e-13, "MR UCL = D4(2) MR-bar");
	tap_near(l.disp_lcl, 0.0, 0, "MR LCL = 0");
}

/* splitting a series anywhere and appending gives the whole */
static void
test_series_append(void)
{
	size_t		n = 1000;
	SpcPair    *p = malloc(n * sizeof(SpcPair));
	SpcSeries	whole,
				parts[3],
				acc = {0};
	int			ok = 1;

	for (size_t i = 0; i < n; i++)
	{
		p[i].t = (int64_t) i * 10;
		p[i].x = 50.0 + (double) (next_u64() % 10000) / 1000.0;
	}
	spc_series_from_sorted(p, n, &whole);
	spc_series_from_sorted(p + 600, 400, &parts[0]);
	spc_series_from_sorted(p, 1, &parts[1]);
	spc_series_from_sorted(p + 1, 599, &parts[2]);
	tap_ok(spc_series_sort_check(parts, 3) == 0 && parts[0].first_t == 0 && parts[2].first_t == 6000,
		   "series sort by first t, no overlap");
	for (int i = 0; i < 3; i++)
		spc_series_append(&acc, &parts[i]);
	tap_ok(acc.n == whole.n && acc.n_mr == whole.n_mr && acc.first_t == whole.first_t &&
		   acc.last_t == whole.last_t && acc.last_x == whole.last_x, "appended counts and ends equal the whole");
	tap_near(acc.mean, whole.mean, 1e-12 * whole.mean, "appended mean");
	tap_near(acc.m2, whole.m2, 1e-12 * whole.m2, "appended M2");
	tap_near(acc.sum_mr, whole.sum_mr, 1e-12 * whole.sum_mr, "appended sum of |MR| includes the boundaries");
	parts[0].last_t = 10;		/* [0, 10] now overlaps [10, 5990] */
	ok = spc_series_sort_check(parts, 3) == 1;
	tap_ok(ok, "overlapping ranges are reported");
	free(p);
}

/* long-double reference for subgroup estimators */
static void
test_subgroups(void)
{
	/* three subgroups of unequal size */
	static const double data[3][6] = {{1, 2, 3, 4, 0, 0}, {2, 4, 6, 0, 0, 0}, {3, 3, 6, 7, 9, 1}};
	static const int sizes[3] = {4, 3, 6};
	SpcMoments	g[3] = {{0}};
	long double rbar = 0,
				sn = 0,
				sd = 0,
				pooled = 0,
				tot = 0,
				sumx = 0;
	int			df = 0;
	double		shift = 2.0;
	SpcLimits	l;

	for (int i = 0; i < 3; i++)
	{
		long double m = 0,
					ss = 0,
					mn = 1e9,
					mx = -1e9,
					s,
					c4 = spc_c4(sizes[i]);

		for (int j = 0; j < sizes[i]; j++)
		{
			spc_moments_add(&g[i], data[i][j], data[i][j] - shift);
			m += data[i][j];
			mn = data[i][j] < mn ? data[i][j] : mn;
			mx = data[i][j] > mx ? data[i][j] : mx;
		}
		sumx += m;
		tot += sizes[i];
		m /= sizes[i];
		for (int j = 0; j < sizes[i]; j++)
			ss += (data[i][j] - m) * (data[i][j] - m);
		s = sqrtl(ss / (sizes[i] - 1));
		rbar += (mx - mn) / spc_d2(sizes[i]);
		sn += c4 * c4 / (1 - c4 * c4) * s / c4;
		sd += c4 * c4 / (1 - c4 * c4);
		pooled += ss;
		df += sizes[i] - 1;
	}
	tap_near(spc_sigma_within(g, 3, SPC_WITHIN_RBAR), (double) (rbar / 3), 1e-14, "R-bar: mean of R_i/d2(n_i)");
	tap_near(spc_sigma_within(g, 3, SPC_WITHIN_SBAR), (double) (sn / sd), 1e-14, "S-bar: weighted s_i/c4(n_i)");
	tap_near(spc_sigma_within(g, 3, SPC_WITHIN_POOLED), (double) (sqrtl(pooled / df) / spc_c4(df + 1)), 1e-14,
			 "pooled sd / c4(df + 1)");
	spc_xbar_limits(g, 3, shift, SPC_WITHIN_RBAR, &l);
	tap_near(l.center, (double) (sumx / tot), 1e-14, "grand mean weights subgroups by size");
	tap_near(l.avg_sample_size, 13.0 / 3.0, 1e-15, "mean subgroup size");
	tap_near(l.ucl - l.center, 3 * (double) (rbar / 3) / sqrt(13.0 / 3.0), 1e-13, "limits at the mean size");
	tap_ok(l.n_points == 3 && l.n_values == 13, "counts");
}

/* equal sizes reduce to the textbook constants */
static void
test_xbar_equal(void)
{
	SpcMoments	g[4] = {{0}};
	static const double d[4][5] = {{74.030, 74.002, 74.019, 73.992, 74.008},
	{73.995, 73.992, 74.001, 74.011, 74.004},
	{73.988, 74.024, 74.021, 74.005, 74.002},
	{74.002, 73.996, 73.993, 74.015, 74.009}};
	double		rbar = 0,
				sbar = 0,
				xbb = 0;
	SpcConstants c;
	SpcLimits	r,
				s;

	spc_constants(5, &c);
	for (int i = 0; i < 4; i++)
	{
		double		mn = 1e9,
					mx = -1e9,
					m = 0,
					ss = 0;

		for (int j = 0; j < 5; j++)
		{
			spc_moments_add(&g[i], d[i][j], d[i][j] - 74.030);
			mn = fmin(mn, d[i][j]);
			mx = fmax(mx, d[i][j]);
			m += d[i][j] / 5;
		}
		for (int j = 0; j < 5; j++)
			ss += (d[i][j] - m) * (d[i][j] - m);
		rbar += (mx - mn) / 4;
		sbar += sqrt(ss / 4) / 4;
		xbb += m / 4;
	}
	spc_xbar_limits(g, 4, 74.030, SPC_WITHIN_RBAR, &r);
	spc_xbar_limits(g, 4, 74.030, SPC_WITHIN_SBAR, &s);
	tap_near(r.center, xbb, 1e-12, "X-bar-bar");
	tap_near(r.ucl, xbb + c.A2 * rbar, 1e-12, "UCL = X-bar-bar + A2 R-bar");
	tap_near(r.lcl, xbb - c.A2 * rbar, 1e-12, "LCL = X-bar-bar - A2 R-bar");
	tap_near(r.disp_center, rbar, 1e-15, "R-bar");
	tap_near(r.disp_ucl, c.D4 * rbar, 1e-15, "R UCL = D4 R-bar");
	tap_near(s.ucl, xbb + c.A3 * sbar, 1e-12, "UCL = X-bar-bar + A3 S-bar");
	tap_near(s.disp_center, sbar, 1e-15, "S-bar");
	tap_near(s.disp_ucl, c.B4 * sbar, 1e-15, "S UCL = B4 S-bar");
	tap_near(s.sigma, sbar / c.c4, 1e-15, "sigma = S-bar / c4");
}

static void
test_capability(void)
{
	SpcSpec		spec = {1, 1, 1, 9.0, 15.0, 12.0};
	SpcCapability c;

	/* n = 5, mean 12.2, M2 14.8: s = sqrt(3.7); sigma within 2 */
	spc_capability(5, 12.2, 14.8, 2.0, &spec, &c);
	tap_near(c.cp, 6.0 / 12.0, 1e-15, "Cp = (USL - LSL) / 6 sigma");
	tap_near(c.cpu, 2.8 / 6.0, 1e-15, "Cpu");
	tap_near(c.cpl, 3.2 / 6.0, 1e-15, "Cpl");
	tap_near(c.cpk, 2.8 / 6.0, 1e-15, "Cpk = min");
	tap_near(c.pp, 6.0 / (6 * sqrt(3.7)), 1e-15, "Pp");
	tap_near(c.ppk, 2.8 / (3 * sqrt(3.7)), 1e-15, "Ppk");
	/* tau^2 = (14.8 + 5 * 0.04) / 4 = 3.75; Cpm = min(3, 3) / (3 tau) */
	tap_near(c.cpm, 3.0 / (3 * sqrt(3.75)), 1e-15, "Cpm (Chan, Cheng, Spiring)");
	spec.has_lsl = 0;
	spc_capability(5, 12.2, 14.8, 2.0, &spec, &c);
	tap_ok(isnan(c.cp) && isnan(c.pp) && isnan(c.cpl), "upper spec only: Cp, Pp, Cpl NULL");
	tap_near(c.cpk, 2.8 / 6.0, 1e-15, "upper spec only: Cpk = Cpu");
	tap_near(c.cpm, 3.0 / (3 * sqrt(3.75)), 1e-15, "upper spec only: Cpm = (USL - T) / 3 tau");
	spec.has_lsl = 1;
	spc_capability(5, 12.0, 0.0, 0.0, &spec, &c);
	tap_ok(isinf(c.cp) && c.cp > 0 && isinf(c.cpk) && c.cpk > 0 && isinf(c.ppk), "zero variation inside spec: +Infinity");
	spc_capability(5, 15.0, 0.0, 0.0, &spec, &c);
	tap_ok(isnan(c.cpu) && isnan(c.cpk) && isinf(c.cpl), "zero variation on a limit: that index NULL");
	spc_capability(5, 16.0, 0.0, 0.0, &spec, &c);
	tap_ok(isinf(c.cpu) && c.cpu < 0 && c.cpk < 0, "zero variation outside: -Infinity");
}

static void
test_quantiles(void)
{
	/* chi-square upper-tail points, e.g. Montgomery Appendix III / NIST handbook 1.3.6.7.4 */
	static const struct
	{
		double		df,
					p,
					x;
	}			chi[] = {
		{1, 0.95, 3.841}, {2, 0.95, 5.991}, {5, 0.99, 15.086}, {10, 0.95, 18.307},
		{10, 0.05, 3.940}, {19, 0.025, 8.907}, {19, 0.975, 32.852}, {20, 0.95, 31.410},
		{20, 0.05, 10.851}, {24, 0.975, 39.364}, {24, 0.025, 12.401}, {29, 0.975, 45.722},
		{29, 0.025, 16.047}, {30, 0.95, 43.773}, {100, 0.95, 124.342}, {100, 0.05, 77.929},
	};

	for (size_t i = 0; i < sizeof chi / sizeof chi[0]; i++)
	{
		char		name[80];

		snprintf(name, sizeof name, "chi-square %.3f quantile, df %g = %.3f", chi[i].p, chi[i].df, chi[i].x);
		tap_near(spc_chisq_quantile(chi[i].p, chi[i].df), chi[i].x, 0.0005, name);
	}
	tap_near(spc_chisq_quantile(0.005, 1), 0.0000393, 0.00000005, "chi-square 0.005 quantile, df 1 = 0.0000393");
	/* df = 2 is exponential: x = -2 ln(1 - p) */
	tap_near(spc_chisq_quantile(0.3, 2), -2 * log(0.7), 1e-14, "df 2 closed form, p = 0.3");
	tap_near(spc_chisq_quantile(1e-10, 2), -2 * log1p(-1e-10), 1e-22, "df 2 closed form, p = 1e-10");
	tap_near(spc_chisq_quantile(1 - 1e-12, 2), 2 * 12 * log(10.0), 1e-3, "df 2 closed form, far upper tail");
	/* round trip through P at several df */
	{
		int			ok = 1;

		for (double df = 0.5; df < 2000; df *= 1.7)
			for (double p = 0.001; p < 1; p += 0.0937)
			{
				double		x = spc_chisq_quantile(p, df);

				if (fabs(spc_gamma_p(df / 2, x / 2) - p) > 1e-12)
				{
					ok = 0;
					printf("# df %g p %g x %g P %.17g\n", df, p, x, spc_gamma_p(df / 2, x / 2));
				}
			}
		tap_ok(ok, "P(quantile(p)) = p to 1e-12 for df 0.5 .. 2000");
	}
	tap_near(spc_norm_quantile(0.975), 1.959963984540054, 1e-15, "z(0.975) = 1.959963984540054");
	tap_near(spc_norm_quantile(0.5), 0.0, 1e-16, "z(0.5) = 0");
	tap_near(spc_norm_quantile(0.05), -1.644853626951472, 4e-15, "z(0.05) = -1.644853626951472");
	tap_near(spc_norm_quantile(1e-10), -6.361340902404056, 1e-12, "z(1e-10) = -6.361340902404056");
}

static void
test_confidence(void)
{
	double		lo,
				hi;

	/*
	 * Montgomery (6th ed.) Example 8.4: n = 20, Cp-hat = 2.29; 95%:
	 * 2.29 sqrt(8.91/19) <= Cp <= 2.29 sqrt(32.85/19): 1.57 <= Cp <= 3.01.
	 */
	spc_cp_confidence(2.29, 20, 0.95, &lo, &hi);
	tap_near(lo, 1.57, 0.005, "Cp 95% lower limit 1.57 (Montgomery Example 8.4)");
	tap_near(hi, 3.01, 0.005, "Cp 95% upper limit 3.01");
	/*
	 * Bissell, n = 20, Cpk-hat = 1.33, 95%: 1.33 -+ 1.96 sqrt(1/180 + 1.7689/38)
	 * = 1.33 -+ 1.96 * 0.228254 = 0.8826 .. 1.7774 (hand arithmetic)
	 */
	spc_cpk_confidence(1.33, 20, 0.95, &lo, &hi);
	tap_near(lo, 1.33 - 1.959963984540054 * sqrt(1.0 / 180 + 1.7689 / 38), 1e-13, "Bissell lower");
	tap_near(lo, 0.8826, 0.00005, "Bissell lower 0.8826");
	tap_near(hi, 1.7774, 0.00005, "Bissell upper 1.7774");
	spc_cp_confidence(1.0, 1, 0.95, &lo, &hi);
	tap_ok(isnan(lo) && isnan(hi), "n < 2 gives no interval");
}

/* 10 million values 1e9 + k/1024 (exact in double): sigma to 1e-9 relative */
static void
test_stability(void)
{
	size_t		n = 10000000;
	SpcPair    *p = malloc(n * sizeof(SpcPair));
	int64_t		sk = 0;
	long double skk = 0,
				mean_k,
				var_ref,
				smr = 0;
	SpcSeries	s;
	double		sigma;

	for (size_t i = 0; i < n; i++)
	{
		int64_t		k = (int64_t) (next_u64() % 2001) - 1000;

		p[i].t = (int64_t) (n - i);	/* reversed: the sort has work to do */
		p[i].x = 1e9 + (double) k / 1024.0;
		sk += k;
	}
	mean_k = (long double) sk / n;
	for (size_t i = 0; i < n; i++)
	{
		long double d = (p[i].x - 1e9) * 1024.0L - mean_k;

		skk += d * d;
		if (i > 0)
			smr += fabsl((long double) (p[i].x - p[i - 1].x));
	}
	var_ref = skk / (n - 1) / (1024.0L * 1024.0L);
	spc_pairs_sort(p, n);
	spc_series_from_sorted(p, n, &s);
	sigma = spc_series_sigma_overall(&s);
	tap_near(sigma / sqrtl(var_ref), 1.0, 1e-9, "10M values 1e9 + noise: sigma overall to 1e-9 relative");
	tap_near(s.mean, (double) (1e9L + mean_k / 1024.0L), 1e-6, "mean to the last bit");
	tap_near(s.sum_mr / (double) smr, 1.0, 1e-12, "sum of moving ranges");

	/* the order-free path: subgroups of 5, each its own moments, merged */
	{
		size_t		k = n / 5;
		SpcMoments *g = calloc(k, sizeof(SpcMoments));
		int64_t		nn;
		double		mean,
					m2;

		for (size_t i = 0; i < n; i++)
			spc_moments_add(&g[i / 5], p[i].x, p[i].x - p[0].x);
		spc_subgroups_overall(g, k, &nn, &mean, &m2);
		tap_near(sqrt(m2 / (nn - 1)) / sqrtl(var_ref), 1.0, 1e-9, "subgroup path: sigma overall to 1e-9 relative");
		/* pairwise (Chan) merge of all subgroups into one */
		{
			SpcMoments	acc = {0};

			for (size_t i = 0; i < k; i++)
				spc_moments_merge(&acc, &g[i]);
			tap_near(sqrt(acc.m2 / (acc.n - 1)) / sqrtl(var_ref), 1.0, 1e-9, "Chan merge: sigma to 1e-9 relative");
		}
		free(g);
	}
	free(p);
}

/*
 * A constant subgroup split in two states kept under different shifts (as
 * two parallel workers keep it): moving one mean to the other's shift
 * rounds, and the merge must still give no spread at all.
 */
static void
test_merge_constant(void)
{
	const double x = 0.7 * 421 / 3;	/* 98.2333..., not a binary fraction */
	const double shift_a = 0.7 * 17 / 3,
				shift_b = 0.7 * 999 / 3;
	SpcMoments	a = {0},
				b = {0};

	for (int i = 0; i < 100; i++)
	{
		spc_moments_add(&a, x, x - shift_a);
		spc_moments_add(&b, x, x - shift_b);
	}
	tap_ok(a.m2 == 0.0 && b.m2 == 0.0, "constant values: M2 exactly 0 on each side");
	b.mean += shift_b - shift_a;	/* b's mean moved to a's shift */
	tap_ok(b.mean != a.mean, "moving the mean to the other shift rounds (the case is not vacuous)");
	spc_moments_merge(&a, &b);
	tap_ok(a.m2 == 0.0 && a.n == 200, "merging two constant halves of one value: M2 exactly 0");
	tap_ok(a.mean + shift_a == x, "and the mean is the value");
}

int
main(void)
{
	test_sort();
	test_imr_hand();
	test_series_append();
	test_subgroups();
	test_xbar_equal();
	test_merge_constant();
	test_capability();
	test_quantiles();
	test_confidence();
	test_stability();
	return tap_done();
}
