/** What the server itself answers besides the API's data: its OpenAPI document, and the bot's replies to the Bot Connector. */
import { z } from 'zod';

/**
 * `GET /api/openapi.json`. Its paths and components are OpenAPI's own vocabulary, open by that
 * specification, so only the top level is fixed here.
 */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.\d+\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/**
 * The bot's answer to an `adaptiveCard/action` invoke: "the structure that is returned as the
 * result of an Invoke activity with Name of 'adaptiveCard/action'" (AdaptiveCardInvokeResponse,
 * botframework-schema: `statusCode`, `type`, `value`). With 200 the bot always answers a card
 * (`application/vnd.microsoft.card.adaptive`) — the card the person now sees. The card itself is
 * the Adaptive Cards schema's (1.5), open by that schema: only its `type` and `version` are fixed.
 */
export const adaptiveCardInvokeResponseSchema = z.strictObject({
  statusCode: z.literal(200),
  type: z.literal('application/vnd.microsoft.card.adaptive'),
  value: z.looseObject({ type: z.literal('AdaptiveCard'), version: z.string() }).describe('An Adaptive Card (schema 1.5)'),
});

/**
 * The refusal of a card action from a person over their rate limit, answered with HTTP 200 as the
 * Universal Action Model's response format requires: `statusCode` is the sub-status (429), `type`
 * `application/vnd.microsoft.error`, `value` an Error Object. Retry-After says when to try again.
 */
export const adaptiveCardInvokeRateLimitedSchema = z.strictObject({
  statusCode: z.literal(429),
  type: z.literal('application/vnd.microsoft.error'),
  value: z.strictObject({ code: z.literal('rate_limited'), message: z.string() }),
});

/**
 * A card action that is not one (no `action`, or an action other than `Action.Execute`), answered
 * with HTTP 200 as the Universal Action Model requires: sub-status 400, an Error Object.
 */
export const adaptiveCardInvokeBadRequestSchema = z.strictObject({
  statusCode: z.literal(400),
  type: z.literal('application/vnd.microsoft.error'),
  value: z.strictObject({ code: z.string(), message: z.string() }),
});

/** `POST /api/messages` with 200: one of the invoke responses above, or an empty body for any other activity. */
export const botMessagesAnswerSchema = z.union([
  adaptiveCardInvokeResponseSchema,
  adaptiveCardInvokeRateLimitedSchema,
  adaptiveCardInvokeBadRequestSchema,
  z.literal('').describe('No content: the activity was not an invoke'),
]);

export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
export type BotMessagesAnswer = z.infer<typeof botMessagesAnswerSchema>;
