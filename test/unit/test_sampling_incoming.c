/*
 * Unit tests of src/sampling/incoming.c against the tables of seed §5.1 and
 * §5.3 (every factor row, every band edge, every criterion, every level).
 */
#include "sampling/incoming.h"
#include "tap.h"

#include <string.h>

#define S(x) (x), strlen(x)

static SmpPoints
pts(int sup, double ppm, int crit, int reg, bool ncr, bool cc, bool scar)
{
	SmpPoints	p;

	memset(&p, 0, sizeof p);
	p.total = -100;
	smp_inspection_points(sup, ppm, crit, reg, ncr, cc, scar, &p);
	return p;
}

int
main(void)
{
	SmpPoints	p;

	/* supplier history rows */
	tap_ok(pts(SMP_SUP_NEW, -1, SMP_CRIT_COSMETIC, SMP_REG_ISO9001, 0, 0, 0).supplier == 5, "new supplier: 5");
	tap_ok(pts(SMP_SUP_PROBATION, -1, SMP_CRIT_COSMETIC, SMP_REG_ISO9001, 0, 0, 0).supplier == 5, "probation/watch: 5");
	tap_ok(pts(SMP_SUP_QUALIFIED, 3000, 3, 3, 0, 0, 0).supplier == 3, "qualified PPM 3000 (1,000-5,000): 3");
	tap_ok(pts(SMP_SUP_QUALIFIED, 1000, 3, 3, 0, 0, 0).supplier == 3, "qualified PPM 1000 (shared edge, worse band): 3");
	tap_ok(pts(SMP_SUP_QUALIFIED, 5000, 3, 3, 0, 0, 0).supplier == 3, "qualified PPM 5000: 3");
	tap_ok(pts(SMP_SUP_QUALIFIED, 5000.5, 3, 3, 0, 0, 0).supplier == 5, "qualified above 5000 PPM: 5 (as probation)");
	tap_ok(pts(SMP_SUP_QUALIFIED, 999.9, 3, 3, 0, 0, 0).supplier == 2, "qualified PPM 999.9 (500-1,000): 2");
	tap_ok(pts(SMP_SUP_QUALIFIED, 500, 3, 3, 0, 0, 0).supplier == 2, "qualified PPM 500 (shared edge, worse band): 2");
	tap_ok(pts(SMP_SUP_QUALIFIED, 499, 3, 3, 0, 0, 0).supplier == 1, "qualified PPM < 500: 1");
	tap_ok(pts(SMP_SUP_PREFERRED, 99, 3, 3, 0, 0, 0).supplier == 0, "preferred PPM < 100: 0");
	tap_ok(pts(SMP_SUP_PREFERRED, 100, 3, 3, 0, 0, 0).supplier == 1, "preferred at PPM 100: qualified band, 1");
	tap_ok(smp_inspection_points(SMP_SUP_QUALIFIED, -1, 0, 0, 0, 0, 0, &p) == -1, "qualified without PPM refused");
	tap_ok(smp_inspection_points(SMP_SUP_PREFERRED, NAN, 0, 0, 0, 0, 0, &p) == -1, "NaN PPM refused");
	tap_ok(smp_inspection_points(9, 0, 0, 0, 0, 0, 0, &p) == -2, "unknown supplier status refused");
	/* criticality, regulatory */
	tap_ok(pts(0, -1, SMP_CRIT_SAFETY, 0, 0, 0, 0).criticality == 5 && pts(0, -1, SMP_CRIT_KEY, 0, 0, 0, 0).criticality == 3 &&
		   pts(0, -1, SMP_CRIT_STANDARD, 0, 0, 0, 0).criticality == 1 && pts(0, -1, SMP_CRIT_COSMETIC, 0, 0, 0, 0).criticality == 0,
		   "criticality: safety 5, key 3, standard 1, cosmetic 0");
	tap_ok(pts(0, -1, 0, SMP_REG_FDA, 0, 0, 0).regulatory == 5 && pts(0, -1, 0, SMP_REG_AEROSPACE, 0, 0, 0).regulatory == 4 &&
		   pts(0, -1, 0, SMP_REG_AUTOMOTIVE, 0, 0, 0).regulatory == 3 && pts(0, -1, 0, SMP_REG_ISO9001, 0, 0, 0).regulatory == 1,
		   "regulatory: FDA 5, aerospace/NADCAP 4, automotive 3, ISO 9001 1");
	tap_ok(pts(0, -1, 0, 0, 1, 0, 0).history == 3 && pts(0, -1, 0, 0, 0, 1, 0).history == 4 &&
		   pts(0, -1, 0, 0, 0, 0, 1).history == 3 && pts(0, -1, 0, 0, 1, 1, 1).history == 10 &&
		   pts(0, -1, 0, 0, 0, 0, 0).history == 0, "history: NCR +3, complaint +4, SCAR +3, additive; none 0");
	/* bands 0-3, 4-7, 8-11, 12+ */
	p = pts(SMP_SUP_PREFERRED, 50, SMP_CRIT_STANDARD, SMP_REG_ISO9001, 0, 0, 0);
	tap_ok(p.total == 2 && p.level == 0, "0 + 1 + 1 = 2: reduced/skip-lot");
	p = pts(SMP_SUP_QUALIFIED, 600, SMP_CRIT_COSMETIC, SMP_REG_ISO9001, 0, 0, 0);
	tap_ok(p.total == 3 && p.level == 0, "2 + 0 + 1 = 3: reduced/skip-lot (top of 0-3)");
	p = pts(SMP_SUP_QUALIFIED, 3000, SMP_CRIT_COSMETIC, SMP_REG_ISO9001, 0, 0, 0);
	tap_ok(p.total == 4 && p.level == 1, "3 + 0 + 1 = 4: normal (bottom of 4-7)");
	p = pts(SMP_SUP_QUALIFIED, 3000, SMP_CRIT_KEY, SMP_REG_ISO9001, 0, 0, 0);
	tap_ok(p.total == 7 && p.level == 1 && strcmp(smp_level_band_aql[p.level], "II") == 0, "3 + 3 + 1 = 7: normal, level II");
	p = pts(SMP_SUP_QUALIFIED, 3000, SMP_CRIT_KEY, SMP_REG_AUTOMOTIVE, 0, 0, 0);
	tap_ok(p.total == 9 && p.level == 2, "3 + 3 + 3 = 9: tightened");
	p = pts(SMP_SUP_NEW, -1, SMP_CRIT_STANDARD, SMP_REG_ISO9001, 1, 0, 0);
	tap_ok(p.total == 10 && p.level == 2, "5 + 1 + 1 + 3 = 10: tightened");
	p = pts(SMP_SUP_NEW, -1, SMP_CRIT_KEY, SMP_REG_AUTOMOTIVE, 0, 0, 0);
	tap_ok(p.total == 11 && p.level == 2 && strcmp(smp_level_band_aql[p.level], "III") == 0, "5 + 3 + 3 = 11: tightened, level III");
	p = pts(SMP_SUP_NEW, -1, SMP_CRIT_KEY, SMP_REG_AEROSPACE, 0, 0, 0);
	tap_ok(p.total == 12 && p.level == 3, "5 + 3 + 4 = 12: 100 %");
	p = pts(SMP_SUP_NEW, -1, SMP_CRIT_SAFETY, SMP_REG_FDA, 1, 1, 1);
	tap_ok(p.total == 25 && p.level == 3, "maximum 25: 100 %");
	tap_ok(smp_parse_supplier(S("Watch")) == SMP_SUP_PROBATION && smp_parse_criticality(S("safety-critical")) == SMP_CRIT_SAFETY &&
		   smp_parse_regulatory(S("NADCAP")) == SMP_REG_AEROSPACE && smp_parse_regulatory(S("none")) == -1, "names");

	/* skip-lot qualification */
	{
		SmpSkipInput ok = {SMP_SUP_QUALIFIED, 10, 1.33, 1.40, 0, 1, 1};
		bool		met[SMP_SKIP_NCRITERIA];

		tap_ok(smp_skip_lot_check(&ok, met), "all six criteria met (Cpk exactly 1.33, 10 lots): qualified");
		for (int k = 0; k < SMP_SKIP_NCRITERIA; k++)
		{
			SmpSkipInput in = ok;
			bool		all;
			int			nmet = 0;

			switch (k)
			{
				case 0:
					in.supplier = SMP_SUP_NEW;
					break;
				case 1:
					in.consecutive_accepted = 9;
					break;
				case 2:
					in.incoming_cpk = 1.32;
					break;
				case 3:
					in.open_scars = 1;
					break;
				case 4:
					in.qms_certified = -1;
					break;
				case 5:
					in.written_agreement = 0;
					break;
			}
			all = smp_skip_lot_check(&in, met);
			for (int j = 0; j < SMP_SKIP_NCRITERIA; j++)
				nmet += met[j];
			tap_ok(!all && !met[k] && nmet == 5, "criterion %s alone not met: not qualified", smp_skip_criteria[k]);
		}
		ok.supplier_cpk = NAN;
		tap_ok(!smp_skip_lot_check(&ok, met) && !met[2], "unknown supplier Cpk fails criterion 3");
	}
	/* frequencies */
	tap_ok(smp_skip_every[SMP_SKIP1] == 2 && smp_skip_every[SMP_SKIP2] == 3 && smp_skip_every[SMP_SKIP3] == 5 &&
		   smp_skip_every[SMP_SKIP_COC] == 0, "skip-lot 1/2/3: every 2nd/3rd/5th lot; CoC: none");
	tap_ok(smp_parse_skip_level(S("Skip-Lot 2")) == SMP_SKIP2 && smp_parse_skip_level(S("coc")) == SMP_SKIP_COC &&
		   smp_parse_skip_level(S("4")) == -1, "level names");
	/* reversion */
	tap_ok(smp_skip_lot_reverts(SMP_SKIP1, SMP_EV_LOT_REJECTION) && !smp_skip_lot_reverts(SMP_SKIP1, SMP_EV_CPK_BELOW),
		   "skip-lot 1: 1 lot rejection reverts, Cpk below 1.33 does not");
	tap_ok(smp_skip_lot_reverts(SMP_SKIP2, SMP_EV_LOT_REJECTION) && smp_skip_lot_reverts(SMP_SKIP2, SMP_EV_CPK_BELOW) &&
		   !smp_skip_lot_reverts(SMP_SKIP2, SMP_EV_QMS_CHANGE), "skip-lot 2: lot rejection or Cpk below 1.33");
	tap_ok(smp_skip_lot_reverts(SMP_SKIP3, SMP_EV_CPK_CONCERN) && smp_skip_lot_reverts(SMP_SKIP3, SMP_EV_QMS_CHANGE) &&
		   smp_skip_lot_reverts(SMP_SKIP3, SMP_EV_CPK_BELOW) && !smp_skip_lot_reverts(SMP_SKIP3, SMP_EV_AUDIT),
		   "skip-lot 3: lot rejection, Cpk concern, quality system change");
	tap_ok(smp_skip_lot_reverts(SMP_SKIP_COC, SMP_EV_NCR) && smp_skip_lot_reverts(SMP_SKIP_COC, SMP_EV_COMPLAINT) &&
		   smp_skip_lot_reverts(SMP_SKIP_COC, SMP_EV_AUDIT) && !smp_skip_lot_reverts(SMP_SKIP_COC, SMP_EV_QMS_CHANGE),
		   "CoC reliance: any NCR, customer complaint or audit finding");
	tap_ok(!smp_skip_lot_reverts(7, 0) && !smp_skip_lot_reverts(0, 9), "out-of-range level / event: false");
	tap_near(smp_skip_every[SMP_SKIP3], 5, 0, "skip-lot 3 inspects every 5th lot");
	return tap_done();
}
