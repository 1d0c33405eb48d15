/*
 * wf_core.c: pure decision logic of the workflow engine; see wf_core.h.
 */
#include "workflow/wf_core.h"

#include <string.h>

int
wf_state_index(const WfDef *def, const char *s, size_t len)
{
	for (int i = 0; i < def->nstates; i++)
	{
		const char *n = def->states[i].name;

		if (strlen(n) == len && memcmp(n, s, len) == 0)
			return i;
	}
	return -1;
}

int
wf_find_transition(const WfDef *def, int from, int to)
{
	for (int i = 0; i < def->ntransitions; i++)
		if (def->transitions[i].from == from && def->transitions[i].to == to)
			return i;
	return -1;
}

int
wf_creation_gate(const WfDef *def, int to)
{
	if (to < 0 || to >= def->nstates || !def->states[to].initial)
		return -1;
	for (int f = 0; f < def->nstates; f++)
		if (f != to && def->states[f].initial)
		{
			int			x = wf_find_transition(def, f, to);

			if (x >= 0)
				return x;
		}
	return -1;
}

int
wf_next_states(const WfDef *def, int from, int *out, int max)
{
	int			n = 0;

	if (from < 0)
	{
		for (int i = 0; i < def->nstates; i++)
			if (def->states[i].initial)
			{
				if (n < max)
					out[n] = i;
				n++;
			}
		return n;
	}
	for (int i = 0; i < def->ntransitions; i++)
		if (def->transitions[i].from == from)
		{
			if (n < max)
				out[n] = def->transitions[i].to;
			n++;
		}
	return n;
}

WfVerdict
wf_verdict(bool transition_exists, int missing_columns, bool role_ok, bool check_ok)
{
	if (!transition_exists)
		return WF_NOT_A_TRANSITION;
	if (!role_ok)
		return WF_ROLE_MISSING;	/* a privilege failure outranks missing data */
	if (missing_columns > 0 || !check_ok)
		return WF_GATE_FAILED;
	return WF_ALLOWED;
}

/* record_out quotes a field that is empty or holds one of these */
static bool
needs_quotes(const char *v)
{
	if (*v == '\0')
		return true;
	for (const char *p = v; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '(' || *p == ')' || *p == ',' ||
			*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
			return true;
	return false;
}

/* append one byte, counting what would have been written */
static inline void
put(char *buf, size_t cap, size_t *pos, char c)
{
	if (*pos + 1 < cap)
		buf[*pos] = c;
	(*pos)++;
}

size_t
wf_compose_key(const char *const *vals, int nkeys, char *buf, size_t cap)
{
	size_t		pos = 0;

	if (nkeys == 1)
	{
		const char *v = vals[0] ? vals[0] : "NULL";

		for (const char *p = v; *p; p++)
			put(buf, cap, &pos, *p);
	}
	else
	{
		put(buf, cap, &pos, '(');
		for (int k = 0; k < nkeys; k++)
		{
			const char *v = vals[k];

			if (k > 0)
				put(buf, cap, &pos, ',');
			if (v == NULL)
				continue;		/* record_out: NULL is nothing between commas */
			if (needs_quotes(v))
			{
				put(buf, cap, &pos, '"');
				for (const char *p = v; *p; p++)
				{
					if (*p == '"' || *p == '\\')
						put(buf, cap, &pos, *p);
					put(buf, cap, &pos, *p);
				}
				put(buf, cap, &pos, '"');
			}
			else
				for (const char *p = v; *p; p++)
					put(buf, cap, &pos, *p);
		}
		put(buf, cap, &pos, ')');
	}
	if (cap > 0)
		buf[pos < cap ? pos : cap - 1] = '\0';
	return pos;
}

static inline void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

size_t
wf_encode_fields(const char *const *vals, const size_t *lens, int nfields,
				 unsigned char *buf, size_t cap)
{
	size_t		need = 1 + 4;

	for (int i = 0; i < nfields; i++)
		need += vals[i] ? 1 + 4 + lens[i] : 1;
	if (buf == NULL || cap < need)
		return need;

	{
		unsigned char *p = buf;

		*p++ = 0x01;
		put_be32(p, (uint32_t) nfields);
		p += 4;
		for (int i = 0; i < nfields; i++)
		{
			if (vals[i] == NULL)
			{
				*p++ = 0x00;
				continue;
			}
			*p++ = 0x01;
			put_be32(p, (uint32_t) lens[i]);
			p += 4;
			if (lens[i] > 0)
				memcpy(p, vals[i], lens[i]);
			p += lens[i];
		}
	}
	return need;
}
