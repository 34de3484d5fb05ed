/**
 * An SMS contact's number: E.164 (a plus, the country code, at most 15 digits). Spaces, dashes, dots
 * and brackets a person types are dropped first. zod-free and Node-free: the app's contact form checks
 * with the same rule.
 */
export const E164 = /^\+[1-9]\d{6,14}$/;
export const E164_MESSAGE = 'must be a phone number in international form, e.g. +447700900123';

export const normalisePhone = (input: string): string => input.replace(/[\s().-]/g, '');
export const isE164 = (input: string): boolean => E164.test(normalisePhone(input));
