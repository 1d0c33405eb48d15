/*
 * incoming.c: seed §5.1 (incoming inspection level decision matrix) and
 * §5.3 (skip-lot qualification, frequencies, reversion triggers).
 */
#include "sampling/incoming.h"

#include <math.h>

const char *const smp_level_band_names[4] = {"reduced/skip-lot", "normal", "tightened", "100%"};
const char *const smp_level_band_aql[4] = {NULL, "II", "III", NULL};
const char *const smp_level_band_approach[4] = {
	"CoC review + skip-lot verification (every 3rd or 5th lot)",
	"Standard AQL sampling per ANSI/ASQ Z1.4",
	"Tightened sampling or increased sample size",
	"100% inspection of critical characteristics"
};

typedef struct Word
{
	const char *word;
	int			value;
} Word;

static int
lookup(const char *s, size_t len, const Word *words)
{
	for (; words->word; words++)
	{
		size_t		i;

		for (i = 0; i < len && words->word[i]; i++)
		{
			int			a = (unsigned char) s[i];

			if (a >= 'A' && a <= 'Z')
				a += 'a' - 'A';
			if (a != words->word[i])
				break;
		}
		if (i == len && words->word[i] == '\0')
			return words->value;
	}
	return -1;
}

int
smp_parse_supplier(const char *s, size_t len)
{
	static const Word w[] = {
		{"new", SMP_SUP_NEW}, {"probation", SMP_SUP_PROBATION}, {"watch", SMP_SUP_PROBATION},
		{"qualified", SMP_SUP_QUALIFIED}, {"preferred", SMP_SUP_PREFERRED}, {NULL, 0}
	};

	return lookup(s, len, w);
}

int
smp_parse_criticality(const char *s, size_t len)
{
	static const Word w[] = {
		{"safety-critical", SMP_CRIT_SAFETY}, {"safety", SMP_CRIT_SAFETY}, {"key", SMP_CRIT_KEY},
		{"fit/function", SMP_CRIT_KEY}, {"standard", SMP_CRIT_STANDARD}, {"cosmetic", SMP_CRIT_COSMETIC},
		{NULL, 0}
	};

	return lookup(s, len, w);
}

int
smp_parse_regulatory(const char *s, size_t len)
{
	static const Word w[] = {
		{"fda", SMP_REG_FDA}, {"medical", SMP_REG_FDA}, {"aerospace", SMP_REG_AEROSPACE},
		{"nadcap", SMP_REG_AEROSPACE}, {"automotive", SMP_REG_AUTOMOTIVE}, {"iso9001", SMP_REG_ISO9001},
		{"iso 9001", SMP_REG_ISO9001}, {NULL, 0}
	};

	return lookup(s, len, w);
}

/*
 * Supplier history points.  The seed's PPM bands share their end points
 * (1,000-5,000 and 500-1,000); a shared end point goes to the worse band.
 * A qualified supplier above 5,000 PPM is not in the table: it scores as a
 * supplier on probation / watch (5).  A preferred supplier at 100 PPM or
 * more scores by the qualified bands.
 */
static int
supplier_points(int supplier, double ppm)
{
	switch (supplier)
	{
		case SMP_SUP_NEW:
		case SMP_SUP_PROBATION:
			return 5;
		case SMP_SUP_PREFERRED:
			if (ppm < 100.0)
				return 0;
			/* FALLTHROUGH */
		default:
			if (ppm < 500.0)
				return 1;
			if (ppm < 1000.0)
				return 2;
			if (ppm <= 5000.0)
				return 3;
			return 5;
	}
}

int
smp_inspection_points(int supplier, double ppm, int criticality, int regulatory,
					  bool ncr, bool complaint, bool scar, SmpPoints *out)
{
	static const int crit_pts[SMP_NCRIT] = {5, 3, 1, 0};
	static const int reg_pts[SMP_NREG] = {5, 4, 3, 1};

	if (supplier < 0 || supplier >= SMP_NSUPPLIER || criticality < 0 || criticality >= SMP_NCRIT ||
		regulatory < 0 || regulatory >= SMP_NREG)
		return -2;
	if ((supplier == SMP_SUP_QUALIFIED || supplier == SMP_SUP_PREFERRED) && !(ppm >= 0.0 && isfinite(ppm)))
		return -1;
	out->supplier = supplier_points(supplier, ppm);
	out->criticality = crit_pts[criticality];
	out->regulatory = reg_pts[regulatory];
	out->history = (ncr ? 3 : 0) + (complaint ? 4 : 0) + (scar ? 3 : 0);
	out->total = out->supplier + out->criticality + out->regulatory + out->history;
	out->level = out->total <= 3 ? 0 : out->total <= 7 ? 1 : out->total <= 11 ? 2 : 3;
	return 0;
}

const char *const smp_skip_criteria[SMP_SKIP_NCRITERIA] = {
	"1: on the approved supplier list with preferred or qualified status",
	"2: at least 10 consecutive lots accepted at normal inspection",
	"3: Cpk >= 1.33 for critical characteristics, by supplier data and incoming inspection data",
	"4: no open SCARs against the supplier for this part number",
	"5: certified quality management system (ISO 9001 minimum)",
	"6: written agreement on skip-lot terms, reversion criteria and data submission"
};

bool
smp_skip_lot_check(const SmpSkipInput *in, bool met[SMP_SKIP_NCRITERIA])
{
	bool		all = true;

	met[0] = in->supplier == SMP_SUP_QUALIFIED || in->supplier == SMP_SUP_PREFERRED;
	met[1] = in->consecutive_accepted >= 10;
	met[2] = in->supplier_cpk >= 1.33 && in->incoming_cpk >= 1.33;	/* false for NaN */
	met[3] = in->open_scars == 0;
	met[4] = in->qms_certified == 1;
	met[5] = in->written_agreement == 1;
	for (int k = 0; k < SMP_SKIP_NCRITERIA; k++)
		all = all && met[k];
	return all;
}

const char *const smp_skip_level_names[SMP_NSKIP] = {"skip-lot 1", "skip-lot 2", "skip-lot 3", "coc reliance"};
const int	smp_skip_every[SMP_NSKIP] = {2, 3, 5, 0};
const char *const smp_skip_frequency[SMP_NSKIP] = {
	"every 2nd lot", "every 3rd lot", "every 5th lot",
	"CoC review only; periodic verification (annual or per-lot-change)"
};
const char *const smp_skip_trigger[SMP_NSKIP] = {
	"1 lot rejection",
	"1 lot rejection or supplier Cpk drops below 1.33",
	"1 lot rejection, Cpk concern, or supplier quality system change",
	"any NCR, customer complaint, or audit finding"
};

int
smp_parse_skip_level(const char *s, size_t len)
{
	static const Word w[] = {
		{"skip-lot 1", SMP_SKIP1}, {"skip-lot-1", SMP_SKIP1}, {"1", SMP_SKIP1},
		{"skip-lot 2", SMP_SKIP2}, {"skip-lot-2", SMP_SKIP2}, {"2", SMP_SKIP2},
		{"skip-lot 3", SMP_SKIP3}, {"skip-lot-3", SMP_SKIP3}, {"3", SMP_SKIP3},
		{"coc", SMP_SKIP_COC}, {"coc reliance", SMP_SKIP_COC}, {NULL, 0}
	};

	return lookup(s, len, w);
}

const char *const smp_event_names[SMP_NEVENTS] = {
	"lot rejection", "cpk below 1.33", "cpk concern", "quality system change",
	"ncr", "customer complaint", "audit finding"
};

int
smp_parse_event(const char *s, size_t len)
{
	static const Word w[] = {
		{"lot rejection", SMP_EV_LOT_REJECTION}, {"lot rejected", SMP_EV_LOT_REJECTION},
		{"cpk below 1.33", SMP_EV_CPK_BELOW}, {"cpk concern", SMP_EV_CPK_CONCERN},
		{"quality system change", SMP_EV_QMS_CHANGE}, {"ncr", SMP_EV_NCR},
		{"customer complaint", SMP_EV_COMPLAINT}, {"audit finding", SMP_EV_AUDIT}, {NULL, 0}
	};

	return lookup(s, len, w);
}

/*
 * Seed §5.3 reversion triggers, read literally, with two readings made
 * explicit: at skip-lot 3 a Cpk below 1.33 is a "Cpk concern"; under CoC
 * reliance a rejected verification lot raises an NCR, so it reverts too.
 */
bool
smp_skip_lot_reverts(int level, int event)
{
	static const bool table[SMP_NSKIP][SMP_NEVENTS] = {
		/* lot rej, cpk<1.33, cpk concern, QMS change, NCR, complaint, audit */
		{true, false, false, false, false, false, false},	/* skip-lot 1 */
		{true, true, false, false, false, false, false},	/* skip-lot 2 */
		{true, true, true, true, false, false, false},	/* skip-lot 3 */
		{true, false, false, false, true, true, true}	/* CoC reliance */
	};

	if (level < 0 || level >= SMP_NSKIP || event < 0 || event >= SMP_NEVENTS)
		return false;
	return table[level][event];
}
