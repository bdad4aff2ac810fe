import { sanitizeUsername } from './username';

describe('sanitizeUsername', () => {
  it.each([
    [' --ricky.^#!__the._raccoon--', 'ricky.the.raccoon'],
    ['Ricky.The.Raccoon@corp.example', 'Ricky.The.Raccoon'],
    ['jane.doe@example.com', 'jane.doe'],
    ['test.user@okta.local', 'test.user'],
    ['john.git', 'john'],
    ['john.atom.', 'john'],
    ['@@@', 'blank'],
    ['', 'blank'],
    ['x.-git', 'x'],
    ['a__b--c..d', 'a_b-c.d'],
    ['Zoë Ünïcode', 'Zoncode'],
  ])('%j → %s', (input, expected) => {
    expect(sanitizeUsername(input)).toBe(expected);
  });
});
