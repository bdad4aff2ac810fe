/**
 * Jest's node environment, plus one Prism validator per jest worker instead of one per test file.
 *
 * Jest gives every test file a module registry of its own, so a validator required from a test file loads Stoplight
 * Prism and compiles its schemas again in each of them: about a second and a half of CPU per file. This environment
 * is loaded once per worker by Node's own loader, outside those registries: it loads the compiled validator
 * (dist/contract/validator.js, which `npm test` builds first) once, keeps one validator per version of
 * openapi/openapi.json, and hands test files `__giaPrismValidate(exchange)`. Each exchange is copied into this
 * realm by structured clone, so Prism reads ordinary objects of its own realm.
 *
 * Without a compiled validator at least as new as its source (a run of jest without a build), nothing is handed
 * over and test/helpers/prism.ts validates inside the test file as before.
 */
const { TestEnvironment } = require('jest-environment-node');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const v8 = require('node:v8');

const root = join(__dirname, '..', '..');
const compiled = join(root, 'dist', 'contract', 'validator.js');
const source = join(root, 'src', 'contract', 'validator.ts');
const documentPath = join(root, 'openapi', 'openapi.json');

/** validators of this worker by the SHA-256 of the document they check against */
const validators = new Map();

/** The validator of the document as it is now, loaded and built on first use; undefined without a fresh build. */
function sharedValidator() {
  if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) return undefined;
  const digest = createHash('sha256').update(readFileSync(documentPath)).digest('hex');
  return (exchange) => {
    let validate = validators.get(digest);
    if (!validate) {
      validate = require(compiled).createExchangeValidator(documentPath);
      validators.set(digest, validate);
    }
    return validate(exchange);
  };
}

class GiaEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const prism = process.env.PRISM_VALIDATION ? process.env.PRISM_VALIDATION !== '0' : process.env.CI === 'true';
    const validate = prism ? sharedValidator() : undefined;
    if (validate) this.global.__giaPrismValidate = (exchange) => validate(v8.deserialize(v8.serialize(exchange)));
  }
}

module.exports = GiaEnvironment;
