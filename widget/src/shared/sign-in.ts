import { ApiError, type Session } from '@clocktree/client';
import { html, type LitElement, type ReactiveController } from 'lit';
import { errorText, placeFields } from './error-text.ts';
import { takeHashToken } from './hash-token.ts';
import { renderSignIn, type SignInField } from './sign-in-form.ts';

type View = 'sign-in' | 'forgot' | 'sent' | 'reset';
type FieldErrors = Partial<Record<SignInField, string>>;
export type SignInValidation =
  { success: true; data: { email: string; password: string } } | { success: false; errors: FieldErrors };

export interface SignInControllerOptions {
  session: () => Session | undefined;
  /** What signing in is for, e.g. "Sign in to your messages". */
  heading: () => string;
  hint: () => string;
  /** The protocol's check of the fields, where the element has it loaded; the server checks the same in any case. */
  validate?: (input: { email: string; password: string }) => Promise<SignInValidation | undefined>;
  /** Someone started filling in the form (an element may start loading its validator). */
  onFocus?: () => void;
  /** Signed in through this form (the session tells the element too); where focus goes next. */
  onSignedIn?: () => void;
}

const WRONG = 'The e-mail address or the password is not right.';
const RESET_SPENT =
  'This password link has expired or was already used. Links to set a password work once, for 1 hour. Ask for a new one below.';

/**
 * The one way into every signed-in element: sign in with e-mail and password, "Forgot your password?" (a link by
 * e-mail; the same answer whether or not the address has an account), and the page a reset link (`#reset=TOKEN`)
 * opens to choose a new password, which signs the person in. Elements render `render()` where they sign in.
 */
export class SignInController implements ReactiveController {
  view: View = 'sign-in';
  busy = false;
  error = '';
  fieldErrors: FieldErrors = {};
  /** The token of the reset link this page was opened with, until it is used. */
  private resetToken: string | undefined;
  /** The reset forms, fetched the first time someone needs them: most people only ever sign in. */
  private forms: typeof import('./password-reset-form.ts') | undefined;

  constructor(
    private readonly host: LitElement,
    private readonly options: SignInControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.resetToken = takeHashToken('reset') ?? this.resetToken;
    if (this.resetToken) void this.show('reset');
  }

  /** Back to the plain sign-in form, e.g. after the person signed out. */
  reset(): void {
    if (this.view !== 'reset') void this.show('sign-in');
  }

  render() {
    const { busy, error, fieldErrors } = this;
    const toSignIn = () => void this.show('sign-in', '#email');
    const forms = this.forms;
    if (this.view === 'sent' && forms) return forms.renderResetSent({ onBack: toSignIn });
    if ((this.view === 'forgot' || this.view === 'reset') && forms) {
      const forgot = this.view === 'forgot';
      return (forgot ? forms.renderResetRequest : forms.renderResetConfirm)({
        busy,
        error,
        fieldErrors,
        onSubmit: (e) => void (forgot ? this.requestReset(e) : this.confirmReset(e)),
        onBack: toSignIn,
      });
    }
    return html`${renderSignIn({
      busy,
      error,
      fieldErrors,
      heading: this.options.heading(),
      hint: this.options.hint(),
      onSubmit: (e) => void this.signIn(e),
      onFocus: () => this.options.onFocus?.(),
      onForgot: () => void this.show('forgot', '#reset-email'),
    })}`;
  }

  private async show(view: View, focus?: string, error = '') {
    if (view !== 'sign-in' && !this.forms) {
      try {
        this.forms = await import('./password-reset-form.ts');
      } catch {
        // Offline: the sign-in form stays, saying why.
        [view, error] = ['sign-in', errorText(new ApiError(0, 'network', ''), { service: 'service' })];
      }
    }
    this.view = view;
    this.error = error;
    this.fieldErrors = {};
    this.host.requestUpdate();
    if (focus) void this.focus(focus);
  }

  /** Renders what changed, then moves focus there (the controller's fields are not reactive properties). */
  private async focus(selector: string) {
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** Runs one request of a form: busy meanwhile, its failure in words beside the fields and in the alert. */
  private async attempt(
    fields: readonly SignInField[],
    run: () => Promise<void>,
    words: Partial<Record<string, string>>,
  ) {
    this.busy = true;
    this.error = '';
    this.fieldErrors = {};
    this.host.requestUpdate();
    try {
      await run();
    } catch (error) {
      const { placed, other } = placeFields(error, fields);
      this.fieldErrors = placed;
      this.error = [errorText(error, { overrides: words }), ...other].join(' ');
      await this.focus('[aria-invalid="true"], [part~="error"]:not(:empty)');
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private async signIn(event: SubmitEvent) {
    event.preventDefault();
    const session = this.options.session();
    if (this.busy || !session) return;
    const data = new FormData(event.target as HTMLFormElement);
    let input = { email: String(data.get('email') ?? '').trim(), password: String(data.get('password') ?? '') };
    const check = await this.options.validate?.(input);
    if (check && !check.success) {
      this.fieldErrors = check.errors;
      this.error = '';
      this.host.requestUpdate();
      return this.focus('[aria-invalid="true"]');
    }
    if (check) input = check.data;
    await this.attempt(
      ['email', 'password'],
      async () => {
        await session.login(input);
        this.options.onSignedIn?.();
      },
      { unauthenticated: WRONG },
    );
  }

  private async requestReset(event: SubmitEvent) {
    event.preventDefault();
    const session = this.options.session();
    if (this.busy || !session) return;
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    if (!email) {
      this.fieldErrors = { email: 'must not be empty' };
      this.host.requestUpdate();
      return this.focus('[aria-invalid="true"]');
    }
    await this.attempt(
      ['email'],
      async () => {
        await session.requestPasswordReset(email);
        await this.show('sent', '[part~="status"]');
      },
      {},
    );
  }

  private async confirmReset(event: SubmitEvent) {
    event.preventDefault();
    const session = this.options.session();
    const token = this.resetToken;
    if (this.busy || !session || !token) return;
    const password = String(new FormData(event.target as HTMLFormElement).get('password') ?? '');
    await this.attempt(
      ['password'],
      async () => {
        try {
          await session.confirmPasswordReset({ token, password });
        } catch (error) {
          // A spent link cannot be tried again: the way on is a new link.
          if (!(error instanceof ApiError && error.code === 'unauthenticated')) throw error;
          this.resetToken = undefined;
          return this.show('forgot', '[part~="error"]', RESET_SPENT);
        }
        this.resetToken = undefined;
        this.view = 'sign-in';
        this.options.onSignedIn?.();
      },
      { validation_failed: 'Please choose another password.' },
    );
  }
}
