/*
 * spc_constants.h: control-chart constants for any subgroup size n >= 2.
 *
 * Pure computation (no PostgreSQL headers).  d2 and d3 are the mean and the
 * standard deviation of the range of n independent standard normal values,
 * computed by numerical integration of the range distribution; c4 is the
 * bias correction of the sample standard deviation, from the gamma function.
 * Every other factor is derived from these three as in the ASTM / Montgomery
 * tables.
 */
#ifndef QE_SPC_CONSTANTS_H
#define QE_SPC_CONSTANTS_H

#include <stdint.h>

typedef struct SpcConstants
{
	int64_t		n;
	double		d2;				/* E[R] / sigma */
	double		d3;				/* sd(R) / sigma */
	double		c4;				/* E[s] / sigma */
	double		A;				/* 3 / sqrt(n) */
	double		A2;				/* 3 / (d2 sqrt(n)): X-bar limits from R-bar */
	double		A3;				/* 3 / (c4 sqrt(n)): X-bar limits from S-bar */
	double		B3;				/* S chart LCL factor on S-bar (>= 0) */
	double		B4;				/* S chart UCL factor on S-bar */
	double		B5;				/* S chart LCL factor on sigma (>= 0) */
	double		B6;				/* S chart UCL factor on sigma */
	double		D1;				/* R chart LCL factor on sigma (>= 0) */
	double		D2;				/* R chart UCL factor on sigma */
	double		D3;				/* R chart LCL factor on R-bar (>= 0) */
	double		D4;				/* R chart UCL factor on R-bar */
	double		E2;				/* 3 / d2: individuals limits from MR-bar (span n) */
} SpcConstants;

/* Largest n accepted: the integration and gamma ratios stay accurate far beyond. */
#define SPC_MAX_N INT64_C(1000000000)

/* Mean of the range of n standard normals (n >= 2). */
extern double spc_d2(int64_t n);

/* Standard deviation of that range (n >= 2). */
extern double spc_d3(int64_t n);

/* E[s]/sigma for a sample of n normals (n >= 2). */
extern double spc_c4(int64_t n);

/*
 * Fill *out for subgroup size n.  Returns 0 on success, -1 when n is outside
 * [2, SPC_MAX_N].  Results are memoised per n for small n (thread-unsafe
 * static cache; the server is single-threaded per backend).
 */
extern int	spc_constants(int64_t n, SpcConstants *out);

#endif
