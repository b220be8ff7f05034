/**
 * The demo data's constants, in one place: the sample Discovery events (test/fixtures/discovery) and the
 * window the demo, the integration tests and the chaos suite run on them.
 */
import { join } from 'node:path';

/** The sample Discovery payloads `npm start`, the tests and the suites load. */
export const DEMO_DISCOVERY_DIR = join(__dirname, '..', 'test', 'fixtures', 'discovery');

/** Scheduled time of the demo window: five sample sales start 2026-12-08 15:00 UTC, two are processed. */
export const DEMO_WINDOW = '2026-12-08T14:30:00.000Z';

/** Marisol Reyes, Luz y Sombra World Tour (en-us): a processed sale of the demo window. */
export const DEMO_US_EVENT = 'vvG1fZ4Ax3kTpQ';

/** Les Éclaireurs d'Hiver in Montréal (fr-ca): the other processed sale of the demo window. */
export const DEMO_FR_EVENT = 'Z7r9jZ1AeFrCa';

/** The events whose sales the demo window processes. */
export const DEMO_EVENT_IDS = [DEMO_US_EVENT, DEMO_FR_EVENT];
