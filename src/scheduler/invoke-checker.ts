import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CheckerInvoker } from './adapters.js';
import type { CheckEvent } from './port.js';

/** The first check of a new monitor: an asynchronous (`Event`) invocation of the checker Lambda. */
export function lambdaCheckerInvoker(lambda: LambdaClient, checkerArn: string) {
  return async (event: CheckEvent): Promise<void> => {
    const { InvokeCommand } = await import('@aws-sdk/client-lambda');
    await lambda.send(new InvokeCommand({ FunctionName: checkerArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
  };
}

/**
 * The invoker the internal API composes (the only function that creates monitors); its own module,
 * so no other bundle carries the Lambda client. The client loads on the first call.
 */
export const lambdaInvoker: CheckerInvoker = (config) => {
  let invoke: Promise<(event: CheckEvent) => Promise<void>> | undefined;
  return async (event) => {
    invoke ??= import('@aws-sdk/client-lambda').then(({ LambdaClient }) =>
      lambdaCheckerInvoker(new LambdaClient({}), config.scheduler.kind === 'eventbridge' ? config.scheduler.checkerArn : ''),
    );
    return (await invoke)(event);
  };
};
