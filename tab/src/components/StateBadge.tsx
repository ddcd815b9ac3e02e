import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { CLOSED_STATES, STATE_LABELS, type RequestState } from '../../../src/domain/states';

const WAITING: readonly RequestState[] = ['awaiting_team_manager', 'awaiting_service_director', 'on_hold'];

const useStyles = makeStyles({
  // Fluent's badge has a fixed height; a long state on a narrow screen wraps, so it must grow.
  badge: { height: 'auto', minHeight: '20px', whiteSpace: 'normal', paddingBlock: tokens.spacingVerticalXXS, textAlign: 'start' },
});

export function StateBadge({ state }: { state: RequestState }) {
  const styles = useStyles();
  const color = CLOSED_STATES.includes(state) ? (state === 'closed' ? 'success' : 'subtle') : WAITING.includes(state) ? 'warning' : 'brand';
  return (
    <Badge appearance="tint" color={color} shape="rounded" className={styles.badge}>
      {STATE_LABELS[state]}
    </Badge>
  );
}
