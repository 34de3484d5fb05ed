import * as z from 'zod';

/** The inputs of the API clients' management; the app's form checks with the same schema. */
export const createClientInput = z.strictObject({ name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters') });
export const revokeClientInput = z.strictObject({ clientId: z.string().regex(/^cli_[a-z0-9]{1,64}$/, 'must be a client id (cli_…)') });
