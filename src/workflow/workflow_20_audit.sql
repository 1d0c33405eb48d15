-- Audit trail (hash-chained, append-only) and electronic signatures.
--
-- Every accepted transition (and every new row) of a table under
-- qe.enforce_workflow, and every qe.sign(), appends one record to
-- qe.audit_trail.  Each record's hash is sha256 over the canonical encoding
-- of its content and the hash of the previous record of its *stream*: the
-- records one backend (session) appends, in order (stream, seq = 1, 2, ...).
-- A backend knows the head of its own stream, so an append reads nothing and
-- waits for no one, and no two writers can extend the same record.  Editing,
-- deleting or inserting a record anywhere but at the end of its stream breaks
-- the chain, which qe.verify_audit_trail() reports; qe.audit_trail_anchor()
-- digests every stream's last link, to keep outside the database against
-- removal of the newest records.  The tables refuse UPDATE, DELETE and
-- TRUNCATE from everyone but a superuser, and INSERT from anything but the
-- engine (qe.append_only_guard).

CREATE TABLE @extschema@.audit_trail (
    id                bigserial PRIMARY KEY,
    at                timestamptz NOT NULL,
    table_name        text COLLATE "C" NOT NULL,
    row_key           text COLLATE "C" NOT NULL,
    stream            bigint NOT NULL,
    seq               integer NOT NULL CHECK (seq >= 1),
    workflow          text,
    event             text NOT NULL CHECK (event IN ('create', 'transition', 'signature')),
    from_state        text,
    to_state          text,
    session_user_name text NOT NULL,
    current_user_name text NOT NULL,
    reason            text,
    signature_id      bigint,
    prev_hash         bytea,
    hash              bytea NOT NULL
);
COMMENT ON TABLE @extschema@.audit_trail IS
  'Append-only, hash-chained audit trail of workflow transitions and electronic signatures: who (session_user, current_user), when, from, to, why (quality_escape.reason); chained per stream (the records of one session, by seq)';
-- A record's history: byte-wise ("C") keys, which are identities, not words,
-- and the cheapest comparison on the hot path.  The only secondary index: the
-- engine reads no index to append, and the streams need none (one writer each).
CREATE INDEX audit_trail_record_idx ON @extschema@.audit_trail (table_name, row_key, id);
CREATE SEQUENCE @extschema@.audit_stream_seq;
COMMENT ON SEQUENCE @extschema@.audit_stream_seq IS
  'Numbers the audit streams: a backend takes one at its first audit append (and after a rollback that cut its stream)';

CREATE TABLE @extschema@.signature (
    id                bigserial PRIMARY KEY,
    signed_at         timestamptz NOT NULL,
    table_name        text NOT NULL,
    row_key           text NOT NULL,
    meaning           text NOT NULL CHECK (meaning IN ('authored', 'reviewed', 'approved')),
    signer            text NOT NULL,
    session_user_name text NOT NULL,
    signed_as         text NOT NULL,
    reason            text,
    hash              bytea NOT NULL,
    UNIQUE (table_name, row_key, meaning, signed_as, signer)
);
COMMENT ON TABLE @extschema@.signature IS
  'Electronic signatures (21 CFR Part 11 style): signer, meaning, time, the role signed as, bound to one record by a hash over id, record, meaning, signer, role and time; immutable';

CREATE FUNCTION @extschema@.append_only_guard()
RETURNS trigger
AS 'MODULE_PATHNAME', 'qe_wf_append_only_guard'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.append_only_guard() IS
  'Trigger: the audit trail and signatures accept rows only from the engine and refuse UPDATE, DELETE and TRUNCATE (superusers excepted)';

CREATE TRIGGER audit_trail_append_only BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.audit_trail
    FOR EACH ROW EXECUTE FUNCTION @extschema@.append_only_guard();
CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON @extschema@.audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.append_only_guard();
CREATE TRIGGER signature_append_only BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.signature
    FOR EACH ROW EXECUTE FUNCTION @extschema@.append_only_guard();
CREATE TRIGGER signature_no_truncate BEFORE TRUNCATE ON @extschema@.signature
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.append_only_guard();

CREATE FUNCTION @extschema@.audit_hash(
    prev_hash bytea, id bigint, at timestamptz, table_name text, row_key text,
    workflow text, event text, from_state text, to_state text,
    session_user_name text, current_user_name text, reason text, signature_id bigint)
RETURNS bytea
AS 'MODULE_PATHNAME', 'qe_wf_audit_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.audit_hash(bytea, bigint, timestamptz, text, text, text, text, text, text, text, text, text, bigint) IS
  'sha256 of the canonical encoding (version byte, field count, per field NULL marker or 4-byte length + bytes; bigint in decimal, timestamptz as microseconds since 2000-01-01 UTC) of an audit record and its predecessor''s hash';

CREATE FUNCTION @extschema@.signature_hash(
    id bigint, table_name text, row_key text, meaning text, signer text, signed_as text, signed_at timestamptz,
    session_user_name text, reason text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'qe_wf_signature_hash'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.signature_hash(bigint, text, text, text, text, text, timestamptz, text, text) IS
  'sha256 binding a signature to its record: id, table, row key, meaning, signer, role signed as, time, session user and reason, canonically encoded';

CREATE FUNCTION @extschema@.sign(record regclass, row_key text, meaning text, signed_as name, reason text DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'qe_wf_sign'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.sign(regclass, text, text, name, text) IS
  'Electronic signature by current_user (a role that can log in, not called from a SECURITY DEFINER function: a person) on one record (table + row key) with a meaning (authored, reviewed, approved), as a member of role signed_as; appends an audit record; returns the signature id';

CREATE FUNCTION @extschema@.signature_is_valid(s @extschema@.signature)
RETURNS boolean LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.hash = @extschema@.signature_hash(s.id, s.table_name, s.row_key, s.meaning,
                                                s.signer, s.signed_as, s.signed_at,
                                                s.session_user_name, s.reason)
$$;
COMMENT ON FUNCTION @extschema@.signature_is_valid(@extschema@.signature) IS
  'True when the signature''s stored hash still matches its content (it was not altered or moved to another record)';

-- Walk every stream's chain; report the lowest id whose link or hash is wrong.
CREATE FUNCTION @extschema@.verify_audit_trail(
    OUT ok boolean, OUT records bigint, OUT first_broken_id bigint, OUT problem text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r @extschema@.audit_trail%ROWTYPE;
    prev bytea;
    prev_seq integer;
    cur_stream bigint;
    why text;
BEGIN
    ok := true;
    records := 0;
    FOR r IN SELECT * FROM @extschema@.audit_trail ORDER BY stream, seq LOOP
        records := records + 1;
        IF r.stream IS DISTINCT FROM cur_stream THEN
            cur_stream := r.stream;
            prev := NULL;
            prev_seq := 0;
        END IF;
        why := NULL;
        IF r.seq <> prev_seq + 1 THEN
            why := CASE WHEN r.seq = prev_seq
                        THEN 'two records hold the same place in their stream (a record was inserted)'
                        ELSE 'records are missing before this one in its stream (a record was removed)' END;
        ELSIF r.prev_hash IS DISTINCT FROM prev THEN
            why := 'prev_hash does not match the hash of the previous record of the stream (a record was removed, inserted or altered)';
        ELSIF r.hash IS DISTINCT FROM @extschema@.audit_hash(r.prev_hash, r.id, r.at, r.table_name, r.row_key,
                r.workflow, r.event, r.from_state, r.to_state, r.session_user_name,
                r.current_user_name, r.reason, r.signature_id) THEN
            why := 'the record''s content does not match its hash (it was altered)';
        END IF;
        IF why IS NOT NULL AND (first_broken_id IS NULL OR r.id < first_broken_id) THEN
            ok := false;
            first_broken_id := r.id;
            problem := why;
        END IF;
        prev := r.hash;
        prev_seq := r.seq;
    END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@.verify_audit_trail() IS
  'Recomputes every stream''s hash chain in qe.audit_trail; ok, number of records, and the broken link with the lowest id and what is wrong';

-- The last links, to export and keep elsewhere: removing the newest records
-- of a stream leaves a valid shorter chain, which only an external anchor reveals.
CREATE FUNCTION @extschema@.audit_trail_anchor(OUT records bigint, OUT chains bigint, OUT digest bytea)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (SELECT count(*) FROM @extschema@.audit_trail),
           count(*),
           sha256(convert_to(coalesce(string_agg(stream::text || chr(31) || seq::text || chr(31) || encode(hash, 'hex'),
                                                 chr(30) ORDER BY stream), ''), 'UTF8'))
      FROM (SELECT DISTINCT ON (stream) stream, seq, hash
              FROM @extschema@.audit_trail ORDER BY stream, seq DESC) last
$$;
COMMENT ON FUNCTION @extschema@.audit_trail_anchor() IS
  'Number of audit records and of streams (chains), and a sha256 digest of every stream''s newest link: record it outside the database to detect later removal of the newest records';

-- The audit trail and signatures hold user data: dump all of them.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.audit_trail', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.audit_trail_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.audit_stream_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.signature', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.signature_id_seq', '');

-- The engine writes audit records directly (heap, index and sequences), so
-- users need no privilege on qe.audit_trail or its sequences; qe.sign() inserts the
-- signature with the signer's rights (the guard admits only its own rows).
-- Reading the trail is for qe_viewer and up (30_roles).
GRANT INSERT ON @extschema@.signature TO PUBLIC;
GRANT SELECT (id) ON @extschema@.signature TO PUBLIC;   -- RETURNING id
GRANT USAGE ON SEQUENCE @extschema@.signature_id_seq TO PUBLIC;
