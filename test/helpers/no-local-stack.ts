/**
 * Stands in for dynalite and kinesalite in the unit project: a unit test that reaches the local stack's
 * emulators fails at once, naming where it belongs.
 */
throw new Error(
  'the unit project runs without the local stack (dynalite, kinesalite): move this test under test/integration/',
);
