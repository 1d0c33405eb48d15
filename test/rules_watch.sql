-- qe.spc_watch: the real-time signal trigger.
BEGIN;
SELECT plan(41);

CREATE TABLE public.meas_batch (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision);
CREATE TABLE public.meas_rows  (id bigserial PRIMARY KEY, part text, t timestamptz, x numeric);
CREATE TRIGGER watch AFTER INSERT ON public.meas_batch FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
CREATE TRIGGER watch AFTER INSERT ON public.meas_rows FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');

-- two characteristics per table (the row tables use a different name prefix)
INSERT INTO qe.spc_limits (characteristic, center, sigma, config) VALUES
    ('B1', 10, 0.5, qe.rule_set('nelson')), ('B2', 0, 1, qe.rule_set('western_electric')),
    ('R1', 10, 0.5, qe.rule_set('nelson')), ('R2', 0, 1, qe.rule_set('western_electric'));

-- 400 points per characteristic: a cycle of 80 with one planted pattern per
-- test, then in-control noise (z = value in sigma units of the limits)
CREATE TEMP TABLE feed AS
WITH z AS (
    SELECT k, i, i % 80 AS p,
           CASE WHEN i % 80 < 16 THEN (CASE WHEN i % 2 = 0 THEN 0.3 ELSE -0.3 END)   -- alternation, stratification
                WHEN i % 80 < 24 THEN -1.5 + 0.35 * (i % 80 - 16)                     -- trend up
                WHEN i % 80 < 34 THEN 1.5 + 0.05 * (i % 2)                            -- shift: run, zone B, mixture
                WHEN i % 80 = 34 THEN 2.5 WHEN i % 80 = 35 THEN 0.2 WHEN i % 80 = 36 THEN 2.6  -- zone A
                WHEN i % 80 = 37 THEN 3.5                                              -- beyond limits
                WHEN i % 80 < 47 THEN (CASE WHEN i % 2 = 0 THEN 1.5 ELSE -1.5 END)    -- mixture
                ELSE (random() + random() + random() - 1.5) * 1.2
           END AS z
      FROM (SELECT setseed(0.7)) s, generate_series(1, 2) k, generate_series(1, 400) i
)
SELECT k, i, '2024-01-01'::timestamptz + i * interval '1 minute' AS t,
       round((CASE k WHEN 1 THEN 10 + 0.5 * z ELSE z END)::numeric, 3)::float8 AS x
  FROM z;

-- one statement for the batch table
INSERT INTO public.meas_batch (part, t, x) SELECT 'B' || k, t, x FROM feed ORDER BY i, k;

-- row by row for the other table, in the same order
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT * FROM feed ORDER BY i, k LOOP
        INSERT INTO public.meas_rows (part, t, x) VALUES ('R' || r.k, r.t, r.x);
    END LOOP;
END $$;

SELECT cmp_ok((SELECT count(*) FROM qe.spc_signal WHERE table_name = 'public.meas_batch'), '>', 20::bigint,
              'the batch produced signals');
SELECT is((SELECT count(DISTINCT test) FROM qe.spc_signal WHERE characteristic = 'B1'), 8::bigint,
          'all eight tests fire somewhere on B1');

SELECT is(
  (SELECT count(*) FROM (
     (SELECT substr(characteristic, 2), row_ref, test, rule, value, t FROM qe.spc_signal WHERE table_name = 'public.meas_batch'
      EXCEPT ALL
      SELECT substr(characteristic, 2), row_ref, test, rule, value, t FROM qe.spc_signal WHERE table_name = 'public.meas_rows')
     UNION ALL
     (SELECT substr(characteristic, 2), row_ref, test, rule, value, t FROM qe.spc_signal WHERE table_name = 'public.meas_rows'
      EXCEPT ALL
      SELECT substr(characteristic, 2), row_ref, test, rule, value, t FROM qe.spc_signal WHERE table_name = 'public.meas_batch')) d),
  0::bigint, 'one batch INSERT gives exactly the signals of the same rows inserted one by one');

-- the trigger's signals = the window function over the stored rows
SELECT is(
  (SELECT count(*) FROM (
     (SELECT m.id::text, r.name FROM (SELECT id, part, qe.spc_rules(x, 10, 0.5) OVER (ORDER BY id) AS b
                                   FROM public.meas_batch WHERE part = 'B1') m,
             LATERAL unnest(qe.rule_names(m.b)) AS r(name)
      EXCEPT ALL
      SELECT row_ref, rule FROM qe.spc_signal WHERE characteristic = 'B1')
     UNION ALL
     (SELECT row_ref, rule FROM qe.spc_signal WHERE characteristic = 'B1'
      EXCEPT ALL
      SELECT m.id::text, r.name FROM (SELECT id, part, qe.spc_rules(x, 10, 0.5) OVER (ORDER BY id) AS b
                                   FROM public.meas_batch WHERE part = 'B1') m,
             LATERAL unnest(qe.rule_names(m.b)) AS r(name))) d),
  0::bigint, 'signals of B1 = qe.spc_rules over the same rows (Nelson)');

SELECT is(
  (SELECT count(*) FROM qe.spc_signal WHERE characteristic = 'B2' AND test NOT IN (1, 2, 5, 6)),
  0::bigint, 'the Western Electric set only raises tests 1, 2, 5 and 6');

SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = 'B1'), 400::bigint,
          'n_points counts the processed measurements');

-- the same feed through the other paths of the row-level trigger ------------------------
INSERT INTO qe.spc_limits (characteristic, center, sigma, config) VALUES
    ('D1', 10, 0.5, qe.rule_set('nelson')), ('D2', 0, 1, qe.rule_set('western_electric')),
    ('P1', 10, 0.5, qe.rule_set('nelson')), ('P2', 0, 1, qe.rule_set('western_electric'));
CREATE FUNCTION pg_temp.same_signals(a text, b text) RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM (
      (SELECT substr(characteristic, 2), test, rule, value, t FROM qe.spc_signal WHERE table_name = a
       EXCEPT ALL
       SELECT substr(characteristic, 2), test, rule, value, t FROM qe.spc_signal WHERE table_name = b)
      UNION ALL
      (SELECT substr(characteristic, 2), test, rule, value, t FROM qe.spc_signal WHERE table_name = b
       EXCEPT ALL
       SELECT substr(characteristic, 2), test, rule, value, t FROM qe.spc_signal WHERE table_name = a)) d
$$;

-- batching: one write of each characteristic's state per statement
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('U1', 10, 0.5), ('U2', 0, 1);
CREATE TABLE public.meas_upd (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.meas_upd FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO public.meas_upd (part, t, x) VALUES ('U1', now(), 10), ('U2', now(), 0);   -- states created
CREATE TEMP TABLE upd0 AS SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'qe.spc_state'::regclass;
INSERT INTO public.meas_upd (part, t, x) SELECT 'U' || k, t, x FROM feed WHERE i <= 100 ORDER BY i, k;
SELECT is((SELECT n_tup_upd - (SELECT n_tup_upd FROM upd0) FROM pg_stat_xact_user_tables WHERE relid = 'qe.spc_state'::regclass),
          2::bigint, 'a 200-row INSERT into two characteristics writes their states twice in all, not 200 times');

-- a statement that fails after a signal was detected leaves no signal behind, now or later
SELECT throws_ok($$INSERT INTO public.meas_upd (part, t, x) VALUES ('U1', now(), 1000), ('U1', now(), 'NaN')$$, '22003', NULL,
                 'a NaN measurement fails the statement');
INSERT INTO public.meas_upd (part, t, x) VALUES ('U1', now(), 10);
SELECT is((SELECT count(*) FROM qe.spc_signal WHERE table_name = 'public.meas_upd' AND value = 1000), 0::bigint,
          'the failed statement''s detected signal is not written by the next statement either');

-- deferred: the triggers fire outside any statement's end, each row read and written at once
CREATE TABLE public.meas_deferred (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision);
CREATE CONSTRAINT TRIGGER watch AFTER INSERT ON public.meas_deferred DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO public.meas_deferred (part, t, x) SELECT 'D' || k, t, x FROM feed ORDER BY i, k;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is(pg_temp.same_signals('public.meas_batch', 'public.meas_deferred'), 0::bigint,
          'deferred row triggers (batched until commit) give the signals of the statement batched until its end');

-- a statement rolled back to a savepoint leaves the runs as they were
CREATE TABLE public.meas_savepoint (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.meas_savepoint FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO public.meas_savepoint (part, t, x) SELECT 'P' || k, t, x FROM feed WHERE i <= 200 ORDER BY i, k;
SAVEPOINT junk;
INSERT INTO public.meas_savepoint (part, t, x) SELECT 'P' || (1 + g % 2), now(), 1000 FROM generate_series(1, 50) g;
ROLLBACK TO SAVEPOINT junk;
INSERT INTO public.meas_savepoint (part, t, x) SELECT 'P' || k, t, x FROM feed WHERE i > 200 ORDER BY i, k;
SELECT is(pg_temp.same_signals('public.meas_batch', 'public.meas_savepoint'), 0::bigint,
          'measurements rolled back to a savepoint leave no trace in the runs or the signals');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = 'P1'), 400::bigint,
          '... nor in n_points');

-- a nested statement that pushes into the outer statement's runs and is then
-- rolled back: the runs are restored to where they stood (they once failed
-- the outer statement with 55000)
CREATE TABLE public.meas_nested (id bigserial PRIMARY KEY, part text, x double precision);
CREATE FUNCTION public.meas_nested_undo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.x = 1000 THEN
        BEGIN
            INSERT INTO public.meas_nested (part, x) VALUES (NEW.part, 10);
            RAISE EXCEPTION 'undo';
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER a_watch AFTER INSERT ON public.meas_nested FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x');
CREATE TRIGGER b_undo AFTER INSERT ON public.meas_nested FOR EACH ROW EXECUTE FUNCTION public.meas_nested_undo();
CREATE TEMP TABLE nested0 AS SELECT n_points FROM qe.spc_state WHERE characteristic = 'B1';
SELECT lives_ok($$INSERT INTO public.meas_nested (part, x) VALUES ('B1', 1000), ('B1', 10)$$,
                'a rolled-back nested insert into a characteristic the statement is batching: the statement succeeds');
SELECT is((SELECT n_points - (SELECT n_points FROM nested0) FROM qe.spc_state WHERE characteristic = 'B1'), 2::bigint,
          '... and counts its own two points, not the rolled-back one');

-- a characteristic column that is not text: its text form is the key
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('42', 0, 1);
CREATE TABLE public.meas_int (id bigserial PRIMARY KEY, part int, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.meas_int FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
INSERT INTO public.meas_int (part, x) VALUES (42, 0.1), (7, 9), (42, 3.5), (42, -0.2);
SELECT is((SELECT array_agg(row_ref || ':' || test ORDER BY signal_id) FROM qe.spc_signal WHERE table_name = 'public.meas_int'),
          ARRAY[(SELECT id FROM public.meas_int WHERE x = 3.5)::text || ':1'],
          'an integer characteristic column: rows of 42 are watched under limits ''42'', 7 has none');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = '42'), 3::bigint, '... three points of 42 counted');

-- NULLs and unknown characteristics are ignored
SELECT lives_ok($$INSERT INTO public.meas_batch (part, t, x) VALUES ('B1', now(), NULL), (NULL, now(), 99), ('ZZ', now(), 99)$$,
                'NULL value, NULL characteristic, characteristic without limits: accepted');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = 'B1'),
          (SELECT count(*) FROM public.meas_batch WHERE part = 'B1' AND x IS NOT NULL)
            + (SELECT count(*) FROM public.meas_nested WHERE part = 'B1'),
          '... and not counted: n_points = the non-NULL rows of B1 in its two tables');
SELECT is((SELECT count(*) FROM qe.spc_signal WHERE characteristic = 'ZZ' OR value = 99), 0::bigint,
          '... and no signal for them');

-- a limits change restarts the runs
UPDATE qe.spc_limits SET center = 10.1 WHERE characteristic = 'B1';
SELECT is((SELECT state FROM qe.spc_state WHERE characteristic = 'B1'), NULL,
          'changing the centre clears the stored state');
UPDATE qe.spc_limits SET center = center WHERE characteristic = 'B2';
SELECT isnt((SELECT state FROM qe.spc_state WHERE characteristic = 'B2'), NULL,
            'an update that leaves the limits alone keeps the state');

-- row reference by ctid when no key column is named; timestamp (no tz) time column
CREATE TABLE public.meas_ctid (part varchar(10), at timestamp, v real);
CREATE TRIGGER watch AFTER INSERT ON public.meas_ctid FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'v', 'at');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('C', 0, 1);
INSERT INTO public.meas_ctid VALUES ('C', '2024-05-01 12:00', 0.5), ('C', '2024-05-01 13:00', 3.5);
SELECT results_eq($$SELECT row_ref, test, value, t FROM qe.spc_signal WHERE characteristic = 'C'$$,
                  $$VALUES ('(0,2)', 1, 3.5::float8, '2024-05-01 13:00'::timestamp::timestamptz)$$,
                  'ctid row reference, timestamp time column, real value');

-- bad trigger arguments: a clear error at the first row, and the row is not inserted
CREATE TABLE public.meas_bad (part text, t timestamptz, x text);
CREATE TRIGGER watch AFTER INSERT ON public.meas_bad FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'missing');
SELECT throws_ok($$INSERT INTO public.meas_bad VALUES ('C', now(), '1')$$, '42703',
                 'trigger "watch": value column "missing" does not exist in table "meas_bad"',
                 'a missing column is reported at the first row');
DROP TRIGGER watch ON public.meas_bad;
CREATE TRIGGER watch AFTER INSERT ON public.meas_bad FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x');
SELECT throws_ok($$INSERT INTO public.meas_bad VALUES ('C', now(), '1')$$, '42804',
                 'trigger "watch": value column "x" has type text, which is not a number',
                 'a non-numeric value column is reported');
DROP TRIGGER watch ON public.meas_bad;
CREATE TRIGGER watch AFTER INSERT ON public.meas_bad FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part');
SELECT throws_ok($$INSERT INTO public.meas_bad VALUES ('C', now(), '1')$$, '22023', NULL,
                 'a single argument is reported');
DROP TRIGGER watch ON public.meas_bad;
CREATE TRIGGER watch BEFORE INSERT ON public.meas_bad FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x');
SELECT throws_ok($$INSERT INTO public.meas_bad VALUES ('C', now(), '1')$$, '39P01', NULL,
                 'a BEFORE trigger is refused');
SELECT is((SELECT count(*) FROM public.meas_bad), 0::bigint, 'rejected rows were not inserted');

-- signals of two tables that differ (in either direction, as a multiset),
-- characteristics compared without their one-letter table prefix
CREATE FUNCTION pg_temp.signal_diff(a text, b text) RETURNS bigint LANGUAGE sql AS $$
  WITH s AS (SELECT table_name, substr(characteristic, 2) AS c, row_ref, test, rule, value, t FROM qe.spc_signal)
  SELECT (SELECT count(*) FROM (SELECT c, row_ref, test, rule, value, t FROM s WHERE table_name = a
                                EXCEPT ALL SELECT c, row_ref, test, rule, value, t FROM s WHERE table_name = b) x)
       + (SELECT count(*) FROM (SELECT c, row_ref, test, rule, value, t FROM s WHERE table_name = b
                                EXCEPT ALL SELECT c, row_ref, test, rule, value, t FROM s WHERE table_name = a) y)
$$;

-- statement-level form (REFERENCING NEW TABLE): same signals as the row form
CREATE TABLE public.meas_stmt (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.meas_stmt REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma, config) VALUES
    ('S1', 10, 0.5, qe.rule_set('nelson')), ('S2', 0, 1, qe.rule_set('western_electric'));
-- in three statements of different sizes, to cross statement boundaries
INSERT INTO public.meas_stmt (part, t, x) SELECT 'S' || k, t, x FROM feed WHERE i <= 7 ORDER BY i, k;
INSERT INTO public.meas_stmt (part, t, x) SELECT 'S' || k, t, x FROM feed WHERE i = 8 ORDER BY i, k;
INSERT INTO public.meas_stmt (part, t, x) SELECT 'S' || k, t, x FROM feed WHERE i > 8 ORDER BY i, k;
SELECT is(
  pg_temp.signal_diff('public.meas_stmt', 'public.meas_rows'),
  0::bigint, 'the statement-level trigger gives the same signals as the row-level one inserted row by row');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = 'S1'), 400::bigint,
          'statement level: n_points counts every measurement');
-- many statements in one transaction: after the first, each reaches the
-- state row by the ctid it wrote last (a TID scan), not through the primary
-- key, whose lookup would walk the row's growing chain of versions
CREATE TEMP TABLE idx_scans AS
SELECT coalesce(sum(pg_stat_get_xact_numscans(indexrelid)), 0) AS n FROM pg_index WHERE indrelid = 'qe.spc_state'::regclass;
DO $$ BEGIN
  FOR i IN 1 .. 50 LOOP
    INSERT INTO public.meas_batch (part, t, x) VALUES ('B1', now(), 10 + 0.1 * sin(i));
  END LOOP;
END $$;
SELECT cmp_ok((SELECT coalesce(sum(pg_stat_get_xact_numscans(indexrelid)), 0) FROM pg_index WHERE indrelid = 'qe.spc_state'::regclass)
                - (SELECT n FROM idx_scans), '<=', 1::numeric,
              '50 INSERT statements in one transaction look the state up through the index at most once');

-- a characteristic long enough to be stored out of line (TOAST) is read as
-- its text, not as the bytes of its TOAST pointer
CREATE TEMP TABLE longkey AS
SELECT left(string_agg(md5(i::text || 'q'), ''), 2600) AS k FROM generate_series(1, 320) i;
INSERT INTO qe.spc_limits (characteristic, center, sigma) SELECT k, 0, 1 FROM longkey;
INSERT INTO public.meas_batch (part, t, x) SELECT k, now(), 5 FROM longkey;
INSERT INTO public.meas_stmt (part, t, x) SELECT k, now(), -5 FROM longkey;
SELECT is((SELECT array_agg(row(test, value)::text ORDER BY signal_id) FROM qe.spc_signal WHERE characteristic = (SELECT k FROM longkey)),
          ARRAY['(1,5)', '(1,-5)'],
          'a 2,600-character characteristic stored out of line: its signals, row and statement level');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = (SELECT k FROM longkey)), 2::bigint,
          '... and its own state row counts both points');

-- values of characteristics without limits are ignored, whatever they are;
-- char(n) keys compare without their padding; domains over numbers are numbers
SELECT lives_ok($$INSERT INTO public.meas_batch (part, t, x) VALUES ('NOT-WATCHED', now(), 'NaN')$$,
                'a NaN value of a characteristic without limits is ignored, like its other values');
CREATE DOMAIN pg_temp.reading AS numeric CHECK (VALUE > -1000);
CREATE TABLE public.meas_char (id serial PRIMARY KEY, part char(6), x pg_temp.reading);
CREATE TRIGGER watch AFTER INSERT ON public.meas_char FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('CH1', 0, 1);
INSERT INTO public.meas_char (part, x) VALUES ('CH1', 5);
SELECT is((SELECT array_agg(characteristic || ':' || test) FROM qe.spc_signal WHERE table_name = 'public.meas_char'),
          ARRAY['CH1:1'], 'a char(6) characteristic ''CH1    '' is CH1, and a domain over numeric is a value');
SELECT throws_like($$INSERT INTO public.meas_char (part, x) VALUES ('CH1', 'NaN')$$,
                   'trigger "watch": the value of characteristic "CH1" must be a finite number, got NaN',
                   'a NaN value of a watched characteristic is refused, naming the trigger and the characteristic');

-- a transition table larger than work_mem is read back from disk, one
-- palloc'd tuple at a time: same signals, every point counted
CREATE TABLE public.meas_spill (id bigserial PRIMARY KEY, part text, t timestamptz, x double precision, note text);
CREATE TRIGGER watch AFTER INSERT ON public.meas_spill REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma, config) VALUES
    ('W1', 10, 0.5, qe.rule_set('nelson')), ('W2', 0, 1, qe.rule_set('western_electric'));
SET LOCAL work_mem = '64kB';   -- 800 rows of some 250 bytes: about three times that
INSERT INTO public.meas_spill (part, t, x, note) SELECT 'W' || k, t, x, repeat('n', 200) FROM feed ORDER BY i, k;
RESET work_mem;
SELECT is(
  pg_temp.signal_diff('public.meas_spill', 'public.meas_rows'),
  0::bigint, 'a transition table spilled to disk (work_mem 64kB) gives the same signals as row by row');
SELECT is((SELECT n_points FROM qe.spc_state WHERE characteristic = 'W2'), 400::bigint,
          'spilled transition table: n_points counts every measurement');
CREATE TABLE public.meas_stmt_bad (part text, x float8);
CREATE TRIGGER watch AFTER INSERT ON public.meas_stmt_bad FOR EACH STATEMENT EXECUTE FUNCTION qe.spc_watch('part', 'x');
SELECT throws_ok($$INSERT INTO public.meas_stmt_bad VALUES ('S1', 1)$$, '39P01', NULL,
                 'a statement-level trigger without a transition table is refused');

-- a corrupted stored state is an error, not a wrong answer
UPDATE qe.spc_state SET state = '\x0102' WHERE characteristic = 'C';
SELECT throws_ok($$INSERT INTO public.meas_ctid VALUES ('C', now(), 0.1)$$, 'XX001', NULL,
                 'a corrupted state is reported');

SELECT ok((SELECT extconfig @> ARRAY['qe.spc_limits'::regclass::oid, 'qe.spc_state'::regclass::oid,
                                     'qe.spc_signal'::regclass::oid]
             FROM pg_extension WHERE extname = 'quality_escape'),
          'qe.spc_limits, qe.spc_state and qe.spc_signal are dumped with user data');

SELECT is((SELECT count(*) FROM (SELECT characteristic FROM qe.spc_state GROUP BY 1 HAVING count(*) > 1) d), 0::bigint,
          'one state row per characteristic');

SELECT * FROM finish();
ROLLBACK;
