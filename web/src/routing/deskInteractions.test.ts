import { describe, expect, it } from 'vitest';
import { matches, phaseOf } from './deskInteractions';

const item = (over: Partial<{ state: string; visitId: string; contactName: string | null; serviceName: string | null; protocol: string; address: string | null }> = {}) => ({
  state: over.state ?? 'open',
  details: over.visitId ? { visitId: over.visitId } : {},
  contactName: over.contactName === undefined ? 'Conceição Araújo' : over.contactName,
  serviceName: over.serviceName === undefined ? 'Suporte Técnico' : over.serviceName,
  protocol: over.protocol ?? '20261202000042',
  address: over.address === undefined ? '5511987654321' : over.address,
});

describe('the desk’s open interactions', () => {
  it('is in conversation while its visit is one the agent is busy with, else in wrap-up; pending stays pending', () => {
    expect(phaseOf(item({ visitId: 'v1' }), ['v1'])).toBe('conversation');
    expect(phaseOf(item({ visitId: 'v1' }), ['v2'])).toBe('wrap_up');
    expect(phaseOf(item(), ['v1'])).toBe('wrap_up');
    expect(phaseOf(item({ state: 'pending', visitId: 'v1' }), ['v1'])).toBe('pending');
  });

  it('is found by part of the name, service or protocol, accents and case aside', () => {
    expect(matches(item(), 'conceicao')).toBe(true);
    expect(matches(item(), 'TECNICO')).toBe(true);
    expect(matches(item(), '000042')).toBe(true);
    expect(matches(item(), '98765')).toBe(true);
    expect(matches(item(), '  ')).toBe(true);
    expect(matches(item(), 'vendas')).toBe(false);
    expect(matches(item({ contactName: null, serviceName: null, address: null }), 'maria')).toBe(false);
  });
});
