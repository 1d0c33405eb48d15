/*
 * disposition.h: the non-conformance disposition engine (seed §1, §3.1, §7.3).
 *
 * Pure decision logic, no PostgreSQL headers.  The caller fills a DispFacts
 * (every fact starts unknown) through the disp_set_* functions, which also
 * validate values, then calls disp_evaluate(), which walks seed §1.1's
 * universal flow in order, applies the §7.3 economics where the flow asks an
 * economic question, then the regime rules of §1.2 (FDA 21 CFR 820 /
 * ISO 13485), §1.3 (IATF 16949) or §1.4 (AS9100), the §1.2 authority matrix
 * and the §3.1 CAPA criteria.  The first fact the path needs and does not
 * know stops the walk: the result then carries that fact's key and question
 * and no disposition.
 *
 * All output lives in fixed-size arrays inside DispResult; an overflowing
 * list is truncated and flagged (never written past), which the glue treats
 * as an internal error.
 */
#ifndef QE_DISPOSITION_H
#define QE_DISPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every fact the engine understands.  Keep in step with disp_fact_table. */
typedef enum DispFactId
{
	DF_REGIME = 0,
	DF_DISCOVERED_AT,
	DF_SUSPECTED_COUNTERFEIT,
	DF_COUNTERFEIT_CONFIRMED,
	DF_SPECIAL_CHARACTERISTIC,
	DF_SAFETY_CRITICAL,
	DF_AFFECTS_FORM_FIT_FUNCTION,
	DF_REWORKABLE,
	DF_REWORK_COST,
	DF_REPLACEMENT_COST,
	DF_REINSPECT_COST,
	DF_URGENCY_PREMIUM,
	DF_REPAIRABLE,
	DF_CONTRACT_REQUIRES_CUSTOMER_APPROVAL,
	DF_COSMETIC_ONLY,
	DF_CUSTOMER_COSMETIC_SPEC,
	DF_MEETS_COSMETIC_SPEC,
	DF_CUSTOMER_CONCESSION,
	DF_DIMENSIONAL_WITHIN_MRB_AUTHORITY,
	DF_AFFECTS_ASSEMBLY_OR_PERFORMANCE,
	DF_ENGINEERING_JUSTIFICATION,
	DF_FUNCTIONAL_RISK,
	DF_ACCEPTABLE_RISK,
	DF_USE_AS_IS_COST,
	DF_SORT_OR_REWORK_COST,
	DF_SUPPLIER_CAUSED,
	DF_NEEDED_IMMEDIATELY,
	DF_SORT_COST,
	DF_RETURN_FREIGHT_COST,
	DF_PRODUCTION_DELAY_COST,
	DF_EXPECTED_YIELD,
	DF_LIFECYCLE_PHASE,
	DF_COULD_AFFECT_SAFETY_OR_PERFORMANCE,
	DF_COMPLAINT_RELATED,
	DF_DEATH_OR_SERIOUS_INJURY,
	DF_REMEDIAL_ACTION_REQUIRED,
	DF_SHIPPED_TO_CUSTOMER,
	DF_PROCESS_CHANGE,
	DF_CONTROL_PLAN_GAP,
	DF_CONTROLLED_SHIPPING,
	DF_GOVERNMENT_CONTRACT,
	DF_KEY_CHARACTERISTIC,
	DF_SERIALIZED,
	DF_OCCURRENCES_12M,
	DF_NFACTS
} DispFactId;

/* How a fact is typed in the jsonb input. */
typedef enum DispKind
{
	DK_BOOL,					/* JSON true / false */
	DK_MONEY,					/* JSON number >= 0 (a cost, any currency) */
	DK_FRACTION,				/* JSON number in [0, 1] */
	DK_RATIO,					/* JSON number >= 0 (a factor: 0.25 = 25 %) */
	DK_COUNT,					/* JSON integer >= 1 */
	DK_CHOICE,					/* JSON string from a fixed list */
	DK_TIMESTAMP				/* JSON string, ISO 8601 with an offset */
} DispKind;

/* Values of the choice facts. */
enum
{
	DISP_REGIME_GENERAL = 1, DISP_REGIME_FDA, DISP_REGIME_IATF, DISP_REGIME_AS9100
};
enum
{
	DISP_PHASE_DESIGN = 1, DISP_PHASE_PRODUCTION
};
enum
{
	DISP_CS_NONE = 1, DISP_CS_1, DISP_CS_2
};

typedef struct DispFactDesc
{
	DispFactId	id;
	const char *key;			/* jsonb key */
	DispKind	kind;
	bool		asked;			/* false: optional, never asked for */
	const char *question;		/* the question put when the fact is needed */
	const char *seed;			/* where the seed asks it */
	const char *choices;		/* DK_CHOICE: accepted values, for hints */
} DispFactDesc;

extern const DispFactDesc disp_fact_table[DF_NFACTS];

typedef struct DispValue
{
	bool		known;
	bool		b;				/* DK_BOOL */
	double		num;			/* DK_MONEY, DK_FRACTION, DK_RATIO, DK_COUNT */
	int			choice;			/* DK_CHOICE */
	int64_t		unix_us;		/* DK_TIMESTAMP: microseconds since 1970-01-01 UTC */
} DispValue;

typedef struct DispFacts
{
	DispValue	v[DF_NFACTS];
} DispFacts;

/* Result of a disp_set_* call. */
typedef enum DispSetStatus
{
	DISP_SET_OK = 0,
	DISP_SET_WRONG_KIND,		/* e.g. a number given for a boolean fact */
	DISP_SET_OUT_OF_RANGE,		/* negative cost, yield above 1, count below 1, NaN */
	DISP_SET_NOT_INTEGER,		/* count with a fraction */
	DISP_SET_BAD_CHOICE,		/* text not in the fact's list */
	DISP_SET_BAD_TIMESTAMP		/* not ISO 8601 with an explicit offset */
} DispSetStatus;

extern void disp_facts_init(DispFacts *f);

/* Fact id of a key (exact, case-sensitive), or -1. */
extern int	disp_fact_lookup(const char *key, size_t len);

extern DispSetStatus disp_set_bool(DispFacts *f, DispFactId id, bool b);
extern DispSetStatus disp_set_number(DispFacts *f, DispFactId id, double x);
extern DispSetStatus disp_set_text(DispFacts *f, DispFactId id, const char *s, size_t len);
extern void disp_set_unknown(DispFacts *f, DispFactId id);

/*
 * Parse "YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]](Z|+HH[:MM]|-HH[:MM])" into
 * microseconds since the Unix epoch.  An offset is required so the value is
 * an instant whatever the session TimeZone.  Returns 0 on success.
 */
extern int	disp_parse_iso8601(const char *s, size_t len, int64_t *unix_us);

/* ------------------------------------------------------------------ */

typedef enum DispDisposition
{
	DISP_NONE = 0,
	DISP_SCRAP,
	DISP_REWORK,
	DISP_REPAIR,
	DISP_USE_AS_IS,
	DISP_RETURN_TO_VENDOR,
	DISP_SORT_AND_USE,
	DISP_QUARANTINE
} DispDisposition;

typedef enum DispStatus
{
	DISP_STATUS_DECIDED = 0,
	DISP_STATUS_QUESTION,		/* a needed fact is unknown */
	DISP_STATUS_REASSESS		/* §1.1 tail: fits no category, re-assess */
} DispStatus;

#define DISP_MAX_STEPS	64
#define DISP_MAX_ITEMS	24
#define DISP_MAX_NOTES	8
#define DISP_MAX_ROLES	4
#define DISP_TEXT_LEN	400

typedef struct DispNotification
{
	const char *recipient;
	const char *subject;
	int			within_days;	/* calendar days; 0 with within_hours 0: no fixed deadline */
	int			within_hours;
	bool		has_due;		/* discovered_at known and a deadline exists */
	int64_t		due_unix_us;	/* discovered_at + the deadline, counted in 24 h days */
	const char *basis;			/* the rule, with its seed section */
} DispNotification;

typedef struct DispResult
{
	DispStatus	status;
	DispDisposition disposition;
	int			next_fact;		/* DispFactId when status != DECIDED, else -1 */
	char		question[DISP_TEXT_LEN];	/* REASSESS: the reason; QUESTION: copy of the fact's question */
	const char *authority;
	const char *roles[DISP_MAX_ROLES];
	int			n_roles;
	char		approvals[DISP_MAX_ITEMS][DISP_TEXT_LEN];
	int			n_approvals;
	DispNotification notes[DISP_MAX_NOTES];
	int			n_notes;
	char		actions[DISP_MAX_ITEMS][DISP_TEXT_LEN];
	int			n_actions;
	char		steps[DISP_MAX_STEPS][DISP_TEXT_LEN];
	int			n_steps;
	bool		overflow;		/* a list was full: never expected, glue reports it */
} DispResult;

/* Walk the facts; always fills *r completely. */
extern void disp_evaluate(const DispFacts *f, DispResult *r);

extern const char *disp_disposition_name(DispDisposition d);
extern const char *disp_status_name(DispStatus s);
extern const char *disp_kind_name(DispKind k);

#endif
