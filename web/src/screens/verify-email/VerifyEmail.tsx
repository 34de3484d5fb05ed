import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { focusOnMount } from '../../ui/focus';
import { takeFragmentToken } from '../../ui/fragment-token';
import { ProblemNotice } from '../../ui/Problem';

/** Opened from the mailed link `/verify-email#token=…`: confirms at once, then offers to sign in. */
export function VerifyEmail() {
  const [token] = useState(takeFragmentToken);
  const verify = useMutation({ mutationFn: (t: string) => api.auth.verifyEmail.mutate({ token: t }) });
  const { mutate } = verify;
  useEffect(() => {
    if (token) mutate(token);
  }, [token, mutate]);

  if (!token) {
    return (
      <>
        <h1 tabIndex={-1} ref={focusOnMount}>
          This link is incomplete
        </h1>
        <p>Open the link from the email exactly as it was sent, or sign in and ask for a new one.</p>
      </>
    );
  }
  if (verify.isSuccess) {
    return (
      <>
        <h1 tabIndex={-1} ref={focusOnMount}>
          Email confirmed
        </h1>
        <p>{verify.data.email} is confirmed.</p>
        <p>
          <Link to="/">Continue to Vigil</Link>
        </p>
      </>
    );
  }
  if (verify.isError) {
    return (
      <>
        <h1>Confirm your email</h1>
        <ProblemNotice problem={toProblem(verify.error)} ref={focusOnMount} />
        <p>Links work once and expire; sign in to ask for a new one.</p>
        <p>
          <Link to="/sign-in">Sign in</Link>
        </p>
      </>
    );
  }
  return (
    <h1 aria-busy="true">Confirming your email…</h1>
  );
}
