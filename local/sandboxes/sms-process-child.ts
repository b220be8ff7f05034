/**
 * The SMS sandbox in a process of its own (started by sms-process.ts with fork): the Twilio stand-in then
 * serves its HTTP requests on its own event loop, as the real provider does outside the pipeline, instead
 * of taking turns with the state machine and the handlers. Options come as JSON in argv[2] (only the
 * serializable ones); the parent asks for counters and acceptance times over the IPC channel.
 */
import { type SmsSandboxOptions, startSmsSandbox } from './sms';
import type { SmsProcessReply, SmsProcessRequest } from './sms-process';

const options = JSON.parse(process.argv[2] ?? '{}') as SmsSandboxOptions;

startSmsSandbox(options).then(
  (sandbox) => {
    const reply = (message: SmsProcessReply) => process.send?.(message);
    process.on('message', (request: SmsProcessRequest) => {
      switch (request.type) {
        case 'snapshot':
          reply({
            id: request.id,
            counters: sandbox.counters,
            acceptedAtMs: sandbox.messages
              .slice(request.fromMessage)
              .map((message) => Date.parse(message.at)),
            messages: sandbox.messages.length,
          });
          break;
        case 'reset':
          sandbox.resetCounters();
          reply({ id: request.id, messages: sandbox.messages.length });
          break;
        case 'stop':
          sandbox.stop().finally(() => process.exit(0));
          break;
      }
    });
    // The parent went away without stopping us: do not linger.
    process.on('disconnect', () => {
      sandbox.stop().finally(() => process.exit(0));
    });
    reply({
      id: 0,
      ready: { baseUrl: sandbox.baseUrl, accountSid: sandbox.accountSid, authToken: sandbox.authToken },
      messages: 0,
    });
  },
  (error: unknown) => {
    process.stderr.write(
      `SMS sandbox did not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
