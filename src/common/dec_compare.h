/*
 * dec_compare.h: "a < b" for numbers that were written as decimals.
 *
 * Double rounding of a product or a sum can put two equal decimal amounts
 * an ulp or two apart (5 x 0.06 gives 0.3, but 3 x 0.10 gives
 * 0.30000000000000004), so a difference within a few units in the last
 * place counts as equality, as it would in decimal arithmetic.  Numbers are
 * thereby compared to about 15 significant digits, which no cost or
 * capability index is written with.  Pure C: no postgres.h.
 */
#ifndef QE_DEC_COMPARE_H
#define QE_DEC_COMPARE_H

#include <float.h>
#include <math.h>
#include <stdbool.h>

static inline bool
qe_dec_less(double a, double b)
{
	if (isinf(a) || isinf(b))
		return a < b;
	return a < b && (b - a) > 8.0 * DBL_EPSILON * fmax(fabs(a), fabs(b));
}

#endif							/* QE_DEC_COMPARE_H */
