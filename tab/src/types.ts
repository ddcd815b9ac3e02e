/**
 * The API's JSON shapes as the tab reads them: the server's response schemas (src/contracts),
 * so the tab and the server cannot disagree about a field.
 */
export type { DevUser, HostInfo, Me, PersonSummary, TeamManagerChoice, Deputyship, DeputiesView } from '../../src/contracts/people';
export type { ApiAssessment, ApiDecision, ApiDoubt, ApiFeedback, ApiFinding, ApiLog, ApiRequest, ApiScope, ApiSubject, EarlierCheck, RequestPage } from '../../src/contracts/requests';
export type { AuditEntry, ContentLink, EvidenceItem, NotificationStatus, RecordDocument, SearchSession } from '../../src/contracts/records';
export type { DirectorySyncRun, DirectoryView, RegisterView } from '../../src/contracts/admin';
export type { Disclosure, Evaluation, PilotSettingsView } from '../../src/contracts/evaluation';
export type { FailedNotificationView, OperationsView, PendingUploadView } from '../../src/contracts/operations';
export type { RetentionItem, RetentionReview } from '../../src/contracts/retention';
