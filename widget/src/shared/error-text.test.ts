import { ApiError } from '@clocktree/client';
import { expect } from '@open-wc/testing';
import { errorText, placeFields, SOMETHING_WENT_WRONG } from './error-text.ts';

describe('errorText', () => {
  it('says the same words for the same code everywhere', () => {
    expect(errorText(new ApiError(401, 'unauthenticated', 'x'))).to.equal(
      'Your session has ended. Please sign in again.',
    );
    expect(errorText(new ApiError(409, 'thread_closed', 'x'))).to.match(/thread is closed/);
    expect(errorText(new TypeError('boom'))).to.equal(SOMETHING_WENT_WRONG);
  });

  it('names the service that could not be reached and never shows a server failure raw', () => {
    expect(errorText(new ApiError(0, 'network', 'x'), { service: 'video service' })).to.match(
      /^The video service could not be reached/,
    );
    const crash = errorText(new ApiError(500, 'internal', 'stack trace here'));
    expect(crash).to.match(/on our side/);
    expect(crash).to.not.contain('stack trace');
  });

  it('passes the server’s wait time through for rate limits, and lets a place word one code its own way', () => {
    expect(errorText(new ApiError(429, 'rate_limited', 'Please wait 15 minutes.'))).to.equal('Please wait 15 minutes.');
    const signIn = { overrides: { unauthenticated: 'The e-mail address or the password is not right.' } };
    expect(errorText(new ApiError(401, 'unauthenticated', 'x'), signIn)).to.match(/not right/);
  });

  it('adds what was kept only where the failure lost nothing', () => {
    const kept = { kept: 'Your message is still here.' };
    expect(errorText(new ApiError(0, 'network', 'x'), kept)).to.match(/still here\.$/);
    expect(errorText(new ApiError(403, 'forbidden', 'x'), kept)).to.not.match(/still here/);
  });

  it('places field problems beside their fields and keeps the rest', () => {
    const error = new ApiError(400, 'validation_failed', 'x', [
      { path: 'email', message: 'must be an e-mail address' },
      { path: 'phone', message: 'must be a phone number' },
    ]);
    expect(placeFields(error, ['email'] as const)).to.deep.equal({
      placed: { email: 'must be an e-mail address' },
      other: ['must be a phone number'],
    });
  });
});
