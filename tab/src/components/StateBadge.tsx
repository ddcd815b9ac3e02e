import { Badge } from '@fluentui/react-components';
import { CLOSED_STATES, STATE_LABELS, type RequestState } from '../../../src/domain/states';

const WAITING: readonly RequestState[] = ['awaiting_team_manager', 'awaiting_service_director', 'on_hold'];

export function StateBadge({ state }: { state: RequestState }) {
  const color = CLOSED_STATES.includes(state) ? (state === 'closed' ? 'success' : 'subtle') : WAITING.includes(state) ? 'warning' : 'brand';
  return (
    <Badge appearance="tint" color={color} shape="rounded">
      {STATE_LABELS[state]}
    </Badge>
  );
}
