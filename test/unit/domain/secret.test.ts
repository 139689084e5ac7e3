import { inspect } from 'node:util';
import { Secret } from '../../../src/domain/secret';

describe('Secret', () => {
  const secret = new Secret('rat-very-secret');

  it('gives its value only when asked to reveal it', () => {
    expect(secret.reveal()).toBe('rat-very-secret');
  });

  it.each([
    ['String()', () => String(secret)],
    ['a template', () => `${secret}`],
    ['JSON.stringify', () => JSON.stringify({ token: secret })],
    ['util.inspect', () => inspect({ token: secret })],
  ])('prints as a placeholder through %s', (_how, print) => {
    expect(print()).not.toContain('rat-very-secret');
    expect(print()).toContain('[redacted]');
  });
});
