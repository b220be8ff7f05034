import 'aws-sdk-client-mock-jest';

// The stage's key of the contact hashes (every stage has its own; this one is for tests only).
process.env.CONTACT_HASH_KEY ??= 'test-contact-hash-key-0123456789abcdef';
