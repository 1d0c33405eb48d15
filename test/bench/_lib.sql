-- Benchmark helpers (loaded into the throwaway qe_bench database only).
CREATE SCHEMA bench;

-- Best (minimum) wall time in milliseconds of `runs` executions of a query,
-- after one warm-up run.  The minimum is the least noisy figure on a shared
-- machine; ratios are always taken between queries timed in the same run.
CREATE FUNCTION bench.time_ms(query text, runs int DEFAULT 3)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best double precision := 'Infinity';
    dummy record;
BEGIN
    EXECUTE query INTO dummy;               -- warm-up (caches, JIT off anyway)
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE query INTO dummy;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;

-- A results table each benchmark appends to, printed at the end of a script.
CREATE TABLE bench.result (
    bench     text,
    label     text,
    ms        double precision,
    baseline  text,
    ratio     double precision
);

-- The ratio of each alternated pair (candidate / the baseline run just
-- before it) summed up as a row of its own: the median, with the least and
-- the greatest pair in the label.  Least-against-least can pair a lucky
-- baseline with an unlucky candidate; the median of pairs cannot be moved by
-- one such run.
CREATE FUNCTION bench.record_pairs(bench_name text, label text, base_label text, pairs double precision[])
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO bench.result (bench, label, ms, baseline, ratio)
    SELECT bench_name,
           format('%s [median of %s pairs, %s-%s]', label, count(*),
                  round(min(r)::numeric, 2), round(max(r)::numeric, 2)),
           NULL, base_label || ' (alternating with ' || label || ')',
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r)
      FROM unnest(pairs) r
$$;

-- A ratio measured by alternation: after one warm-up of each, run the
-- baseline and the candidate `runs` times in turn (B, C, B, C, ...) and keep
-- the least time of each, so a change in the machine's load during the
-- measurement falls on both sides instead of on whichever ran later.
-- Appends both to bench.result (the baseline once per label) and returns
-- the candidate's time.
CREATE FUNCTION bench.compare(bench_name text, base_label text, base_query text,
                              label text, query text, runs int DEFAULT 5)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best_b double precision := 'Infinity';
    best_c double precision := 'Infinity';
    dummy record;
    tb double precision;
    tc double precision;
    pairs double precision[] := '{}';
BEGIN
    EXECUTE base_query INTO dummy;
    EXECUTE query INTO dummy;
    FOR i IN 1 .. runs LOOP
        t0 := clock_timestamp();
        EXECUTE base_query INTO dummy;
        tb := extract(epoch FROM clock_timestamp() - t0) * 1000;
        t0 := clock_timestamp();
        EXECUTE query INTO dummy;
        tc := extract(epoch FROM clock_timestamp() - t0) * 1000;
        best_b := least(best_b, tb);
        best_c := least(best_c, tc);
        pairs := pairs || (tc / tb);
    END LOOP;
    INSERT INTO bench.result (bench, label, ms, baseline, ratio)
    VALUES (bench_name, base_label || ' (alternating with ' || label || ')', best_b, NULL, NULL),
           (bench_name, label || ' [alternating]', best_c, base_label || ' (alternating with ' || label || ')', best_c / best_b);
    PERFORM bench.record_pairs(bench_name, label, base_label, pairs);
    RETURN best_c;
END $$;

-- bench.compare for statements that write: before every timed run, `reset`
-- (e.g. TRUNCATE the target tables and CHECKPOINT) runs and commits, and
-- each timed statement commits on its own, as in production.  Every run
-- then starts from the same empty table with no checkpoint pending, so the
-- two sides differ only by what is measured.  A procedure, for COMMIT.
CREATE PROCEDURE bench.compare_writes(bench_name text, base_label text, base_query text,
                                      label text, query text, reset text, runs int DEFAULT 5)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    best_b double precision := 'Infinity';
    best_c double precision := 'Infinity';
    tb double precision;
    tc double precision;
    pairs double precision[] := '{}';
BEGIN
    FOR i IN 0 .. runs LOOP                 -- run 0 warms up both sides
        EXECUTE reset;
        COMMIT;
        t0 := clock_timestamp();
        EXECUTE base_query;
        COMMIT;
        tb := extract(epoch FROM clock_timestamp() - t0) * 1000;
        EXECUTE reset;
        COMMIT;
        t0 := clock_timestamp();
        EXECUTE query;
        COMMIT;
        tc := extract(epoch FROM clock_timestamp() - t0) * 1000;
        IF i > 0 THEN
            best_b := least(best_b, tb);
            best_c := least(best_c, tc);
            pairs := pairs || (tc / tb);
        END IF;
    END LOOP;
    INSERT INTO bench.result (bench, label, ms, baseline, ratio)
    VALUES (bench_name, base_label || ' (alternating with ' || label || ')', best_b, NULL, NULL),
           (bench_name, label || ' [alternating, reset]', best_c, base_label || ' (alternating with ' || label || ')', best_c / best_b);
    PERFORM bench.record_pairs(bench_name, label, base_label, pairs);
    COMMIT;
END $$;
