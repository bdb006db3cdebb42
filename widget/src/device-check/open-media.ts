import { explainMediaError, type MediaDevice, type MediaErrorExplanation } from './media-errors.ts';

export type MediaKind = 'audio' | 'video';

/** The device wanted for each kind to open: its id, or '' for the browser's default. */
export type MediaChoice = Partial<Record<MediaKind, string>>;

export interface OpenedMedia {
  tracks: MediaStreamTrack[];
  /** Why a kind that was asked for did not open. */
  failures: Partial<Record<MediaKind, unknown>>;
}

const DEVICE: Record<MediaKind, MediaDevice> = { audio: 'microphone', video: 'camera' };

const constraint = (id: string): MediaTrackConstraints | true => (id ? { deviceId: { exact: id } } : true);

const request = (choice: MediaChoice, kinds: readonly MediaKind[]) =>
  navigator.mediaDevices.getUserMedia(Object.fromEntries(kinds.map((kind) => [kind, constraint(choice[kind]!)])));

/**
 * A picked device that is gone (unplugged since, or remembered from another day) gives way to the default; the caller
 * sees which device opened in the track's settings. `exact` then a retry rather than `ideal`, which Chromium
 * satisfies with the default microphone even when the picked one is there.
 */
async function openKinds(choice: MediaChoice, kinds: readonly MediaKind[]): Promise<MediaStreamTrack[]> {
  try {
    return (await request(choice, kinds)).getTracks();
  } catch (error) {
    const picked = kinds.filter((kind) => choice[kind]);
    if (!picked.length || explainMediaError(error).code !== 'no-device') throw error;
    const defaults = Object.fromEntries(picked.map((kind) => [kind, '']));
    return (await request({ ...choice, ...defaults }, kinds)).getTracks();
  }
}

/**
 * Opens the chosen devices in one getUserMedia call, so the browser asks once. When that fails for a reason that may
 * concern one device alone (none found, busy), each kind is tried on its own, so a missing camera does not cost a
 * working microphone. A refusal concerns both: asking again would only fail again, or prompt twice.
 */
export async function openMedia(choice: MediaChoice): Promise<OpenedMedia> {
  const kinds = (['audio', 'video'] as const).filter((kind) => choice[kind] !== undefined);
  try {
    return { tracks: await openKinds(choice, kinds), failures: {} };
  } catch (error) {
    const { code } = explainMediaError(error);
    if (kinds.length < 2 || code === 'permission-denied' || code === 'unsupported') {
      return { tracks: [], failures: Object.fromEntries(kinds.map((kind) => [kind, error])) };
    }
  }
  const opened: OpenedMedia = { tracks: [], failures: {} };
  // One after the other: two prompts at once would confuse anyone.
  for (const kind of kinds) {
    try {
      opened.tracks.push(...(await openKinds(choice, [kind])));
    } catch (error) {
      opened.failures[kind] = error;
    }
  }
  return opened;
}

/** One explanation per problem: a refusal of both devices reads as one sentence, not two. */
export function explainFailures(failures: OpenedMedia['failures']): MediaErrorExplanation[] {
  const { audio, video } = failures;
  const both = audio !== undefined && video !== undefined;
  if (both && explainMediaError(audio).code === explainMediaError(video).code) {
    return [explainMediaError(audio, { device: 'camera and microphone' })];
  }
  return (['video', 'audio'] as const)
    .filter((kind) => failures[kind] !== undefined)
    .map((kind) => explainMediaError(failures[kind], { device: DEVICE[kind] }));
}
