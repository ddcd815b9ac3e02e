/**
 * A small horizontal bar chart, drawn with the theme's tokens so it follows light, dark and high
 * contrast. The drawing is hidden from assistive technology; the same figures follow it as a table
 * that screen readers read (and that anyone can show).
 */
import { useId, useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';

export interface Bar {
  label: string;
  value: number | null;
  /** How the value reads in the table and beside the bar, e.g. "45 min". */
  display?: string;
}

const useStyles = makeStyles({
  // The hidden copy of the table is placed within the figure, not against the page's edge.
  figure: { margin: `0 0 ${tokens.spacingVerticalL}`, minWidth: 0, position: 'relative' },
  caption: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  // Laid out as text, not drawn: a long name ("Refused by service director") wraps onto a second
  // line instead of being cut short, at any width.
  chart: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 40%) minmax(48px, 1fr) minmax(0, max-content)',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'center',
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
  },
  track: { height: '16px', backgroundColor: tokens.colorNeutralBackground3 },
  bar: { height: '100%', boxSizing: 'border-box', backgroundColor: tokens.colorBrandBackground, border: `0.5px solid ${tokens.colorNeutralStrokeAccessible}` },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  table: { borderCollapse: 'collapse', marginTop: tokens.spacingVerticalXS, '& th, & td': { textAlign: 'left', padding: `2px ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` } },
});

export function BarChart({ title, bars, valueHeading, unit = '' }: { title: string; bars: Bar[]; valueHeading: string; unit?: string }) {
  const styles = useStyles();
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const text = (b: Bar) => b.display ?? (b.value === null ? '—' : `${b.value}${unit}`);
  return (
    <figure className={styles.figure} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className={styles.caption}>
        {title}
      </figcaption>
      <div className={styles.chart} aria-hidden="true" data-chart="bars">
        {bars.map((b) => (
          <div key={b.label} style={{ display: 'contents' }}>
            <span>{b.label}</span>
            <span className={styles.track}>
              {/* A value above nothing shows at least a sliver, so it does not read as none. */}
              {b.value !== null && b.value > 0 && <span className={styles.bar} style={{ display: 'block', width: `max(2px, ${(b.value / max) * 100}%)` }} />}
            </span>
            <span>{text(b)}</span>
          </div>
        ))}
      </div>
      <Button size="small" appearance="subtle" aria-expanded={showTable} onClick={() => setShowTable((s) => !s)}>
        {showTable ? 'Hide table' : 'Show as table'}
      </Button>
      {/* Hidden by a box around it: a table keeps its own width whatever width it is given, and
          widened the page on a phone (sideways scrolling at 320 px). */}
      <div className={showTable ? undefined : styles.hidden}>
        <table className={showTable ? styles.table : undefined}>
          <caption className={styles.hidden}>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">{valueHeading}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>{text(b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
