import { describe, expect, it } from 'vitest';
import { causeForSipStatus } from '../../src/telephony/causes.js';
import { causeText, classifyCause, sipAnswerOfCause } from '../../src/telephony/index.js';

describe('classifyCause', () => {
  it.each([
    [17, 'busy'],
    [0, 'no_answer'],
    [18, 'no_answer'],
    [19, 'no_answer'],
    [1, 'unallocated'],
    [20, 'unallocated'],
    [22, 'unallocated'],
    [28, 'unallocated'],
    [21, 'rejected'],
    [3, 'congestion'],
    [27, 'congestion'],
    [34, 'congestion'],
    [38, 'congestion'],
    [41, 'congestion'],
    [42, 'congestion'],
    [58, 'congestion'],
    [16, 'failed'],
    [31, 'failed'],
    [102, 'failed'],
    [127, 'failed'],
    [999, 'failed'],
  ] as const)('cause %i → %s', (cause, reason) => {
    expect(classifyCause(cause)).toBe(reason);
  });
});

describe('causeText', () => {
  it.each([
    [16, 'Normal call clearing'],
    [17, 'User busy'],
    [19, 'No answer from user (user alerted)'],
    [34, 'No circuit/channel available'],
    [0, 'Unknown'],
  ])('cause %i is "%s"', (cause, text) => {
    expect(causeText(cause)).toBe(text);
  });

  it('names a cause without a Q.850 name by its number', () => {
    expect(causeText(77)).toBe('Cause 77');
  });
});

describe('sipAnswerOfCause (what a SIP trunk hears when Asterisk refuses the call)', () => {
  it.each([
    [1, 404, 'Not Found'],
    [17, 486, 'Busy Here'],
    [19, 480, 'Temporarily Unavailable'],
    [21, 403, 'Forbidden'],
    [34, 503, 'Service Unavailable'],
    [42, 503, 'Service Unavailable'],
    [16, 603, 'Decline'],
    [41, 603, 'Decline'],
    [22, 410, 'Gone'],
    [23, 302, 'Moved Temporarily'],
    [27, 502, 'Bad Gateway'],
    [28, 484, 'Address Incomplete'],
    [29, 501, 'Not Implemented'],
  ])('cause %i → %i %s', (cause, code, reason) => {
    expect(sipAnswerOfCause(cause)).toEqual({ code, reason });
  });
});

describe('causeForSipStatus (the cause of a channel whose INVITE a phone refused)', () => {
  it.each([
    [486, 17],
    [603, 21],
    [410, 22],
    [480, 19],
    [404, 1],
    [487, 127],
    [503, 34],
    [599, 34],
    [499, 127],
  ])('SIP %i → cause %i', (status, cause) => {
    expect(causeForSipStatus(status)).toBe(cause);
  });
});
