import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** The first check of a new monitor: an asynchronous (`Event`) invocation of the checker Lambda. */
export function lambdaCheckerInvoker(lambda: LambdaClient, checkerArn: string) {
  return async (monitorId: string): Promise<void> => {
    await lambda.send(new InvokeCommand({ FunctionName: checkerArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ monitorId })) }));
  };
}
