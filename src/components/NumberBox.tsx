import React, { useState } from 'react';
import { Input } from '@grafana/ui';

import { parseNumberText } from '../validation';

interface Props {
  id: string;
  value: number | string | undefined;
  placeholder: string;
  width?: number;
  invalid?: boolean;
  /** Each keystroke: the parsed value (undefined when empty, text when not a number). */
  onChange: (v: number | string | undefined) => void;
  /** How the text becomes the value (default parseNumberText). */
  parse?: (text: string) => number | string | undefined;
  onBlur: () => void;
}

const show = (v: number | string | undefined) => (v === undefined ? '' : String(v));

/**
 * A box for a number that keeps the text as typed ("0." stays "0." while typing) and hands the query its
 * parsed value; "auto" and other words pass through as text so that validation can name them.
 */
export function NumberBox({
  id,
  value,
  placeholder,
  width = 12,
  invalid,
  onChange,
  onBlur,
  parse = parseNumberText,
}: Props) {
  const [text, setText] = useState(show(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(value, shown)) {
    // The query changed from elsewhere (a reset, another editor): show its value unless the text means it.
    setShown(value);
    if (!Object.is(parse(text), value)) {
      setText(show(value));
    }
  }
  return (
    <Input
      id={id}
      width={width}
      value={text}
      placeholder={placeholder}
      invalid={invalid}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        setShown(parse(t));
        onChange(parse(t));
      }}
      onBlur={onBlur}
    />
  );
}
