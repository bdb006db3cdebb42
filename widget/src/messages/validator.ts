// zod weighs more than the rest of this widget, so the validator is fetched once someone starts filling in a form.
let validation: Promise<typeof import('./messages.validation.ts')> | undefined;
const loadValidation = () =>
  (validation ??= import('./messages.validation.ts').catch((error: unknown) => {
    validation = undefined;
    throw error;
  }));

/** Starts fetching the validator (on focus of a form), so it is there when the form is sent. */
export const preloadValidation = (): void => void loadValidation().catch(() => undefined);

/** The validator, or nothing when its chunk cannot be loaded: the server validates the same way in any case. */
export const validator = () => loadValidation().catch(() => undefined);
