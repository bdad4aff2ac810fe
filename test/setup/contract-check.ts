import { contractViolations } from '../helpers/contract';

// Every e2e response was checked against openapi/openapi.json as it arrived; a file fails on any mismatch.
afterAll(() => {
  if (contractViolations.length === 0) return;
  const list = contractViolations.splice(0).join('\n  ');
  throw new Error(
    `Responses that do not match the committed openapi/openapi.json (make the route's @Api* decorators and response ` +
      `classes describe what it really returns — nullable fields, integer vs string, required keys — then regenerate ` +
      `the document with \`npm run openapi\`):\n  ${list}`,
  );
});
