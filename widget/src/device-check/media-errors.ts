/**
 * What went wrong with the camera or microphone, in words a client can act on. Pure: <ct-device-check> uses it before a
 * call, and the video room when a device is switched during one.
 */

export type MediaErrorCode = 'permission-denied' | 'no-device' | 'device-busy' | 'unsupported' | 'unknown';

export interface MediaErrorExplanation {
  code: MediaErrorCode;
  /** One sentence: what is wrong. */
  title: string;
  /** What to do about it, one step an item. */
  help: string[];
}

/** Which device failed, when the caller knows; the wording then names it alone. */
export type MediaDevice = 'camera' | 'microphone' | 'camera and microphone';

export interface ExplainOptions {
  device?: MediaDevice;
  /** Defaults to this browser's; given by tests. */
  userAgent?: string;
}

export type UnsupportedReason = 'insecure-context' | 'no-media-devices' | 'no-webrtc';

export type MediaSupport = { ok: true } | { ok: false; reason: UnsupportedReason; explanation: MediaErrorExplanation };

type Browser = 'chromium' | 'firefox' | 'safari' | 'other';

/** Rough on purpose: it only picks which steps to show, and every set of steps ends in something that works anywhere. */
function browserOf(userAgent: string): Browser {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Edg\/|Chrome\/|Chromium\/|CriOS\//.test(userAgent)) return 'chromium';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'other';
}

function allowSteps(browser: Browser, device: MediaDevice): string[] {
  switch (browser) {
    case 'chromium':
      return [
        'Click the camera icon or the site settings icon at the left end of the address bar.',
        `Set the ${device} to “Allow”.`,
        'Reload this page.',
      ];
    case 'firefox':
      return [
        'Click the crossed-out camera or microphone icon at the left end of the address bar.',
        `Clear “Blocked” next to the ${device}.`,
        'Reload this page and choose “Allow” when Firefox asks.',
      ];
    case 'safari':
      return [
        'In the Safari menu, choose “Settings for This Website…” (on iPhone and iPad: tap “aA” in the address bar, then “Website Settings”).',
        `Set the ${device} to “Allow”.`,
        'Reload this page.',
      ];
    default:
      return [`In your browser's settings for this website, allow the ${device}.`, 'Reload this page.'];
  }
}

const SYSTEM_PRIVACY =
  'Still blocked? Your computer may be blocking the browser itself: on a Mac, open System Settings → Privacy & Security → Camera (and Microphone); on Windows, Settings → Privacy & security → Camera (and Microphone). Allow your browser there, then restart it.';

const UNSUPPORTED_TITLE = 'This browser cannot make video calls';
const UPDATE_BROWSER = 'Open this page in an up-to-date Chrome, Edge, Firefox or Safari.';

const UNSUPPORTED_HELP: Record<UnsupportedReason, string[]> = {
  'insecure-context': [
    'The page was not opened over a secure (https) connection, so the browser does not offer the camera and microphone to it.',
    'Open the link you were sent exactly as it is, starting with https://.',
  ],
  'no-media-devices': [
    'This browser, or the app that opened the page, does not give web pages access to a camera and microphone.',
    UPDATE_BROWSER,
  ],
  'no-webrtc': ['This browser does not support video calls (WebRTC), or it is turned off.', UPDATE_BROWSER],
};

const nameOf = (error: unknown) =>
  error instanceof DOMException || error instanceof Error ? error.name : typeof error === 'string' ? error : '';

/** Classifies a getUserMedia (or setSinkId, or track) failure by the DOMException names browsers use. */
export function explainMediaError(error: unknown, options: ExplainOptions = {}): MediaErrorExplanation {
  const device = options.device ?? 'camera and microphone';
  const it = device === 'camera and microphone' ? 'them' : 'it';
  const userAgent = options.userAgent ?? (typeof navigator === 'undefined' ? '' : navigator.userAgent);
  switch (nameOf(error)) {
    // Firefox used to say PermissionDeniedError; Safari says NotAllowedError also when the system denies access.
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return {
        code: 'permission-denied',
        title: `Your browser is not allowing this page to use your ${device}`,
        help: [...allowSteps(browserOf(userAgent), device), SYSTEM_PRIVACY],
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return {
        code: 'no-device',
        title: `No ${device === 'camera and microphone' ? 'camera or microphone' : device} was found`,
        help: [
          `Check that your ${device} ${device === 'camera and microphone' ? 'are' : 'is'} plugged in and switched on, then reload this page.`,
          'On a laptop, check that no cover or keyboard switch turns the camera off.',
          'If you have another one, choose it in the device lists.',
        ],
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        code: 'device-busy',
        title: `Your ${device} could not be started: another app may be using ${it}`,
        help: [
          'Close other apps that use the camera or microphone: video calls (Zoom, Teams, FaceTime, Skype…), other browser tabs with a call, camera apps.',
          'Then reload this page.',
          'Still not working? Unplug the camera and plug it in again, or restart your computer.',
        ],
      };
    case 'SecurityError':
      return { code: 'unsupported', title: UNSUPPORTED_TITLE, help: UNSUPPORTED_HELP['insecure-context'] };
    default:
      return {
        code: 'unknown',
        title: `Your ${device} could not be started`,
        help: ['Reload this page and try again.', UPDATE_BROWSER],
      };
  }
}

interface SupportScope {
  isSecureContext?: boolean;
  navigator?: { mediaDevices?: { getUserMedia?: unknown } };
  RTCPeerConnection?: unknown;
}

/** Whether this browser can run a video call at all, checked before anything is asked of the user. */
export function mediaSupport(scope: SupportScope = globalThis): MediaSupport {
  const reason: UnsupportedReason | undefined =
    scope.isSecureContext === false
      ? 'insecure-context'
      : typeof scope.navigator?.mediaDevices?.getUserMedia !== 'function'
        ? 'no-media-devices'
        : typeof scope.RTCPeerConnection !== 'function'
          ? 'no-webrtc'
          : undefined;
  if (!reason) return { ok: true };
  return {
    ok: false,
    reason,
    explanation: { code: 'unsupported', title: UNSUPPORTED_TITLE, help: UNSUPPORTED_HELP[reason] },
  };
}
