import { useCallback, useLayoutEffect, useRef } from 'react';

import { KqlHuntQuery } from '../types';
import { isRunnable, validateQuery } from '../validation';

/** What the editors call: change while typing, commit on blur or pick, run on Shift+Enter. */
export interface RunPolicy {
  /** Saves a change without running (typing in a box). */
  change: (patch: Partial<KqlHuntQuery>) => void;
  /** Saves a change, if any, and runs the query once if it differs from the last run and is valid. */
  commit: (patch?: Partial<KqlHuntQuery>) => void;
  /** Saves a change and runs the query if it is valid, even unchanged (Shift+Enter). */
  runNow: (patch?: Partial<KqlHuntQuery>) => void;
}

/**
 * A query's identity for "has it changed since the last run": its JSON with the keys of every object, nested
 * ones (search) included, in a stable order. (An array replacer would be a key allow-list at every level and
 * drop search.value.)
 */
function fingerprint(q: KqlHuntQuery): string {
  return JSON.stringify(q, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value
  );
}

/**
 * The editors' one run policy, as Grafana's own editors behave: a change runs the query once, on blur or
 * pick; typing alone never runs it; a query that is invalid or incomplete never runs (its problems are shown
 * in place instead); and the same query is not run twice in a row by a blur after a pick.
 */
export function useRunPolicy(
  query: KqlHuntQuery,
  onChange: (q: KqlHuntQuery) => void,
  onRunQuery: () => void,
  pivotNames: string[] = []
): RunPolicy {
  // The query as last saved, so that a commit right after a change (same event loop) sees the change.
  const latest = useRef(query);
  useLayoutEffect(() => {
    latest.current = query;
  }, [query]);
  const lastRun = useRef<string>(fingerprint(query));

  const save = useCallback(
    (patch?: Partial<KqlHuntQuery>) => {
      if (!patch) {
        return latest.current;
      }
      const next = { ...latest.current, ...patch };
      latest.current = next;
      onChange(next);
      return next;
    },
    [onChange]
  );

  const run = useCallback(
    (q: KqlHuntQuery, force: boolean) => {
      const fp = fingerprint(q);
      if (!isRunnable(validateQuery(q, pivotNames)) || (!force && fp === lastRun.current)) {
        return;
      }
      lastRun.current = fp;
      onRunQuery();
    },
    [onRunQuery, pivotNames]
  );

  return {
    change: useCallback((patch) => void save(patch), [save]),
    commit: useCallback((patch) => run(save(patch), false), [save, run]),
    runNow: useCallback((patch) => run(save(patch), true), [save, run]),
  };
}
