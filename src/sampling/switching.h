/*
 * switching.h: the Z1.4 / MIL-STD-105E / ISO 2859-1 switching rules as a
 * state machine over a supplier's lot results on original inspection.
 *
 * Pure C.  One SmpSwitchState per supplier / part (and class of
 * nonconformity); smp_switch_step() feeds it one lot, in order of receipt.
 */
#ifndef QE_SMP_SWITCHING_H
#define QE_SMP_SWITCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum SmpSeverity
{
	SMP_SEV_NORMAL = 0,
	SMP_SEV_TIGHTENED = 1,
	SMP_SEV_REDUCED = 2,
	SMP_SEV_DISCONTINUED = 3
} SmpSeverity;

#define SMP_NSEVERITIES 4
extern const char *const smp_severity_names[SMP_NSEVERITIES];

typedef enum SmpRules
{
	SMP_RULES_Z14 = 0,			/* MIL-STD-105E / ANSI/ASQ Z1.4-2003: 10 lots accepted */
	SMP_RULES_ISO = 1			/* ISO 2859-1:1999+: switching score >= 30 */
} SmpRules;

#define SMP_NRULES 2
extern const char *const smp_rules_names[SMP_NRULES];
#define SMP_RULES_LIST "z1.4 (MIL-STD-105E, ANSI/ASQ Z1.4; also 105e, z14), iso2859-1 (ISO 2859-1:1999 and later; also iso)"

/* parse "z1.4" / "z14" / "105e" / "iso2859-1" / "iso 2859-1" / "iso"; -1 if unknown */
extern int	smp_parse_rules(const char *s, size_t len);

/* Why the severity changed (the standard's wording is smp_switch_reason_names[]) */
typedef enum SmpSwitchReason
{
	SMP_SW_NONE = 0,
	SMP_SW_NORMAL_TO_TIGHTENED,
	SMP_SW_TIGHTENED_TO_NORMAL,
	SMP_SW_TIGHTENED_TO_DISCONTINUED,
	SMP_SW_NORMAL_TO_REDUCED,
	SMP_SW_NORMAL_TO_REDUCED_SCORE,
	SMP_SW_REDUCED_TO_NORMAL_NOT_ACCEPTED,
	SMP_SW_REDUCED_TO_NORMAL_GAP,
	SMP_SW_REDUCED_TO_NORMAL_IRREGULAR,
	SMP_SW_REDUCED_TO_NORMAL_AUTHORITY,
	SMP_SW_DISCONTINUED_TO_TIGHTENED
} SmpSwitchReason;

#define SMP_NREASONS 11
extern const char *const smp_switch_reason_names[SMP_NREASONS];

/* The default count of lots not accepted on tightened that discontinues
 * inspection: 5, as in MIL-STD-105E §4.8, Z1.4-2003 §8.4 and ISO 2859-1
 * (the seed's 10 is the Z1.4-1993 / 105D wording). */
#define SMP_DEFAULT_DISCONTINUE_AFTER 5

/* the standard's fixed counts */
#define SMP_TIGHTEN_WINDOW 5		/* 2 not accepted in 5 or fewer consecutive lots */
#define SMP_TIGHTEN_REJECTS 2
#define SMP_RELAX_ACCEPTS 5			/* tightened -> normal */
#define SMP_REDUCE_ACCEPTS 10		/* normal -> reduced (Z1.4) */
#define SMP_REDUCE_SCORE 30			/* normal -> reduced (ISO 2859-1) */

typedef struct SmpSwitchState
{
	int64_t		lots;			/* lots counted */
	int64_t		lots_in_severity;	/* lots inspected under the current severity */
	int64_t		last_switch_lot;	/* ordinal of the lot after which it last switched (0: never) */
	int32_t		severity;		/* SmpSeverity in force for the next lot */
	int32_t		last_lot_severity;	/* severity the last lot was inspected under (-1: no lot) */
	int32_t		consecutive_accepted;	/* on the current severity */
	uint32_t	normal_history; /* last lots on normal, newest in bit 0: 1 = not accepted */
	int32_t		normal_history_len;	/* lots on normal since it began, capped at 5 */
	int32_t		not_accepted_on_tightened;	/* since tightened began */
	int32_t		switching_score;	/* ISO 2859-1 (kept under both rules when counts are given) */
	int32_t		last_switch_reason; /* SmpSwitchReason */
} SmpSwitchState;

/* tri-state flags: the value may be unknown (SQL NULL) */
typedef enum SmpFlag
{
	SMP_FLAG_UNKNOWN = -1,
	SMP_FLAG_FALSE = 0,
	SMP_FLAG_TRUE = 1
} SmpFlag;

typedef struct SmpLot
{
	bool		accepted;		/* on original inspection */
	bool		has_count;		/* defects and ac below are known */
	int64_t		defects;		/* nonconforming units / nonconformities found */
	int32_t		ac;				/* acceptance number of the plan used */
	int			production_steady;	/* SmpFlag */
	int			reduced_approved;	/* SmpFlag: responsible authority approves reduced */
	int			rules;			/* SmpRules */
	int32_t		discontinue_after;	/* >= 1 */
} SmpLot;

/* errors of smp_switch_step */
#define SMP_SWERR_ARGS (-1)			/* rules / discontinue_after / defects / ac out of range */
#define SMP_SWERR_NEED_COUNT (-2)	/* ISO rules on normal inspection without defects and Ac */
#define SMP_SWERR_AC_SERIES (-3)	/* ISO rules, Ac >= 2 not in the Z1.4 series */

extern void smp_switch_init(SmpSwitchState *s);

/*
 * Apply one lot, inspected under s->severity.  Returns the SmpSwitchReason
 * of the switch it caused (SMP_SW_NONE if none), or a negative SMP_SWERR_*
 * leaving *s unchanged.
 */
extern int	smp_switch_step(SmpSwitchState *s, const SmpLot *lot);

/*
 * A lot kept for replay by the self-ordering form of the aggregate
 * (qe.inspection_state(received_at, ...)), which may see its lots in any order.
 */
typedef struct SmpLotRec
{
	int64_t		t;				/* sort key (received_at) */
	int64_t		defects;
	int32_t		seq;			/* arrival order: ties keep it */
	int32_t		discontinue_after;
	int32_t		ac;
	uint8_t		flags;			/* bit 0 accepted, 1 has_count, 2-3 steady, 4-5 approved */
	uint8_t		rules;
} SmpLotRec;

extern void smp_lotrec_pack(SmpLotRec *r, int64_t t, int32_t seq, const SmpLot *lot);
extern void smp_lotrec_unpack(const SmpLotRec *r, SmpLot *lot);

/*
 * Sort recs[0..n) by (t, seq) in place and run them through a fresh state.
 * Returns 0, or the first negative SMP_SWERR_* with *failed set to the index
 * (after sorting) of the offending lot.
 */
extern int	smp_switch_replay(SmpLotRec *recs, int64_t n, SmpSwitchState *out, int64_t *failed);

/* number of lots not accepted among the last lots on normal (at most 5) */
extern int	smp_switch_normal_rejects(const SmpSwitchState *s);

#endif
