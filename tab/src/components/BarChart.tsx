/**
 * A small horizontal bar chart in SVG, drawn with the theme's tokens so it follows light, dark and
 * high contrast. The drawing is hidden from assistive technology; the same figures follow it as a
 * table that screen readers read (and that anyone can show).
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
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
  svg: { width: '100%', height: 'auto', display: 'block', overflow: 'visible' },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '12px' },
  value: { fill: tokens.colorNeutralForeground1, fontSize: '12px' },
  bar: { fill: tokens.colorBrandBackground, stroke: tokens.colorNeutralStrokeAccessible, strokeWidth: '0.5px' },
  track: { fill: tokens.colorNeutralBackground3 },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  table: { borderCollapse: 'collapse', marginTop: tokens.spacingVerticalXS, '& th, & td': { textAlign: 'left', padding: `2px ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` } },
});

export function BarChart({ title, bars, valueHeading, unit = '' }: { title: string; bars: Bar[]; valueHeading: string; unit?: string }) {
  const styles = useStyles();
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const figure = useRef<HTMLElement>(null);
  // Drawn at the width it is shown at, so its 12px text is 12px on a phone too (a 600-wide drawing
  // shrunk to a 320px screen made it about 6px).
  const [width, setWidth] = useState(600);
  useLayoutEffect(() => {
    const element = figure.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => setWidth(Math.max(280, Math.min(600, Math.round(element.clientWidth))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const row = 24;
  const labelWidth = Math.min(170, Math.round(width * 0.34));
  // About 6.5px a character at 12px: longer names are cut, whole on hover and in the table.
  const labelChars = Math.floor(labelWidth / 6.5);
  // Room on the right for the longest value text, e.g. "12 (3 completed)".
  const barSpace = width - labelWidth - Math.max(110, Math.min(130, Math.round(width * 0.22)));
  const text = (b: Bar) => b.display ?? (b.value === null ? '—' : `${b.value}${unit}`);
  return (
    <figure ref={figure} className={styles.figure} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className={styles.caption}>
        {title}
      </figcaption>
      <svg className={styles.svg} viewBox={`0 0 ${width} ${Math.max(row, bars.length * row)}`} aria-hidden="true" focusable="false">
        {bars.map((b, i) => {
          const y = i * row;
          const w = b.value === null ? 0 : Math.max(b.value > 0 ? 2 : 0, (b.value / max) * barSpace);
          return (
            <g key={b.label}>
              <text className={styles.label} x={0} y={y + 16}>
                {b.label.length > labelChars ? (
                  <>
                    {/* The whole name on hover; "Show as table" gives it to everyone. */}
                    <title>{b.label}</title>
                    {`${b.label.slice(0, labelChars - 1)}…`}
                  </>
                ) : (
                  b.label
                )}
              </text>
              <rect className={styles.track} x={labelWidth} y={y + 4} width={barSpace} height={row - 8} />
              <rect className={styles.bar} x={labelWidth} y={y + 4} width={w} height={row - 8} />
              <text className={styles.value} x={labelWidth + barSpace + 6} y={y + 16}>
                {text(b)}
              </text>
            </g>
          );
        })}
      </svg>
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
