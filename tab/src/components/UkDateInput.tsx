/**
 * A date typed as people in the UK write it (dd/mm/yyyy), never the browser's own date control,
 * whose day/month order follows the browser's locale (14/03/2017 typed into an mm/dd/yyyy field
 * was once stored as 3 December 2017). A complete, real date is handed on as YYYY-MM-DD; anything
 * else is handed on as typed so the form's validation names the problem.
 */
import { useEffect, useState } from 'react';
import { Input } from '@fluentui/react-components';
import { formatDate, parseUkDate } from '../../../src/domain/dates';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

const shown = (value: string): string => (ISO.test(value) ? formatDate(value) : value);

export function UkDateInput({
  id,
  value,
  onChange,
  onBlur,
  disabled,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  disabled?: boolean;
  /** Set when the field is shown outside a Fluent Field, which would otherwise mark it. */
  invalid?: boolean;
  describedBy?: string;
}) {
  const [text, setText] = useState(() => shown(value));
  // Follow a value set from outside (a draft loaded, a form reset) without rewriting what is being typed.
  useEffect(() => {
    setText((current) => ((parseUkDate(current) ?? current) === value ? current : shown(value)));
  }, [value]);
  return (
    <Input
      id={id}
      value={text}
      disabled={disabled}
      {...(invalid ? { 'aria-invalid': true } : {})}
      {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      inputMode="numeric"
      autoComplete="off"
      placeholder="dd/mm/yyyy"
      aria-description="Day, month and year, for example 14/03/2017"
      onChange={(_, d) => {
        setText(d.value);
        onChange(parseUkDate(d.value) ?? d.value);
      }}
      onBlur={() => {
        setText((current) => shown(parseUkDate(current) ?? current));
        onBlur?.();
      }}
    />
  );
}
