-- What changed in a run since the branch's run of the month before: employees added,
-- stopped, or whose pension base (the highest base of their lines) moved. Written when a
-- generation finishes, for the run and for the month after it, so a run's page reads at most
-- 200 rows instead of grouping both months' lines on every view (issue 12).
CREATE TABLE run_changes (
    run_id      TEXT NOT NULL REFERENCES runs(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    before_fen  INTEGER,
    after_fen   INTEGER,
    PRIMARY KEY (run_id, employee_id)
) WITHOUT ROWID;

-- Backfill: the runs there are already (and the demo seed's, which runs this again; hence
-- OR IGNORE), each against its branch's run of the month before (none: all are added).
WITH pairs AS (
    SELECT r.id AS run_id, p.id AS previous_id FROM runs r
    LEFT JOIN runs p ON p.branch_id = r.branch_id AND p.period = strftime('%Y-%m', r.period || '-01', '-1 month')),
cur AS (SELECT run_id, employee_id, MAX(base_fen) AS base FROM run_lines GROUP BY run_id, employee_id)
INSERT OR IGNORE INTO run_changes (run_id, employee_id, before_fen, after_fen)
SELECT pairs.run_id, c.employee_id, p.base, c.base FROM pairs
JOIN cur c ON c.run_id = pairs.run_id
LEFT JOIN cur p ON p.run_id = pairs.previous_id AND p.employee_id = c.employee_id
WHERE p.base IS NULL OR p.base <> c.base
UNION ALL
SELECT pairs.run_id, p.employee_id, p.base, NULL FROM pairs
JOIN cur p ON p.run_id = pairs.previous_id
LEFT JOIN cur c ON c.run_id = pairs.run_id AND c.employee_id = p.employee_id
WHERE c.base IS NULL;
