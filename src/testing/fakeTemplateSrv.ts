import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

/** A dashboard variable as the fake knows it: current value(s), and "All" settings. */
export interface FakeVariable {
  name: string;
  /** The selection: one value, several, or Grafana's "$__all". */
  current: string | string[];
  options?: string[];
  multi?: boolean;
  includeAll?: boolean;
  /** A custom "All" value: Grafana inserts it unformatted. */
  allValue?: string;
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

/**
 * A stand-in for Grafana's template service with the behaviours interpolation depends on (Grafana 12,
 * scenes' sceneInterpolator): the three variable syntaxes; a format function called with the value (an
 * array for a multi-value variable) and {name, type, multi, includeAll}; "All" as every option's value, or
 * a custom all value inserted raw without calling the format; scoped variables such as __interval; an
 * explicit ${var:format} overriding the format; the glob {a,b} as the default for several values; unknown
 * names left as written.
 */
export function fakeTemplateSrv(variables: FakeVariable[]): TemplateSrv & { formats: string[] } {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const formats: string[] = [];
  const builtin = (fmt: string, v: unknown) => {
    formats.push(fmt);
    const list = Array.isArray(v) ? v.map(String) : [String(v)];
    if (fmt === 'csv') {
      return list.join(',');
    }
    if (fmt === 'raw') {
      return list.join(',');
    }
    return list.length > 1 ? `{${list.join(',')}}` : list[0];
  };
  const replace = (target?: string, scopedVars?: ScopedVars, format?: string | Function): string => {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, var1, var2, fmt2, var3, _path, fmt3) => {
      const name: string = var1 ?? var2 ?? var3;
      const fmt: string | Function | undefined = fmt2 ?? fmt3 ?? format;
      const scoped = scopedVars?.[name];
      let value: unknown;
      let info: Record<string, unknown>;
      if (scoped) {
        value = scoped.value;
        info = { name, type: 'scopedVar' };
      } else {
        const v = byName.get(name);
        if (!v) {
          return match;
        }
        info = { name: v.name, type: 'custom', multi: v.multi, includeAll: v.includeAll };
        const all = v.current === '$__all' || (Array.isArray(v.current) && v.current.includes('$__all'));
        if (all && v.allValue !== undefined) {
          return v.allValue; // skipFormatting, as Grafana does for custom all values
        }
        value = all ? (v.options ?? []) : v.current;
      }
      if (typeof fmt === 'function') {
        return fmt(value, info);
      }
      return builtin(fmt ?? 'glob', value);
    });
  };
  return {
    formats,
    replace,
    getVariables: () => [],
    containsTemplate: (t?: string) => !!t && VARIABLE.test(t),
    updateTimeRange: () => {},
  } as unknown as TemplateSrv & { formats: string[] };
}
