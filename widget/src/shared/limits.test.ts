import { expect } from '@open-wc/testing';
import { Email, LoginBody, Password, RegisterBody } from '@clocktree/protocol';
import { LIMITS } from './limits.ts';

const fits = (schema: { safeParse: (v: unknown) => { success: boolean } }, length: number) =>
  schema.safeParse('a'.repeat(length)).success;

describe('shared LIMITS', () => {
  it('caps the sign-in, invitation and reset fields at exactly what the protocol accepts', () => {
    const address = (length: number) => `${'a'.repeat(length - '@example.org'.length)}@example.org`;
    expect(Email.safeParse(address(LIMITS.email)).success).to.equal(true);
    expect(Email.safeParse(address(LIMITS.email + 1)).success).to.equal(false);
    expect(fits(LoginBody.shape.password, LIMITS.password)).to.equal(true);
    expect(fits(LoginBody.shape.password, LIMITS.password + 1)).to.equal(false);
    expect(fits(Password, LIMITS.password)).to.equal(true);
    expect(fits(Password, LIMITS.password + 1)).to.equal(false);
    expect(fits(Password, LIMITS.newPasswordMin)).to.equal(true);
    expect(fits(Password, LIMITS.newPasswordMin - 1)).to.equal(false);
    expect(fits(RegisterBody.shape.name, LIMITS.name)).to.equal(true);
    expect(fits(RegisterBody.shape.name, LIMITS.name + 1)).to.equal(false);
  });
});
