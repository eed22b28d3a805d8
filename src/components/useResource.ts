import { DependencyList, useEffect, useState } from 'react';

export interface Resource<T> {
  value?: T;
  error?: string;
  loading: boolean;
}

interface Answer<T> {
  deps?: DependencyList;
  value?: T;
  error?: string;
}

const same = (a: DependencyList | undefined, b: DependencyList) =>
  !!a && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * The answer of an async resource call, asked again when deps change. An answer that arrives after a
 * newer request was made is dropped, so a slow reply never overwrites a fresh one; while a new answer is
 * on its way the previous value stays shown. load is undefined when there is nothing to ask yet (an
 * incomplete query).
 */
export function useResource<T>(load: (() => Promise<T>) | undefined, deps: DependencyList): Resource<T> {
  const [answer, setAnswer] = useState<Answer<T>>({});
  const asking = load !== undefined;
  useEffect(() => {
    if (!load) {
      return;
    }
    let live = true;
    load().then(
      (value) => live && setAnswer({ deps, value }),
      (e: unknown) => live && setAnswer({ deps, error: e instanceof Error ? e.message : String(e) })
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asking, ...deps]);
  if (!asking) {
    return { loading: false };
  }
  const current = same(answer.deps, deps);
  return { value: answer.value, error: current ? answer.error : undefined, loading: !current };
}
