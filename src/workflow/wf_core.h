/*
 * wf_core.h: the pure decision logic of the workflow engine (no postgres.h).
 *
 * - a compiled workflow definition (states, transitions) and its lookups;
 * - the gate verdict: which failure decides the SQLSTATE;
 * - the row key text of one or more key columns;
 * - the canonical byte encoding that the audit-trail and signature hashes
 *   are computed over (length-prefixed, so no two field lists collide).
 *
 * The glue (wf_trigger_pg.c) fills these structures from the definition
 * tables and allocates their memory; nothing here allocates.
 */
#ifndef WF_CORE_H
#define WF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct WfState
{
	const char *name;
	bool		initial;
	bool		terminal;
	const char *stamp_column;	/* column set to now() on entry, or NULL */
	int			nfrozen;		/* columns that may not change while in this state */
	const char *const *frozen;
} WfState;

typedef struct WfTransition
{
	int			from;			/* index into states */
	int			to;
	int			ncolumns;		/* required non-null columns */
	const char *const *columns;
	const char *role;			/* required role, or NULL */
	unsigned int check_fn;		/* regprocedure OID, 0 if none */
} WfTransition;

typedef struct WfDef
{
	const char *name;
	bool		audit;			/* write audit records (qe.workflow.audit) */
	int			nstates;
	const WfState *states;
	int			ntransitions;
	const WfTransition *transitions;
} WfDef;

/* index of the state whose name is the len bytes at s, or -1 */
extern int	wf_state_index(const WfDef *def, const char *s, size_t len);

/* index of the transition from -> to, or -1 */
extern int	wf_find_transition(const WfDef *def, int from, int to);

/*
 * The gate a row created straight into initial state `to` must pass: that of
 * a transition into it from another initial state (NCR: created as "open",
 * it passes draft -> open's gate, or inserting skips what raising a draft
 * requires).  Its index, or -1 when no such transition exists.
 */
extern int	wf_creation_gate(const WfDef *def, int to);

/*
 * The states reachable from `from` (from < 0: the initial states), in
 * definition order, written to out[0..max-1]; returns how many there are
 * (which may exceed max: the caller sizes out to def->nstates).
 */
extern int	wf_next_states(const WfDef *def, int from, int *out, int max);

/* What a gate evaluation found, and the verdict */
typedef enum WfVerdict
{
	WF_ALLOWED = 0,
	WF_NOT_A_TRANSITION,		/* no such transition / not an initial state */
	WF_ROLE_MISSING,			/* the role gate failed (42501) */
	WF_GATE_FAILED				/* columns or check function failed (23514) */
} WfVerdict;

extern WfVerdict wf_verdict(bool transition_exists, int missing_columns,
							bool role_ok, bool check_ok);

/*
 * Row key text of nkeys key values (NULL pointer = SQL NULL).  One key: the
 * value itself (NULL: the empty string is never produced, "NULL" is).  Several:
 * a record literal such as (A-1,"x,y") with record_out's quoting rules.
 * Returns the length needed (excluding the terminating NUL); writes at most
 * cap bytes including the NUL, like snprintf.
 */
extern size_t wf_compose_key(const char *const *vals, int nkeys, char *buf, size_t cap);

/*
 * Canonical encoding of a list of fields for hashing: a version byte 0x01,
 * the field count (4 bytes big-endian), then per field 0x00 for NULL or
 * 0x01 + 4-byte big-endian length + the bytes.  Returns the encoded length;
 * writes only when buf is non-NULL and cap is large enough (else nothing).
 */
extern size_t wf_encode_fields(const char *const *vals, const size_t *lens,
							   int nfields, unsigned char *buf, size_t cap);

#endif
