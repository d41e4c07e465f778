import type { Json } from '@/api/client';

export type HistoryItem = Json<'/api/v1/contacts/{id}/history', 'get'>['items'][number];

/** The channels of the timeline, as the server names them. */
export const CHANNELS = ['voice', 'whatsapp', 'webchat', 'email', 'mercadolivre', 'in_person'] as const;

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** "Atendida, 1:00" / "Não atendida" for a call; what the channel adds otherwise (a recording, the IVR path). */
export function callSummary(item: HistoryItem, t: Translate, duration: (seconds: number) => string): string {
  const parts: string[] = [];
  const call = item.call;
  if (call) {
    if (call.answeredAt && call.endedAt) {
      const seconds = Math.round((Date.parse(call.endedAt) - Date.parse(call.answeredAt)) / 1000);
      parts.push(t('contacts.history.answered', { duration: duration(seconds) }));
    } else if (call.endedAt) {
      parts.push(t('contacts.history.unanswered'));
    }
  }
  if (item.ivrPath.length > 0) parts.push(t('contacts.history.ivr', { path: item.ivrPath.join(' › ') }));
  if (item.recordings.length > 0) parts.push(t('contacts.history.recorded'));
  return parts.join(' · ');
}
