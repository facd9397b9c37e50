import type { AlertSource } from './alert.js';

/** Which family an alert belongs to, from essentials.monitoringService (compared case-insensitively). */
export function alertSourceOf(monitoringService: string): AlertSource {
  const service = monitoringService.trim().toLowerCase();
  if (service === 'log alerts v2') return 'log-v2';
  if (service === 'log analytics' || service === 'application insights') return 'log-v1';
  if (service.startsWith('activity log')) return 'activity-log';
  return 'other';
}
