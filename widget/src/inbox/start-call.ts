import { createCallClient } from '@clocktree/client';
import type { CreateCallBody } from '@clocktree/protocol';
import { explain, type InboxContext } from './inbox-context.ts';

/**
 * "Video call" in the console (a client's profile, a My Network connection): rings the callee's every signed-in page
 * and opens the call window (titled with `calleeName`), where the caller joins and waits; focus returns to `opener` when it closes. The window
 * (and janus.js) is its own chunk, fetched on the first call. Resolves to what to tell the caller: why the call could
 * not start, that `calleeName` is signed in nowhere to hear it ring, or nothing.
 */
export async function startCall(
  ctx: InboxContext,
  body: CreateCallBody,
  calleeName: string,
  opener: HTMLElement,
): Promise<string> {
  try {
    const [{ call, reachable }, { callPrompt }] = await Promise.all([
      createCallClient(ctx.session.http).startCall(body),
      import('../ringing/call-prompt.ts'),
    ]);
    callPrompt(ctx.session, true)!.show(call.id, opener, calleeName);
    return reachable
      ? ''
      : `${calleeName} is not signed in anywhere right now, so the call rings nowhere yet. It keeps ringing for a minute.`;
  } catch (error) {
    return explain(error);
  }
}
