import { useMutation } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { AuthCard } from "../components/auth-card.js";
import { Alert, Button, focusFirstError, TextField } from "../components/ui.js";
import { errorMessage } from "../lib/api.js";
import { authClient } from "../lib/auth-client.js";
import { hasErrors, validateCredentials, type FieldErrors } from "../lib/credentials.js";
import { useFinishSignIn } from "../lib/use-finish-sign-in.js";

const SearchSchema = z.object({
  redirect: z.string().optional().catch(undefined),
});

export const Route = createFileRoute("/sign-in")({
  validateSearch: SearchSchema,
  component: SignInPage,
});

function SignInPage() {
  const { redirect } = Route.useSearch();
  const finish = useFinishSignIn();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const signIn = useMutation({
    mutationFn: async (input: { email: string; password: string }) => {
      const { error } = await authClient.signIn.email(input);
      if (error) throw new Error(error.message || "Could not sign you in. Please try again.");
      await finish(redirect);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? "").trim(), password: String(form.get("password") ?? "") };
    const errors = validateCredentials(input, "sign-in");
    setFieldErrors(errors);
    if (hasErrors(errors)) return focusFirstError(event.currentTarget, errors, ["email", "password"]);
    signIn.mutate(input);
  }

  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Sign in to your Swubase account."
      footer={
        <>
          New to Swubase?{" "}
          <Link to="/sign-up" search={{ redirect }} className="font-semibold text-zinc-900 underline underline-offset-2">
            Create an account
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        {signIn.isError && <Alert>{errorMessage(signIn.error)}</Alert>}
        <TextField id="email" label="Email" type="email" autoComplete="email" inputMode="email" required autoFocus error={fieldErrors.email} />
        <TextField id="password" label="Password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
        <Button type="submit" pending={signIn.isPending} className="w-full">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
