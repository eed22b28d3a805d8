import React, { useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Collapse, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import { QUERY_DEFAULTS } from '../defaults';
import { Aggregate, KqlHuntQuery, RowOrder } from '../types';
import { parseMaxSamplesText, QueryProblems } from '../validation';
import { NumberBox } from './NumberBox';
import { RunPolicy } from './useRunPolicy';

interface Props {
  query: KqlHuntQuery;
  policy: RunPolicy;
  problems: QueryProblems;
}

const ROW_ORDERS: Array<SelectableValue<RowOrder>> = [
  { value: 'canonical', label: 'Canonical' },
  { value: 'asReturned', label: 'As returned' },
];
const ROW_ORDER_HELP: Record<RowOrder, string> = {
  canonical: 'Scores depend only on how many rows carry each value, never on the order Log Analytics returns them in.',
  asReturned: "scikit-learn's answer on the rows in the order received, which may change from one run to the next.",
};

const AGGREGATES: Array<SelectableValue<Aggregate>> = [
  { value: 'auto', label: 'Auto' },
  { value: 'never', label: 'Never' },
  { value: 'always', label: 'Always' },
];
const AGGREGATE_HELP: Record<Aggregate, string> = {
  auto: 'Fetch rows, and let Log Analytics count them instead when the answer would be truncated.',
  never: 'Always fetch and score every row.',
  always: 'Let Log Analytics count rows per value and score the counts (same scores, far less data).',
};

/** The forest's options and how rows reach it: collapsed, since the notebook's defaults suit most hunts. */
export function AdvancedOptions({ query, policy, problems }: Props) {
  const keys = ['nEstimators', 'maxSamples', 'randomState'] as const;
  const hasProblem = keys.some((k) => problems[k]);
  const [open, setOpen] = useState(hasProblem);
  const rowOrder = query.rowOrder ?? QUERY_DEFAULTS.rowOrder;
  const aggregate = query.aggregate ?? QUERY_DEFAULTS.aggregate;
  return (
    <Collapse label="Forest and rows" isOpen={open || hasProblem} onToggle={() => setOpen(!open)}>
      <EditorRow>
        <EditorField
          label="Trees"
          htmlFor="query-nestimators"
          tooltip="nEstimators: the number of trees."
          invalid={!!problems.nEstimators}
          error={problems.nEstimators}
        >
          <NumberBox
            id="query-nestimators"
            width={10}
            value={query.nEstimators}
            placeholder={String(QUERY_DEFAULTS.nEstimators)}
            invalid={!!problems.nEstimators}
            onChange={(v) => policy.change({ nEstimators: v })}
            onBlur={() => policy.commit()}
          />
        </EditorField>
        <EditorField
          label="Samples per tree"
          htmlFor="query-maxsamples"
          tooltip='maxSamples: "auto" (min(256, rows)), a row count, or a fraction in (0, 1].'
          invalid={!!problems.maxSamples}
          error={problems.maxSamples}
        >
          <NumberBox
            id="query-maxsamples"
            width={10}
            value={query.maxSamples}
            placeholder={QUERY_DEFAULTS.maxSamples}
            invalid={!!problems.maxSamples}
            parse={parseMaxSamplesText}
            onChange={(v) => policy.change({ maxSamples: v })}
            onBlur={() => policy.commit()}
          />
        </EditorField>
        <EditorField
          label="Random state"
          htmlFor="query-randomstate"
          tooltip="The seed: the same seed and rows give the same forest."
          invalid={!!problems.randomState}
          error={problems.randomState}
        >
          <NumberBox
            id="query-randomstate"
            width={14}
            value={query.randomState}
            placeholder={String(QUERY_DEFAULTS.randomState)}
            invalid={!!problems.randomState}
            onChange={(v) => policy.change({ randomState: v })}
            onBlur={() => policy.commit()}
          />
        </EditorField>
      </EditorRow>
      <EditorRow>
        <EditorField label="Row order" htmlFor="query-roworder">
          <Stack direction="column" gap={0.5}>
            <RadioButtonGroup<RowOrder>
              id="query-roworder"
              aria-label="Row order"
              options={ROW_ORDERS}
              value={rowOrder}
              onChange={(v) => policy.commit({ rowOrder: v })}
            />
            <Text variant="bodySmall" color="secondary">
              {ROW_ORDER_HELP[rowOrder]}
            </Text>
          </Stack>
        </EditorField>
        <EditorField label="Aggregate" htmlFor="query-aggregate">
          <Stack direction="column" gap={0.5}>
            <RadioButtonGroup<Aggregate>
              id="query-aggregate"
              aria-label="Aggregate"
              options={AGGREGATES}
              value={aggregate}
              onChange={(v) => policy.commit({ aggregate: v })}
            />
            <Text variant="bodySmall" color="secondary">
              {AGGREGATE_HELP[aggregate]}
            </Text>
          </Stack>
        </EditorField>
      </EditorRow>
    </Collapse>
  );
}
