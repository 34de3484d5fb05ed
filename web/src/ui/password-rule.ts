/**
 * The password's minimum length, for hints on screens that load the schemas only on submit
 * (forms/useLightForm.ts). The schema is the rule; test/web/schemas-agree.test.ts holds this to it.
 */
export const PASSWORD_MIN = 8;
