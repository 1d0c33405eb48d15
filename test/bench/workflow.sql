-- Workflow trigger overhead: the same UPDATE of a state column on a table
-- with qe.enforce_workflow and on an identical table without it.  Every
-- changed row is an accepted transition, so each one also appends a
-- hash-chained audit record: that cost is part of the figure, on purpose.
-- n = least(:rows, 20000) rows per statement (audit rows accumulate).
-- A third table runs the same workflow with audit = false: the engine alone.
-- Single-row UPDATEs from several clients: test/bench/workflow_pgbench.sh.
\set n 'least(' :rows ', 20000)'

CREATE SCHEMA wfb;
CREATE TABLE wfb.plain (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.trig  (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.noaudit (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
INSERT INTO qe.workflow VALUES ('bench', 'two-state toggle');
INSERT INTO qe.workflow (name, description, audit) VALUES ('bench_noaudit', 'the same, audit = false', false);
INSERT INTO qe.workflow_state (workflow, state, is_initial) VALUES ('bench_noaudit', 'A', true), ('bench_noaudit', 'B', false);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_columns, required_role)
VALUES ('bench_noaudit', 'A', 'B', '{qty}', 'qe_viewer'), ('bench_noaudit', 'B', 'A', '{qty}', 'qe_viewer');
INSERT INTO qe.workflow_state (workflow, state, is_initial) VALUES ('bench', 'A', true), ('bench', 'B', false);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_columns, required_role)
VALUES ('bench', 'A', 'B', '{qty}', 'qe_viewer'), ('bench', 'B', 'A', '{qty}', 'qe_viewer');
INSERT INTO wfb.plain SELECT g, 'A', g, 'x' FROM generate_series(1, :n) g;
CREATE TRIGGER wf BEFORE INSERT OR UPDATE ON wfb.trig FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('bench', 'st');
INSERT INTO wfb.trig SELECT g, 'A', g, 'x' FROM generate_series(1, :n) g;
CREATE TRIGGER wf BEFORE INSERT OR UPDATE ON wfb.noaudit FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('bench_noaudit', 'st');
INSERT INTO wfb.noaudit SELECT g, 'A', g, 'x' FROM generate_series(1, :n) g;
VACUUM ANALYZE wfb.plain, wfb.trig, wfb.noaudit;

INSERT INTO bench.result (bench, label, ms)
SELECT 'workflow', 'UPDATE state, no trigger', bench.time_ms(
  $$WITH u AS (UPDATE wfb.plain SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END RETURNING 1) SELECT count(*) FROM u$$, 3);
INSERT INTO bench.result (bench, label, ms, baseline)
SELECT 'workflow', 'UPDATE state, enforce_workflow + audit', bench.time_ms(
  $$WITH u AS (UPDATE wfb.trig SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END RETURNING 1) SELECT count(*) FROM u$$, 3),
  'UPDATE state, no trigger';
INSERT INTO bench.result (bench, label, ms, baseline)
SELECT 'workflow', 'UPDATE state, enforce_workflow, audit = false', bench.time_ms(
  $$WITH u AS (UPDATE wfb.noaudit SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END RETURNING 1) SELECT count(*) FROM u$$, 3),
  'UPDATE state, no trigger';
INSERT INTO bench.result (bench, label, ms)
SELECT 'workflow', 'UPDATE other column, no trigger', bench.time_ms(
  $$WITH u AS (UPDATE wfb.plain SET qty = qty + 1 RETURNING 1) SELECT count(*) FROM u$$, 3);
INSERT INTO bench.result (bench, label, ms, baseline)
SELECT 'workflow', 'UPDATE other column, enforce_workflow (state unchanged)', bench.time_ms(
  $$WITH u AS (UPDATE wfb.trig SET qty = qty + 1 RETURNING 1) SELECT count(*) FROM u$$, 3),
  'UPDATE other column, no trigger';

UPDATE bench.result r SET ratio = r.ms / b.ms
  FROM bench.result b WHERE r.bench = 'workflow' AND b.bench = 'workflow' AND b.label = r.baseline;
SELECT label, :n AS rows_per_statement, round(ms::numeric, 1) AS ms, round(ratio::numeric, 2) AS ratio, baseline
  FROM bench.result WHERE bench = 'workflow' ORDER BY label;
SELECT ok AS audit_chain_ok, records AS audit_records FROM qe.verify_audit_trail();
