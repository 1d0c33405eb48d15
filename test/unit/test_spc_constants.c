/*
 * Unit tests of src/spc/spc_constants.c against the published table
 * (test/data/spc_constants_table.csv) and closed forms.
 */
#include "spc/spc_constants.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* unit of the last printed digit of a table cell like "0.7979" or "0" */
static double
printed_unit(const char *cell)
{
	const char *dot = strchr(cell, '.');
	size_t		decimals = dot ? strlen(dot + 1) : 3;	/* "0" cells: a 3-decimal column */

	return pow(10.0, -(double) decimals);
}

int
main(void)
{
	FILE	   *f = fopen("test/data/spc_constants_table.csv", "r");
	char		line[512];
	int			rows = 0;

	tap_ok(f != NULL, "published table test/data/spc_constants_table.csv opens");
	if (!f)
		return tap_done();
	if (!fgets(line, sizeof line, f))
		return tap_done();			/* header */
	while (fgets(line, sizeof line, f))
	{
		static const char *names[] = {"n", "A2", "A3", "c4", "B3", "B4", "d2", "d3", "D3", "D4"};
		char	   *cells[10];
		char	   *save = NULL;
		char	   *tok = strtok_r(line, ",\n", &save);
		int			k = 0;
		SpcConstants c;

		while (tok && k < 10)
		{
			cells[k++] = tok;
			tok = strtok_r(NULL, ",\n", &save);
		}
		if (k != 10)
			continue;
		rows++;
		tap_ok(spc_constants(atol(cells[0]), &c) == 0, "n=%s computes", cells[0]);
		for (int j = 1; j < 10; j++)
		{
			double		want = atof(cells[j]);
			double		unit = printed_unit(cells[j]);
			double		got;
			/* primaries to half a unit; table-derived factors to one unit */
			int			primary = (strcmp(names[j], "d2") == 0 || strcmp(names[j], "d3") == 0 ||
								   strcmp(names[j], "c4") == 0);
			double		tol = primary ? 0.5 * unit : unit;
			char		name[64];

			switch (j)
			{
				case 1: got = c.A2; break;
				case 2: got = c.A3; break;
				case 3: got = c.c4; break;
				case 4: got = c.B3; break;
				case 5: got = c.B4; break;
				case 6: got = c.d2; break;
				case 7: got = c.d3; break;
				case 8: got = c.D3; break;
				default: got = c.D4; break;
			}
			snprintf(name, sizeof name, "%s(n=%s) = %s to the table's precision", names[j], cells[0], cells[j]);
			tap_near(got, want, tol + 1e-12, name);
		}
	}
	fclose(f);
	tap_ok(rows == 24, "table has the 24 rows n = 2..25 (read %d)", rows);

	/* closed forms */
	tap_near(spc_d2(2), 2.0 / sqrt(M_PI), 1e-15, "d2(2) = 2/sqrt(pi)");
	tap_near(spc_d2(3), 3.0 / sqrt(M_PI), 1e-15, "d2(3) = 3/sqrt(pi)");
	tap_near(spc_d3(2), sqrt(2.0 - 4.0 / M_PI), 1e-15, "d3(2) = sqrt(2 - 4/pi)");
	tap_near(spc_c4(2), sqrt(2.0 / M_PI), 1e-15, "c4(2) = sqrt(2/pi)");
	/* the quadrature reproduces the closed forms it does not use */
	{
		SpcConstants c;

		spc_constants(4, &c);
		tap_near(c.E2, 3.0 / c.d2, 1e-15, "E2 = 3/d2");
	}
	/* known high-precision values (Harter 1960 tables of the range): d2(10) = 3.0775, d2(100) = 5.0152 */
	tap_near(spc_d2(10), 3.0775, 0.00005, "d2(10) = 3.0775 (Harter)");
	tap_near(spc_d2(100), 5.0152, 0.00005, "d2(100) = 5.0152 (Harter)");
	/* large n stays finite and ordered: the range grows, its sd shrinks, c4 -> 1 */
	{
		SpcConstants a,
					b;

		tap_ok(spc_constants(1000, &a) == 0 && spc_constants(1000000, &b) == 0, "n = 1e3 and 1e6 compute");
		tap_ok(b.d2 > a.d2 && b.d3 < a.d3 && b.c4 > a.c4 && b.c4 < 1.0, "d2 grows, d3 shrinks, c4 -> 1 from below");
		/* c4 ~ 1 - 1/(4n) - 7/(32n^2) */
		tap_near(b.c4, 1.0 - 0.25e-6 - 7.0 / 32.0 * 1e-12, 1e-15, "c4(1e6) matches its asymptotic series");
	}
	tap_ok(spc_constants(1, NULL) == -1, "n = 1 is refused");
	{
		SpcConstants c;

		tap_ok(spc_constants(1, &c) == -1 && spc_constants(0, &c) == -1 && spc_constants(-5, &c) == -1,
			   "n < 2 is refused");
		tap_ok(spc_constants(SPC_MAX_N + 1, &c) == -1, "n above SPC_MAX_N is refused");
	}
	return tap_done();
}
