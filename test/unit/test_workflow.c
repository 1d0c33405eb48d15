/*
 * Unit tests of src/workflow/wf_core.c: transition lookup, next states,
 * gate verdicts, row-key composition (record_out quoting) and the
 * canonical encoding the audit hashes are computed over.
 */
#include "workflow/wf_core.h"
#include "tap.h"

#include <string.h>

static const WfState states[] = {
	{"draft", true, false, NULL, 0, NULL},
	{"open", true, false, "opened_at", 0, NULL},
	{"containment", false, false, "contained_at", 0, NULL},
	{"closed", false, true, "closed_at", 0, NULL},
	{"cancelled", false, true, NULL, 0, NULL},
};
static const char *const cols_open[] = {"description", "quantity"};
static const WfTransition trans[] = {
	{0, 1, 2, cols_open, "qe_inspector", 0},
	{0, 4, 0, NULL, NULL, 0},
	{1, 2, 0, NULL, "qe_inspector", 0},
	{1, 4, 0, NULL, "qe_engineer", 0},
	{2, 3, 0, NULL, NULL, 42},
};
static const WfDef def = {.name = "ncr", .audit = true, .nstates = 5, .states = states,
.ntransitions = 5, .transitions = trans};

int
main(void)
{
	int			next[8];
	char		buf[64];
	size_t		n;

	(void) tap_near;			/* shared helper, unused here */

	/* states and transitions */
	tap_ok(wf_state_index(&def, "open", 4) == 1, "state lookup by name");
	tap_ok(wf_state_index(&def, "openx", 4) == 1, "state lookup uses the given length only");
	tap_ok(wf_state_index(&def, "ope", 3) == -1, "a prefix of a state is not a state");
	tap_ok(wf_state_index(&def, "OPEN", 4) == -1, "state names are case-sensitive");
	tap_ok(wf_state_index(&def, "", 0) == -1, "the empty string is not a state");
	tap_ok(wf_find_transition(&def, 0, 1) == 0, "draft -> open exists");
	tap_ok(wf_find_transition(&def, 0, 2) == -1, "draft -> containment does not (no skipping)");
	tap_ok(wf_find_transition(&def, 1, 0) == -1, "transitions are directed: open -> draft does not exist");
	tap_ok(wf_find_transition(&def, 3, 1) == -1, "nothing leaves closed unless defined");
	tap_ok(wf_find_transition(&def, 2, 3) == 4 && def.transitions[4].check_fn == 42,
		   "containment -> closed carries its check function");
	tap_ok(wf_creation_gate(&def, 1) == 0, "a row created as open passes the draft -> open gate");
	tap_ok(wf_creation_gate(&def, 0) == -1, "a row created as draft has no gate (no initial state leads to draft)");
	tap_ok(wf_creation_gate(&def, 2) == -1, "containment is no initial state: no creation gate");
	tap_ok(wf_creation_gate(&def, -1) == -1 && wf_creation_gate(&def, 5) == -1, "out-of-range states: none");

	n = (size_t) wf_next_states(&def, 1, next, 8);
	tap_ok(n == 2 && next[0] == 2 && next[1] == 4, "next states of open: containment, cancelled");
	n = (size_t) wf_next_states(&def, -1, next, 8);
	tap_ok(n == 2 && next[0] == 0 && next[1] == 1, "initial states: draft, open");
	n = (size_t) wf_next_states(&def, 3, next, 8);
	tap_ok(n == 0, "a terminal state without transitions has no next state");
	n = (size_t) wf_next_states(&def, 0, next, 1);
	tap_ok(n == 2 && next[0] == 1, "next states: the count is returned even when out is too small");

	/* verdicts */
	tap_ok(wf_verdict(true, 0, true, true) == WF_ALLOWED, "everything present: allowed");
	tap_ok(wf_verdict(false, 0, true, true) == WF_NOT_A_TRANSITION, "no transition: refused whatever the gate");
	tap_ok(wf_verdict(true, 2, true, true) == WF_GATE_FAILED, "missing columns: gate failed (23514)");
	tap_ok(wf_verdict(true, 0, true, false) == WF_GATE_FAILED, "check function said no: gate failed");
	tap_ok(wf_verdict(true, 1, false, false) == WF_ROLE_MISSING, "missing role outranks missing data (42501)");

	/* row keys */
	{
		const char *one[] = {"42"};
		const char *two[] = {"1000", "QN-1"};
		const char *odd[] = {"a,b", "say \"hi\"", NULL, ""};
		const char *nul[] = {NULL};

		n = wf_compose_key(one, 1, buf, sizeof buf);
		tap_ok(n == 2 && strcmp(buf, "42") == 0, "one key column: its text");
		n = wf_compose_key(two, 2, buf, sizeof buf);
		tap_ok(strcmp(buf, "(1000,QN-1)") == 0 && n == 11, "two key columns: a record literal");
		wf_compose_key(odd, 4, buf, sizeof buf);
		tap_ok(strcmp(buf, "(\"a,b\",\"say \"\"hi\"\"\",,\"\")") == 0,
			   "record_out quoting: commas and quotes quoted, NULL empty, empty string \"\"");
		wf_compose_key(nul, 1, buf, sizeof buf);
		tap_ok(strcmp(buf, "NULL") == 0, "a NULL single key reads NULL");
		n = wf_compose_key(two, 2, buf, 5);
		tap_ok(n == 11 && strcmp(buf, "(100") == 0, "truncates like snprintf and reports the full length");
		tap_ok(wf_compose_key(two, 2, NULL, 0) == 11, "NULL buffer: length only");
	}

	/* canonical encoding */
	{
		const char *a[] = {"ab", "c"};
		const char *b[] = {"a", "bc"};
		const char *c[] = {NULL, "c"};
		const char *d[] = {"", "c"};
		size_t		la[] = {2, 1},
					lb[] = {1, 2},
					lc[] = {0, 1},
					ld[] = {0, 1};
		unsigned char ea[32],
					eb[32],
					ec[32],
					ed[32];
		size_t		na = wf_encode_fields(a, la, 2, ea, sizeof ea);
		size_t		nb = wf_encode_fields(b, lb, 2, eb, sizeof eb);
		size_t		nc = wf_encode_fields(c, lc, 2, ec, sizeof ec);
		size_t		nd = wf_encode_fields(d, ld, 2, ed, sizeof ed);
		static const unsigned char want[] = {0x01, 0, 0, 0, 2, 0x01, 0, 0, 0, 2, 'a', 'b', 0x01, 0, 0, 0, 1, 'c'};

		tap_ok(na == sizeof want && memcmp(ea, want, na) == 0, "encoding of (ab, c) byte by byte");
		tap_ok(na == nb && memcmp(ea, eb, na) != 0, "(ab, c) and (a, bc) encode differently");
		tap_ok(nc != nd || memcmp(ec, ed, nc) != 0, "NULL and the empty string encode differently");
		tap_ok(nc == 1 + 4 + 1 + 1 + 4 + 1, "a NULL field takes one byte");
		tap_ok(wf_encode_fields(a, la, 2, NULL, 0) == na, "NULL buffer: length only");
		tap_ok(wf_encode_fields(a, la, 2, ea, 3) == na, "too small a buffer: length only, nothing written");
		tap_ok(wf_encode_fields(a, la, 0, ea, sizeof ea) == 5, "no fields: version byte and count");
	}
	return tap_done();
}
