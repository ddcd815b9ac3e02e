/**
 * Every migration, in order. Append new ones at the end with the next number; never edit or
 * reorder one that has shipped.
 */
import type { Migration } from 'kysely';
import { schema } from './001_schema';
import { auditAppendOnly } from './002_audit_append_only';
import { bot } from './003_bot';
import { recordDocuments } from './004_record_documents';
import { auditAppendFunction } from './005_audit_append_function';
import { directorySync } from './010_directory_sync';
import { pendingEvidence } from './020_pending_evidence';
import { surveysAndPilotSettings } from './030_surveys_and_pilot_settings';
import { disclosures } from './031_disclosures';
import { retention } from './032_retention';
import { requestListOrder } from './040_request_list_order';
import { requestStateCheck } from './041_request_state_check';
import { pendingEvidenceClaims } from './021_pending_evidence_claims';
import { auditSequencedAfterCommit } from './050_audit_sequenced_after_commit';
import { protocolFidelity } from './070_protocol_fidelity';
import { checkedSubjects } from './071_checked_subjects';
import { teamManagerDeputies } from './072_team_manager_deputies';
import { contentLinksDoubtsPlacement } from './075_content_links_doubts_placement';
import { evaluationFacts } from './080_evaluation_facts';
import { disclosureKeysMigration } from './081_disclosure_keys';
import { evaluationTallies } from './082_evaluation_tallies';
import { evaluationRefreshPlpgsql } from './083_evaluation_refresh_plpgsql';
import { evaluationRefreshAtCommit } from './084_evaluation_refresh_at_commit';
import { evaluationProjectedAfterCommit } from './085_evaluation_projected_after_commit';
import { returnedBy } from './086_returned_by';
import { redactionWithoutTableLock } from './087_redaction_without_table_lock';
import { sessionSubjects } from './088_session_subjects';
import { tombstoneFreeText } from './089_tombstone_free_text';
import { rekeyNamesInEveryScript } from './090_rekey_names_in_every_script';
import { evaluationFeedbackFirst } from './091_evaluation_feedback_first';

export const migrations: Record<string, Migration> = {
  '001_schema': schema,
  '002_audit_append_only': auditAppendOnly,
  '003_bot': bot,
  '004_record_documents': recordDocuments,
  '005_audit_append_function': auditAppendFunction,
  '010_directory_sync': directorySync,
  '020_pending_evidence': pendingEvidence,
  '021_pending_evidence_claims': pendingEvidenceClaims,
  '030_surveys_and_pilot_settings': surveysAndPilotSettings,
  '031_disclosures': disclosures,
  '032_retention': retention,
  '040_request_list_order': requestListOrder,
  '041_request_state_check': requestStateCheck,
  '050_audit_sequenced_after_commit': auditSequencedAfterCommit,
  '070_protocol_fidelity': protocolFidelity,
  '071_checked_subjects': checkedSubjects,
  '072_team_manager_deputies': teamManagerDeputies,
  '075_content_links_doubts_placement': contentLinksDoubtsPlacement,
  '080_evaluation_facts': evaluationFacts,
  '081_disclosure_keys': disclosureKeysMigration,
  '082_evaluation_tallies': evaluationTallies,
  '083_evaluation_refresh_plpgsql': evaluationRefreshPlpgsql,
  '084_evaluation_refresh_at_commit': evaluationRefreshAtCommit,
  '085_evaluation_projected_after_commit': evaluationProjectedAfterCommit,
  '086_returned_by': returnedBy,
  '087_redaction_without_table_lock': redactionWithoutTableLock,
  '088_session_subjects': sessionSubjects,
  '089_tombstone_free_text': tombstoneFreeText,
  '090_rekey_names_in_every_script': rekeyNamesInEveryScript,
  '091_evaluation_feedback_first': evaluationFeedbackFirst,
};
