import * as z from 'zod';

/** A contact id as input, and a monitor's list of them: zod only, so the app's monitor forms can load it. */
export const contactId = z.string().regex(/^ct_[a-z0-9]{1,64}$/, 'must be a contact id (ct_…)');
export const alertContactIdsInput = z.array(contactId).max(100, 'at most 100 contacts');
