import { useMutation } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { AuthCard } from "../components/auth-card.js";
import { Alert, Button, focusFirstError, TextField } from "../components/ui.js";
import { errorMessage } from "../lib/api.js";
import { authClient } from "../lib/auth-client.js";
import { hasErrors, PASSWORD_MIN_LENGTH, validateCredentials, type FieldErrors } from "../lib/credentials.js";
import { useFinishSignIn } from "../lib/use-finish-sign-in.js";

const SearchSchema = z.object({
  redirect: z.string().optional().catch(undefined),
});

export const Route = createFileRoute("/sign-up")({
  validateSearch: SearchSchema,
  component: SignUpPage,
});

function SignUpPage() {
  const { redirect } = Route.useSearch();
  const finish = useFinishSignIn();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  const signUp = useMutation({
    mutationFn: async (input: { name: string; email: string; password: string }) => {
      const { error } = await authClient.signUp.email(input);
      if (error) throw new Error(error.message || "Could not create your account. Please try again.");
      await finish(redirect);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? "").trim(),
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    };
    const errors = validateCredentials(input, "sign-up");
    setFieldErrors(errors);
    if (hasErrors(errors)) return focusFirstError(event.currentTarget, errors, ["name", "email", "password"]);
    signUp.mutate(input);
  }

  return (
    <AuthCard
      title="Create your account"
      subtitle="One Swubase account keeps your decks, teams and game statistics together."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/sign-in" search={{ redirect }} className="font-semibold text-zinc-900 underline underline-offset-2">
            Sign in
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        {signUp.isError && <Alert>{errorMessage(signUp.error)}</Alert>}
        <TextField id="name" label="Name" type="text" autoComplete="name" required autoFocus error={fieldErrors.name} />
        <TextField id="email" label="Email" type="email" autoComplete="email" inputMode="email" required error={fieldErrors.email} />
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          error={fieldErrors.password}
        />
        <Button type="submit" pending={signUp.isPending} className="w-full">
          Sign up
        </Button>
      </form>
    </AuthCard>
  );
}
