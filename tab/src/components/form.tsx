/** Form helpers: every control gets a visible label, an id the error summary can link to, and its message beside it. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { z } from 'zod';
import { fieldErrors } from '../../../src/domain/forms';
import { Field, Link as FluentLink, makeStyles, tokens } from '@fluentui/react-components';

export const fieldId = (path: string): string => `f-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;

const useStyles = makeStyles({
  // Field lays out as a grid: a 0-minimum column keeps wide controls (long select options) inside narrow screens.
  field: { marginBottom: tokens.spacingVerticalM, minWidth: 0, gridTemplateColumns: 'minmax(0, 1fr)' },
  fieldset: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM}`,
    margin: `0 0 ${tokens.spacingVerticalM}`,
    minWidth: 0,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  groupError: { color: tokens.colorPaletteRedForeground1, marginTop: tokens.spacingVerticalXS },
  summary: {
    border: `${tokens.strokeWidthThick} solid ${tokens.colorPaletteRedBorder2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalM,
    marginBottom: tokens.spacingVerticalL,
    backgroundColor: tokens.colorNeutralBackground1,
    outlineStyle: 'none',
  },
  summaryList: { margin: `${tokens.spacingVerticalS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

interface FormFieldProps {
  path: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: ReactNode;
}

/** A labelled control whose id is derived from its API field path. */
export function FormField({ path, label, hint, error, required, children }: FormFieldProps) {
  const styles = useStyles();
  return (
    <Field
      className={styles.field}
      label={{ children: label, htmlFor: fieldId(path) }}
      hint={hint}
      required={required}
      validationMessage={error}
      validationState={error ? 'error' : 'none'}
    >
      {children}
    </Field>
  );
}

/** A group of related controls (checkboxes, radios, a person) with a legend and one message. */
export function Group({ legend, error, errorId, children, id }: { legend: string; error?: string; errorId?: string; children: ReactNode; id?: string }) {
  const styles = useStyles();
  return (
    <fieldset className={styles.fieldset} id={id} tabIndex={id ? -1 : undefined} aria-describedby={error ? errorId : undefined}>
      <legend className={styles.legend}>{legend}</legend>
      {children}
      {error && (
        <div className={styles.groupError} id={errorId} role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}

/** Lists every problem with a link to its field; takes focus when it appears after a failed submit. */
/** `labels` names the field a message is about, where the message alone does not (undefined: it does). */
export function ErrorSummary({ errors, labels, focusKey }: { errors: Record<string, string>; labels?: (path: string) => string | undefined; focusKey: number }) {
  const styles = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (entries.length === 0) return null;
  return (
    <div className={styles.summary} ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <strong id="error-summary-title">There is a problem: {entries.length === 1 ? '1 answer needs' : `${entries.length} answers need`} attention</strong>
      <ul className={styles.summaryList}>
        {entries.map(([path, message]) => (
          <li key={path}>
            <FluentLink
              href={`#${fieldId(path)}`}
              onClick={(e) => {
                e.preventDefault();
                const target = document.getElementById(fieldId(path));
                target?.focus();
                target?.scrollIntoView({ block: 'center' });
              }}
            >
              {summaryLine(labels?.(path), message)}
            </FluentLink>
          </li>
        ))}
      </ul>
    </div>
  );
}

const summaryLine = (label: string | undefined, message: string): string => (label ? `${label}: ${message}` : message);

/**
 * The schema's messages by field, with zod's own words for a count out of range ("Too small:
 * expected number to be >=0") put plainly, as the service's other messages are.
 */
export function countFieldErrors(error: z.ZodError): Record<string, string> {
  const fields = fieldErrors(error);
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (fields[path] !== issue.message) continue;
    if (issue.code === 'too_small' && issue.origin === 'number') fields[path] = `Enter ${String(issue.minimum)} or more.`;
    else if (issue.code === 'too_big' && issue.origin === 'number') fields[path] = `Enter ${String(issue.maximum)} or fewer.`;
    else if (issue.code === 'invalid_type' && issue.expected === 'int') fields[path] = 'Enter a whole number.';
  }
  return fields;
}
