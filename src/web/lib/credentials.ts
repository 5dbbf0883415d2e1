/** Client-side checks for the sign-in and sign-up forms (the server checks again). */

export const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 128;
const NAME_MAX_LENGTH = 100;

export interface CredentialsInput {
  name?: string;
  email: string;
  password: string;
}

export type FieldErrors = Partial<Record<keyof CredentialsInput, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCredentials(input: CredentialsInput, mode: "sign-in" | "sign-up"): FieldErrors {
  const errors: FieldErrors = {};
  if (mode === "sign-up") {
    const name = (input.name ?? "").trim();
    if (name === "") errors.name = "Enter your name.";
    else if (name.length > NAME_MAX_LENGTH) errors.name = `Use at most ${NAME_MAX_LENGTH} characters.`;
  }
  const email = input.email.trim();
  if (email === "") errors.email = "Enter your email address.";
  else if (!EMAIL.test(email)) errors.email = "Enter a valid email address, like you@example.com.";
  if (input.password === "") errors.password = "Enter your password.";
  else if (input.password.length < PASSWORD_MIN_LENGTH) errors.password = `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  else if (input.password.length > PASSWORD_MAX_LENGTH) errors.password = `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}
