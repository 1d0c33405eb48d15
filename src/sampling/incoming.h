/*
 * incoming.h: incoming inspection level by points (seed §5.1) and skip-lot
 * qualification, frequencies and reversion (seed §5.3).  Pure C.
 */
#ifndef QE_SMP_INCOMING_H
#define QE_SMP_INCOMING_H

#include <stdbool.h>
#include <stddef.h>

/* supplier status */
enum
{
	SMP_SUP_NEW = 0, SMP_SUP_PROBATION, SMP_SUP_QUALIFIED, SMP_SUP_PREFERRED, SMP_NSUPPLIER
};
#define SMP_SUPPLIER_LIST "new (fewer than 5 lots received), probation (also watch), qualified, preferred"

enum
{
	SMP_CRIT_SAFETY = 0, SMP_CRIT_KEY, SMP_CRIT_STANDARD, SMP_CRIT_COSMETIC, SMP_NCRIT
};
#define SMP_CRITICALITY_LIST "safety-critical (also safety), key (fit/function), standard, cosmetic"

enum
{
	SMP_REG_FDA = 0, SMP_REG_AEROSPACE, SMP_REG_AUTOMOTIVE, SMP_REG_ISO9001, SMP_NREG
};
#define SMP_REGULATORY_LIST "fda (also medical), aerospace (also nadcap), automotive, iso9001"

extern int	smp_parse_supplier(const char *s, size_t len);
extern int	smp_parse_criticality(const char *s, size_t len);
extern int	smp_parse_regulatory(const char *s, size_t len);

typedef struct SmpPoints
{
	int			supplier;
	int			criticality;
	int			regulatory;
	int			history;
	int			total;
	int			level;			/* 0 reduced/skip-lot, 1 normal, 2 tightened, 3 100 % */
} SmpPoints;

extern const char *const smp_level_band_names[4];	/* "reduced/skip-lot", "normal", "tightened", "100%" */
extern const char *const smp_level_band_aql[4];		/* NULL, "II", "III", NULL */
extern const char *const smp_level_band_approach[4];

/*
 * Score per seed §5.1.  ppm is needed (>= 0) for qualified and preferred
 * suppliers; pass a negative value when unknown.  Returns 0, or -1 when ppm
 * is needed and missing / invalid, -2 for an argument out of range.
 */
extern int	smp_inspection_points(int supplier, double ppm, int criticality, int regulatory,
								  bool ncr, bool complaint, bool scar, SmpPoints *out);

/* skip-lot */
#define SMP_SKIP_NCRITERIA 6
extern const char *const smp_skip_criteria[SMP_SKIP_NCRITERIA];

/* inputs of the six criteria; an unknown (SQL NULL) input fails its criterion */
typedef struct SmpSkipInput
{
	int			supplier;		/* -1 unknown */
	long long	consecutive_accepted;	/* -1 unknown */
	double		supplier_cpk;	/* NaN unknown */
	double		incoming_cpk;	/* NaN unknown */
	long long	open_scars;		/* -1 unknown */
	int			qms_certified;	/* -1 unknown, 0, 1 */
	int			written_agreement;	/* -1 unknown, 0, 1 */
} SmpSkipInput;

/* met[k] for each criterion; returns true when all six are met */
extern bool smp_skip_lot_check(const SmpSkipInput *in, bool met[SMP_SKIP_NCRITERIA]);

enum
{
	SMP_SKIP1 = 0, SMP_SKIP2, SMP_SKIP3, SMP_SKIP_COC, SMP_NSKIP
};
#define SMP_SKIP_LEVEL_LIST "skip-lot 1, skip-lot 2, skip-lot 3, coc (CoC reliance); also 1, 2, 3"
extern const char *const smp_skip_level_names[SMP_NSKIP];
extern const int smp_skip_every[SMP_NSKIP];	/* 2, 3, 5, 0 (CoC: no lot inspection) */
extern const char *const smp_skip_frequency[SMP_NSKIP];
extern const char *const smp_skip_trigger[SMP_NSKIP];
extern int	smp_parse_skip_level(const char *s, size_t len);

enum
{
	SMP_EV_LOT_REJECTION = 0, SMP_EV_CPK_BELOW, SMP_EV_CPK_CONCERN, SMP_EV_QMS_CHANGE,
	SMP_EV_NCR, SMP_EV_COMPLAINT, SMP_EV_AUDIT, SMP_NEVENTS
};
#define SMP_EVENT_LIST "lot rejection, cpk below 1.33, cpk concern, quality system change, ncr, customer complaint, audit finding"
extern const char *const smp_event_names[SMP_NEVENTS];
extern int	smp_parse_event(const char *s, size_t len);

/* does the event revert the given skip-lot level to normal inspection? */
extern bool smp_skip_lot_reverts(int level, int event);

#endif
