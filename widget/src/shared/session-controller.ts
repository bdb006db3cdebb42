import { sessionFor, type Session, type SessionEndReason, type SessionInfo } from '@clocktree/client';
import type { User } from '@clocktree/protocol';
import type { LitElement, ReactiveController } from 'lit';
import { resolveApiBase } from './api-base.ts';

/**
 * What counts as someone using a widget, for the automatic logoff: the same for every element. Listened to on the
 * host in the capture phase: composed events from inside its shadow root (and its panes') reach it there first.
 */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input', 'wheel', 'touchstart', 'focusin'] as const;
const ACTIVITY_LISTENER = { capture: true, passive: true } as const;

/** "15 minutes", or seconds for the very short timeouts of tests and demos. */
export function idleSpan(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes >= 1) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/** Why the session ended, in the words every element shows. `guarded` names what the logoff protects. */
export function signedOutNotice(reason: SessionEndReason, idleSeconds: number, guarded: string): string {
  if (reason === 'idle') {
    return `You were signed out after ${idleSpan(idleSeconds)} without activity, to keep ${guarded} private. Please sign in again.`;
  }
  if (reason === 'unauthenticated') return 'Your session has ended. Please sign in again.';
  return 'You have signed out.';
}

export interface SessionControllerOptions {
  /** The host's `api` attribute: which service's session to follow. */
  api: () => string | undefined;
  /** What the automatic logoff keeps private, for its notice: "your messages". */
  guarded: string;
  /**
   * Starts the ring watcher for a signed-in session. Handed in by the element (ringing/ is a feature folder that
   * shared code may not import), so a page where someone is signed in rings on an incoming call.
   */
  watchRings?: (session: Session) => void;
  /**
   * A new session object was bound (first connection, or another `api`). Returning true means the host takes over
   * (e.g. it exchanges an e-mail link) and the controller does not report the session's current state.
   */
  onBind?: (session: Session) => boolean | void;
  onSignedIn?: (user: User, session: Session) => void;
  /** `notice` says why, for the sign-in form. */
  onSignedOut?: (reason: SessionEndReason, notice: string) => void;
}

/**
 * One owner of sign-in state for an element: follows the page's shared session for the element's API, keeps it alive
 * while the person uses the element (one definition of activity), reports sign-in and sign-out (with the same
 * words for the automatic logoff everywhere) and starts the ring watcher once someone is signed in.
 */
export class SessionController implements ReactiveController {
  session: Session | undefined;
  /** The signed-in session's details (user, idle timeout), or nothing. */
  info: SessionInfo | undefined;
  private off: (() => void) | undefined;
  private idleSeconds = 900;
  private signInLoads = new AbortController();

  constructor(
    private readonly host: LitElement,
    private readonly options: SessionControllerOptions,
  ) {
    host.addController(this);
  }

  get user(): User | undefined {
    return this.info?.user;
  }

  /**
   * Aborted when the current sign-in ends (signed out, another account, another API, the element leaves the page).
   * What an element loads for the signed-in person passes it: an answer that arrives after they signed out must not
   * land in the page the next person sees, nor switch it to the previous person's practice.
   */
  get signal(): AbortSignal {
    return this.signInLoads.signal;
  }

  hostConnected(): void {
    for (const type of ACTIVITY_EVENTS) this.host.addEventListener(type, this.onActivity, ACTIVITY_LISTENER);
    // Before the first update the host's properties may not be set yet: it binds from willUpdate then.
    if (this.host.hasUpdated) this.bind();
  }

  hostDisconnected(): void {
    for (const type of ACTIVITY_EVENTS) this.host.removeEventListener(type, this.onActivity, ACTIVITY_LISTENER);
    this.unbind();
  }

  /** Follows the session of the API the host names; returns whether it (re)bound. Hosts call it from willUpdate. */
  bind(): boolean {
    const session = sessionFor(resolveApiBase(this.options.api()));
    if (this.session === session) return false;
    this.unbind();
    this.session = session;
    this.off = session.subscribe((event) => {
      if (event.type === 'signed-in') this.signedIn(session);
      else this.signedOut(event.reason);
    });
    if (this.options.onBind?.(session)) return true;
    if (session.current) this.signedIn(session);
    else if (this.info) this.signedOut('unauthenticated');
    return true;
  }

  private unbind() {
    this.endSignInLoads();
    this.off?.();
    this.off = undefined;
    this.session = undefined;
  }

  private signedIn(session: Session) {
    const info = session.current;
    if (!info) return;
    if (info.user.id !== this.info?.user.id) this.endSignInLoads();
    this.info = info;
    this.idleSeconds = info.idleTimeoutSeconds;
    this.options.watchRings?.(session);
    this.options.onSignedIn?.(info.user, session);
    this.host.requestUpdate();
  }

  private signedOut(reason: SessionEndReason) {
    this.endSignInLoads();
    this.info = undefined;
    this.options.onSignedOut?.(reason, signedOutNotice(reason, this.idleSeconds, this.options.guarded));
    this.host.requestUpdate();
  }

  /** Answers still on their way for the sign-in that ended are dropped; the next sign-in loads under a fresh signal. */
  private endSignInLoads() {
    this.signInLoads.abort();
    this.signInLoads = new AbortController();
  }

  private readonly onActivity = () => this.session?.activity();
}
