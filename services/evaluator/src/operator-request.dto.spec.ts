import { OperatorBodyError, parseOperatorBody } from './operator-request.dto';

describe('registry mutation body', () => {
  it('takes the actor and reason, trimmed', () => {
    expect(parseOperatorBody({ actor: ' alice ', reason: 'beats v3 on the red-team replay ' })).toEqual({ actor: 'alice', reason: 'beats v3 on the red-team replay' });
  });

  it('refuses a body without actor or reason with a message saying what to send', () => {
    expect(() => parseOperatorBody(undefined)).toThrow(/actor and reason are required: send a JSON body \{"actor": "<who you are>", "reason": "<why>"\}/);
    expect(() => parseOperatorBody({ actor: 'alice', reason: '   ' })).toThrow(/^reason is required/);
    expect(() => parseOperatorBody({ actor: 'alice' })).toThrow(OperatorBodyError);
  });

  it('takes an optional rollback target only where it is allowed, as a version number', () => {
    expect(parseOperatorBody({ actor: 'a', reason: 'r', to: '2' }, true)).toEqual({ actor: 'a', reason: 'r', to: '2' });
    expect(parseOperatorBody({ actor: 'a', reason: 'r', to: '2' })).toEqual({ actor: 'a', reason: 'r' });
    expect(() => parseOperatorBody({ actor: 'a', reason: 'r', to: 2 }, true)).toThrow(/"to" must be a version number as a string/);
  });
});
