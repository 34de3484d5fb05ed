import { setPlanByEmail } from '../src/accounts/service.js';
import { buildServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/domain/errors.js';
import { describeError } from '../src/log.js';
import { PLANS, type PlanName } from '../src/domain/plans.js';

/** Operator command: `npm run plan:set -- <email> <free|solo|team>`. */
const [email, plan] = process.argv.slice(2);
if (!email || !PLANS.includes(plan as PlanName)) {
  console.error(`usage: npm run plan:set -- <email> <${PLANS.join('|')}>`);
  process.exit(2);
}
const svc = await buildServices(loadConfig(process.env, 'worker'));
try {
  const { accountId, monitors } = await setPlanByEmail(svc, email, plan as PlanName);
  console.log(`${email}: account ${accountId} is now on the ${plan} plan; ${monitors} schedules brought in line`);
} catch (error) {
  // An AppError is the operator's mistake (no such user): its message is the whole story. Anything else is ours.
  console.error(error instanceof AppError ? `${email}: ${error.message}` : describeError(error).error);
  process.exitCode = 1;
} finally {
  svc.db.$client.close();
}
