/*
 * tap.h: a minimal TAP producer for the pure-C unit tests (run by prove).
 */
#ifndef QE_TAP_H
#define QE_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

static void
tap_ok(int cond, const char *fmt, ...)
{
	va_list		ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* |got - want| <= tol, with the numbers in the diagnostic on failure */
static void
tap_near(double got, double want, double tol, const char *name)
{
	int			ok = fabs(got - want) <= tol;

	tap_ok(ok, "%s", name);
	if (!ok)
		printf("#   got %.15g, want %.15g (tolerance %g)\n", got, want, tol);
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
