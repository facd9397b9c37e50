import { field, fieldsOf } from './case-insensitive.js';
import { cleanText } from './clean-text.js';

/**
 * The 422 message for JSON that is not a common-schema alert. Written for the admin who must fix
 * the action group: it says what arrived and where the switch is, in the portal and in Bicep/ARM.
 * Enabling the common schema also replaces a log alert's custom JSON payload.
 */
export function notCommonSchemaMessage(body: unknown): string {
  return (
    `Glasswatch accepts only Azure Monitor alerts in the common alert schema, and ${whatArrived(body)}. ` +
    'Turn the common alert schema on for the webhook action of the action group that calls Glasswatch: ' +
    'in the Azure portal, Monitor → Alerts → Action groups → <your group> → Actions → Webhook → ' +
    '"Enable the common alert schema" = Yes; in Bicep or ARM, set useCommonAlertSchema: true on the ' +
    "action group's webhookReceivers entry. This also replaces any custom JSON payload on the alert rule."
  );
}

function whatArrived(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'this body is not a JSON object';
  const top = fieldsOf(body);
  // Application Insights legacy log alerts wrap the old shape in {schemaId, data}.
  const inner = fieldsOf(field(top, 'data'));
  const either = (name: string): boolean => field(top, name) !== undefined || field(inner, name) !== undefined;
  if (either('SearchQuery') || either('AlertRuleName')) {
    return 'this looks like a legacy log search alert webhook (AlertRuleName, SearchQuery)';
  }
  if (either('status') && either('context')) {
    return 'this looks like a classic or non-common-schema metric or activity log alert webhook (status, context)';
  }
  const schemaId = cleanText(field(top, 'schemaId'), 80);
  if (schemaId !== undefined) {
    return `this body's schemaId is ${JSON.stringify(schemaId)}, not "azureMonitorCommonAlertSchema"`;
  }
  return 'this body has no schemaId "azureMonitorCommonAlertSchema" with data.essentials';
}
