/**
 * What a test that takes a request through its actions sends beyond its own answers: a team
 * manager's agreement carries a supervision note (DESIGN.md §3), which tests not about the note
 * leave to this default.
 */
export const SUPERVISION_NOTE = 'Discussed in supervision: a check is a proportionate way to triangulate.';

export function withSupervisionNote(action: string, body: Record<string, unknown> = {}): Record<string, unknown> {
  return action === 'agree' && body.note === undefined ? { ...body, note: SUPERVISION_NOTE } : body;
}
