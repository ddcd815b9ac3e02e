/** The personal tab's Teams deep link: its own module, so the server can answer /api/host without loading the bot. */
export const TEAMS_ENTITY_LINK = 'https://teams.microsoft.com/l/entity/';
/** The static tab's entityId in appPackage/manifest.json. */
export const TAB_ENTITY_ID = 'requests';

/**
 * The personal tab as a Teams deep link, which opens inside Teams on desktop, web and mobile.
 * Microsoft's "deep link to an application": https://teams.microsoft.com/l/entity/<appId>/<entityId>,
 * where appId is "the ID from the manifest file" and entityId the static tab's; its query
 * parameters URL-encoded.
 */
export function teamsTabLink(teamsAppId: string, entityId: string = TAB_ENTITY_ID): string {
  return `${TEAMS_ENTITY_LINK}${encodeURIComponent(teamsAppId)}/${encodeURIComponent(entityId)}`;
}
