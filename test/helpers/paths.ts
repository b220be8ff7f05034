/** Where the tests find the repository and its fixtures. */
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Real-shaped Discovery event payloads (also what the local stack and `npm run preview` serve). */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'discovery');
/** Discovery payloads as the API returned them, published in public repositories (see its README). */
export const REAL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'discovery-real');
/** Discovery payloads that are wrong in one way each. */
export const INVALID_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'discovery-invalid');
/** Discovery API answers (a search page, a single event) the client tests replay through the sandbox. */
export const DISCOVERY_CLIENT_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'discovery-client');
/** State machine definitions that break the catalog's rules. */
export const ASL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'asl');
/** The real window state machine definition. */
export const WINDOW_ASL = path.join(ROOT, 'statemachines', 'window.asl.json');
