import { contractViolations } from '../helpers/contract';
import { awaitPrismChecks, prismRequestViolations, prismResponseViolations } from '../helpers/prism';

// Every e2e response was checked against openapi/openapi.json as it arrived; a file fails on any mismatch.
afterAll(async () => {
  await awaitPrismChecks();
  const problems: string[] = [];
  if (contractViolations.length > 0) {
    problems.push(
      `Responses that do not match the committed openapi/openapi.json (make the route's @Api* decorators and response ` +
        `classes describe what it really returns — nullable fields, integer vs string, required keys — then regenerate ` +
        `the document with \`npm run openapi\`):\n  ${contractViolations.splice(0).join('\n  ')}`,
    );
  }
  if (prismResponseViolations.length > 0) {
    problems.push(`Prism: responses the document does not describe:\n  ${prismResponseViolations.splice(0).join('\n  ')}`);
  }
  if (prismRequestViolations.length > 0) {
    problems.push(
      `Prism: requests the document does not allow (fix the test or the document, or list a deliberate one in ` +
        `test/contract/request-violations.allow.json):\n  ${[...new Set(prismRequestViolations.splice(0))].join('\n  ')}`,
    );
  }
  if (problems.length) throw new Error(problems.join('\n\n'));
});
